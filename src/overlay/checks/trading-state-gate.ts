import type { AgentProposal, CheckResult, Reason } from '../../contracts/index.ts';
import { reason, reduceOnlyCap, result, setCap, type OverlayCheck, type ReviewContext } from '../context.ts';
import { riskChangeMessage } from '../risk-reducing.ts';
import { table } from '../table.ts';

const RULE = 'trading_state';

/**
 * HALTED approves nothing new (the proposal is rejected); REDUCING lets only exposure-reducing
 * changes through, name by name. In either state a proposal that lowers the fund's risk as a whole
 * (`riskChange`: VaR down, |net| not up; a hedge that cuts the net long) passes, with the info reason
 * REGIME_RISK_REDUCING: risk-reducing trades are never held back by a trading state.
 */
export const TradingStateCheck: OverlayCheck = {
  name: RULE,
  kind: 'fit',
  capsMostNames: true,
  governsTradingState: true,
  review(_p: AgentProposal, ctx: ReviewContext): CheckResult {
    const st = ctx.fund.tradingState;
    if (st !== 'ACTIVE') {
      const rc = ctx.riskChange();
      if (rc.isReducing) return result(RULE, { reasons: [reason(RULE, 'REGIME_RISK_REDUCING', `the fund is ${st}: ${riskChangeMessage(rc, ctx.fund.z)}`, { limit: rc.sigmaBefore * ctx.fund.z, actual: rc.sigmaAfter * ctx.fund.z })] });
    }
    if (st === 'HALTED') {
      return result(RULE, { status: 'BREACH', block: true, reasons: [reason(RULE, 'FUND_HALTED', 'the fund is HALTED: the proposal is rejected, the held book stands (only cuts of it trade after a market kill switch)')] });
    }
    if (st === 'REDUCING') {
      const caps = table<number>();
      const reasons: Reason[] = [];
      const a = ctx.agent;
      for (let i = 0; i < a.names.length; i++) {
        const p = a.proposedW[i] ?? 0;
        const c = a.currentW[i] ?? 0;
        const cap = reduceOnlyCap(p, c);
        setCap(caps, a.names[i] ?? '', cap);
        if (Math.abs(p) > cap + 1e-12) {
          reasons.push(reason(RULE, 'FUND_REDUCING', 'the fund is REDUCING: exposure may only shrink', { symbol: a.names[i] ?? null, limit: cap, actual: Math.abs(p) }));
        }
      }
      return result(RULE, { status: 'WARNING', caps, reasons: reasons.length > 0 ? reasons : [reason(RULE, 'FUND_REDUCING', 'the fund is REDUCING: exposure may only shrink')] });
    }
    return result(RULE, {});
  },
};
