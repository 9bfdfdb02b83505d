/**
 * Convex quadratic programming: min ½xᵀPx + qᵀx subject to l ≤ Ax ≤ u (rows with l = u are
 * equalities; ±Infinity allowed). ADMM as in OSQP (Stellato et al. 2020) on dense matrices, with
 * adaptive ρ, then a polishing step that solves the KKT system of the identified active set
 * exactly (iterative refinement), so solutions are accurate to rounding when the active set is right.
 */
import { cholesky, choleskySolve } from '../linalg/dense.ts';
import { polish } from './polish.ts';

/** A QP in dense form: P n×n symmetric PSD, A m×n, all row-major. */
export interface QpProblem {
  readonly n: number;
  readonly m: number;
  readonly P: Float64Array;
  readonly q: ArrayLike<number>;
  readonly A: Float64Array;
  readonly lower: ArrayLike<number>;
  readonly upper: ArrayLike<number>;
}

/** Solver options (defaults in brackets). */
export interface QpOptions {
  readonly maxIterations?: number; // [50,000]
  readonly epsAbs?: number; // [1e-9]
  readonly epsRel?: number; // [1e-9]
  readonly polish?: boolean; // [true]
}

/** Solution: x, row duals y (y < 0 at an active lower bound, > 0 at an active upper bound). */
export interface QpSolution {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly status: 'solved' | 'max_iterations';
  readonly iterations: number;
  readonly polished: boolean;
  readonly objective: number;
}

export function normInf(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] as number));
  return m;
}

/** Compressed sparse rows of a dense m×n matrix (constraint rows are mostly single-entry bounds). */
export interface Csr {
  readonly start: Int32Array;
  readonly col: Int32Array;
  readonly val: Float64Array;
}

function toCsr(A: Float64Array, m: number, n: number): Csr {
  let nnz = 0;
  for (let i = 0; i < m * n; i++) if ((A[i] as number) !== 0) nnz++;
  const start = new Int32Array(m + 1);
  const col = new Int32Array(nnz);
  const val = new Float64Array(nnz);
  let k = 0;
  for (let r = 0; r < m; r++) {
    start[r] = k;
    for (let j = 0; j < n; j++) {
      const v = A[r * n + j] as number;
      if (v === 0) continue;
      col[k] = j;
      val[k++] = v;
    }
  }
  start[m] = k;
  return { start, col, val };
}

export function mulAx(A: Csr, m: number, x: ArrayLike<number>, out: Float64Array): void {
  for (let r = 0; r < m; r++) {
    let s = 0;
    for (let k = A.start[r] as number; k < (A.start[r + 1] as number); k++) s += (A.val[k] as number) * (x[A.col[k] as number] as number);
    out[r] = s;
  }
}

export function mulAtx(A: Csr, m: number, y: ArrayLike<number>, out: Float64Array): void {
  out.fill(0);
  for (let r = 0; r < m; r++) {
    const yr = y[r] as number;
    if (yr === 0) continue;
    for (let k = A.start[r] as number; k < (A.start[r + 1] as number); k++) {
      const j = A.col[k] as number;
      out[j] = (out[j] as number) + (A.val[k] as number) * yr;
    }
  }
}

