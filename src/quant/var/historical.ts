/** Historical VaR/ES by full revaluation of today's positions over each day of the window. */
import { portfolioReturns } from '../risk/panel.ts';
import { dropNaN } from '../stats/descriptive.ts';
import { tailRiskSelect, type TailRisk } from './tail.ts';

/** Historical VaR/ES (positive losses) of weights `w` over a T×U panel, plus the scenario P&L (length T). */
export function historicalVaR(panel: Float64Array, U: number, w: ArrayLike<number>, confidence = 0.95): TailRisk & { readonly pnl: Float64Array } {
  const pnl = portfolioReturns(panel, U, w);
  return { ...tailRiskSelect(dropNaN(pnl), confidence), pnl };
}
