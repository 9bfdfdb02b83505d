import { calmar, correlationOf, informationRatio, meanOf, sharpe, sortino } from './metrics-local.ts';
import type { FundState } from './types.ts';

/** Risk-adjusted scores of one agent (seed fund-overlay-plan §5A). Ratios annualised (252 days). */
export interface AgentScore {
  readonly agentId: string;
  readonly sharpe: number;
  readonly sortino: number;
  readonly calmar: number;
  /** Against the fund's own daily returns. */
  readonly informationRatio: number;
  /** 1 − correlation with the fund (0..2; higher diversifies more). */
  readonly diversification: number;
  /** Annualised dollar return per dollar of daily component VaR used. */
  readonly returnPerVar: number;
  /** Fund-contribution score in [-1, 1]: 0.5·tanh(Sharpe/2) + 0.25·(diversification − 1) + 0.25·tanh(returnPerVar/5). */
  readonly score: number;
}

export interface Reallocation {
  readonly agentId: string;
  readonly current: number;
  readonly recommended: number;
}

const orZero = (x: number) => (Number.isFinite(x) ? x : 0);

/** Scores every agent from its return history and its component VaR (dollars, one day). */
export function scoreAgents(state: FundState, componentVar: ReadonlyMap<string, number>, riskFree: number): AgentScore[] {
  return state.agents.map((a) => {
    const sh = sharpe(a.returns, riskFree);
    const rho = correlationOf(a.returns, state.fundReturns);
    const div = Number.isFinite(rho) ? 1 - rho : 1;
    const cv = componentVar.get(a.agentId) ?? 0;
    const annual = orZero(meanOf(a.returns)) * 252 * a.allocatedCapital;
    const rpv = cv > 0 ? annual / cv : 0;
    const score = 0.5 * Math.tanh(orZero(sh) / 2) + 0.25 * (div - 1) + 0.25 * Math.tanh(rpv / 5);
    return {
      agentId: a.agentId,
      sharpe: sh,
      sortino: sortino(a.returns, riskFree),
      calmar: calmar(a.returns),
      informationRatio: informationRatio(a.returns, state.fundReturns),
      diversification: div,
      returnPerVar: rpv,
      score,
    };
  });
}

/**
 * Moves capital from low to high scores: each allocation × (1 + score − mean score), bounded to
 * ±`maxStep` (20%) per review, then renormalised so total allocated capital is unchanged.
 */
export function recommendReallocation(scores: readonly AgentScore[], allocations: ReadonlyMap<string, number>, maxStep = 0.2): Reallocation[] {
  if (scores.length === 0) return [];
  const avg = scores.reduce((a, s) => a + s.score, 0) / scores.length;
  const raw = scores.map((s) => {
    const cur = allocations.get(s.agentId) ?? 0;
    const m = Math.min(1 + maxStep, Math.max(1 - maxStep, 1 + s.score - avg));
    return { agentId: s.agentId, current: cur, raw: cur * m };
  });
  const total = raw.reduce((a, r) => a + r.current, 0);
  const rawTotal = raw.reduce((a, r) => a + r.raw, 0);
  const k = rawTotal > 0 ? total / rawTotal : 1;
  return raw.map((r) => ({ agentId: r.agentId, current: r.current, recommended: r.raw * k }));
}
