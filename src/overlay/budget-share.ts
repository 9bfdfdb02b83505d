import type { AgentRiskParams } from '../contracts/index.ts';
import type { AgentBookState } from './types.ts';

/** The smallest budget share an allocated agent keeps (room to hold a small book). */
const MIN_SHARE = 0.02;
/** Headroom over the agent's allocated share of the fund's risk before its budget binds. */
const HEADROOM = 1.5;

/**
 * An agent's share of the fund's VaR budget: once capital is allocated by risk, its share of the
 * fund's ex-ante risk at that capital with 50% headroom (a book may run hotter than its record for
 * a while; the fund-level target catches the sum), at least 2%; before the first allocation, its
 * configured `riskBudgetPct`.
 */
export function budgetShare(risk: Pick<AgentRiskParams, 'riskBudgetPct'>, state: Pick<AgentBookState, 'riskShare'> | null | undefined): number {
  const s = state?.riskShare;
  return s === undefined ? risk.riskBudgetPct : Math.min(1, Math.max(MIN_SHARE, s * HEADROOM));
}
