/**
 * Hedges trade, through the real CLI and store: the same fund and market backtested with hedging
 * off and on. With it on, the hedge book trades the market proxy (SPY), its fills are in the
 * results and its targets of the kept cycles are stored (`fund_hedges`, under the backtest's
 * scope), and the fund's realised beta to the market is lower than without; with it off there is
 * no hedge book. `keel backtest show` prints the hedge book's line. And `keel run --once` (paper)
 * on a hedged fund sends the hedge, books its fills to the stored hedge book (the cycle's books and
 * the stored ones agree at the checkpoint) and stores a `fund_hedges` row per cycle.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultFundConfigInput } from '../../../src/contracts/index.ts';
import type { BacktestSummary } from '../../../src/fund/index.ts';
import { openStore } from '../../../src/store/index.ts';
import { cliHome } from './harness.ts';

const FROM = '2019-01-02';
const TO = '2019-06-28';

describe('keel backtest with hedging on and off', () => {
  const k = cliHome();
  const fund = { ...defaultFundConfigInput(), data: { minHistoryRows: 150, degradedMinRows: 100, minQuality: 0.5 } };
  beforeAll(async () => {
    expect((await k.run('init')).code).toBe(0);
    // the market's symbol status is set from the fund's data thresholds
    writeFileSync(path.join(k.home, 'fund.json'), JSON.stringify(fund));
    writeFileSync(path.join(k.home, 'hedged.json'), JSON.stringify({ ...fund, hedging: { enabled: true, instrument: 'SPY', betaThreshold: 0.05 } }));
    expect((await k.run('market', 'generate', '--symbols', '40', '--years', '2.2', '--seed', '11', '--json')).code).toBe(0);
  }, 120_000);

  async function backtest(config: string): Promise<BacktestSummary> {
    const run = await k.run('backtest', 'run', '--from', FROM, '--to', TO, '--config', path.join(k.home, config), '--json');
    expect(run.code, run.err).toBe(0);
    return JSON.parse(run.out) as BacktestSummary;
  }

  it('the hedged fund trades SPY in its hedge book and has a lower beta; the unhedged one has no hedge book', async () => {
    const off = await backtest('fund.json');
    const on = await backtest('hedged.json');
    expect(off.hedge).toBeNull();
    const h = on.hedge;
    if (!h) throw new Error('no hedge book in the hedged run');
    expect(h.fills).toBeGreaterThan(0);
    expect(h.daysHedged).toBeGreaterThan(0);
    expect(h.tradedNotional).toBeGreaterThan(0);
    expect(on.ledgerReconciled).toBe(true);
    const betaOff = off.fund.tearSheet.beta ?? Number.NaN;
    const betaOn = on.fund.tearSheet.beta ?? Number.NaN;
    expect(betaOff).toBeGreaterThan(0.05);
    expect(Math.abs(betaOn)).toBeLessThan(betaOff);

    // the kept cycles' hedge-book targets are stored under the backtest's scope
    const store = await openStore({ home: k.home });
    try {
      const rows = (await store.db.query<{ fund_id: string; instrument: string }>('SELECT fund_id, instrument FROM fund_hedges')).rows;
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) {
        expect(r.instrument).toBe('SPY');
        expect(r.fund_id).toContain(on.id);
      }
    } finally {
      await store.close();
    }
    const shown = await k.run('backtest', 'show', on.id);
    expect(shown.out).toMatch(/hedge book: hedged \d+ of \d+ days, \d+ fills/);
  }, 300_000);
});

describe('keel run --once on a hedged fund', () => {
  const k = cliHome();
  beforeAll(async () => {
    writeFileSync(path.join(k.home, 'fund.json'), JSON.stringify({ ...defaultFundConfigInput(), data: { minHistoryRows: 150, degradedMinRows: 100, minQuality: 0.5 }, hedging: { enabled: true, instrument: 'SPY', betaThreshold: 0.05 } }));
    expect((await k.run('init')).code).toBe(0);
    expect((await k.run('market', 'generate', '--symbols', '40', '--years', '2.2', '--seed', '11', '--json')).code).toBe(0);
  }, 120_000);

  it('sends the hedge on the paper broker, books it to the stored hedge book and stores the targets', async () => {
    for (const day of ['2019-03-01', '2019-03-04', '2019-03-05']) {
      const run = await k.run('run', '--once', '--no-fetch', '--as-of', day);
      expect(run.code, run.err).toBe(0);
    }
    const store = await openStore({ home: k.home });
    try {
      const rows = await store.hedges.list('main');
      expect(rows.map((r) => r.asOf)).toEqual(['2019-03-01', '2019-03-04', '2019-03-05']);
      expect(rows[0]).toMatchObject({ instrument: 'SPY', kind: 'beta', currentQty: 0 });
      expect(rows[0]?.targetQty).toBeLessThan(0);
      // each day starts from what the previous day's orders left in the book (paper fills at the close, whole-share shorts)
      for (let i = 1; i < rows.length; i++) expect(Math.abs((rows[i]?.currentQty ?? 0) - (rows[i - 1]?.targetQty ?? 0))).toBeLessThan(1);
      const held = (await store.db.query<{ qty4: string | number }>("SELECT qty4 FROM ledger_holdings WHERE fund_id = 'main' AND book_id = '_hedge' AND symbol = 'SPY'")).rows;
      const last = rows[rows.length - 1];
      expect(Math.abs(Number(held[0]?.qty4 ?? 0) / 1e4 - (last?.targetQty ?? 0))).toBeLessThan(1);
    } finally {
      await store.close();
    }
  }, 300_000);
});
