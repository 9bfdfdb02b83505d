/**
 * Storing a finished backtest holds the store one cycle's records at a time: each kept cycle's
 * records in its own transaction, then the row COMPLETED (with its results and audit entry) in a
 * last one. One transaction of every record held the embedded store, and the kill switch's read,
 * for seconds at the end of a year's backtest.
 */
import { describe, expect, it } from 'vitest';
import { defaultFundConfigInput, parseFundConfig } from '../../../src/contracts/index.ts';
import { computeBacktest, storeBacktestResult } from '../../../src/fund/index.ts';
import { syntheticPanel } from '../../../src/market/index.ts';
import { openStore, type Repos, type Store } from '../../../src/store/index.ts';

describe('storing a finished backtest', () => {
  const panel = syntheticPanel({ symbols: 40, years: 1.5, seed: 14 });
  const config = parseFundConfig({ ...defaultFundConfigInput(10_000_000), data: { minHistoryRows: 200, degradedMinRows: 100 } });

  it('writes each kept cycle in its own transaction and the COMPLETED row last', async () => {
    const store = await openStore({ memory: true });
    try {
      const id = 'bt-ingest';
      const at = '2024-01-02T00:00:00.000Z';
      const done = await computeBacktest({ id, config, panel, from: panel.dates[panel.T - 12] ?? '', to: panel.dates[panel.T - 1] ?? '' });
      expect(done.kept).toHaveLength(5);
      await store.backtests.create({ id, fundId: config.fund.id, params: {}, createdAt: at });
      await store.backtests.update(id, { status: 'RUNNING', progress: 0.5, at });
      // each transaction notes the row's status and the records stored when it begins
      const seen: { status: string | undefined; decisions: number }[] = [];
      const count = async (r: Repos): Promise<number> => {
        let n = 0;
        for (const c of done.kept) n += (await r.decisions.listByCycle(c.cycleId)).length;
        return n;
      };
      const watched: Store = {
        ...store,
        transaction: (fn) =>
          store.transaction(async (tx) => {
            seen.push({ status: (await tx.backtests.get(id))?.status, decisions: await count(tx) });
            return fn(tx);
          }),
      };
      await storeBacktestResult(watched, config.fund.id, id, done, at);
      let stored = 0;
      const expected = [0, ...done.kept.map((c) => (stored += c.records.length))].map((decisions) => ({ status: 'RUNNING', decisions }));
      expect(seen).toEqual(expected);
      expect((await store.backtests.get(id))?.status).toBe('COMPLETED');
      expect(await count(store)).toBe(stored);
    } finally {
      await store.close();
    }
  }, 120_000);

  it('a store that fails part-way deletes the cycles written so far and leaves the run as it was', async () => {
    const store = await openStore({ memory: true });
    try {
      const id = 'bt-ingest-fails';
      const at = '2024-01-02T00:00:00.000Z';
      const done = await computeBacktest({ id, config, panel, from: panel.dates[panel.T - 12] ?? '', to: panel.dates[panel.T - 1] ?? '' });
      await store.backtests.create({ id, fundId: config.fund.id, params: {}, createdAt: at });
      await store.backtests.update(id, { status: 'RUNNING', progress: 0.5, at });
      let n = 0;
      const failing: Store = { ...store, transaction: (fn) => (++n === 3 ? Promise.reject(new Error('disk full')) : store.transaction(fn)) };
      await expect(storeBacktestResult(failing, config.fund.id, id, done, at)).rejects.toThrow('disk full');
      for (const c of done.kept) expect(await store.decisions.listByCycle(c.cycleId)).toEqual([]);
      expect(await store.overlayActions.listForFund(`${config.fund.id}@${id}`, { limit: 100 })).toEqual([]);
      expect((await store.backtests.get(id))?.status).toBe('RUNNING');
    } finally {
      await store.close();
    }
  }, 120_000);
});
