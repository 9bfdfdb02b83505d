/**
 * Property: a MarketView at row t never returns a value from a row after t — every read either
 * yields data stamped with a row ≤ t or throws LookAheadError (or ValidationError for a bad column).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeelError, LookAheadError, weekdaysBetween } from '../core/index.ts';
import { createPanel, viewAt, type PriceField } from './index.ts';

const T = 30;
const U = 4;
const dates = weekdaysBetween('2024-01-01', '2024-03-31').slice(0, T);
// every value encodes its own row: close = 100 + row, volume = row, so a read reveals where it came from
const close = Float64Array.from({ length: T * U }, (_, i) => 100 + Math.floor(i / U));
const volume = Float64Array.from({ length: T * U }, (_, i) => Math.floor(i / U));
const panel = createPanel({ dates, symbols: ['A', 'B', 'C', 'D'], open: close, high: close, low: close, close, volume, sentiment: volume });

describe('MarketView point-in-time property', () => {
  it('never returns a value from a row after the as-of row', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: T - 1 }), fc.integer({ min: -2, max: T + 2 }), fc.integer({ min: -1, max: U }), fc.integer({ min: 1, max: 8 }), (t, row, u, n) => {
        const view = viewAt(panel, t);
        const reads: Array<[() => number[], (x: number) => number]> = [
          [() => [view.value('close', u, row)], (x) => x - 100],
          [() => Array.from(view.window('close', u, n, row)), (x) => x - 100],
          [() => Array.from(view.cross('volume' as PriceField, row)), (x) => x],
          [() => [view.sentiment(u, row)], (x) => x],
        ];
        for (const [read, rowOf] of reads) {
          try {
            for (const x of read()) if (Number.isFinite(x)) expect(rowOf(x)).toBeLessThanOrEqual(t);
          } catch (e) {
            expect(e).toBeInstanceOf(KeelError);
            if (row > t) expect(e).toBeInstanceOf(LookAheadError);
          }
        }
        for (const x of view.returnsPanel(n)) expect(Number.isNaN(x) || Math.abs(x) < 1).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
