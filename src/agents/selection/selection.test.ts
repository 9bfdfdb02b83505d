import { describe, expect, it } from 'vitest';
import { ReturnCorrelations, diversifiedTopK, plainTopK } from '../index.ts';
import { selectionStudy } from './selection-study.ts';
import { hasSp500, loadSp500Closes, returnsOf } from './sp500-fixture.ts';

describe('diversified top-K', () => {
  // scores (3, 2.9, 1): mean 2.3, sd 0.9201 → z = (0.761, 0.652, −1.413); ρ(0,1) = 0.99, others 0.
  const corr = (i: number, j: number) => ((i === 0 && j === 1) || (i === 1 && j === 0) ? 0.99 : i === j ? 1 : 0);
  it('plain top-K takes the best scores', () => {
    expect(plainTopK([3, 2.9, 1], 2)).toEqual([0, 1]);
    expect(plainTopK([1, Number.NaN, 2], 5)).toEqual([2, 0]);
  });
  it('skips a near-duplicate when the penalty outweighs the score gap', () => {
    // second pick: u(1) = 0.652 − 3·0.99 = −2.318 < u(2) = −1.413 − 0 → name 2
    expect(diversifiedTopK([3, 2.9, 1], 2, 3, corr)).toEqual([0, 2]);
    // λ = 2 is not enough: 0.652 − 1.98 = −1.328 > −1.413
    expect(diversifiedTopK([3, 2.9, 1], 2, 2, corr)).toEqual([0, 1]);
    // a small penalty keeps the plain order
    expect(diversifiedTopK([3, 2.9, 1], 2, 0.1, corr)).toEqual([0, 1]);
    expect(diversifiedTopK([3, 2.9, 1], 2, 0, corr)).toEqual(plainTopK([3, 2.9, 1], 2));
  });
  it('computes Pearson correlations of return columns', () => {
    // columns: x, 2x + 1, −x
    const x = [0.01, -0.02, 0.03, 0.0, -0.01];
    const block = new Float64Array(x.flatMap((v) => [v, 2 * v + 1, -v]));
    const c = new ReturnCorrelations(block, 3);
    expect(c.corr(0, 1)).toBeCloseTo(1, 12);
    expect(c.corr(0, 2)).toBeCloseTo(-1, 12);
    expect(c.averagePairwise([0, 1, 2])).toBeCloseTo(-1 / 3, 12);
  });
});

describe.skipIf(!hasSp500())('diversified top-K on the real S&P 500 data (skipped when ../shared/data is absent)', () => {
  const m = loadSp500Closes();
  const ret = returnsOf(m);
  it('lowers the average pairwise correlation of a 20-name momentum book, in and out of sample', () => {
    const mild = selectionStudy(m, ret, { k: 20, penalty: 1 });
    expect(mild.dates).toBe(15);
    expect(mild.diversifiedInSample).toBeLessThan(mild.plainInSample * 0.95);
    expect(mild.diversifiedOutOfSample).toBeLessThan(mild.plainOutOfSample);
    const strong = selectionStudy(m, ret, { k: 20, penalty: 8 });
    expect(strong.diversifiedInSample).toBeLessThan(strong.plainInSample * 0.7);
    expect(strong.diversifiedOutOfSample).toBeLessThan(strong.plainOutOfSample * 0.85);
  });
});
