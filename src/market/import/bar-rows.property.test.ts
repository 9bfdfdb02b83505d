/**
 * Property: whatever the (blank, inconsistent, zero or negative) cells of a bar row, the importer
 * either skips it with a reported issue or keeps a bar whose high ≥ max(open, close) and
 * low ≤ min(open, close) with positive prices — and rows in = kept + skipped.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseLongBars } from '../index.ts';

const cell = fc.oneof(fc.constant(''), fc.constant('0'), fc.constant('-1'), fc.double({ min: 0.01, max: 500, noNaN: true }).map((x) => x.toFixed(2)));

describe('bar import property', () => {
  it('keeps only bracketing positive bars and accounts for every row', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(cell, cell, cell, cell, fc.nat({ max: 1000 })), { minLength: 1, maxLength: 40 }), (rows) => {
        const lines = rows.map(([o, h, l, c, v], i) => `2020-01-${String((i % 28) + 1).padStart(2, '0')},${o},${h},${l},${c},${v},S${Math.floor(i / 28)}`);
        const r = parseLongBars(`date,open,high,low,close,volume,Name\n${lines.join('\n')}\n`);
        expect(r.report.kept + r.report.skipped).toBe(rows.length);
        expect(r.bars).toHaveLength(r.report.kept);
        for (const b of r.bars) {
          expect(b.open > 0 && b.close > 0 && b.low > 0).toBe(true);
          expect(b.high).toBeGreaterThanOrEqual(Math.max(b.open, b.close));
          expect(b.low).toBeLessThanOrEqual(Math.min(b.open, b.close));
        }
        const skippedIssues = r.report.issues.filter((i) => i.action === 'skipped').length;
        expect(skippedIssues).toBe(r.report.skipped);
      }),
      { numRuns: 300 },
    );
  });
});
