import type { ReviewContext } from './context.ts';

/** Whether a proposal lowers the fund's risk, with the figures it was judged on (dollars). */
export interface RiskChange {
  readonly isReducing: boolean;
  /** Fund standard deviation (daily, dollars) with the agent's current book and with its proposal. */
  readonly sigmaBefore: number;
  readonly sigmaAfter: number;
  /** Fund net exposure (dollars) with the current book and with the proposal. */
  readonly netBefore: number;
  readonly netAfter: number;
}

/**
 * Does the proposal lower the fund's risk? The fund is every book as approved so far this cycle
 * (and the books of agents not proposing), with this agent's current book or with its proposal: the
 * proposal is risk-reducing when the fund's VaR (its σ under the risk model) falls and its |net|
 * exposure does not rise. A hedge that cuts the fund's net long, or a book cut back, is; a new
 * long-short pair that adds VaR is not. A figure that is not finite is not reducing (fail safe).
 */
export function riskChange(ctx: ReviewContext): RiskChange {
  const cr = ctx.candidateRisk();
  const { K, B, F, D } = ctx.model;
  const a = ctx.agent;
  // the current book's terms against the same fund: b = curᵀΣX0, cc = curᵀΣcur (factor part in K)
  const fc = new Float64Array(K);
  let b = 0;
  let cc = 0;
  let cur = 0;
  for (let i = 0; i < a.names.length; i++) {
    const u = a.idx[i] ?? 0;
    const v = (a.currentW[i] ?? 0) * a.capital;
    if (v === 0) continue;
    cur += v;
    b += v * (cr.sx0[u] ?? 0);
    cc += (D[u] ?? 0) * v * v;
    for (let k = 0; k < K; k++) fc[k] = (fc[k] ?? 0) + (B[u * K + k] ?? 0) * v;
  }
  for (let i = 0; i < K; i++) {
    let acc = 0;
    for (let j = 0; j < K; j++) acc += (F[i * K + j] ?? 0) * (fc[j] ?? 0);
    cc += acc * (fc[i] ?? 0);
  }
  let x0 = 0;
  for (let u = 0; u < ctx.universe.N; u++) x0 += ctx.ledger.net[u] ?? 0;
  let prop = 0;
  for (let i = 0; i < a.proposedBook.val.length; i++) prop += a.proposedBook.val[i] ?? 0;
  const sigmaBefore = Math.sqrt(Math.max(0, cr.a + 2 * b + cc));
  const sigmaAfter = Math.sqrt(Math.max(0, cr.a + 2 * cr.b + cr.cc));
  const netBefore = x0 + cur;
  const netAfter = x0 + prop;
  const finite = Number.isFinite(sigmaBefore) && Number.isFinite(sigmaAfter) && Number.isFinite(netBefore) && Number.isFinite(netAfter);
  // a cent of rounding is no change
  const isReducing = finite && sigmaAfter < sigmaBefore - 0.01 && Math.abs(netAfter) <= Math.abs(netBefore) + 0.01;
  return { isReducing, sigmaBefore, sigmaAfter, netBefore, netAfter };
}

/** The reason's message: what fell. */
export function riskChangeMessage(r: RiskChange, z: number): string {
  const m = (x: number) => `$${(x / 1e6).toFixed(3)}M`;
  return `the proposal lowers the fund's risk (VaR ${m(z * r.sigmaBefore)} → ${m(z * r.sigmaAfter)}, net ${m(r.netBefore)} → ${m(r.netAfter)}): it is not held back`;
}
