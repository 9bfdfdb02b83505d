import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReturnCorrelations, diversifiedTopK, plainTopK } from '../index.ts';
import { syntheticPanel, viewAt } from '../../market/index.ts';
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

/** The textbook greedy: recompute every utility against every pick, each round; the first `fixed` candidates are picked first. */
function naiveGreedy(scores: number[], k: number, penalty: number, corr: (i: number, j: number) => number, fixed = 0): number[] {
  const n = scores.length;
  const mean = scores.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(scores.reduce((a, b) => a + (b - mean) ** 2, 0) / n) || 1;
  const out: number[] = Array.from({ length: Math.min(fixed, k) }, (_, i) => i);
  while (out.length < Math.min(k, n)) {
    let best = -1;
    let bestU = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      if (out.includes(i)) continue;
      const pen = out.length === 0 ? 0 : penalty * Math.max(...out.map((j) => corr(i, j)));
      const u = ((scores[i] ?? 0) - mean) / sd - pen;
      if (u > bestU) {
        bestU = u;
        best = i;
      }
    }
    out.push(best);
  }
  return out;
}

describe('lazy greedy', () => {
  // Invariant: the lazy evaluation picks exactly what the textbook greedy picks, in the same order.
  it('equals the naive greedy on random scores and correlations', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 25 }),
        fc.integer({ min: 1, max: 10 }),
        fc.double({ min: 0, max: 5, noNaN: true }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (n, k, penalty, seed) => {
          let x = seed;
          const rnd = () => {
            x = (x * 1103515245 + 12345) % 2147483648;
            return x / 2147483648;
          };
          const scores = Array.from({ length: n }, () => Math.round(rnd() * 20) / 4);
          const c = Array.from({ length: n * n }, () => Math.round((rnd() * 2 - 1) * 8) / 8);
          const corr = (i: number, j: number) => (i === j ? 1 : (c[Math.min(i, j) * n + Math.max(i, j)] ?? 0));
          expect(diversifiedTopK(scores, k, penalty, corr)).toEqual(naiveGreedy(scores, k, penalty, corr));
        },
      ),
      { numRuns: 300 },
    );
  });
  // Invariant: with f kept names, the picks are those f, then exactly what the textbook greedy adds around them.
  it('adds around kept names as the naive greedy started from them', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 25 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 12 }),
        fc.double({ min: 0, max: 5, noNaN: true }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (n, k, f, penalty, seed) => {
          const fixed = Math.min(f, n);
          let x = seed;
          const rnd = () => {
            x = (x * 1103515245 + 12345) % 2147483648;
            return x / 2147483648;
          };
          const scores = Array.from({ length: n }, () => Math.round(rnd() * 20) / 4);
          const c = Array.from({ length: n * n }, () => Math.round((rnd() * 2 - 1) * 8) / 8);
          const corr = (i: number, j: number) => (i === j ? 1 : (c[Math.min(i, j) * n + Math.max(i, j)] ?? 0));
          const info = { maxPairCorrelation: 0 };
          const picks = diversifiedTopK(scores, k, penalty, corr, info, fixed);
          expect(picks).toEqual(naiveGreedy(scores, k, penalty, corr, fixed));
          if (fixed >= 2 && picks.length >= 2) expect(info.maxPairCorrelation).toBeNaN();
        },
      ),
      { numRuns: 300 },
    );
  });
  it('rejects a kept candidate without a score', () => {
    expect(() => diversifiedTopK([Number.NaN, 1, 2], 2, 1, () => 0, undefined, 1)).toThrow(/fixed/);
  });
});

