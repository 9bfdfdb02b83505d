/** Small dense linear algebra on row-major Float64Arrays: products, Cholesky, SPD solves. */

/** C = A·B for A (m×k), B (k×n), row-major; i-k-j loop order for contiguous inner access. */
export function matMul(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p] as number;
      if (aip === 0) continue;
      const bp = p * n;
      for (let j = 0; j < n; j++) c[ci + j] = (c[ci + j] as number) + aip * (b[bp + j] as number);
    }
  }
  return c;
}

/** y = A·x for A (m×n) row-major. */
export function matVec(a: Float64Array, x: ArrayLike<number>, m: number, n: number, out = new Float64Array(m)): Float64Array {
  for (let i = 0; i < m; i++) {
    let s = 0;
    const o = i * n;
    for (let j = 0; j < n; j++) s += (a[o + j] as number) * (x[j] as number);
    out[i] = s;
  }
  return out;
}

/** y = Aᵀ·x for A (m×n) row-major (length-n result). */
export function matTVec(a: Float64Array, x: ArrayLike<number>, m: number, n: number, out = new Float64Array(n)): Float64Array {
  out.fill(0);
  for (let i = 0; i < m; i++) {
    const xi = x[i] as number;
    if (xi === 0) continue;
    const o = i * n;
    for (let j = 0; j < n; j++) out[j] = (out[j] as number) + (a[o + j] as number) * xi;
  }
  return out;
}

/** Aᵀ for A (m×n). */
export function transpose(a: Float64Array, m: number, n: number): Float64Array {
  const t = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) t[j * m + i] = a[i * n + j] as number;
  return t;
}

/** Dot product of the first n entries. */
export function dot(x: ArrayLike<number>, y: ArrayLike<number>, n = x.length): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += (x[i] as number) * (y[i] as number);
  return s;
}

/** Lower Cholesky factor L (A = L Lᵀ) of an n×n SPD matrix, or null when A is not positive definite. */
export function cholesky(a: Float64Array, n: number): Float64Array | null {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j] as number;
    const lj = j * n;
    for (let k = 0; k < j; k++) d -= (l[lj + k] as number) ** 2;
    if (!(d > 0)) return null;
    const djj = Math.sqrt(d);
    l[lj + j] = djj;
    for (let i = j + 1; i < n; i++) {
      const li = i * n;
      let s = a[li + j] as number;
      for (let k = 0; k < j; k++) s -= (l[li + k] as number) * (l[lj + k] as number);
      l[li + j] = s / djj;
    }
  }
  return l;
}

/** Solves (L Lᵀ) x = b given the lower Cholesky factor L. */
export function choleskySolve(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= (l[i * n + k] as number) * (y[k] as number);
    y[i] = s / (l[i * n + i] as number);
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i] as number;
    for (let k = i + 1; k < n; k++) s -= (l[k * n + i] as number) * (y[k] as number);
    y[i] = s / (l[i * n + i] as number);
  }
  return y;
}

/** Inverse of an n×n SPD matrix via Cholesky, or null when not positive definite. */
export function invertSpd(a: Float64Array, n: number): Float64Array | null {
  const l = cholesky(a, n);
  if (!l) return null;
  const inv = new Float64Array(n * n);
  const e = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    e.fill(0);
    e[j] = 1;
    const col = choleskySolve(l, n, e);
    for (let i = 0; i < n; i++) inv[i * n + j] = col[i] as number;
  }
  return inv;
}

/** Quadratic form xᵀ A x for A (n×n) row-major. */
export function quadForm(a: Float64Array, x: ArrayLike<number>, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i] as number;
    if (xi === 0) continue;
    let r = 0;
    const o = i * n;
    for (let j = 0; j < n; j++) r += (a[o + j] as number) * (x[j] as number);
    s += xi * r;
  }
  return s;
}
