import type { FundConfig } from '../contracts/index.ts';
import { componentAt, largestScale, type CandidateRisk } from './budget-math.ts';
import { agentVarBudget } from './budget-share.ts';
import { reason, type FundContext } from './context.ts';
import type { RiskModel } from './factor-model-local.ts';
import type { FundLedger } from './ledger.ts';
import { addSparse, dotSparse, portfolioVariance, sparseVariance, type RiskScratch, type SparseBook } from './risk-math.ts';
import type { Reviewed } from './review-fund.ts';
import { own } from './table.ts';
import type { Workspace } from './work.ts';

/** A limit the final fund is over: the reviewed books that can be scaled for it, and by how much it is over. */
interface Breach {
  readonly kind: 'fund' | 'budget' | 'bucket';
  readonly name: string;
  readonly group: readonly Reviewed[];
  readonly limit: number;
  readonly actual: number;
}

/** Reviewed agents whose final book is not empty (the only ones the settle pass can scale). */
function live(reviewed: readonly Reviewed[]): Reviewed[] {
  return reviewed.filter((r) => r.postScale > 0 && r.baseFinal.some((w) => w !== 0));
}

/**
 * After every agent is reviewed, the final fund is checked against the limits that depend on the
 * whole fund: each bucket's cap (its Euler component moves when later agents join), each reviewed
 * agent's VaR budget (its own VaR: a guard, the checks fitted it), and the fund VaR limit
 * (`risk.varLimitPct` × capital; the circuit breaker fitted the proposals, before caps, and held
 * books are not scaled by it). The worst breach is
 * fixed first by scaling its reviewed books down together (closed form, O(N·K) per round), until
 * none is left. Books that are only held (agents that do not propose) are never scaled: a bucket
 * or a fund VaR they breach alone stays breached (the fund VaR then goes to its least-risk point).
 * Scaling toward zero keeps every per-name, sector, top-5, gross and net limit.
 *
 * When scaling one book pushes another over (two books that hedge each other), the rounds can
 * only converge; after a bounded number every reviewed book is scaled by one factor that fits
 * every limit at once.
 */
export function settleLimits(reviewed: readonly Reviewed[], ledger: FundLedger, config: FundConfig, fund: FundContext, model: RiskModel, scratch: RiskScratch, capital: number, ws: Workspace): void {
  const N = model.N;
  const buckets = new Set(fund.bucketOf.values());
  const fundLimit = config.risk.varLimitPct * capital * fund.limitFactor;
  let fundSettled = false;
  for (let round = 0; round < 2 * (reviewed.length + buckets.size) + 4; round++) {
    const b = worstBreach(live(reviewed), ledger, config, fund, model, scratch, buckets, fundSettled ? Number.POSITIVE_INFINITY : fundLimit, ws);
    if (!b) return;
    const s = fitGroup(b, ledger, fund, model, scratch, N);
    if (b.kind === 'fund' && s >= 1) {
      fundSettled = true; // the held books alone are over the limit and the reviewed ones at their least-risk scale
      continue;
    }
    scaleGroup(b.group, s, ledger, breachReason(b, s), STEP_RULE[b.kind]);
  }
  const group = live(reviewed);
  if (!worstBreach(group, ledger, config, fund, model, scratch, buckets, fundSettled ? Number.POSITIVE_INFINITY : fundLimit, ws)) return;
  const t = uniformFit(group, ledger, config, fund, model, scratch, fundSettled ? Number.POSITIVE_INFINITY : fundLimit);
  scaleGroup(group, t, ledger, reason('committee', 'RISK_SETTLE', `budgets, buckets and the fund VaR limit pulled against each other once every agent was reviewed: every reviewed book × ${t.toFixed(3)}`, { limit: 1, actual: t }), 'committee.risk_settle');
}

