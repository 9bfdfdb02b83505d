import type { ReviewContext } from './context.ts';
import { dotSparse, portfolioVariance, type SparseBook } from './risk-math.ts';

/**
 * The candidate's risk in closed form. With X0 the fund as approved so far this cycle (plus the
 * books of agents not proposing) and c the candidate's dollar book, σ²(s) = a + 2bs + cc·s² for the fund with the candidate scaled by s,
 * so component VaRs and their scale searches cost O(1) per evaluation after one O(N·K) pass.
 */
export interface CandidateRisk {
  /** X0ᵀΣX0, X0ᵀΣc, cᵀΣc (dollars²). */
  readonly a: number;
  readonly b: number;
  readonly cc: number;
  /** ΣX0 (dollars), F·Bᵀc (factor space), c as a dense vector. */
  readonly sx0: Float64Array;
  readonly ffc: Float64Array;
  readonly cDense: Float64Array;
}

/**
 * The candidate's terms (see CandidateRisk). Its vectors are work arrays, valid until the next
 * candidate's terms are computed (each agent's checks read them in turn; nothing the review returns does).
 */
export function candidateRisk(ctx: ReviewContext): CandidateRisk {
  const { model, ledger } = ctx;
  const { N, K, B, F, D } = model;
  const c = ctx.agent.proposedBook;
  const x0 = ctx.work;
  for (let u = 0; u < N; u++) x0[u] = ledger.net[u] ?? 0;
  const a = portfolioVariance(model, x0, ctx.scratch, true);
  const sx0 = ctx.ws.f64('candidate.sx0', N, false);
  sx0.set(ctx.scratch.sx);
  const fc = ctx.ws.f64('candidate.fc', K);
  const cDense = ctx.ws.f64('candidate.dense', N);
  let dcc = 0;
  for (let i = 0; i < c.idx.length; i++) {
    const u = c.idx[i] ?? 0;
    const v = c.val[i] ?? 0;
    cDense[u] = (cDense[u] ?? 0) + v;
    for (let k = 0; k < K; k++) fc[k] = (fc[k] ?? 0) + (B[u * K + k] ?? 0) * v;
  }
  for (let u = 0; u < N; u++) {
    const v = cDense[u] ?? 0;
    if (v !== 0) dcc += (D[u] ?? 0) * v * v;
  }
  const ffc = ctx.ws.f64('candidate.ffc', K, false);
  let cc = dcc;
  for (let i = 0; i < K; i++) {
    let acc = 0;
    for (let j = 0; j < K; j++) acc += (F[i * K + j] ?? 0) * (fc[j] ?? 0);
    ffc[i] = acc;
    cc += acc * (fc[i] ?? 0);
  }
  let b = 0;
  for (let u = 0; u < N; u++) {
    const v = cDense[u] ?? 0;
    if (v !== 0) b += v * (sx0[u] ?? 0);
  }
  return { a, b, cc: Math.max(0, cc), sx0, ffc, cDense };
}

/**
 * The terms of another book `f` (dollars, e.g. the candidate's final book after caps) against the
 * same X0 as `cr`: σ²(s) = a + 2·b_f·s + cc_f·s² for the fund with `f` scaled by s. Its vectors are
 * work arrays, valid until the next call.
 */
export function bookTerms(ctx: ReviewContext, cr: CandidateRisk, f: SparseBook): CandidateRisk {
  const { N, K, B, F, D } = ctx.model;
  const fc = ctx.ws.f64('final.fc', K);
  const dense = ctx.ws.f64('final.dense', N);
  let cc = 0;
  let b = 0;
  // a candidate's names are distinct, so each index appears once
  for (let i = 0; i < f.idx.length; i++) {
    const u = f.idx[i] ?? 0;
    const v = f.val[i] ?? 0;
    if (v === 0) continue;
    dense[u] = v;
    cc += (D[u] ?? 0) * v * v;
    b += v * (cr.sx0[u] ?? 0);
    for (let k = 0; k < K; k++) fc[k] = (fc[k] ?? 0) + (B[u * K + k] ?? 0) * v;
  }
  const ffc = ctx.ws.f64('final.ffc', K, false);
  for (let i = 0; i < K; i++) {
    let acc = 0;
    for (let j = 0; j < K; j++) acc += (F[i * K + j] ?? 0) * (fc[j] ?? 0);
    ffc[i] = acc;
    cc += acc * (fc[i] ?? 0);
  }
  return { a: cr.a, b, cc: Math.max(0, cc), sx0: cr.sx0, ffc, cDense: dense };
}

/** PᵀΣX0 and PᵀΣc for a group of books P. */
export function groupTerms(ctx: ReviewContext, cr: CandidateRisk, books: readonly SparseBook[]): { pX0: number; pc: number } {
  const { K, B, D } = ctx.model;
  let pX0 = 0;
  let pc = 0;
  for (const p of books) {
    pX0 += dotSparse(p, cr.sx0);
    for (let i = 0; i < p.idx.length; i++) {
      const u = p.idx[i] ?? 0;
      const v = p.val[i] ?? 0;
      let acc = (D[u] ?? 0) * (cr.cDense[u] ?? 0);
      for (let k = 0; k < K; k++) acc += (B[u * K + k] ?? 0) * (cr.ffc[k] ?? 0);
      pc += v * acc;
    }
  }
  return { pX0, pc };
}

/** Fund VaR (dollars) with the candidate scaled by s. */
export function fundVarAt(z: number, cr: CandidateRisk, s: number): number {
  return z * Math.sqrt(Math.max(0, cr.a + 2 * cr.b * s + cr.cc * s * s));
}

const NO_GROUP = { pX0: 0, pc: 0 } as const;

/** Euler component VaR (dollars) of the candidate scaled by s plus a group with terms (pX0, pc). */
export function componentAt(z: number, cr: CandidateRisk, s: number, group: { readonly pX0: number; readonly pc: number } = NO_GROUP): number {
  const sigma = Math.sqrt(Math.max(0, cr.a + 2 * cr.b * s + cr.cc * s * s));
  if (sigma === 0) return 0;
  return (z * (group.pX0 + s * (group.pc + cr.b) + s * s * cr.cc)) / sigma;
}

/** Largest s in [0, 1] with g(s) ≤ limit, by bisection (assumes the feasible set is [0, s*]). */
export function largestScale(g: (s: number) => number, limit: number, iterations = 30): number {
  if (g(1) <= limit) return 1;
  if (g(0) > limit) return 0;
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < iterations; i++) {
    const mid = (lo + hi) / 2;
    if (g(mid) <= limit) lo = mid;
    else hi = mid;
  }
  return lo;
}
