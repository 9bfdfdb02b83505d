/** Synthetic panels for tests and benchmarks: K planted factors plus noise, from a seeded Rng. */
import { createRng } from '../../core/index.ts';

/** A T×U panel (row-major by time) with K factors of daily vol ~1% and idiosyncratic vol ~1.5%. */
export function syntheticPanel(T: number, U: number, K: number, seed = 7): { panel: Float64Array; exposures: Float64Array } {
  const rng = createRng(seed);
  const exposures = new Float64Array(U * K);
  for (let i = 0; i < U * K; i++) exposures[i] = (i % K === 0 ? 1 : 0) + 0.5 * rng.normal();
  const panel = new Float64Array(T * U);
  const f = new Float64Array(K);
  for (let t = 0; t < T; t++) {
    for (let k = 0; k < K; k++) f[k] = 0.01 * rng.normal() * (k === 0 ? 1 : 0.6);
    for (let u = 0; u < U; u++) {
      let r = 0.0003 + 0.015 * rng.normal();
      for (let k = 0; k < K; k++) r += (exposures[u * K + k] as number) * (f[k] as number);
      panel[t * U + u] = r;
    }
  }
  return { panel, exposures };
}