/** The breach with the largest actual / limit, or null when the final fund is within every limit. */
function worstBreach(group: readonly Reviewed[], ledger: FundLedger, config: FundConfig, fund: FundContext, model: RiskModel, scratch: RiskScratch, buckets: ReadonlySet<string>, fundLimit: number, ws: Workspace): Breach | null {
  if (group.length === 0) return null;
  const x = ws.f64('settle.x', model.N, false);
  x.set(ledger.net);
  const sigma = Math.sqrt(portfolioVariance(model, x, scratch, true));
  if (!(sigma > 0) || !Number.isFinite(sigma)) return null;
  const z = fund.z;
  let worst: Breach | null = null;
  const consider = (b: Breach): void => {
    if (!(b.actual > b.limit + 1e-6)) return;
    const ratio = b.limit > 0 ? b.actual / b.limit : Number.POSITIVE_INFINITY;
    const best = worst ? (worst.limit > 0 ? worst.actual / worst.limit : Number.POSITIVE_INFINITY) : -1;
    if (ratio > best) worst = b;
  };
  consider({ kind: 'fund', name: 'fund', group, limit: fundLimit, actual: z * sigma });
  for (const r of group) {
    const id = r.original.agentId;
    const book = ledger.books.get(id);
    if (!book) continue;
    // the budget bounds the book's own VaR (budget-share.ts): the checks fitted it, so this is a guard
    consider({ kind: 'budget', name: id, group: [r], limit: agentVarBudget(r.effective.risk, r.effective.state, fund), actual: z * Math.sqrt(sparseVariance(model, book, scratch)) });
  }
  for (const b of buckets) {
    const cfg = own(config.buckets, b);
    if (!cfg) continue;
    const mine = group.filter((r) => fund.bucketOf.get(r.original.agentId) === b);
    if (mine.length === 0) continue;
    let acc = 0;
    for (const [id, book] of ledger.books) if (fund.bucketOf.get(id) === b) acc += dotSparse(book, scratch.sx);
    consider({ kind: 'bucket', name: b, group: mine, limit: cfg.maxRiskAllocationPct * fund.varBudget * fund.limitFactor, actual: (z * acc) / sigma });
  }
  return worst;
}

/**
 * The largest scale of the breach's group that fits its limit, others fixed. With R the group's
 * books, X0 the rest of the fund and O the other books of the bucket, σ²(t) = a + 2bt + cc·t² and
 * the group's component is closed-form in t. The fund VaR, when the rest alone is over the limit,
 * goes to the group's least-risk scale.
 */
function fitGroup(b: Breach, ledger: FundLedger, fund: FundContext, model: RiskModel, scratch: RiskScratch, N: number): number {
  // a book's own VaR is linear in its scale
  if (b.kind === 'budget') return b.actual > 0 ? Math.min(1, (b.limit * (1 - 1e-9)) / b.actual) : 1;
  const ids = new Set(b.group.map((r) => r.original.agentId));
  const R = new Float64Array(N);
  const O = new Float64Array(N);
  const X0 = ledger.net.slice();
  for (const [id, book] of ledger.books) {
    if (ids.has(id)) {
      addSparse(R, book, 1);
      addSparse(X0, book, -1);
    } else if (b.kind === 'bucket' && fund.bucketOf.get(id) === b.name) addSparse(O, book, 1);
  }
  const a = portfolioVariance(model, X0, scratch, true);
  const sx0 = scratch.sx.slice();
  const cc = portfolioVariance(model, R, scratch, true);
  const sr = scratch.sx;
  let bb = 0;
  let oX0 = 0;
  let oR = 0;
  for (let u = 0; u < N; u++) {
    bb += (R[u] ?? 0) * (sx0[u] ?? 0);
    oX0 += (O[u] ?? 0) * (sx0[u] ?? 0);
    oR += (O[u] ?? 0) * (sr[u] ?? 0);
  }
  const z = fund.z;
  const target = b.limit * (1 - 1e-9);
  if (b.kind === 'fund') {
    const varAt = (t: number): number => z * Math.sqrt(Math.max(0, a + 2 * bb * t + cc * t * t));
    if (varAt(0) <= target) return largestScale(varAt, target);
    return cc > 0 ? Math.min(1, Math.max(0, -bb / cc)) : 1;
  }
  const cr: CandidateRisk = { a, b: bb, cc, sx0, ffc: new Float64Array(0), cDense: R };
  return largestScale((t) => componentAt(z, cr, t, { pX0: oX0, pc: oR }), target);
}

/**
 * One factor for every reviewed book that fits every limit at once (bisection; 0 always fits: the
 * budgets and buckets of empty books are not checked, and the fund VaR is then the held books').
 * With H the held books and R the reviewed ones, Σx(t) = ΣH + t·ΣR, so each evaluation is O(books).
 */
