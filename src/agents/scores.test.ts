import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rankDescending, rankedCount, topRanked } from './scores.ts';

describe('partial ranking', () => {
  // Invariant: topRanked(s, k) is the first k of rankDescending(s), and with fromBottom its last k
  // in reverse, for any scores with ties, NaNs and signed zeros.
  it('equals slices of the full ranking', () => {
    const value = fc.oneof(fc.integer({ min: -4, max: 4 }), fc.constantFrom(Number.NaN, -0, 0, Number.POSITIVE_INFINITY));
    fc.assert(
      fc.property(fc.array(value, { maxLength: 60 }), fc.integer({ min: 0, max: 70 }), (xs, k) => {
        const s = Float64Array.from(xs);
        const full = rankDescending(s);
        expect(rankedCount(s)).toBe(full.length);
        expect(topRanked(s, k)).toEqual(full.slice(0, k));
        expect(topRanked(s, k, true)).toEqual(full.slice().reverse().slice(0, k));
      }),
      { numRuns: 500 },
    );
  });
});
