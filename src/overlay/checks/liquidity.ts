import type { AgentProposal, CheckResult, Reason } from '../../contracts/index.ts';
import { reason, result, setCap, type OverlayCheck, type ReviewContext } from '../context.ts';
import { daysToLiquidate } from '../liquidity.ts';
import { table } from '../table.ts';

const RULE = 'liquidity';

/**
 * Seed fund-overlay-plan §4B: the fund's position in each name (per side, all agents) must be
 * exitable within risk.maxDaysToLiquidate days at execution.participationCap of ADV; names whose
 * stressed exit (ADV × (1 − stressVolumeHaircut)) takes longer get a WARNING.
 */
export const LiquidityCheck: OverlayCheck = {
  name: RULE,
  kind: 'fit',
  review(_p: AgentProposal, ctx: ReviewContext): CheckResult {
    const a = ctx.agent;
    const U = ctx.universe;
    const L = ctx.ledger;
    const maxDays = ctx.config.risk.maxDaysToLiquidate * ctx.fund.limitFactor;
    const part = ctx.config.execution.participationCap;
    const haircut = ctx.config.risk.stressVolumeHaircut;
    const caps = table<number>();
    const reasons: Reason[] = [];
    let status: CheckResult['status'] = 'OK';
    for (let i = 0; i < a.names.length; i++) {
      const u = a.idx[i] ?? 0;
      const w = a.proposedW[i] ?? 0;
      if (w === 0) continue;
      const adv = U.adv[u] ?? Number.NaN;
      const px = U.price[u] ?? Number.NaN;
      if (!(adv > 0) || !(px > 0)) continue; // the constraints check gates names without ADV or price
      const side = w > 0 ? (L.long[u] ?? 0) : (L.short[u] ?? 0);
      const fundPos = side + Math.abs(w) * a.capital;
      const days = daysToLiquidate(U, u, fundPos, part);
      const sym = a.names[i] ?? '';
      if (days > maxDays + 1e-9) {
        const room = Math.max(0, maxDays * part * adv * px - side) / a.capital;
        setCap(caps, sym, room);
        status = 'BREACH';
        reasons.push(reason(RULE, 'DAYS_TO_LIQUIDATE', 'fund position takes too long to exit', { symbol: sym, limit: maxDays, actual: days }));
        continue;
      }
      const stressed = daysToLiquidate(U, u, fundPos, part, haircut);
      if (stressed > maxDays + 1e-9) {
        if (status === 'OK') status = 'WARNING';
        reasons.push(reason(RULE, 'STRESSED_DAYS_TO_LIQUIDATE', 'exit takes too long at stressed volume', { symbol: sym, limit: maxDays, actual: stressed }));
      }
    }
    return result(RULE, { status, caps, reasons });
  },
};
