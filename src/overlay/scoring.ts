import { calmarRatio, correlation, informationRatio, mean, sharpeRatio, sortinoRatio } from '../quant/index.ts';
import type { FundState } from './types.ts';

/**
 * Risk-adjusted scores of one agent (seed fund-overlay-plan §5A), empyrical conventions from
 * quant: annualised with 252 periods; Sharpe and Sortino on returns in excess of the daily
 * risk-free rate; Calmar = compounded annual return / |max drawdown|.
 */
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


const orZero = (x: number) => (Number.isFinite(x) ? x : 0);

/** The score of an agent without a record: ratios undefined (NaN; null in JSON), neutral score. */
const unscored = (agentId: string): AgentScore => ({
  agentId, sharpe: Number.NaN, sortino: Number.NaN, calmar: Number.NaN, informationRatio: Number.NaN, diversification: 1, returnPerVar: 0, score: 0,
});

/** The last min(|a|, |b|) values of both series (histories end on the same day). */
function tails(a: readonly number[], b: readonly number[]): [number[], number[]] {
  const n = Math.min(a.length, b.length);
  return [a.slice(a.length - n), b.slice(b.length - n)];
}

/** Scores every agent from its return history and its component VaR (dollars, one day); `riskFree` is annual. */
export function scoreAgents(state: FundState, componentVar: ReadonlyMap<string, number>, riskFree: number): AgentScore[] {
  const rf = riskFree / 252;
  return state.agents.map((a) => {
    // a book that never had a P&L (no capital, or it could not trade) has no record to score:
    // measured against the risk-free rate its flat line read as the worst Sharpe and Sortino in the fund
    if (!a.returns.some((r) => r !== 0 && Number.isFinite(r))) return unscored(a.agentId);
    const [ra, rb] = tails(a.returns, state.fundReturns);
    const sh = sharpeRatio(a.returns, { riskFree: rf });
    const rho = ra.length >= 10 ? correlation(ra, rb) : Number.NaN;
    const div = Number.isFinite(rho) ? 1 - rho : 1;
    const cv = componentVar.get(a.agentId) ?? 0;
    const annual = orZero(mean(a.returns)) * 252 * a.allocatedCapital;
    const rpv = cv > 0 ? annual / cv : 0;
    const score = 0.5 * Math.tanh(orZero(sh) / 2) + 0.25 * (div - 1) + 0.25 * Math.tanh(rpv / 5);
    return {
      agentId: a.agentId,
      sharpe: sh,
      sortino: sortinoRatio(a.returns, { requiredReturn: rf }),
      calmar: calmarRatio(a.returns),
      informationRatio: ra.length >= 2 ? informationRatio(ra, rb) : Number.NaN,
      diversification: div,
      returnPerVar: rpv,
      score,
    };
  });
}

