/**
 * Monte Carlo VaR/ES of one or several books (rows of weights over the same U names), normal or
 * Student-t (multivariate t with one mixing draw per path, scaled so the covariance is Σ).
 * 'assets' simulates every name's return per path (Cholesky of dense Σ, or factors + specific
 * shocks for a factor model) and revalues the books; 'portfolio' simulates only the books' P&L,
 * which is exactly Gaussian (or t) with covariance W Σ Wᵀ — same distribution, far cheaper.
 */
import { KeelError, type Rng } from '../../core/index.ts';
import { cholesky } from '../linalg/dense.ts';
import { symmetricEigen } from '../linalg/eigen.ts';
import { multiplyABt } from '../linalg/gram.ts';
import { residentABt } from '../linalg/wasm-gram.ts';
import { ZigguratNormal } from '../stats/ziggurat.ts';
import { covTimes, isFactorModel, type RiskModel } from './risk-model.ts';
import { tailRiskSelect, type TailRisk } from './tail.ts';

/** Options for Monte Carlo VaR. */
export interface MonteCarloOptions {
  /** The seeded generator (src/core createRng). */
  readonly rng: Rng;
  /** Number of paths (default 10,000). */
  readonly paths?: number;
  /** Confidence c (default 0.95). */
  readonly confidence?: number;
  /** 'normal' (default) or 'studentT' (needs df > 2). */
  readonly distribution?: 'normal' | 'studentT';
  /** Degrees of freedom for 'studentT' (default 5). */
  readonly df?: number;
  /** Horizon in periods: shocks scale by √h (default 1); zero mean. */
  readonly horizon?: number;
  /** 'assets' (full paths, default) or 'portfolio' (book P&L only). */
  readonly simulate?: 'assets' | 'portfolio';
}

/** VaR/ES per book and for the sum of books, with the simulated P&L (paths × G, row-major). */
export interface MonteCarloBookRisk {
  readonly books: readonly TailRisk[];
  readonly total: TailRisk;
  readonly pnl: Float64Array;
}

/** Monte Carlo VaR/ES (positive losses) of one weight vector `w`. */
export function monteCarloVaR(w: ArrayLike<number>, model: RiskModel, options: MonteCarloOptions): TailRisk {
  return monteCarloBookVaR(Float64Array.from(w), w.length, model, options).total;
}

/** Monte Carlo VaR/ES of G books given as a G×U row-major weight matrix. */
export function monteCarloBookVaR(books: Float64Array, U: number, model: RiskModel, options: MonteCarloOptions): MonteCarloBookRisk {
  const G = books.length / U;
  if (!Number.isInteger(G) || G < 1) throw new RangeError(`books must be G×U with U=${U}, got length ${books.length}`);
  const paths = options.paths ?? 10_000;
  const c = options.confidence ?? 0.95;
  const rng = options.rng;
  const df = options.df ?? 5;
  const isT = options.distribution === 'studentT';
  if (isT && !(df > 2)) throw new RangeError(`Student-t needs df > 2 for a finite covariance, got ${df}`);
  const sqh = Math.sqrt(options.horizon ?? 1);
  const pnl = new Float64Array(paths * G);
  const mix = (): number => (isT ? Math.sqrt((df - 2) / (2 * rng.gamma(df / 2))) * sqh : sqh);
  if (options.simulate === 'portfolio') simulatePortfolio(books, U, G, model, paths, rng, mix, pnl);
  else simulateAssets(books, U, G, model, paths, rng, mix, pnl);
  const per: TailRisk[] = [];
  const col = new Float64Array(paths);
  const tot = new Float64Array(paths);
  for (let g = 0; g < G; g++) {
    for (let p = 0; p < paths; p++) {
      const v = pnl[p * G + g] as number;
      col[p] = v;
      tot[p] = (tot[p] as number) + v;
    }
    per.push(tailRiskSelect(col, c));
  }
  return { books: per, total: tailRiskSelect(tot, c), pnl };
}

/** A square root L with L Lᵀ = A: Cholesky (lower triangular) or, for semidefinite A, V√Λ. */
function squareRootOf(a: Float64Array, n: number): { root: Float64Array; lower: boolean } {
  const l = cholesky(a, n);
  if (l) return { root: l, lower: true };
  const { values, vectors } = symmetricEigen(a, n);
  if ((values[n - 1] as number) < -1e-10 * Math.abs(values[0] as number)) {
    throw new KeelError('KEEL_E_NUMERIC', 'covariance is not positive semi-definite: repair it with nearestPSD first', { min: values[n - 1] });
  }
  const r = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) r[i * n + k] = (vectors[i * n + k] as number) * Math.sqrt(Math.max(values[k] as number, 0));
  return { root: r, lower: false };
}

