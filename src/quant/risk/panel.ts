/** Returns-panel helpers (T×U, row-major by time: element [t·U + u]). */

/** Number of rows T of a panel with U columns; throws when the length is not a multiple of U. */
export function panelRows(panel: Float64Array, U: number): number {
  if (!Number.isInteger(U) || U < 1) throw new RangeError(`U must be a positive integer, got ${U}`);
  if (panel.length % U !== 0) throw new RangeError(`panel length ${panel.length} is not a multiple of U=${U}`);
  return panel.length / U;
}

/** Per-column means (length U) of a T×U panel; NaN propagates. */
export function columnMeans(panel: Float64Array, U: number): Float64Array {
  const T = panelRows(panel, U);
  const m = new Float64Array(U);
  for (let t = 0; t < T; t++) {
    const o = t * U;
    for (let u = 0; u < U; u++) m[u] = (m[u] as number) + (panel[o + u] as number);
  }
  for (let u = 0; u < U; u++) m[u] = (m[u] as number) / T;
  return m;
}

/** Portfolio returns series (length T): r_p,t = Σ_u w_u · panel[t·U+u] (weights as fractions, or notionals for P&L). */
export function portfolioReturns(panel: Float64Array, U: number, weights: ArrayLike<number>): Float64Array {
  const T = panelRows(panel, U);
  const out = new Float64Array(T);
  // Sparse books: iterate only the held names.
  let h = 0;
  for (let u = 0; u < U; u++) if ((weights[u] as number) !== 0) h++;
  const idx = new Int32Array(h);
  const w = new Float64Array(h);
  h = 0;
  for (let u = 0; u < U; u++) {
    const wu = weights[u] as number;
    if (wu === 0) continue;
    idx[h] = u;
    w[h++] = wu;
  }
  for (let t = 0; t < T; t++) {
    const o = t * U;
    let s = 0;
    for (let k = 0; k < h; k++) s += (w[k] as number) * (panel[o + (idx[k] as number)] as number);
    out[t] = s;
  }
  return out;
}
