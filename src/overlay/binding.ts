import type { CheckResult } from '../contracts/index.ts';
import { isPolicyRule } from './committee.ts';
import type { RiskModel } from './factor-model-local.ts';
import type { Reviewed } from './review-fund.ts';
import { portfolioVariance, riskScratch } from './risk-math.ts';

/** What one rule removed from one agent's proposed book in one review (docs/overlay.md "Binding constraints"). */
export interface BindingEffect {
  readonly agentId: string;
  /**
   * The rule: a check's name; `committee.<limit>` for the limits on the final book (gross_cap,
   * net_cap, fund_gross_cap, fund_net_cap, top5_cap, malformed_proposal); `unattributed` for a
   * scale-down that no rule recorded (none today: the sums would say so).
   */
  readonly rule: string;
  /** The rule is a policy multiplier (`--compare overlay-off` switches it off). */
  readonly policy: boolean;
  /** Gross exposure removed, dollars: the rule's share of Σ over names (|proposed| − |final|). */
  readonly gross: number;
  /** Fund VaR removed, dollars: the rule's Aumann–Shapley share of (proposed − final) fund VaR. */
  readonly var: number;
}

/**
 * The binding constraints of one review: what each rule removed from the proposals, in gross
 * dollars and in fund VaR (the review's risk model, `risk.varConfidence`, one day). Σ effects' gross
 * = proposedGross − finalGross and Σ effects' VaR = proposedVar − finalVar (to rounding).
 */
export interface BindingReport {
  /** Σ |proposed dollars| over the reviewed agents' names. */
  readonly proposedGross: number;
  /** Σ |final dollars| over the same books. */
  readonly finalGross: number;
  /** Fund VaR with every reviewed agent at its proposal (held books as they are), dollars. */
  readonly proposedVar: number;
  /** Fund VaR of the final books (the snapshot's var95 at the default confidence), dollars. */
  readonly finalVar: number;
  /** Non-zero effects, by agent in review order, rules in first-seen order. */
  readonly effects: readonly BindingEffect[];
}

interface Share {
  readonly rule: string;
  readonly share: number;
}

interface Acc {
  readonly rule: string;
  gross: number;
  alpha: number;
  beta: number;
}

const UNATTRIBUTED = 'unattributed';

/**
 * The binding-constraint report of a review (docs/overlay.md "Binding constraints"). Per name,
 * final = sign(p) · min(|p| · s, cap) · q, so |p| − |final| splits into three parts, each assigned
 * in the committee's own combination order: the book scale's |p|(1 − s), the cap's
 * |p|s − min(|p|s, cap) and the final step's min(|p|s, cap)(1 − q). A removed name's |p| goes to
 * the rules that removed it, a blocked proposal's change to the rules that blocked it.
 * `finalBook`: the fund's final net dollars per universe index (the review's own copy).
 */
export function bindingReport(reviewed: readonly Reviewed[], finalBook: Float64Array, model: RiskModel, z: number): BindingReport {
  const N = finalBook.length;
  const delta = new Float64Array(N);
  let proposedGross = 0;
  let finalGross = 0;
  for (const r of reviewed) {
    proposedGross += addChange(r, delta);
    finalGross += grossOf(r);
  }
  const scratch = riskScratch(model);
  const va = portfolioVariance(model, finalBook, scratch, true);
  const sxFinal = scratch.sx.slice();
  const vc = portfolioVariance(model, delta, scratch, true);
  const sxDelta = scratch.sx;
  let vb = 0;
  for (let u = 0; u < N; u++) vb += (delta[u] ?? 0) * (sxFinal[u] ?? 0);
  const { i0, i1 } = lineIntegrals(va, vb, vc);
  const effects: BindingEffect[] = [];
  for (const r of reviewed) {
    // per rule, this agent's gross and its VaR terms α = finalᵀΣΔᵣ, β = ΔᵀΣΔᵣ
    const accs = new Map<string, Acc>();
    if (r.blocked) blockedParts(r, sxFinal, sxDelta, accs);
    else reviewedParts(r, sxFinal, sxDelta, accs);
    for (const acc of accs.values()) {
      const v = z * (acc.alpha * i0 + acc.beta * i1);
      if (acc.gross === 0 && v === 0) continue;
      effects.push({ agentId: r.original.agentId, rule: acc.rule, policy: isPolicyRule(acc.rule), gross: acc.gross, var: v });
    }
  }
  return { proposedGross, finalGross, proposedVar: z * Math.sqrt(Math.max(0, va + 2 * vb + vc)), finalVar: z * Math.sqrt(va), effects };
}

