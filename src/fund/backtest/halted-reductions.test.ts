/**
 * While a market kill switch holds the fund HALTED, the overlay's cuts of the held books still
 * trade, and only they do (issue 15: risk-reducing trades are never blocked by any state): on the
 * days after the trip every fill shrinks its agent's position toward zero, and nothing is denied
 * as TRADING_HALTED. Before, the cycle planned the overlay's targets and the OMS denied every order,
 * so a book stayed at what the trip day's closes left while the market kept falling.
 */
import { describe, expect, it } from 'vitest';
import { defaultFundConfigInput, parseFundConfig, type Fill } from '../../contracts/index.ts';
import { syntheticPanel } from '../../market/index.ts';
import { runBacktest, type CycleResult } from '../index.ts';

const DAYS = 120;

/** Applies a fill's allocations to per-agent signed positions; returns whether each allocation moved its position toward zero without crossing it. */
function applyFill(pos: Map<string, number>, f: Fill): boolean[] {
  return f.allocations.map((a) => {
    const key = `${a.agentId}\u0000${f.symbol}`;
    const before = pos.get(key) ?? 0;
    const after = before + (f.side === 'BUY' ? a.qty : -a.qty);
    pos.set(key, after);
    return Math.abs(after) <= Math.abs(before) + 1e-9 && after * before >= -1e-9;
  });
}

describe('a HALTED fund (market kill switch) keeps cutting its books, and only cutting', () => {
  it('on the days after the trip, fills only shrink positions, some do, and no order is denied as halted', async () => {
    const panel = syntheticPanel({ symbols: 40, years: 1.5, seed: 14 });
    const config = parseFundConfig({ ...defaultFundConfigInput(10_000_000), data: { minHistoryRows: 200, degradedMinRows: 100 } });
    const cycles: CycleResult[] = [];
    await runBacktest({ id: 'halted-reductions', config, panel, from: panel.dates[panel.T - DAYS] ?? '', to: panel.dates[panel.T - 1] ?? '', onCycle: (r) => cycles.push(r) });
    const pos = new Map<string, number>();
    let haltedDays = 0;
    let haltedFills = 0;
    for (const c of cycles) {
      const later = c.review.tradingState === 'HALTED' && !c.review.transition.changed;
      if (later) {
        haltedDays++;
        expect(c.review.triggers.map((t) => t.name)).not.toContain('manual');
        for (const o of c.orders) expect(o.denials.map((d) => d.code)).not.toContain('TRADING_HALTED');
      }
      for (const f of c.fills) {
        const reduces = applyFill(pos, f);
        if (later) {
          haltedFills++;
          expect(reduces.every(Boolean), `${c.asOf} ${f.side} ${f.symbol}`).toBe(true);
        }
      }
    }
    expect(haltedDays).toBeGreaterThan(0);
    expect(haltedFills).toBeGreaterThan(0);
  }, 120_000);
});
