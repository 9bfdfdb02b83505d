import { describe, expect, it } from 'vitest';
import { createRng } from '../../core/index.ts';
import { multiplyABt, gramAssetMajor, gramAssetMajorScalar } from './gram.ts';
import { wasmGram, residentABt } from './wasm-gram.ts';
import { ZigguratNormal } from '../stats/ziggurat.ts';
import { normalCdf } from '../index.ts';

function naiveABt(a: Float64Array, na: number, b: Float64Array, nb: number, len: number): Float64Array {
  const out = new Float64Array(na * nb);
  for (let p = 0; p < na; p++) for (let j = 0; j < nb; j++) {
    let s = 0;
    for (let t = 0; t < len; t++) s += (a[p * len + t] as number) * (b[j * len + t] as number);
    out[p * nb + j] = s;
  }
  return out;
}

describe('blocked kernels equal the naive triple loop', () => {
  const rng = createRng(4);
  it('A·Bᵀ for odd shapes, and with a lower-triangular B', () => {
    for (const [na, nb, len] of [[1, 1, 1], [3, 5, 7], [6, 9, 4], [7, 13, 13]] as const) {
      const a = Float64Array.from({ length: na * len }, () => rng.normal());
      const b = Float64Array.from({ length: nb * len }, () => rng.normal());
      const got = multiplyABt(a, na, b, nb, len, new Float64Array(na * nb));
      const want = naiveABt(a, na, b, nb, len);
      got.forEach((v, i) => expect(Math.abs(v - (want[i] as number))).toBeLessThan(1e-12));
      if (nb === len) {
        const lb = b.map((v, i) => (i % len > Math.floor(i / len) ? 0 : v));
        const gl = multiplyABt(a, na, lb, nb, len, new Float64Array(na * nb), true);
        const wl = naiveABt(a, na, lb, nb, len);
        gl.forEach((v, i) => expect(Math.abs(v - (wl[i] as number))).toBeLessThan(1e-12));
      }
    }
  });
  it('WebAssembly SIMD Gram equals the scalar kernel to rounding (odd sizes, padding)', () => {
    for (const [n, len] of [[8, 3], [9, 7], [13, 12], [37, 101]] as const) {
      const x = Float64Array.from({ length: n * len }, () => rng.normal());
      const w = wasmGram(x, n, len, 0.25, new Float64Array(n * n));
      expect(w).not.toBeNull();
      const s = gramAssetMajorScalar(x, n, len, 0.25, new Float64Array(n * n));
      w?.forEach((v, i) => expect(Math.abs(v - (s[i] as number))).toBeLessThan(1e-13 * len));
    }
  });
  it('resident WebAssembly A·Bᵀ equals the naive product (full and lower-triangular B)', () => {
    for (const [na, nb] of [[1, 5], [3, 9], [8, 13], [32, 10]] as const) {
      const len = nb;
      const b = Float64Array.from({ length: nb * len }, (_, i) => (i % len > Math.floor(i / len) ? 0 : rng.normal()));
      for (const lower of [false, true]) {
        const k = residentABt(b, nb, len, 32, lower);
        expect(k).not.toBeNull();
        for (let rep = 0; rep < 2; rep++) {
          const a = Float64Array.from({ length: na * len }, () => rng.normal());
          const got = k?.run(a, na, new Float64Array(na * nb)) ?? new Float64Array(0);
          const want = naiveABt(a, na, b, nb, len);
          want.forEach((v, i) => expect(Math.abs(v - (got[i] as number))).toBeLessThan(1e-12));
        }
      }
    }
  });
  it('Gram XᵀX for odd sizes', () => {
    for (const [n, len] of [[1, 3], [5, 8], [11, 6], [17, 9]] as const) {
      const x = Float64Array.from({ length: n * len }, () => rng.normal());
      const g = gramAssetMajor(x, n, len, 0.5, new Float64Array(n * n));
      const w = naiveABt(x, n, x, n, len);
      g.forEach((v, i) => expect(Math.abs(v - 0.5 * (w[i] as number))).toBeLessThan(1e-12));
    }
  });
});

describe('ziggurat normals', () => {
  it('have mean 0, variance 1 and pass a Kolmogorov–Smirnov test against Φ', () => {
    const z = new ZigguratNormal(createRng(11));
    const n = 200_000;
    const x = z.fill(new Float64Array(n));
    let m = 0;
    let v = 0;
    for (const t of x) {
      m += t;
      v += t * t;
    }
    m /= n;
    v = v / n - m * m;
    expect(Math.abs(m)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(v - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
    x.sort();
    let d = 0;
    for (let i = 0; i < n; i++) {
      const f = normalCdf(x[i] as number);
      d = Math.max(d, Math.abs(f - i / n), Math.abs(f - (i + 1) / n));
    }
    // 1% critical value 1.63/√n
    expect(d).toBeLessThan(1.63 / Math.sqrt(n));
  });
});
