import type { AgentProposal } from '../../contracts/index.ts';
import type { MarketView } from '../../market/index.ts';
import type { FundReview } from '../../overlay/index.ts';

/**
 * The governance gates before live trading (seed: mini-quant-fund "live_trading_daemon" and the
 * 11-layer stack): kill switch, market data up to date, history rows, data quality, signal validation, risk validation.
 */
export type GateName = 'kill_switch' | 'market_data' | 'history_rows' | 'data_quality' | 'signal_validation' | 'risk_validation';

export interface GateResult {
  readonly gate: GateName;
  readonly passed: boolean;
  readonly detail: string;
  /** A failed gate that may pass later with nobody acting (market data not yet published). */
  readonly retryable?: boolean;
}

export const gate = (g: GateName, passed: boolean, detail: string): GateResult => ({ gate: g, passed, detail });

/** Phase 0/1: there are tradable (ACTIVE) names with a bar today; quality above the floor for them. */
export function dataGates(view: MarketView, quality: ReadonlyMap<string, number>, minQuality: number): GateResult[] {
  let tradable = 0;
  let poor = 0;
  for (let u = 0; u < view.U; u++) {
    if (!view.isTradable(u)) continue;
    tradable++;
    const q = quality.get(view.symbols[u] ?? '');
    if (q !== undefined && q < minQuality) poor++;
  }
  return [
    gate('history_rows', tradable > 0, `${tradable} of ${view.U} symbols ACTIVE with a bar on ${view.asOf}`),
    gate('data_quality', poor === 0, poor === 0 ? `every tradable symbol scores ≥ ${minQuality}` : `${poor} tradable symbols score below ${minQuality}`),
  ];
}

/** Phase 2/3: at least one agent produced a valid proposal; fund VaR99 within the kill limit. */
export function decisionGates(review: FundReview, proposals: readonly AgentProposal[], fundVar99Limit: number): GateResult[] {
  const var99 = review.snapshot.var99Pct;
  return [
    gate('signal_validation', proposals.length > 0, `${proposals.length} agent proposal(s) validated`),
    gate(
      'risk_validation',
      Number.isFinite(var99) && var99 <= fundVar99Limit && !review.failSafe.active,
      review.failSafe.active ? `fail safe: ${review.failSafe.problems.join('; ')}` : `fund VaR99 ${(var99 * 100).toFixed(2)}% of capital (limit ${(fundVar99Limit * 100).toFixed(1)}%)`,
    ),
  ];
}
