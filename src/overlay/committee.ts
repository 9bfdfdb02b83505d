import type { AgentProposal, CheckResult, FinalTarget, OverlayAction, OverlayDecision, Reason, RiskAction, RiskActionType, TargetPosition } from '../contracts/index.ts';
import { CorrelationMonitorCheck } from './checks/correlation-monitor.ts';
import { CrossAgentConstraintsCheck } from './checks/cross-agent-constraints.ts';
import { EmergencyCheck } from './checks/emergency.ts';
import { GraduatedDrawdownCheck } from './checks/graduated-drawdown.ts';
import { LiquidityCheck } from './checks/liquidity.ts';
import { RegimeCircuitBreakerCheck } from './checks/regime-circuit-breaker.ts';
import { RiskBudgetCheck } from './checks/risk-budget.ts';
import { StrategyBucketCheck } from './checks/strategy-buckets.ts';
import { TradingStateCheck } from './checks/trading-state-gate.ts';
import { largestScale } from './budget-math.ts';
import { reason, type AgentCandidate, type OverlayCheck, type ReviewContext } from './context.ts';
import { grossNet } from './ledger.ts';
import type { SparseBook } from './risk-math.ts';

/** The overlay's checks in review order (one file each in checks/). */
export const DEFAULT_CHECKS: readonly OverlayCheck[] = [
  TradingStateCheck,
  GraduatedDrawdownCheck,
  RegimeCircuitBreakerCheck,
  EmergencyCheck,
  CorrelationMonitorCheck,
  RiskBudgetCheck,
  StrategyBucketCheck,
  CrossAgentConstraintsCheck,
  LiquidityCheck,
];

/**
 * Checks whose scale is a policy multiplier (they compound: a fund at its 2% step in a volatile
 * regime runs at 0.5 × 0.7); the others compute the largest scale that fits a limit, and the book
 * takes min(product of policies, tightest fit).
 */
export const POLICY_CHECKS: ReadonlySet<string> = new Set(['graduated_drawdown', 'regime_circuit_breaker', 'emergency', 'correlation_monitor']);

export interface Combined {
  readonly scale: number;
  readonly caps: Float64Array;
  readonly removed: Uint8Array;
  readonly block: boolean;
}