/** Solves the QP. Never throws on hard problems: returns status 'max_iterations' with the last iterate. */
export function solveQp(prob: QpProblem, options: QpOptions = {}): QpSolution {
  const { n, m } = prob;
  const A = toCsr(prob.A, m, n);
  // Scale the objective to unit size so the fixed ADMM parameters behave (argmin unchanged).
  let pd = 0;
  for (let i = 0; i < n; i++) pd = Math.max(pd, Math.abs(prob.P[i * n + i] as number));
  const c = 1 / Math.max(pd, normInf(prob.q), 1e-300);
  const P = Float64Array.from(prob.P, (v) => v * c);
  const q = Float64Array.from(prob.q, (v) => v * c);
  const lo = Float64Array.from(prob.lower);
  const hi = Float64Array.from(prob.upper);
  const sigma = 1e-6;
  const alpha = 1.6;
  const eps = options.epsAbs ?? 1e-9;
  const epsR = options.epsRel ?? 1e-9;
  const isEq = Uint8Array.from({ length: m }, (_, i) => ((lo[i] as number) === (hi[i] as number) ? 1 : 0));
  let rho = 0.1;
  const rhoVec = new Float64Array(m);
  let chol = factor();
  function factor(): Float64Array {
    for (let i = 0; i < m; i++) rhoVec[i] = isEq[i] ? 1e3 * rho : rho;
    const k = new Float64Array(n * n);
    for (let i = 0; i < n * n; i++) k[i] = P[i] as number;
    for (let i = 0; i < n; i++) k[i * n + i] = (k[i * n + i] as number) + sigma;
    for (let r = 0; r < m; r++) {
      const rr = rhoVec[r] as number;
      const e = A.start[r + 1] as number;
      for (let a = A.start[r] as number; a < e; a++) {
        const i = A.col[a] as number;
        const ai = (A.val[a] as number) * rr;
        for (let b = A.start[r] as number; b < e; b++) k[i * n + (A.col[b] as number)] = (k[i * n + (A.col[b] as number)] as number) + ai * (A.val[b] as number);
      }
    }
    const l = cholesky(k, n);
    if (!l) throw new RangeError('QP KKT matrix is not positive definite: P must be PSD');
    return l;
  }
  const x = new Float64Array(n);
  const z = new Float64Array(m);
  const y = new Float64Array(m);
  const rhs = new Float64Array(n);
  const tmpM = new Float64Array(m);
  const ax = new Float64Array(m);
  const px = new Float64Array(n);
  const aty = new Float64Array(n);
  const maxIt = options.maxIterations ?? 50_000;
  let it = 0;
  let status: QpSolution['status'] = 'max_iterations';
  for (; it < maxIt; it++) {
    for (let i = 0; i < m; i++) tmpM[i] = (rhoVec[i] as number) * (z[i] as number) - (y[i] as number);
    mulAtx(A, m, tmpM, rhs);
    for (let j = 0; j < n; j++) rhs[j] = (rhs[j] as number) + sigma * (x[j] as number) - (q[j] as number);
    const xt = choleskySolve(chol, n, rhs);
    mulAx(A, m, xt, ax);
    for (let j = 0; j < n; j++) x[j] = alpha * (xt[j] as number) + (1 - alpha) * (x[j] as number);
    for (let i = 0; i < m; i++) {
      const zr = alpha * (ax[i] as number) + (1 - alpha) * (z[i] as number);
      const r = rhoVec[i] as number;
      const zn = Math.min(Math.max(zr + (y[i] as number) / r, lo[i] as number), hi[i] as number);
      y[i] = (y[i] as number) + r * (zr - zn);
      z[i] = zn;
    }
    if (it % 10 !== 9) continue;
    // Residuals and stopping test.
    mulAx(A, m, x, ax);
    mulAtx(A, m, y, aty);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += (P[i * n + j] as number) * (x[j] as number);
      px[i] = s;
    }
    let rp = 0;
    for (let i = 0; i < m; i++) rp = Math.max(rp, Math.abs((ax[i] as number) - (z[i] as number)));
    let rd = 0;
    for (let j = 0; j < n; j++) rd = Math.max(rd, Math.abs((px[j] as number) + (q[j] as number) + (aty[j] as number)));
    const tp = eps + epsR * Math.max(normInf(ax), normInf(z));
    const td = eps + epsR * Math.max(normInf(px), normInf(aty), normInf(q));
    if (rp <= tp && rd <= td) {
      status = 'solved';
      it++;
      break;
    }
    if (it % 50 === 49) {
      const ratio = Math.sqrt((rp / Math.max(normInf(ax), normInf(z), 1e-300)) / (rd / Math.max(normInf(px), normInf(aty), normInf(q), 1e-300)));
      const next = Math.min(Math.max(rho * ratio, 1e-6), 1e6);
      if (next > 5 * rho || next < rho / 5) {
        // y stays; z stays; only the penalty (and factorisation) change.
        rho = next;
        chol = factor();
      }
    }
  }
  let xs: Float64Array = Float64Array.from(x);
  let ys: Float64Array = Float64Array.from(y);
  let polished = false;
  if (options.polish ?? true) {
    const p = polish(P, q, prob.A, A, n, m, lo, hi, z, y);
    // polish() only returns a point satisfying the KKT conditions (feasible, stationary, signed duals): optimal.
    if (p) {
      xs = p.x;
      ys = p.y;
      polished = true;
      status = 'solved';
    }
  }
  for (let i = 0; i < m; i++) ys[i] = (ys[i] as number) / c;
  return { x: xs, y: ys, status, iterations: it, polished, objective: objective(prob.P, prob.q, n, xs) };
}

function objective(P: Float64Array, q: ArrayLike<number>, n: number, x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let j = 0; j < n; j++) r += (P[i * n + j] as number) * (x[j] as number);
    s += (x[i] as number) * (0.5 * r + (q[i] as number));
  }
  return s;
}

