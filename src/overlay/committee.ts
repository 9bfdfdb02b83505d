import { reasonCodeInfo, type AgentProposal, type CheckResult, type FinalTarget, type OverlayAction, type OverlayDecision, type Reason, type RiskAction, type RiskActionType, type TargetPosition } from '../contracts/index.ts';
import { CorrelationMonitorCheck } from './checks/correlation-monitor.ts';
import { CrossAgentConstraintsCheck } from './checks/cross-agent-constraints.ts';
import { EmergencyCheck } from './checks/emergency.ts';
import { GraduatedDrawdownCheck } from './checks/graduated-drawdown.ts';
import { LiquidityCheck } from './checks/liquidity.ts';
import { CircuitBreakerCheck } from './checks/circuit-breaker.ts';
import { RegimeCheck } from './checks/regime.ts';
import { RiskBudgetCheck } from './checks/risk-budget.ts';
import { FundRiskTargetCheck } from './checks/fund-risk-target.ts';
import { StrategyBucketCheck } from './checks/strategy-buckets.ts';
import { TradingStateCheck } from './checks/trading-state-gate.ts';
import { defineLazy, LAZY } from './lazy.ts';
import { bookTerms, componentAt, groupTerms, largestScale } from './budget-math.ts';
import { agentVarBudget } from './budget-share.ts';
import { bucketPeers } from './checks/strategy-buckets.ts';
import type { SparseBook } from './risk-math.ts';
import { reason, type AgentCandidate, type OverlayCheck, type ReviewContext } from './context.ts';
import { own } from './table.ts';

/** The overlay's checks in review order (one file each in checks/). */
export const DEFAULT_CHECKS: readonly OverlayCheck[] = [
  TradingStateCheck,
  GraduatedDrawdownCheck,
  RegimeCheck,
  CircuitBreakerCheck,
  EmergencyCheck,
  CorrelationMonitorCheck,
  FundRiskTargetCheck,
  RiskBudgetCheck,
  StrategyBucketCheck,
  CrossAgentConstraintsCheck,
  LiquidityCheck,
];

/** The names of the policy rules among `checks`, as each declares its kind (context.ts RuleKind). */
export function policyRules(checks: readonly OverlayCheck[]): ReadonlySet<string> {
  return new Set(checks.filter((c) => c.kind === 'policy').map((c) => c.name));
}

/** The default checks' policy rules (graduated drawdown, regime and circuit breaker, emergency, correlation). */
export const POLICY_CHECKS: ReadonlySet<string> = policyRules(DEFAULT_CHECKS);

/**
 * Whether a rule of a recorded decision is one of the default policy multipliers: a discretionary
 * de-risking scale rather than a fit to a risk budget or a hard cap. `keel backtest --compare
 * overlay-off` runs without these (docs/overlay.md "Policy rules").
 */
export function isPolicyRule(name: string): boolean {
  return POLICY_CHECKS.has(name);
}

export interface Combined {
  readonly scale: number;
  readonly caps: Float64Array;
  readonly removed: Uint8Array;
  readonly block: boolean;
}

/**
 * Folds check results, `results[k]` from `checks[k]`, by each check's kind: the scale is
 * min(Π policies, min fits), per-name caps by min, removals by union, block by any.
 */
export function combineResults(a: AgentCandidate, checks: readonly OverlayCheck[], results: readonly CheckResult[]): Combined {
  let policy = 1;
  let fit = 1;
  let block = false;
  const caps = new Float64Array(a.names.length).fill(Number.POSITIVE_INFINITY);
  const removed = new Uint8Array(a.names.length);
  for (let k = 0; k < results.length; k++) {
    const r = results[k];
    const check = checks[k];
    if (!r || !check) continue;
    if (check.kind === 'policy') policy *= r.scale;
    else fit = Math.min(fit, r.scale);
    if (r.block) block = true;
    const rc = r.caps;
    if (check.capsMostNames === true) {
      // a record with a cap for (almost) every name, in dictionary mode: look the names up
      // (enumerating a dictionary-mode object collects and sorts its keys)
      for (let i = 0; i < a.names.length; i++) {
        const c = own(rc, a.names[i] ?? '');
        if (typeof c === 'number') caps[i] = Math.min(caps[i] ?? Number.POSITIVE_INFINITY, c);
      }
    } else {
      for (const sym in rc) {
        const i = positionOf(a.names, sym);
        if (i >= 0) caps[i] = Math.min(caps[i] ?? Number.POSITIVE_INFINITY, rc[sym] ?? Number.NaN);
      }
    }
    for (const sym of r.removed) {
      const i = positionOf(a.names, sym);
      if (i >= 0) removed[i] = 1;
    }
  }
  return { scale: Math.max(0, Math.min(1, policy, fit)), caps, removed, block };
}