/** Adds the agent's proposed − final dollars into `delta` (per universe index); returns its proposed gross. */
function addChange(r: Reviewed, delta: Float64Array): number {
  const a = r.original;
  const k = r.postScale * a.capital;
  let gross = 0;
  for (let i = 0; i < a.names.length; i++) {
    const p = (a.proposedW[i] ?? 0) * a.capital;
    const u = a.idx[i] ?? 0;
    delta[u] = (delta[u] ?? 0) + p - (r.baseFinal[i] ?? 0) * k;
    gross += Math.abs(p);
  }
  return gross;
}

/** The agent's final gross, dollars. */
function grossOf(r: Reviewed): number {
  const k = r.postScale * r.original.capital;
  let gross = 0;
  for (let i = 0; i < r.baseFinal.length; i++) gross += Math.abs((r.baseFinal[i] ?? 0) * k);
  return gross;
}

/** A blocked proposal: its whole change (proposed − final) to the rules that blocked it. */
function blockedParts(r: Reviewed, sxFinal: Float64Array, sxDelta: Float64Array, accs: Map<string, Acc>): void {
  const a = r.original;
  const C = a.capital;
  const blockers = equal(r.results.filter((x) => x.block).map((x) => x.check));
  const rules = blockers.length > 0 ? blockers : [{ rule: 'committee.malformed_proposal', share: 1 }];
  let g = 0;
  let al = 0;
  let be = 0;
  for (let i = 0; i < a.names.length; i++) {
    const p = (a.proposedW[i] ?? 0) * C;
    const f = (r.baseFinal[i] ?? 0) * r.postScale * C;
    const u = a.idx[i] ?? 0;
    g += Math.abs(p) - Math.abs(f);
    al += (p - f) * (sxFinal[u] ?? 0);
    be += (p - f) * (sxDelta[u] ?? 0);
  }
  add(accs, rules, g, al, be);
}

/**
 * A reviewed proposal, name by name: removals to the removing rules, then the book scale's, the
 * caps' and the final step's parts. The book scale's and the final step's parts have the same
 * rules for every name, so they are summed first and shared once.
 */
function reviewedParts(r: Reviewed, sxFinal: Float64Array, sxDelta: Float64Array, accs: Map<string, Acc>): void {
  const a = r.original;
  const C = a.capital;
  const s = r.combined.scale;
  const q = r.postScale;
  let bookG = 0;
  let bookA = 0;
  let bookB = 0;
  let postG = 0;
  let postA = 0;
  let postB = 0;
  for (let i = 0; i < a.names.length; i++) {
    const p = a.proposedW[i] ?? 0;
    if (p === 0) continue;
    const u = a.idx[i] ?? 0;
    const sf = Math.sign(p) * (sxFinal[u] ?? 0);
    const sd = Math.sign(p) * (sxDelta[u] ?? 0);
    if (r.combined.removed[i] === 1) {
      const name = a.names[i] ?? '';
      const g = Math.abs(p) * C;
      add(accs, equal(r.results.filter((x) => x.removed.includes(name)).map((x) => x.check)), g, g * sf, g * sd);
      continue;
    }
    // in weights, as the committee computes them (applyCombined), then dollars
    const pw = Math.abs(p);
    const cap = r.combined.caps[i] ?? Number.POSITIVE_INFINITY;
    const scaled = pw * s;
    const m = Math.min(scaled, cap);
    const gb = (pw - scaled) * C;
    bookG += gb;
    bookA += gb * sf;
    bookB += gb * sd;
    if (cap < scaled) {
      const g = (scaled - m) * C;
      add(accs, capShares(r.results, a.names[i] ?? '', cap), g, g * sf, g * sd);
    }
    const gp = m * (1 - q) * C;
    postG += gp;
    postA += gp * sf;
    postB += gp * sd;
  }
  if (s < 1) add(accs, bookScaleShares(r.results), bookG, bookA, bookB);
  if (q < 1) add(accs, postShares(r.postSteps, q), postG, postA, postB);
}

/** Adds a part (gross and its VaR terms) to the rules' accumulators by their shares. */
function add(accs: Map<string, Acc>, rules: readonly Share[], gross: number, alpha: number, beta: number): void {
  for (const { rule, share } of rules) {
    let acc = accs.get(rule);
    if (!acc) {
      acc = { rule, gross: 0, alpha: 0, beta: 0 };
      accs.set(rule, acc);
    }
    acc.gross += gross * share;
    acc.alpha += alpha * share;
    acc.beta += beta * share;
  }
}

