import type { KillTrigger } from './kill-switch.ts';

/** One close order of the global risk-reduction plan: sell (or buy back) `closeNotional` dollars. */
export interface ReductionClose {
  readonly agentId: string;
  readonly symbol: string;
  readonly currentNotional: number;
  /** Signed dollars to trade (opposite sign to the position). */
  readonly closeNotional: number;
  readonly qty: number;
  /** 1 = first; by the name's share of fund risk, largest first. */
  readonly order: number;
}

/**
 * The global risk-reduction procedure (seed fund-overlay-plan §5B) as data for the cycle to
 * execute: cancel open orders, close by severity (the most severe trigger's close fraction), pause
 * agents, record the triggers, alert.
 */
export interface RiskReductionPlan {
  readonly cancelOpenOrders: boolean;
  readonly closeFraction: number;
  readonly closes: readonly ReductionClose[];
  readonly pauseAgents: readonly string[];
  readonly record: { readonly triggers: readonly KillTrigger[]; readonly severity: number };
}

export interface HeldPosition {
  readonly agentId: string;
  readonly symbol: string;
  readonly notional: number;
  readonly price: number;
  /** Risk weight used to order the closes (e.g. |notional| × σ). */
  readonly risk: number;
}

export function planRiskReduction(triggers: readonly KillTrigger[], held: readonly HeldPosition[], agents: readonly string[]): RiskReductionPlan {
  let severity = 0;
  let fraction = 0;
  for (const t of triggers) {
    severity = Math.max(severity, t.severity);
    fraction = Math.max(fraction, t.closeFraction);
  }
  const sorted = held.filter((h) => h.notional !== 0).slice().sort((a, b) => b.risk - a.risk || a.agentId.localeCompare(b.agentId) || a.symbol.localeCompare(b.symbol));
  const closes: ReductionClose[] = fraction > 0
    ? sorted.map((h, k) => ({ agentId: h.agentId, symbol: h.symbol, currentNotional: h.notional, closeNotional: -h.notional * fraction, qty: h.price > 0 ? (-h.notional * fraction) / h.price : 0, order: k + 1 }))
    : [];
  return { cancelOpenOrders: true, closeFraction: fraction, closes, pauseAgents: severity >= 2 ? [...agents] : [], record: { triggers: [...triggers], severity } };
}
