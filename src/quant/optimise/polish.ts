/**
 * QP polishing: starting from the active set ADMM suggests, solve the equality-constrained KKT
 * system exactly (active single-variable rows fix their variable; other active rows become
 * equalities; regularised LDLᵀ with iterative refinement), then repair the guess like a primal–dual
 * active-set method: add violated rows, drop rows whose dual has the wrong sign, until consistent.
 */
import { ldlFactor, ldlSolve } from './ldl.ts';
import { mulAtx, mulAx, normInf, type Csr } from './qp.ts';

/** Returns the polished (x, y) or null when no consistent active set is found in 30 rounds. */
export function polish(P: Float64Array, q: Float64Array, Ad: Float64Array, A: Csr, n: number, m: number, lo: Float64Array, hi: Float64Array, z: Float64Array, y: Float64Array): { x: Float64Array; y: Float64Array } | null {
  const side = new Int8Array(m);
  const single = new Int32Array(m).fill(-1);
  for (let r = 0; r < m; r++) {
    if ((A.start[r + 1] as number) - (A.start[r] as number) === 1) single[r] = A.col[A.start[r] as number] as number;
    const yr = y[r] as number;
    if ((lo[r] as number) === (hi[r] as number)) side[r] = -1;
    else if ((z[r] as number) - (lo[r] as number) < -yr) side[r] = -1;
    else if ((hi[r] as number) - (z[r] as number) < yr) side[r] = 1;
  }
  for (let round = 0; round < 30; round++) {
    const sol = solveActive(P, q, Ad, A, n, m, lo, hi, side, single);
    if (!sol) return null;
    const { x, y: yp } = sol;
    const ax = new Float64Array(m);
    mulAx(A, m, x, ax);
    const tol = 1e-10 * (1 + normInf(x));
    let changed = false;
    for (let r = 0; r < m; r++) {
      if ((ax[r] as number) < (lo[r] as number) - tol) {
        side[r] = -1;
        changed = true;
      } else if ((ax[r] as number) > (hi[r] as number) + tol) {
        side[r] = 1;
        changed = true;
      }
    }
    if (changed) continue;
    const dtol = 1e-10 * (1 + normInf(q));
    for (let r = 0; r < m; r++) {
      if ((lo[r] as number) === (hi[r] as number)) continue;
      const v = yp[r] as number;
      if ((side[r] === -1 && v > dtol) || (side[r] === 1 && v < -dtol)) {
        side[r] = 0;
        changed = true;
      }
    }
    if (!changed) return { x, y: yp };
  }
  return null;
}

function solveActive(P: Float64Array, q: Float64Array, Ad: Float64Array, A: Csr, n: number, m: number, lo: Float64Array, hi: Float64Array, side: Int8Array, single: Int32Array): { x: Float64Array; y: Float64Array } | null {
  const fixed = new Float64Array(n).fill(Number.NaN);
  const fixedBy = new Int32Array(n).fill(-1);
  const rows: number[] = [];
  for (let r = 0; r < m; r++) {
    if (side[r] === 0) continue;
    const b = side[r] === -1 ? (lo[r] as number) : (hi[r] as number);
    const j = single[r] as number;
    if (j >= 0) {
      if (fixedBy[j] === -1) {
        fixed[j] = b / (A.val[A.start[r] as number] as number);
        fixedBy[j] = r;
      }
    } else rows.push(r);
  }
  const free: number[] = [];
  for (let j = 0; j < n; j++) if (fixedBy[j] === -1) free.push(j);
  const nf = free.length;
  const na = rows.length;
  const N = nf + na;
  const K = new Float64Array(N * N);
  const rhs = new Float64Array(N);
  for (let a = 0; a < nf; a++) {
    const i = free[a] as number;
    let s = -(q[i] as number);
    for (let j = 0; j < n; j++) if (fixedBy[j] !== -1) s -= (P[i * n + j] as number) * (fixed[j] as number);
    rhs[a] = s;
    for (let b = 0; b < nf; b++) K[a * N + b] = P[i * n + (free[b] as number)] as number;
  }
  for (let k = 0; k < na; k++) {
    const r = rows[k] as number;
    let s = side[r] === -1 ? (lo[r] as number) : (hi[r] as number);
    for (let j = 0; j < n; j++) if (fixedBy[j] !== -1) s -= (Ad[r * n + j] as number) * (fixed[j] as number);
    rhs[nf + k] = s;
    for (let a = 0; a < nf; a++) {
      const v = Ad[r * n + (free[a] as number)] as number;
      K[(nf + k) * N + a] = v;
      K[a * N + nf + k] = v;
    }
  }
  const delta = 1e-10;
  const Kr = Float64Array.from(K);
  for (let a = 0; a < N; a++) Kr[a * N + a] = (Kr[a * N + a] as number) + (a < nf ? delta : -delta);
  const f = ldlFactor(Kr, N);
  const sol = ldlSolve(f, N, rhs);
  const res = new Float64Array(N);
  for (let iter = 0; iter < 25; iter++) {
    for (let a = 0; a < N; a++) {
      let s = rhs[a] as number;
      for (let b = 0; b < N; b++) s -= (K[a * N + b] as number) * (sol[b] as number);
      res[a] = s;
    }
    if (normInf(res) < 1e-15 * (1 + normInf(rhs))) break;
    const d = ldlSolve(f, N, res);
    for (let a = 0; a < N; a++) sol[a] = (sol[a] as number) + (d[a] as number);
  }
  const x = Float64Array.from(fixed);
  for (let a = 0; a < nf; a++) x[free[a] as number] = sol[a] as number;
  if (!x.every(Number.isFinite)) return null;
  const yp = new Float64Array(m);
  for (let k = 0; k < na; k++) yp[rows[k] as number] = sol[nf + k] as number;
  // Bound-row duals from stationarity: Px + q + Aᵀy = 0 on the fixed coordinates.
  const g = new Float64Array(n);
  mulAtx(A, m, yp, g);
  for (let j = 0; j < n; j++) {
    const r = fixedBy[j] as number;
    if (r === -1) continue;
    let s = (q[j] as number) + (g[j] as number);
    for (let k = 0; k < n; k++) s += (P[j * n + k] as number) * (x[k] as number);
    yp[r] = -s / (A.val[A.start[r] as number] as number);
  }
  return { x, y: yp };
}