/** Rules sharing equally (an empty list: the effect is unattributed). */
function equal(rules: readonly string[]): Share[] {
  if (rules.length === 0) return [{ rule: UNATTRIBUTED, share: 1 }];
  return rules.map((rule) => ({ rule, share: 1 / rules.length }));
}

/**
 * Who set the book scale s = min(Π policies, min fits): when the policies' product is the smaller,
 * the policies below 1 share it by their logarithms (multipliers compound: 0.5 × 0.7 splits
 * ln 0.5 : ln 0.7), or equally among those at 0; otherwise the tightest fit(s), equally.
 */
function bookScaleShares(results: readonly CheckResult[]): Share[] {
  let pol = 1;
  let fit = 1;
  for (const r of results) {
    if (isPolicyRule(r.check)) pol *= r.scale;
    else fit = Math.min(fit, r.scale);
  }
  if (pol <= fit) {
    const acting = results.filter((r) => isPolicyRule(r.check) && r.scale < 1);
    if (pol > 0) return acting.map((r) => ({ rule: r.check, share: Math.log(r.scale) / Math.log(pol) }));
    return equal(acting.filter((r) => r.scale === 0).map((r) => r.check));
  }
  return equal(results.filter((r) => !isPolicyRule(r.check) && r.scale === fit).map((r) => r.check));
}

/** The rules whose cap on this name is the tightest (the combined cap), equally. */
function capShares(results: readonly CheckResult[], name: string, cap: number): Share[] {
  const rules: string[] = [];
  for (const r of results) if (r.caps[name] === cap) rules.push(r.check);
  return equal(rules);
}

/** The steps after the checks (postScale = their product) by their logarithms; what they do not explain is unattributed. */
function postShares(steps: readonly { readonly rule: string; readonly scale: number }[], q: number): Share[] {
  if (q <= 0) return equal(steps.filter((x) => x.scale === 0).map((x) => x.rule));
  const out: Share[] = [];
  let explained = 0;
  for (const x of steps) {
    if (!(x.scale < 1)) continue;
    const share = Math.log(x.scale) / Math.log(q);
    explained += share;
    out.push({ rule: x.rule, share });
  }
  if (Math.abs(1 - explained) > 1e-9) out.push({ rule: UNATTRIBUTED, share: 1 - explained });
  return out;
}

/**
 * I0 = ∫₀¹ dt / σ(t) and I1 = ∫₀¹ t dt / σ(t) for σ(t)² = a + 2bt + ct² (the fund's variance on
 * the line from the final book, t = 0, to the proposed one, t = 1). A rule's VaR share is
 * z·(αᵣ·I0 + βᵣ·I1) with αᵣ = finalᵀΣΔᵣ and βᵣ = ΔᵀΣΔᵣ: the integral of its marginal VaR along
 * the line (Aumann–Shapley), so the shares sum to z·(σ(1) − σ(0)) exactly: b·I0 + c·I1 = σ(1) − σ(0)
 * holds by the choice of I1 whatever I0 is. When σ vanishes on the line, every αᵣ is −t*·βᵣ or 0
 * and I0 = 0 gives the limit.
 */
export function lineIntegrals(a: number, b: number, c: number): { i0: number; i1: number } {
  const s0 = Math.sqrt(Math.max(0, a));
  const s1 = Math.sqrt(Math.max(0, a + 2 * b + c));
  if (!(c > 0)) return s0 > 0 ? { i0: 1 / s0, i1: 0.5 / s0 } : { i0: 0, i1: 0 };
  const rc = Math.sqrt(c);
  // g(t) = √c·σ(t) + ct + b ≥ 0 (Cauchy–Schwarz); rationalised where it would cancel
  const det = Math.max(0, a * c - b * b);
  const g0 = b >= 0 ? rc * s0 + b : det / (rc * s0 - b);
  const g1 = b + c >= 0 ? rc * s1 + c + b : det / (rc * s1 - c - b);
  let i0 = g0 > 0 && g1 > 0 ? (Math.log(g1) - Math.log(g0)) / rc : 0;
  if (!Number.isFinite(i0)) i0 = 0;
  return { i0, i1: (s1 - s0 - b * i0) / c };
}
