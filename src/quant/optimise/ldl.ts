/** Dense LDLᵀ without pivoting, for quasi-definite (regularised KKT) and SPD matrices. */

/** Factors the n×n symmetric matrix K in place of a copy: returns L (unit lower, row-major) and D. */
export function ldlFactor(k: Float64Array, n: number): { l: Float64Array; d: Float64Array } {
  const l = new Float64Array(n * n);
  const d = new Float64Array(n);
  const w = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let dj = k[j * n + j] as number;
    const lj = j * n;
    for (let p = 0; p < j; p++) {
      const v = (l[lj + p] as number) * (d[p] as number);
      w[p] = v;
      dj -= v * (l[lj + p] as number);
    }
    d[j] = dj;
    l[lj + j] = 1;
    for (let i = j + 1; i < n; i++) {
      const li = i * n;
      let s = k[li + j] as number;
      for (let p = 0; p < j; p++) s -= (l[li + p] as number) * (w[p] as number);
      l[li + j] = s / dj;
    }
  }
  return { l, d };
}

/** Solves L D Lᵀ x = b. */
export function ldlSolve(f: { l: Float64Array; d: Float64Array }, n: number, b: ArrayLike<number>): Float64Array {
  const { l, d } = f;
  const x = Float64Array.from(b);
  for (let i = 0; i < n; i++) {
    let s = x[i] as number;
    const li = i * n;
    for (let p = 0; p < i; p++) s -= (l[li + p] as number) * (x[p] as number);
    x[i] = s;
  }
  for (let i = 0; i < n; i++) x[i] = (x[i] as number) / (d[i] as number);
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i] as number;
    for (let p = i + 1; p < n; p++) s -= (l[p * n + i] as number) * (x[p] as number);
    x[i] = s;
  }
  return x;
}