/** Position of `sym` in a candidate's names (sorted like the universe: by UTF-16 code units), or -1. */
function positionOf(names: readonly string[], sym: string): number {
  let lo = 0;
  let hi = names.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const x = names[mid] ?? '';
    if (x === sym) return mid;
    if (x < sym) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** final = sign(p) · min(|p| · scale, cap); removed names go to 0. */
export function applyCombined(a: AgentCandidate, c: Combined): Float64Array {
  const out = new Float64Array(a.names.length);
  for (let i = 0; i < a.names.length; i++) {
    const p = a.proposedW[i] ?? 0;
    if (c.removed[i] === 1 || p === 0) continue;
    out[i] = Math.sign(p) * Math.min(Math.abs(p) * c.scale, c.caps[i] ?? Number.POSITIVE_INFINITY);
  }
  return out;
}

/**
 * Limits that need the final book: the agent's gross / net after caps, the fund's Σ gross and
 * Σ |net| over agents, and the top-5 concentration. Each yields a uniform scale (uniform scaling
 * keeps every per-name and per-sector cap satisfied). `binding` is the rule of the limit that set
 * the scale (`committee.<code>`), null when none binds.
 */
export function enforceFinalLimits(ctx: ReviewContext, w: Float64Array): { scale: number; reasons: Reason[]; binding: string | null } {
  const a = ctx.agent;
  const r = a.risk;
  const lf = ctx.fund.limitFactor;
  const risk = ctx.config.risk;
  const cap = ctx.state.capital;
  const reasons: Reason[] = [];
  const RULE = 'committee';
  // the final book in dollars (a work array: read only below)
  const val = ctx.ws.f64('committee.book', w.length, false);
  let gross = 0;
  let net = 0;
  for (let i = 0; i < w.length; i++) {
    const v = (w[i] ?? 0) * a.capital;
    val[i] = v;
    gross += Math.abs(v);
    net += v;
  }
  let s = 1;
  let binding: string | null = null;
  const grossCap = Math.min(r.grossExposureCap, r.leverageLimit) * lf * a.capital;
  if (gross > grossCap + 1e-6) {
    s = Math.min(s, grossCap / gross);
    binding = 'committee.gross_cap';
    reasons.push(reason(RULE, 'GROSS_CAP', 'agent gross exposure after caps above its cap', { limit: grossCap / a.capital, actual: gross / a.capital }));
  }
  const netCap = r.netExposureCap * lf * a.capital;
  if (Math.abs(net) > netCap + 1e-6) {
    if (netCap / Math.abs(net) < s) binding = 'committee.net_cap';
    s = Math.min(s, netCap / Math.abs(net));
    reasons.push(reason(RULE, 'NET_CAP', 'agent net exposure after caps above its cap', { limit: netCap / a.capital, actual: Math.abs(net) / a.capital }));
  }
  const fundGrossCap = Math.min(risk.maxGrossExposure * lf, risk.maxLeverage) * cap;
  const roomG = Math.max(0, fundGrossCap - ctx.ledger.sumGross);
  if (gross * s > roomG + 1e-6) {
    s = Math.min(s, gross > 0 ? roomG / gross : 0);
    binding = 'committee.fund_gross_cap';
    reasons.push(reason(RULE, 'FUND_GROSS_CAP', 'fund gross exposure (Σ agent gross) above its cap', { limit: fundGrossCap / cap, actual: (ctx.ledger.sumGross + gross) / cap }));
  }
  const fundNetCap = risk.maxNetExposure * lf * cap;
  const roomN = Math.max(0, fundNetCap - ctx.ledger.sumAbsNet);
  if (Math.abs(net) * s > roomN + 1e-6) {
    s = Math.min(s, Math.abs(net) > 0 ? roomN / Math.abs(net) : 0);
    binding = 'committee.fund_net_cap';
    reasons.push(reason(RULE, 'FUND_NET_CAP', 'fund net exposure (Σ |agent net|) above its cap', { limit: fundNetCap / cap, actual: (ctx.ledger.sumAbsNet + Math.abs(net)) / cap }));
  }
  const top5Cap = risk.maxTop5Pct * lf * cap;
  const top = ctx.ledger.topNWith(5, { idx: a.idx, val });
  const before = top.at(s);
  if (before > top5Cap + 1e-6) {
    const s0 = s;
    const sc = largestScale((x) => top.at(x * s0), top5Cap, 20) * s0;
    if (sc < s) binding = 'committee.top5_cap';
    s = Math.min(s, sc);
    reasons.push(reason(RULE, 'TOP5_CAP', 'top-5 names above their share of the fund', { limit: risk.maxTop5Pct * lf, actual: before / cap }));
  }
  if (s > 0) {
    const fit = fitRiskAfterCaps(ctx, { idx: a.idx, val }, s, reasons);
    if (fit.rule !== null) binding = fit.rule;
    s = fit.scale;
  }
  return { scale: Math.max(0, Math.min(1, s)), reasons, binding };
}

/**
 * The agent's VaR budget and its bucket's cap re-checked on the final book at scale `s`: the
 * checks fitted the proposal, and a cap or a removal (an unknown name, a loss limit, a small
 * market cap) can leave a hedge leg out, so the book that remains can be riskier than the one
 * that was fitted. Returns the largest scale ≤ s that fits both, and the rule that bound (null: none).
 */
function fitRiskAfterCaps(ctx: ReviewContext, book: SparseBook, s: number, reasons: Reason[]): { scale: number; rule: string | null } {
  const a = ctx.agent;
  const fund = ctx.fund;
  const z = fund.z;
  const fr = bookTerms(ctx, ctx.candidateRisk(), book);
  let out = s;
  let rule: string | null = null;
  const budget = agentVarBudget(a.risk, a.state, fund);
  const bookVar = z * Math.sqrt(fr.cc) * out;
  if (bookVar > budget + 1e-6) {
    const s0 = out;
    out = (budget / bookVar) * s0;
    rule = 'risk_budget';
    reasons.push(reason('risk_budget', 'VAR_BUDGET_AFTER_CAPS', `the VaR of the book after caps uses ${((bookVar / budget) * 100).toFixed(1)}% of the agent's budget: book × ${(out / s0).toFixed(3)}`, { limit: budget, actual: bookVar }));
  }
  const cfg = own(ctx.config.buckets, a.bucket);
  if (cfg && out > 0) {
    const cap = cfg.maxRiskAllocationPct * fund.varBudget * fund.limitFactor;
    const terms = groupTerms(ctx, fr, bucketPeers(ctx, a.bucket));
    const used = componentAt(z, fr, out, terms);
    if (used > cap + 1e-6) {
      const s0 = out;
      out = largestScale((x) => componentAt(z, fr, x * s0, terms), cap) * s0;
      rule = 'strategy_buckets';
      reasons.push(reason('strategy_buckets', 'BUCKET_AFTER_CAPS', `bucket ${a.bucket} component VaR with the book after caps ${used.toFixed(0)} over its cap ${cap.toFixed(0)}: book × ${(out / s0).toFixed(3)}`, { bucket: a.bucket, limit: cap, actual: used }));
    }
  }
  return { scale: out, rule };
}

function riskActionType(p: number, f: number, bookScale: number, removed: boolean, blocked: boolean): RiskActionType {
  if (p === 0 && f === 0) return 'OK';
  if (blocked || removed || (p !== 0 && f === 0)) return 'REJECTED';
  if (Math.abs(f) < Math.abs(p) * bookScale - 1e-9) return 'CAPPED';
  if (bookScale < 1 - 1e-12) return 'SCALED_DOWN';
  return 'OK';
}

export interface AgentOutcome {
  readonly decision: OverlayDecision;
  readonly positions: TargetPosition[];
}

/**
 * Per-name reason codes of the checks' results that act (in first-seen order), or null when none
 * names a symbol: an info reason (CROWDED_NAME, a warning share) is reported in the decision's
 * reasons but is not why a name was changed.
 */
function codesBySymbol(results: readonly CheckResult[]): Map<string, string[]> | null {
  let out: Map<string, string[]> | null = null;
  for (const r of results) {
    for (const x of r.reasons) {
      if (x.symbol === null || reasonCodeInfo(x.code)?.kind === 'info') continue;
      out ??= new Map();
      const list = out.get(x.symbol);
      if (!list) out.set(x.symbol, [x.code]);
      else if (!list.includes(x.code)) list.push(x.code);
    }
  }
  return out;
}

/**
 * Sorts a few target positions: reducing first, then by |Δ notional| descending, then by position.
 * With finite notionals this is a strict total order, so the result is the one Array.prototype.sort
 * gives with the same comparison (which the caller uses otherwise), without its temporary arrays.
 */
function insertionSort(order: number[], red: Int32Array, finD: Float64Array, curD: Float64Array): void {
  for (let k = 1; k < order.length; k++) {
    const y = order[k] ?? 0;
    const ry = red[y] ?? 0;
    const dy = Math.abs((finD[y] ?? 0) - (curD[y] ?? 0));
    let j = k - 1;
    for (; j >= 0; j--) {
      const x = order[j] ?? 0;
      const rx = red[x] ?? 0;
      // does x stay before y? (reducing first, larger move first, lower position first)
      if (rx > ry || (rx === ry && (Math.abs((finD[x] ?? 0) - (curD[x] ?? 0)) > dy || (Math.abs((finD[x] ?? 0) - (curD[x] ?? 0)) === dy && x < y)))) break;
      order[j + 1] = x;
    }
    order[j + 1] = y;
  }
}

/** One risk action per name of a decision, in target order (what `buildDecision` keeps for it). */
function riskActionsOf(d: {
  order: readonly number[];
  a: AgentCandidate;
  actionTypes: readonly RiskActionType[];
  finalW: Float64Array;
  bookScale: number;
  combined: Combined;
  codes: ReadonlyMap<string, readonly string[]> | null;
  decisionId: string;
  timestamp: string;
}): RiskAction[] {
  const { order, a, actionTypes, finalW, bookScale, combined, codes, decisionId, timestamp } = d;
  return order.map((i, rank) => {
    const sym = a.names[i] ?? '';
    return {
      version: 1,
      actionId: `${decisionId}:${sym}`,
      timestamp,
      agentId: a.agentId,
      symbol: sym,
      decisionId,
      actionType: actionTypes[rank] ?? 'OK',
      details: { proposedWeight: a.proposedW[i] ?? 0, finalWeight: finalW[i] ?? 0, bookScale, cap: Number.isFinite(combined.caps[i] ?? Number.POSITIVE_INFINITY) ? (combined.caps[i] ?? null) : null, reasons: [...(codes?.get(sym) ?? [])] },
    };
  });
}

/** Builds the one OverlayDecision of an agent and its target positions (weights and dollars). */
export function buildDecision(args: {
  ctx: ReviewContext;
  proposal: AgentProposal;
  original: AgentCandidate;
  results: readonly CheckResult[];
  combined: Combined;
  finalW: Float64Array;
  postScale: number;
  postReasons: readonly Reason[];
  blocked: boolean;
  cycleId: string;
  timestamp: string;
}): AgentOutcome {
  const { ctx, proposal, original: a, results, combined, finalW, postScale, postReasons, blocked, cycleId, timestamp } = args;
  const decisionId = `${cycleId}:${a.agentId}`;
  const bookScale = blocked ? 0 : combined.scale * postScale;
  const n = a.names.length;
  // dollars now and after, and whether the name's exposure shrinks (work arrays: read only here)
  const curD = ctx.ws.f64('decision.current', n, false);
  const finD = ctx.ws.f64('decision.final', n, false);
  const red = ctx.ws.i32('decision.reducing', n, false);
  const order: number[] = [];
  let finite = true;
  for (let i = 0; i < n; i++) {
    const c = (a.currentW[i] ?? 0) * a.capital;
    const f = (finalW[i] ?? 0) * a.capital;
    curD[i] = c;
    finD[i] = f;
    red[i] = Math.abs(f) < Math.abs(c) - 1e-9 || f * c < 0 ? 1 : 0;
    if (!Number.isFinite(f - c)) finite = false;
    order.push(i);
  }
  // exposure-reducing trades first, then by |Δ notional|, then by position
  if (finite && n <= 32) insertionSort(order, red, finD, curD);
  else order.sort((x, y) => (red[y] ?? 0) - (red[x] ?? 0) || Math.abs((finD[y] ?? 0) - (curD[y] ?? 0)) - Math.abs((finD[x] ?? 0) - (curD[x] ?? 0)) || x - y);
  const codes = codesBySymbol(results);
  const targets: FinalTarget[] = [];
  const positions: TargetPosition[] = [];
  const actionTypes: RiskActionType[] = [];
  const typeScale = blocked ? 1 : bookScale;
  let scaled: string | null = null;
  let changed = 0;
  let capped = false;
  for (let rank = 0; rank < n; rank++) {
    const i = order[rank] ?? 0;
    const sym = a.names[i] ?? '';
    const p = a.proposedW[i] ?? 0;
    const f = finalW[i] ?? 0;
    const priority = rank + 1;
    targets.push({ symbol: sym, proposedWeight: p, finalWeight: f, priority });
    const type = riskActionType(p, f, typeScale, combined.removed[i] === 1, blocked);
    let reasoning = 'approved';
    if (type !== 'OK') {
      changed++;
      if (type === 'CAPPED' || type === 'REJECTED') capped = true;
      const symCodes = codes?.get(sym);
      if (symCodes !== undefined && symCodes.length > 0) reasoning = `${type.toLowerCase()}: ${symCodes.join(', ')}`;
      else if (bookScale < 1) reasoning = `${type.toLowerCase()}${(scaled ??= ` (book × ${bookScale.toFixed(3)})`)}`;
      else reasoning = type.toLowerCase();
    }
    const fin = finD[i] ?? 0;
    const cur = curD[i] ?? 0;
    positions.push({
      version: 1,
      agentId: a.agentId,
      symbol: sym,
      targetWeight: f,
      targetNotional: fin,
      currentNotional: cur,
      deltaNotional: fin - cur,
      priority,
      reasoning,
    });
    actionTypes.push(type);
  }
  // One risk action per name, in target order: built when first read (records, storage), not per cycle.
  let riskActions: RiskAction[] | null = null;
  const lazy = { order, a, actionTypes, finalW, bookScale, combined, codes, decisionId, timestamp };
  const reasons: Reason[] = [];
  for (const r of results) for (const x of r.reasons) reasons.push(x);
  for (const x of postReasons) reasons.push(x);
  let proposedAny = false;
  let finalAny = false;
  for (let i = 0; i < n; i++) {
    if ((a.proposedW[i] ?? 0) !== 0) proposedAny = true;
    if ((finalW[i] ?? 0) !== 0) finalAny = true;
  }
  let action: OverlayAction;
  // A book × 0 (a paused or flattened agent) is a BLOCK even when it proposed nothing, and a book
  // scale below 1 is a SCALE: the action and its scale say what the reasons say (issue 17).
  if (blocked || (proposedAny && !finalAny) || bookScale <= 0) action = 'BLOCK';
  else if (changed > 0 && capped) action = 'MODIFY';
  else if (bookScale < 1 - 1e-12) action = 'SCALE';
  else action = 'APPROVE';
  const scale = action === 'BLOCK' ? 0 : action === 'APPROVE' ? 1 : Math.max(0, Math.min(1, bookScale));
  const reasonCodes: string[] = [];
  for (const x of reasons) if (!reasonCodes.includes(x.code)) reasonCodes.push(x.code);
  const summary = `${action} ${a.agentId}: ${targets.length} names, ${changed} changed, book × ${scale.toFixed(3)}${reasonCodes.length > 0 ? `; reasons: ${reasonCodes.join(', ')}` : ''}`.slice(0, 4000);
  const decision: OverlayDecision = {
    version: 1,
    traceId: proposal.traceId,
    decisionId,
    cycleId,
    agentId: a.agentId,
    asOf: ctx.state.asOf,
    action,
    scale,
    reasons,
    checks: [...results],
    targets,
    riskActions: LAZY,
    summary,
  };
  defineLazy(decision, { riskActions: () => (riskActions ??= riskActionsOf(lazy)) });
  return { decision, positions };
}
