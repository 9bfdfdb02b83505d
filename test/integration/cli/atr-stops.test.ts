/**
 * ATR stops act, through the real CLI and store: the same fund and market backtested with
 * `risk.atrStops` on for one agent and off. With it on, the result counts the positions closed at
 * their stop or take-profit (`stopExits`), only for that agent, and `keel backtest` prints them;
 * off, there is no count.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultFundConfigInput } from '../../../src/contracts/index.ts';
import type { BacktestSummary } from '../../../src/fund/index.ts';
import { cliHome } from './harness.ts';

const FROM = '2019-01-02';
const TO = '2019-04-30';
const AGENTS = 'momentum,trend';

describe('keel backtest with ATR stops on for one agent', () => {
  const k = cliHome();
  const fund = { ...defaultFundConfigInput(), data: { minHistoryRows: 150, degradedMinRows: 100, minQuality: 0.5 } };
  const withStops = {
    ...fund,
    agents: (fund.agents ?? []).map((a) => (a.id === 'momentum' ? { ...a, risk: { atrStops: true } } : a)),
  };
  beforeAll(async () => {
    expect((await k.run('init')).code).toBe(0);
    writeFileSync(path.join(k.home, 'fund.json'), JSON.stringify(fund));
    writeFileSync(path.join(k.home, 'stops.json'), JSON.stringify(withStops));
    expect((await k.run('market', 'generate', '--symbols', '40', '--years', '2.2', '--seed', '11', '--json')).code).toBe(0);
  }, 120_000);

  async function backtest(config: string): Promise<BacktestSummary> {
    const run = await k.run('backtest', 'run', '--from', FROM, '--to', TO, '--agents', AGENTS, '--config', path.join(k.home, config), '--json');
    expect(run.code, run.err).toBe(0);
    return JSON.parse(run.out) as BacktestSummary;
  }

  it('counts the stop exits of the agent with stops, and prints them', async () => {
    const off = await backtest('fund.json');
    expect(off.stopExits).toBeNull();
    const on = await backtest('stops.json');
    const x = on.stopExits;
    if (!x) throw new Error('no stop exits in the run with stops');
    expect(Object.keys(x.byAgent)).toEqual(['momentum']);
    expect(x.atrStop + x.takeProfit).toBeGreaterThan(0);
    expect((x.byAgent['momentum']?.atrStop ?? 0) + (x.byAgent['momentum']?.takeProfit ?? 0)).toBe(x.atrStop + x.takeProfit);
    expect(on.ledgerReconciled).toBe(true);
    // the stops change what the agent holds; the agent without them is the same book in both runs up to the shared overlay
    expect(on.agents.find((a) => a.id === 'momentum')?.equity).not.toEqual(off.agents.find((a) => a.id === 'momentum')?.equity);
    const shown = await k.run('backtest', 'show', on.id);
    expect(shown.out).toMatch(/ATR stops \(risk\.atrStops\): \d+ exits, \d+ at the stop, \d+ at the take-profit \(per agent stop\/target: momentum \d+\/\d+\)/);
  }, 300_000);
});
