import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rankDescending, rankedCount, topRanked } from './scores.ts';

/** The ranking by a comparator sort: finite scores descending, ties by column. */
function reference(s: Float64Array): number[] {
  const idx: number[] = [];
  for (let i = 0; i < s.length; i++) if ((s[i] as number) === (s[i] as number)) idx.push(i);
  return idx.sort((a, b) => (s[b] as number) - (s[a] as number) || a - b);
}

describe('ranking', () => {
  // Invariant: rankDescending is the comparator-sort ranking, topRanked(s, k) its first k, and
  // with fromBottom its last k in reverse, for any scores with ties, NaNs, infinities and signed zeros.
  it('equals the comparator sort and its slices', () => {
    const value = fc.oneof(fc.integer({ min: -4, max: 4 }), fc.double({ noNaN: true }), fc.constantFrom(Number.NaN, -0, 0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY));
    fc.assert(
      fc.property(fc.array(value, { maxLength: 120 }), fc.integer({ min: 0, max: 130 }), (xs, k) => {
        const s = Float64Array.from(xs);
        const full = reference(s);
        expect(rankDescending(s)).toEqual(full);
        expect(rankedCount(s)).toBe(full.length);
        expect(topRanked(s, k)).toEqual(full.slice(0, k));
        expect(topRanked(s, k, true)).toEqual(full.slice().reverse().slice(0, k));
      }),
      { numRuns: 1000 },
    );
  });
});