function uniformFit(group: readonly Reviewed[], ledger: FundLedger, config: FundConfig, fund: FundContext, model: RiskModel, scratch: RiskScratch, fundLimit: number): number {
  const N = model.N;
  const ids = new Set(group.map((r) => r.original.agentId));
  const R = new Float64Array(N);
  const H = ledger.net.slice();
  for (const [id, book] of ledger.books) {
    if (!ids.has(id)) continue;
    addSparse(R, book, 1);
    addSparse(H, book, -1);
  }
  const hh = portfolioVariance(model, H, scratch, true);
  const sH = scratch.sx.slice();
  const rr = portfolioVariance(model, R, scratch, true);
  const sR = scratch.sx.slice();
  let hr = 0;
  for (let u = 0; u < N; u++) hr += (H[u] ?? 0) * (sR[u] ?? 0);
  // per book: x_i·ΣH and x_i·ΣR, whether it is reviewed (scaled by t) and its bucket
  const books = [...ledger.books].map(([id, book]) => ({ id, reviewed: ids.has(id), onH: dotSparse(book, sH), onR: dotSparse(book, sR), bucket: fund.bucketOf.get(id) ?? '', own: ids.has(id) ? fund.z * Math.sqrt(sparseVariance(model, book, scratch)) : 0 }));
  const budgets = new Map(group.map((r) => [r.original.agentId, agentVarBudget(r.effective.risk, r.effective.state, fund)]));
  const liveBuckets = new Set(group.map((r) => fund.bucketOf.get(r.original.agentId) ?? ''));
  const z = fund.z;
  const fits = (t: number): boolean => {
    if (t === 0) return true;
    const sigma = Math.sqrt(Math.max(0, hh + 2 * t * hr + t * t * rr));
    if (!(sigma > 0)) return true;
    if (z * sigma > fundLimit * (1 - 1e-9)) return false;
    const byBucket = new Map<string, number>();
    for (const b of books) {
      const comp = (z * (b.reviewed ? t : 1) * (b.onH + t * b.onR)) / sigma;
      byBucket.set(b.bucket, (byBucket.get(b.bucket) ?? 0) + comp);
      if (b.reviewed && t * b.own > (budgets.get(b.id) ?? 0) * (1 - 1e-9)) return false;
    }
    for (const bucket of liveBuckets) {
      const cfg = own(config.buckets, bucket);
      if (cfg && (byBucket.get(bucket) ?? 0) > cfg.maxRiskAllocationPct * fund.varBudget * fund.limitFactor * (1 - 1e-9)) return false;
    }
    return true;
  };
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

function breachReason(b: Breach, s: number): ReturnType<typeof reason> {
  const by = `× ${s.toFixed(3)}`;
  if (b.kind === 'fund') return reason('committee', 'FUND_VAR_LIMIT', `fund VaR ${b.actual.toFixed(0)} over its limit ${b.limit.toFixed(0)} once every agent was reviewed: every reviewed book ${by}`, { limit: b.limit, actual: b.actual });
  if (b.kind === 'budget') return reason('risk_budget', 'VAR_BUDGET_SETTLE', `VaR ${b.actual.toFixed(0)} over the agent's budget ${b.limit.toFixed(0)} once every agent was reviewed: book ${by}`, { limit: b.limit, actual: b.actual });
  return reason('strategy_buckets', 'BUCKET_SETTLE', `bucket ${b.name} over its cap once every agent was reviewed: its books ${by}`, { bucket: b.name, limit: b.limit, actual: b.actual });
}

/** The rule each kind of breach is recorded under in a book's post steps (the binding-constraint report reads them). */
const STEP_RULE: Readonly<Record<Breach['kind'], string>> = { fund: 'committee.fund_var_limit', budget: 'risk_budget', bucket: 'strategy_buckets' };

/** Scales each reviewed book of the group by s (its final book in the ledger too) and records why. */
function scaleGroup(group: readonly Reviewed[], s: number, ledger: FundLedger, why: ReturnType<typeof reason>, rule: string): void {
  for (const r of group) {
    r.postScale *= s;
    r.postSteps.push({ rule, scale: s });
    const val = new Float64Array(r.baseFinal.length);
    for (let i = 0; i < val.length; i++) val[i] = (r.baseFinal[i] ?? 0) * r.postScale * r.effective.capital;
    const book: SparseBook = { idx: r.effective.idx, val };
    ledger.remove(r.original.agentId);
    ledger.add(r.original.agentId, book);
    r.postReasons.push(why);
  }
}