/** Folds check results: scale as above, per-name caps by min, removals by union, block by any. */
export function combineResults(a: AgentCandidate, results: readonly CheckResult[]): Combined {
  let policy = 1;
  let fit = 1;
  let block = false;
  const caps = new Float64Array(a.names.length).fill(Number.POSITIVE_INFINITY);
  const removed = new Uint8Array(a.names.length);
  const pos = new Map<string, number>();
  a.names.forEach((s, i) => pos.set(s, i));
  for (const r of results) {
    if (POLICY_CHECKS.has(r.check)) policy *= r.scale;
    else fit = Math.min(fit, r.scale);
    if (r.block) block = true;
    for (const [sym, c] of Object.entries(r.caps)) {
      const i = pos.get(sym);
      if (i !== undefined) caps[i] = Math.min(caps[i] ?? Number.POSITIVE_INFINITY, c);
    }
    for (const sym of r.removed) {
      const i = pos.get(sym);
      if (i !== undefined) removed[i] = 1;
    }
  }
  return { scale: Math.max(0, Math.min(1, policy, fit)), caps, removed, block };
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

export function toBook(a: AgentCandidate, w: Float64Array): SparseBook {
  const val = new Float64Array(w.length);
  for (let i = 0; i < w.length; i++) val[i] = (w[i] ?? 0) * a.capital;
  return { idx: a.idx, val };
}

/**
 * Limits that need the final book: the agent's gross / net after caps, the fund's Σ gross and
 * Σ |net| over agents, and the top-5 concentration. Each yields a uniform scale (uniform scaling
 * keeps every per-name and per-sector cap satisfied).
 */
export function enforceFinalLimits(ctx: ReviewContext, w: Float64Array): { scale: number; reasons: Reason[] } {
  const a = ctx.agent;
  const r = a.risk;
  const lf = ctx.fund.limitFactor;
  const risk = ctx.config.risk;
  const cap = ctx.state.capital;
  const reasons: Reason[] = [];
  const RULE = 'committee';
  const book = toBook(a, w);
  const { gross, net } = grossNet(book);
  let s = 1;
  const grossCap = Math.min(r.grossExposureCap, r.leverageLimit) * lf * a.capital;
  if (gross > grossCap + 1e-6) {
    s = Math.min(s, grossCap / gross);
    reasons.push(reason(RULE, 'GROSS_CAP', 'agent gross exposure after caps above its cap', { limit: grossCap / a.capital, actual: gross / a.capital }));
  }
  const netCap = r.netExposureCap * lf * a.capital;
  if (Math.abs(net) > netCap + 1e-6) {
    s = Math.min(s, netCap / Math.abs(net));
    reasons.push(reason(RULE, 'NET_CAP', 'agent net exposure after caps above its cap', { limit: netCap / a.capital, actual: Math.abs(net) / a.capital }));
  }
  const fundGrossCap = Math.min(risk.maxGrossExposure * lf, risk.maxLeverage) * cap;
  const roomG = Math.max(0, fundGrossCap - ctx.ledger.sumGross);
  if (gross * s > roomG + 1e-6) {
    s = Math.min(s, gross > 0 ? roomG / gross : 0);
    reasons.push(reason(RULE, 'FUND_GROSS_CAP', 'fund gross exposure (Σ agent gross) above its cap', { limit: fundGrossCap / cap, actual: (ctx.ledger.sumGross + gross) / cap }));
  }
  const fundNetCap = risk.maxNetExposure * lf * cap;
  const roomN = Math.max(0, fundNetCap - ctx.ledger.sumAbsNet);
  if (Math.abs(net) * s > roomN + 1e-6) {
    s = Math.min(s, Math.abs(net) > 0 ? roomN / Math.abs(net) : 0);
    reasons.push(reason(RULE, 'FUND_NET_CAP', 'fund net exposure (Σ |agent net|) above its cap', { limit: fundNetCap / cap, actual: (ctx.ledger.sumAbsNet + Math.abs(net)) / cap }));
  }
  const top5Cap = risk.maxTop5Pct * lf * cap;
  const top = ctx.ledger.topNWith(5, book);
  if (top(s) > top5Cap + 1e-6) {
    const before = top(s);
    const sc = largestScale((x) => top(x * s), top5Cap, 20) * s;
    s = Math.min(s, sc);
    reasons.push(reason(RULE, 'TOP5_CAP', 'top-5 names above their share of the fund', { limit: risk.maxTop5Pct * lf, actual: before / cap }));
  }
  return { scale: Math.max(0, Math.min(1, s)), reasons };
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
  readonly finalBook: SparseBook;
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
  const targets: FinalTarget[] = [];
  const positions: TargetPosition[] = [];
  const actionTypes: RiskAction['actionType'][] = [];
  const n = a.names.length;
  const curD = new Float64Array(n);
  const finD = new Float64Array(n);
  const red = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    curD[i] = (a.currentW[i] ?? 0) * a.capital;
    finD[i] = (finalW[i] ?? 0) * a.capital;
    const c = curD[i] ?? 0;
    const f = finD[i] ?? 0;
    red[i] = Math.abs(f) < Math.abs(c) - 1e-9 || f * c < 0 ? 1 : 0;
  }
  const order = Array.from({ length: n }, (_, i) => i);
  const delta = (i: number) => Math.abs((finD[i] ?? 0) - (curD[i] ?? 0));
  order.sort((x, y) => (red[y] ?? 0) - (red[x] ?? 0) || delta(y) - delta(x) || x - y);
  const codesBySymbol = new Map<string, Set<string>>();
  for (const r of results) {
    for (const x of r.reasons) {
      if (x.symbol === null) continue;
      let set = codesBySymbol.get(x.symbol);
      if (!set) codesBySymbol.set(x.symbol, (set = new Set()));
      set.add(x.code);
    }
  }
  const cur = (i: number) => curD[i] ?? 0;
  const fin = (i: number) => finD[i] ?? 0;
  let changed = 0;
  order.forEach((i, rank) => {
    const sym = a.names[i] ?? '';
    const p = a.proposedW[i] ?? 0;
    const f = finalW[i] ?? 0;
    const priority = rank + 1;
    targets.push({ symbol: sym, proposedWeight: p, finalWeight: f, priority });
    const type = riskActionType(p, f, blocked ? 1 : bookScale, combined.removed[i] === 1, blocked);
    if (type !== 'OK') changed++;
    const symReasons = [...(codesBySymbol.get(sym) ?? [])];
    positions.push({
      version: 1,
      agentId: a.agentId,
      symbol: sym,
      targetWeight: f,
      targetNotional: fin(i),
      currentNotional: cur(i),
      deltaNotional: fin(i) - cur(i),
      priority,
      reasoning: type === 'OK' ? 'approved' : `${type.toLowerCase()}${symReasons.length > 0 ? `: ${symReasons.join(', ')}` : bookScale < 1 ? ` (book × ${bookScale.toFixed(3)})` : ''}`,
    });
    actionTypes.push(type);
  });
  // One risk action per name, in target order: built when first read (records, storage), not per cycle.
  let riskActions: RiskAction[] | null = null;
  const riskActionsOf = (): RiskAction[] =>
    (riskActions ??= order.map((i, rank) => {
      const sym = a.names[i] ?? '';
      return {
        version: 1,
        actionId: `${decisionId}:${sym}`,
        timestamp,
        agentId: a.agentId,
        symbol: sym,
        decisionId,
        actionType: actionTypes[rank] ?? 'OK',
        details: { proposedWeight: a.proposedW[i] ?? 0, finalWeight: finalW[i] ?? 0, bookScale, cap: Number.isFinite(combined.caps[i] ?? Number.POSITIVE_INFINITY) ? (combined.caps[i] ?? null) : null, reasons: [...(codesBySymbol.get(sym) ?? [])] },
      };
    }));
  const reasons: Reason[] = [];
  for (const r of results) if (r.status !== 'OK' || r.reasons.length > 0) reasons.push(...r.reasons);
  reasons.push(...postReasons);
  const proposedAny = a.proposedW.some((x) => x !== 0);
  const finalAny = finalW.some((x) => x !== 0);
  let action: OverlayAction;
  if (blocked || (proposedAny && !finalAny)) action = 'BLOCK';
  else if (changed > 0 && actionTypes.some((t) => t === 'CAPPED' || t === 'REJECTED')) action = 'MODIFY';
  else if (bookScale < 1 - 1e-12 && proposedAny) action = 'SCALE';
  else action = 'APPROVE';
  const scale = action === 'BLOCK' ? 0 : action === 'APPROVE' ? 1 : Math.max(0, Math.min(1, bookScale));
  const codes = [...new Set(reasons.map((r) => r.code))];
  const summary = `${action} ${a.agentId}: ${targets.length} names, ${changed} changed, book × ${scale.toFixed(3)}${codes.length > 0 ? `; reasons: ${codes.join(', ')}` : ''}`.slice(0, 4000);
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
    get riskActions() {
      return riskActionsOf();
    },
    summary,
  };
  return { decision, positions, finalBook: toBook(a, finalW) };
}