function squareRoot(a: Float64Array, n: number): Float64Array {
  return squareRootOf(a, n).root;
}

function simulatePortfolio(books: Float64Array, U: number, G: number, model: RiskModel, paths: number, rng: Rng, mix: () => number, pnl: Float64Array): void {
  // C = W Σ Wᵀ (G×G) via G products Σ w_g.
  const c = new Float64Array(G * G);
  const sw = new Float64Array(U);
  for (let g = 0; g < G; g++) {
    covTimes(model, books.subarray(g * U, (g + 1) * U), sw);
    for (let h = 0; h < G; h++) {
      let s = 0;
      const o = h * U;
      for (let u = 0; u < U; u++) s += (books[o + u] as number) * (sw[u] as number);
      c[g * G + h] = s;
    }
  }
  const l = squareRoot(c, G);
  const z = new Float64Array(G);
  const zig = new ZigguratNormal(rng);
  for (let p = 0; p < paths; p++) {
    const s = mix();
    zig.fill(z);
    const o = p * G;
    for (let g = 0; g < G; g++) {
      let v = 0;
      const lo = g * G;
      for (let k = 0; k < G; k++) v += (l[lo + k] as number) * (z[k] as number);
      pnl[o + g] = v * s;
    }
  }
}

function simulateAssets(books: Float64Array, U: number, G: number, model: RiskModel, paths: number, rng: Rng, mix: () => number, pnl: Float64Array): void {
  // Sparse books: the names each book holds, and their weights.
  const idx: Int32Array[] = [];
  const wts: Float64Array[] = [];
  for (let g = 0; g < G; g++) {
    const held: number[] = [];
    for (let u = 0; u < U; u++) if ((books[g * U + u] as number) !== 0) held.push(u);
    idx.push(Int32Array.from(held));
    wts.push(Float64Array.from(held, (u) => books[g * U + u] as number));
  }
  const r = new Float64Array(U);
  if (isFactorModel(model)) {
    // Blocks of paths: factor draws F_b = Z_b·L_Fᵀ, then R_b = F_b·Bᵀ (register-blocked) plus √D∘ε.
    const { K, B, F, D } = model;
    const lf = squareRoot(F, K);
    const sd = Float64Array.from(D, (d) => Math.sqrt(Math.max(d, 0)));
    const zig = new ZigguratNormal(rng);
    const PB = 32;
    const zb = new Float64Array(PB * K);
    const fb = new Float64Array(PB * K);
    const rb = new Float64Array(PB * U);
    const eps = new Float64Array(U);
    for (let p0 = 0; p0 < paths; p0 += PB) {
      const nb = Math.min(PB, paths - p0);
      zig.fill(zb.subarray(0, nb * K));
      multiplyABt(zb, nb, lf, K, K, fb);
      multiplyABt(fb, nb, B, U, K, rb);
      for (let b = 0; b < nb; b++) {
        const s = mix();
        zig.fill(eps);
        const o = b * U;
        for (let u = 0; u < U; u++) r[u] = ((rb[o + u] as number) + (sd[u] as number) * (eps[u] as number)) * s;
        revalue(r, idx, wts, pnl, (p0 + b) * G);
      }
    }
    return;
  }
  // Blocks of paths: R = Z·Lᵀ with a register-blocked kernel (L lower triangular, half the flops).
  const { root: l, lower } = squareRootOf(model, U);
  const B = 32;
  const zb = new Float64Array(B * U);
  const rb = new Float64Array(B * U);
  const scale = new Float64Array(B);
  const zig = new ZigguratNormal(rng);
  // L stays resident in WebAssembly memory across blocks when SIMD is available.
  const resident = residentABt(l, U, U, B, lower);
  for (let p0 = 0; p0 < paths; p0 += B) {
    const nb = Math.min(B, paths - p0);
    for (let b = 0; b < nb; b++) scale[b] = mix();
    zig.fill(zb.subarray(0, nb * U));
    if (resident) resident.run(zb, nb, rb);
    else multiplyABt(zb, nb, l, U, U, rb, lower);
    for (let b = 0; b < nb; b++) {
      const s = scale[b] as number;
      for (let u = 0; u < U; u++) r[u] = (rb[b * U + u] as number) * s;
      revalue(r, idx, wts, pnl, (p0 + b) * G);
    }
  }
}

function revalue(r: Float64Array, idx: Int32Array[], wts: Float64Array[], pnl: Float64Array, offset: number): void {
  for (let g = 0; g < idx.length; g++) {
    const ix = idx[g] as Int32Array;
    const wt = wts[g] as Float64Array;
    let v = 0;
    for (let k = 0; k < ix.length; k++) v += (wt[k] as number) * (r[ix[k] as number] as number);
    pnl[offset + g] = v;
  }
}
