/**
 * `risk.riskModel.volRegimeHalfLifeDays` through the user's path: the same `keel backtest run` on a
 * synthetic market with a crisis, with the adjustment off (the default) and at 21 days. With it,
 * the model's risk follows the crisis's spike (the VaR of the proposals the overlay measured, summed
 * over the days, is higher) and the config hash differs; before the crisis the market is calm, the
 * adjustment (which only raises risk) does nothing, and the two runs are the same day for day.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultFundConfigInput } from '../../../src/contracts/index.ts';
import type { BacktestSummary } from '../../../src/fund/index.ts';
import { cliHome } from './harness.ts';

const FROM = '2019-01-02';
const TO = '2019-06-28';

describe('keel backtest with the volatility regime adjustment', () => {
  const k = cliHome();
  beforeAll(async () => {
    expect((await k.run('init')).code).toBe(0);
    // the market's symbol status is set from the config's data thresholds as it is generated
    writeConfig(0);
    // seed 11: a crisis from 2019-04-16 to 2019-05-21
    expect((await k.run('market', 'generate', '--symbols', '40', '--years', '2.2', '--seed', '11', '--json')).code).toBe(0);
  }, 120_000);

  function writeConfig(halfLife: number): void {
    writeFileSync(path.join(k.home, 'fund.json'), JSON.stringify({ ...defaultFundConfigInput(), data: { minHistoryRows: 150, degradedMinRows: 100, minQuality: 0.5 }, risk: { riskModel: { volRegimeHalfLifeDays: halfLife } } }));
  }

  async function backtest(halfLife: number): Promise<BacktestSummary> {
    writeConfig(halfLife);
    const run = await k.run('backtest', 'run', '--from', FROM, '--to', TO, '--json');
    expect(run.code, run.err).toBe(0);
    return JSON.parse(run.out) as BacktestSummary;
  }

  it('sees more risk in the crisis, and changes nothing before it', async () => {
    const off = await backtest(0);
    const on = await backtest(21);
    expect(on.configHash).not.toBe(off.configHash);
    // the model saw more risk in the proposals (its VaR summed over the days), and the run traded
    expect(on.binding.proposedVar).toBeGreaterThan(off.binding.proposedVar * 1.05);
    expect(on.fund.equity.at(-1)).not.toBe(100_000_000);
    // the first days: the same fund, to the cent
    const calm = on.dates.indexOf('2019-03-01');
    expect(calm).toBeGreaterThan(20);
    expect(on.fund.equity.slice(0, calm)).toEqual(off.fund.equity.slice(0, calm));
    expect(on.fund.equity).not.toEqual(off.fund.equity);
  }, 300_000);
});
