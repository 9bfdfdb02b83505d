import type { AgentRiskParams } from '../contracts/index.ts';
import { modelBias, PROPOSED_MIN_DAYS } from './forecast-bias.ts';
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

/**
 * Of the VaR budget of the agent's usual proposal (HEADROOM × the model's VaR of its proposals on
 * average, `ForecastTrack.proposed`, at its capital), the part its budget never goes below.
 */
const PROPOSAL_FLOOR = 0.5;

/**
 * An agent's VaR budget in dollars (× the limit factor): its budget share × the fund VaR budget
 * (`budgetShare`), but never below half the budget of its usual proposal once it has made
 * PROPOSED_MIN_DAYS proposals with a book.
 *
 * The floor breaks a trap. The share is sized from the agent's record, and a record the fund held
 * small (halted by a kill switch, cut by the regime) has little risk: the budget then holds the
 * book as small as the record, and the record stays small. On synthetic seed 9 the fund's vol
 * circuit breaker halted it on and off through the first year; the budgets sized from those months
 * kept every book at about a fifth of its proposal for the two years after (fund vol 1.9% against
 * a 10% target). The agent's own proposals are not held small by anything but the agent, so half
 * their usual budget is room to hold them while the record recovers, and a budget sized from a
 * healthy record (1.5× the risk of books the overlay mostly lets through) stays above the floor.
 */
export function agentVarBudget(
  risk: Pick<AgentRiskParams, 'riskBudgetPct'>,
  state: Pick<AgentBookState, 'standaloneRisk' | 'forecast' | 'allocatedCapital'> | null | undefined,
  fund: { readonly varBudget: number; readonly z: number; readonly limitFactor: number },
): number {
  const allocated = budgetShare(risk, state) * fund.varBudget;
  const f = state?.forecast;
  const usual = f && (f.proposedDays ?? 0) >= PROPOSED_MIN_DAYS ? (f.proposed ?? 0) : 0;
  const floor = usual > 0 && state && state.allocatedCapital > 0 ? PROPOSAL_FLOOR * HEADROOM * fund.z * usual * state.allocatedCapital : 0;
  return Math.max(allocated, floor) * fund.limitFactor;
}
