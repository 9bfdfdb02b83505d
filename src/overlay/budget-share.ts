import type { AgentRiskParams } from '../contracts/index.ts';
import { modelBias } from './forecast-bias.ts';
import type { AgentBookState } from './types.ts';

/** The smallest budget share an allocated agent keeps (room to hold a small book). */
const MIN_SHARE = 0.005;
/** Headroom over the agent's allocated risk before its budget binds. */
const HEADROOM = 1.5;

/**
 * An agent's VaR budget as a share of the fund's VaR budget; it bounds the agent's *standalone*
 * VaR (its own book's, seed fund-overlay-plan §1A `compute_agent_var`). Once capital is allocated
 * by risk: the agent's own ex-ante risk at that capital with 50% headroom (a book may run hotter
 * than its record for a while; the fund-level target and the bucket caps, on Euler components,
 * catch the sum), at least 0.5%; before the first allocation, its configured `riskBudgetPct`.
 * The allocated risk is realised vol (the agent's record) and the budget is checked on the risk
 * model's VaR of its book, so the allocated share is divided by the model's bias for the agent's
 * books (`modelBias`: realised over forecast vol, 1 until a quarter of record): a book the model
 * sees at 0.6 of what it does is held to 0.6 of the share in the model's units.
 *
 * Standalone, not the Euler component: a market-neutral book's component of a long-biased fund is
 * near zero whatever its size, so a component budget never binds on it and its "use" says nothing;
 * its standalone VaR is the risk it was given capital for.
 */
export function budgetShare(risk: Pick<AgentRiskParams, 'riskBudgetPct'>, state: Pick<AgentBookState, 'standaloneRisk' | 'forecast'> | null | undefined): number {
  const s = state?.standaloneRisk;
  return s === undefined ? risk.riskBudgetPct : Math.max(MIN_SHARE, (s * HEADROOM) / modelBias(state?.forecast));
}
