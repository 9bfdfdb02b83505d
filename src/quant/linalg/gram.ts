import { wasmGram } from './wasm-gram.ts';

/**
 * Gram products on asset-major data: out[i·n+j] = scale · Σ_t x[i·len+t] · x[j·len+t], i.e. XᵀX when
 * x holds each asset's series contiguously. WebAssembly SIMD when available (about 4× the scalar
 * kernel), else `gramAssetMajorScalar`.
 */
export function gramAssetMajor(x: Float64Array, n: number, len: number, scale: number, out: Float64Array): Float64Array {
  if (n >= 8 && len >= 2) {
    const r = wasmGram(x, n, len, scale, out);
    if (r) return r;
  }
  return gramAssetMajorScalar(x, n, len, scale, out);
}

/** Scalar Gram kernel: 2×4 register blocks over the upper triangle, mirrored; no allocation. */
export function gramAssetMajorScalar(x: Float64Array, n: number, len: number, scale: number, out: Float64Array): Float64Array {
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const a0 = i * len;
    const a1 = a0 + len;
    let j = i;
    for (; j + 3 < n; j += 4) {
      const b0 = j * len;
      const b1 = b0 + len;
      const b2 = b1 + len;
      const b3 = b2 + len;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      for (let t = 0; t < len; t++) {
        const u0 = x[a0 + t] as number;
        const u1 = x[a1 + t] as number;
        const v0 = x[b0 + t] as number;
        const v1 = x[b1 + t] as number;
        const v2 = x[b2 + t] as number;
        const v3 = x[b3 + t] as number;
        s00 += u0 * v0;
        s01 += u0 * v1;
        s02 += u0 * v2;
        s03 += u0 * v3;
        s10 += u1 * v0;
        s11 += u1 * v1;
        s12 += u1 * v2;
        s13 += u1 * v3;
      }
      const r0 = i * n + j;
      const r1 = r0 + n;
      out[r0] = s00 * scale;
      out[r0 + 1] = s01 * scale;
      out[r0 + 2] = s02 * scale;
      out[r0 + 3] = s03 * scale;
      out[r1] = s10 * scale;
      out[r1 + 1] = s11 * scale;
      out[r1 + 2] = s12 * scale;
      out[r1 + 3] = s13 * scale;
    }
    for (; j < n; j++) {
      const b0 = j * len;
      let s0 = 0;
      let s1 = 0;
      for (let t = 0; t < len; t++) {
        const v = x[b0 + t] as number;
        s0 += (x[a0 + t] as number) * v;
        s1 += (x[a1 + t] as number) * v;
      }
      out[i * n + j] = s0 * scale;
      out[(i + 1) * n + j] = s1 * scale;
    }
  }
  for (; i < n; i++) {
    const a0 = i * len;
    for (let j = i; j < n; j++) {
      const b0 = j * len;
      let s = 0;
      for (let t = 0; t < len; t++) s += (x[a0 + t] as number) * (x[b0 + t] as number);
      out[i * n + j] = s * scale;
    }
  }
  mirrorUpper(out, n);
  return out;
}

/** Copies the upper triangle of an n×n row-major matrix onto its lower triangle, in place. */
export function mirrorUpper(a: Float64Array, n: number): Float64Array {
  for (let i = 1; i < n; i++) for (let j = 0; j < i; j++) a[i * n + j] = a[j * n + i] as number;
  return a;
}

/**
 * Transposes a time-major T×U panel into an asset-major U×T buffer, subtracting each asset's mean
 * when `demean` and multiplying row t by `rowWeights[t]` when given (e.g. √ of EWMA weights).
 */
export function toAssetMajor(panel: Float64Array, U: number, demean: boolean, rowWeights?: Float64Array): Float64Array {
  const T = Math.floor(panel.length / U);
  const out = new Float64Array(U * T);
  const means = new Float64Array(U);
  if (demean) {
    for (let t = 0; t < T; t++) {
      const o = t * U;
      for (let u = 0; u < U; u++) means[u] = (means[u] as number) + (panel[o + u] as number);
    }
    for (let u = 0; u < U; u++) means[u] = (means[u] as number) / T;
  }
  // Tile the transpose so both sides stay in cache.
  const TB = 64;
  for (let t0 = 0; t0 < T; t0 += TB) {
    const t1 = Math.min(T, t0 + TB);
    for (let u = 0; u < U; u++) {
      const m = means[u] as number;
      const base = u * T;
      for (let t = t0; t < t1; t++) {
        const w = rowWeights ? (rowWeights[t] as number) : 1;
        out[base + t] = ((panel[t * U + u] as number) - m) * w;
      }
    }
  }
  return out;
}

/**
 * out[p·nb + j] = Σ_t a[p·len + t] · b[j·len + t] (A·Bᵀ, both row-major with rows of length `len`).
 * When `lowerB`, b is lower triangular (row j has zeros past column j) and the sums stop there.
 * 2×4 register blocks; no allocation.
 */
export function multiplyABt(a: Float64Array, na: number, b: Float64Array, nb: number, len: number, out: Float64Array, lowerB = false): Float64Array {
  let p = 0;
  for (; p + 1 < na; p += 2) {
    const a0 = p * len;
    const a1 = a0 + len;
    let j = 0;
    for (; j + 3 < nb; j += 4) {
      const b0 = j * len;
      const b1 = b0 + len;
      const b2 = b1 + len;
      const b3 = b2 + len;
      const lim = lowerB ? Math.min(len, j + 4) : len;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      for (let t = 0; t < lim; t++) {
        const u0 = a[a0 + t] as number;
        const u1 = a[a1 + t] as number;
        const v0 = b[b0 + t] as number;
        const v1 = b[b1 + t] as number;
        const v2 = b[b2 + t] as number;
        const v3 = b[b3 + t] as number;
        s00 += u0 * v0;
        s01 += u0 * v1;
        s02 += u0 * v2;
        s03 += u0 * v3;
        s10 += u1 * v0;
        s11 += u1 * v1;
        s12 += u1 * v2;
        s13 += u1 * v3;
      }
      const r0 = p * nb + j;
      const r1 = r0 + nb;
      out[r0] = s00;
      out[r0 + 1] = s01;
      out[r0 + 2] = s02;
      out[r0 + 3] = s03;
      out[r1] = s10;
      out[r1 + 1] = s11;
      out[r1 + 2] = s12;
      out[r1 + 3] = s13;
    }
    for (; j < nb; j++) out[p * nb + j] = dotRow(a, a0, b, j * len, lowerB ? Math.min(len, j + 1) : len);
    for (j = nb - (nb % 4); j < nb; j++) out[(p + 1) * nb + j] = dotRow(a, a1, b, j * len, lowerB ? Math.min(len, j + 1) : len);
  }
  for (; p < na; p++) for (let j = 0; j < nb; j++) out[p * nb + j] = dotRow(a, p * len, b, j * len, lowerB ? Math.min(len, j + 1) : len);
  return out;
}

function dotRow(a: Float64Array, ao: number, b: Float64Array, bo: number, n: number): number {
  let s = 0;
  for (let t = 0; t < n; t++) s += (a[ao + t] as number) * (b[bo + t] as number);
  return s;
}
