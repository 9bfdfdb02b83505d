import { describe, expect, it } from 'vitest';
import { createRng } from '../../core/index.ts';
import { viewAt } from '../../market/index.ts';
import { IncrementalState, MetaWeighter } from '../index.ts';
import { names, noiseTable, panelFromReturns } from '../test-panels.ts';

describe('meta-weighter learns point in time', () => {
  // Source "good" predicts the realised forward return (an oracle the test reads from the panel),
  // source "noise" predicts noise. The ensemble's direction is right with probability = its confidence.
  const U = 50;
  const T = 320;
  const h = 10;
  const noise = noiseTable(21, T, U, 0.01);
  const panel = panelFromReturns({ T, symbols: names('W', U), ret: (t, u) => noise(t, u) });
  const fwd = (row: number, u: number) => (panel.close[(row + h) * U + u] ?? Number.NaN) / (panel.close[row * U + u] ?? Number.NaN) - 1;
  const rng = createRng(5);
  const weighter = new MetaWeighter({ sources: ['good', 'noise'], horizonDays: h, recordEvery: 5, warmupRows: 20, priorSamples: 500 });
  weighter.bind({
    predict: (d) => {
      const good = new Float64Array(U);
      const bad = new Float64Array(U);
      const ens = new Float64Array(U);
      const conf = new Float64Array(U);
      for (let u = 0; u < U; u++) {
        const f = d.row + h < T ? fwd(d.row, u) : 0;
        good[u] = f;
        bad[u] = rng.normal() * 0.03;
        const c = rng.next();
        conf[u] = c;
        ens[u] = Math.sign(f || 1) * (rng.next() < c ? 1 : -1) * 0.01;
      }
      return { mus: [good, bad], ensembleMu: ens, ensembleConfidence: conf };
    },
  });
  const state = new IncrementalState([weighter]);

  it('uses only outcomes whose horizon has passed', () => {
    for (let t = 0; t < T; t++) {
      state.sync(viewAt(panel, t));
      // records at rows 20, 25, 30, … each resolve exactly h rows later
      let due = 0;
      for (let r = 20; r <= t - h; r += 5) due++;
      expect(weighter.resolvedBatches, `row ${t}`).toBe(due);
      if (due === 0) expect(Array.from(weighter.weights())).toEqual([1, 1]);
      expect(weighter.oldestPendingRow).toBeGreaterThan(t - h);
    }
  });
  it('puts more weight on the informative source', () => {
    const w = weighter.weights();
    expect(w[0]).toBeGreaterThan(1.2);
    expect(w[1]).toBeLessThan(0.8);
    expect((w[0] ?? 0) + (w[1] ?? 0)).toBeCloseTo(2, 12);
  });
  it('calibrates confidence to the hit rate, with a small out-of-sample ECE', () => {
    expect(weighter.ece()).toBeLessThan(0.08);
    expect(weighter.calibrate(0.9)).toBeGreaterThan(weighter.calibrate(0.1));
    expect(Math.abs(weighter.calibrate(0.75) - 0.75)).toBeLessThan(0.15);
  });
});