describe.skipIf(!hasSp500())('diversified top-K on the real S&P 500 data (skipped when ../shared/data is absent)', () => {
  it('lowers the average pairwise correlation of a 20-name momentum book, in and out of sample', () => {
    // loaded inside the test: a skipped suite's body still runs when tests are collected
    const m = loadSp500Closes();
    const ret = returnsOf(m);
    const mild = selectionStudy(m, ret, { k: 20, penalty: 1 });
    expect(mild.dates).toBe(15);
    expect(mild.diversifiedInSample).toBeLessThan(mild.plainInSample * 0.95);
    expect(mild.diversifiedOutOfSample).toBeLessThan(mild.plainOutOfSample);
    const strong = selectionStudy(m, ret, { k: 20, penalty: 8 });
    expect(strong.diversifiedInSample).toBeLessThan(strong.plainInSample * 0.7);
    expect(strong.diversifiedOutOfSample).toBeLessThan(strong.plainOutOfSample * 0.85);
  });
});

describe('shared standardised returns (ReturnCorrelations.fromView)', () => {
  it('gives exactly the correlations of the candidates own block, for any subset and order', () => {
    const panel = syntheticPanel({ symbols: 30, years: 1, seed: 11 });
    const view = viewAt(panel, panel.T - 1);
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 29 }), { minLength: 2, maxLength: 12 }), fc.integer({ min: 20, max: 80 }), (cols, window) => {
        const shared = ReturnCorrelations.fromView(view, window, cols);
        const own = new ReturnCorrelations(view.returnsPanel(window, cols), cols.length);
        for (let i = 0; i < cols.length; i++) for (let j = 0; j < cols.length; j++) expect(shared.corr(i, j)).toBe(own.corr(i, j));
      }),
      { numRuns: 40 },
    );
  });
  it('an object from an earlier row keeps its own values after the shared block moves on', () => {
    const panel = syntheticPanel({ symbols: 30, years: 1, seed: 13 });
    const cols = [3, 7, 11, 19];
    const early = ReturnCorrelations.fromView(viewAt(panel, panel.T - 5), 60, cols);
    const first = early.corr(0, 1);
    const late = ReturnCorrelations.fromView(viewAt(panel, panel.T - 1), 60, cols);
    const own = (t: number) => new ReturnCorrelations(viewAt(panel, t).returnsPanel(60, cols), cols.length);
    expect(late.corr(0, 1)).toBe(own(panel.T - 1).corr(0, 1));
    expect(late.corr(0, 1)).not.toBe(first);
    const out = new Float64Array(3);
    early.corrMany(0, [1, 2, 3], 0, 3, out);
    for (let j = 1; j <= 3; j++) expect(out[j - 1]).toBe(own(panel.T - 5).corr(0, j));
    expect(early.corr(0, 1)).toBe(first);
  });
  it('corrMany gives exactly corr, and selection through it exactly the selection through corr', () => {
    const panel = syntheticPanel({ symbols: 40, years: 1, seed: 12 });
    const view = viewAt(panel, panel.T - 1);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 39 }), { minLength: 2, maxLength: 30 }),
        fc.array(fc.integer({ min: 0, max: 29 }), { maxLength: 11 }),
        fc.double({ min: 0, max: 4, noNaN: true }),
        (cols, js, penalty) => {
          const c = ReturnCorrelations.fromView(view, 60, cols);
          const idx = js.map((j) => j % cols.length);
          const out = new Float64Array(idx.length + 2);
          c.corrMany(0, idx, 1, idx.length, out);
          for (let h = 1; h < idx.length; h++) expect(out[h]).toBe(c.corr(0, idx[h] as number));
          const scores = cols.map((u) => Math.round(((u * 7919) % 13) - 6) / 3);
          const k = Math.ceil(cols.length / 3);
          const info = { maxPairCorrelation: 0 };
          const picks = diversifiedTopK(scores, k, penalty, c, info);
          expect(picks).toEqual(diversifiedTopK(scores, k, penalty, (i, j) => c.corr(i, j)));
          // the largest correlation between two picks, as measured on the way
          let max = Number.NEGATIVE_INFINITY;
          for (let a = 0; a < picks.length; a++) for (let b = 0; b < a; b++) max = Math.max(max, c.corr(picks[a] as number, picks[b] as number));
          expect(info.maxPairCorrelation).toBe(penalty > 0 ? max : picks.length > 1 ? Number.NaN : Number.NEGATIVE_INFINITY);
        },
      ),
      { numRuns: 60 },
    );
  });
});
