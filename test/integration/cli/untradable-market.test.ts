/**
 * A market in which no symbol passes the data-quality gate is refused with the field and the fix,
 * not run as a fund that never traded. `keel demo --years 3` under the default config (a 1,000-row
 * history gate) generated 756 days, ran a backtest in which nothing traded, stored it and printed a
 * table of zeros and 1,269 BLOCK decisions as the demo's result.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../../src/store/index.ts';
import { cliHome } from './harness.ts';

describe('a market with nothing tradable', () => {
  it('keel demo refuses a history shorter than data.minHistoryRows before generating anything', async () => {
    const k = cliHome();
    const r = await k.run('demo', '--years', '3', '--no-serve');
    expect(r.code).toBe(1);
    expect(r.err).toContain('--years');
    expect(r.err).toContain('756 trading days, fewer than data.minHistoryRows (1000)');
    expect(r.err).toContain('Use --years 4 or more');
    // nothing half-written: no market was stored
    if (existsSync(path.join(k.home, 'db'))) {
      const s = await openStore({ home: k.home });
      try {
        expect(await s.instruments.list()).toEqual([]);
      } finally {
        await s.close();
      }
    }
    const b = await k.run('demo', '--years', '4', '--backtest-years', '4', '--no-serve');
    expect(b.code).toBe(1);
    expect(b.err).toContain('--backtest-years');
  });

  it('keel market generate says so, and keel backtest refuses, naming data.minHistoryRows', async () => {
    const k = cliHome();
    const g = await k.run('market', 'generate', '--symbols', '12', '--years', '1.2', '--seed', '3');
    expect(g.code, g.err).toBe(0);
    expect(g.out).toContain('0 of 14 symbols ACTIVE');
    expect(g.out).toContain('no symbol is tradable, so no agent can trade: 302 days of history is fewer than data.minHistoryRows (1000)');
    const list = JSON.parse((await k.run('market', 'list', '--json')).out) as { lastDate: string | null }[];
    const last = list[0]?.lastDate ?? '';
    const bt = await k.run('backtest', '--from', '2018-06-01', '--to', last);
    expect(bt.code).toBe(1);
    expect(bt.err).toContain('data.minHistoryRows');
    expect(bt.err).toContain('no symbol of the market is tradable: none of its 14 passed the data-quality gate');
    const s = await openStore({ home: k.home });
    try {
      // recorded as a failed run with the reason, not as a result
      const runs = await s.backtests.list();
      expect(runs.map((r) => r.status)).toEqual(['FAILED']);
      expect(runs[0]?.error).toContain('data.minHistoryRows');
    } finally {
      await s.close();
    }
  }, 120_000);
});
