import type { MetaBrainConfig } from '../../contracts/index.ts';
import { conviction, kellyFraction, positionCvar, type Ensemble } from './formulas.ts';

export type MetaAction = 'EXECUTE_BUY' | 'EXECUTE_SELL' | 'HOLD' | 'REJECT';

/** Why the meta-brain decided as it did: a code with the limit and the actual value. */
export interface MetaReason {
  readonly code:
    | 'NO_SIGNAL'
    | 'RISK_OVERRIDE'
    | 'LOW_CONFIDENCE'
    | 'SIGNAL_CONFLICT'
    | 'CVAR_LIMIT'
    | 'LEVERAGE_LIMIT'
    | 'POSITION_CAP'
    | 'REDUCE'
    | 'INCREASE'
    | 'NO_CHANGE'
    /** A held name the fund takes no new exposure in (market cap below `risk.minMarketCap`): its weight may only shrink. */
    | 'MIN_MARKET_CAP';
  readonly limit: number | null;
  readonly actual: number | null;
}

export interface MetaDecision {
  readonly action: MetaAction;
  /** Signed target weight (fraction of the committee's capital) after the rules. */
  readonly targetWeight: number;
  /** Kelly fraction before caps. */
  readonly kelly: number;
  readonly conviction: number;
  readonly reasons: readonly MetaReason[];
}

export interface DecisionInput {
  readonly ensemble: Ensemble;
  /** Current signed weight of the name in the committee's book. */
  readonly currentWeight: number;
  /** Gross exposure of the rest of the book (after decisions already taken this cycle). */
  readonly grossElsewhere: number;
  readonly leverageLimit: number;
  /** A reason to block any risk increase (drawdown state, crisis regime), or null. */
  readonly riskOverride: string | null;
  readonly longOnly: boolean;
  /** Weight changes smaller than this are HOLD. */
  readonly tolerance?: number;
  readonly cvarAlpha?: number;
}

/**
 * CVaR-first decision rules (seed: mini-quant-fund §2). The desired weight is the fractional
 * Kelly fraction capped at ±maxPositionPct (0 when confidence is below the minimum or the
 * analysts conflict). A risk-increasing trade is REJECTed — the weight stays — when (1) a risk
 * override is active, (2) the position's marginal CVaR exceeds the limit, (3) the leverage limit
 * would be exceeded. Otherwise, by trade direction: (4) target below current → EXECUTE_SELL
 * (reduce a long, or open/increase a short), (5) above → EXECUTE_BUY, (6) else HOLD.
 * De-risking trades are never rejected.
 * A flat name whose view is too weak or conflicted is REJECTed with that reason.
 */
export function decide(x: DecisionInput, cfg: MetaBrainConfig): MetaDecision {
  const e = x.ensemble;
  const tol = x.tolerance ?? 1e-4;
  const cur = x.currentWeight;
  const reasons: MetaReason[] = [];
  const kelly = kellyFraction(e.mu, e.sigma, cfg.gamma);
  const conv = conviction(e.mu, e.sigma);
  let desired = Math.max(-cfg.maxPositionPct, Math.min(cfg.maxPositionPct, kelly));
  if (Math.abs(kelly) > cfg.maxPositionPct) reasons.push({ code: 'POSITION_CAP', limit: cfg.maxPositionPct, actual: Math.abs(kelly) });
  if (x.longOnly && desired < 0) desired = 0;
  let weak: MetaReason | null = null;
  if (e.n === 0) weak = { code: 'NO_SIGNAL', limit: null, actual: 0 };
  else if (e.confidence < cfg.minConfidence) weak = { code: 'LOW_CONFIDENCE', limit: cfg.minConfidence, actual: e.confidence };
  else if (e.isConflict) weak = { code: 'SIGNAL_CONFLICT', limit: null, actual: e.consensus };
  if (weak) {
    desired = 0;
    reasons.push(weak);
  }
  const isIncrease = Math.abs(desired) > Math.abs(cur) + tol || (desired !== 0 && cur !== 0 && Math.sign(desired) !== Math.sign(cur));
  if (isIncrease) {
    if (x.riskOverride !== null) {
      reasons.push({ code: 'RISK_OVERRIDE', limit: null, actual: null });
      return { action: 'REJECT', targetWeight: cur, kelly, conviction: conv, reasons };
    }
    const cvar = positionCvar(desired, e.mu, e.sigma, x.cvarAlpha ?? 0.95);
    if (cvar > cfg.cvarLimit) {
      reasons.push({ code: 'CVAR_LIMIT', limit: cfg.cvarLimit, actual: cvar });
      return { action: 'REJECT', targetWeight: cur, kelly, conviction: conv, reasons };
    }
    const gross = x.grossElsewhere + Math.abs(desired);
    if (gross > x.leverageLimit + 1e-12) {
      reasons.push({ code: 'LEVERAGE_LIMIT', limit: x.leverageLimit, actual: gross });
      return { action: 'REJECT', targetWeight: cur, kelly, conviction: conv, reasons };
    }
  }
  if (desired < cur - tol) {
    reasons.push({ code: 'REDUCE', limit: null, actual: desired - cur });
    return { action: 'EXECUTE_SELL', targetWeight: desired, kelly, conviction: conv, reasons };
  }
  if (desired > cur + tol) {
    reasons.push({ code: 'INCREASE', limit: null, actual: desired - cur });
    return { action: 'EXECUTE_BUY', targetWeight: desired, kelly, conviction: conv, reasons };
  }
  if (weak && cur === 0) return { action: 'REJECT', targetWeight: 0, kelly, conviction: conv, reasons };
  reasons.push({ code: 'NO_CHANGE', limit: null, actual: null });
  return { action: 'HOLD', targetWeight: cur, kelly, conviction: conv, reasons };
}
