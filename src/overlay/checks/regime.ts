import type { AgentProposal, CheckResult } from '../../contracts/index.ts';
import { reason, reduceOnlyCap, result, setCap, type OverlayCheck, type ReviewContext } from '../context.ts';
import { riskChangeMessage } from '../risk-reducing.ts';
import { table } from '../table.ts';

const RULE = 'regime';

/**
 * Regime multipliers (seeds/mini-quant-fund §3: BULL_QUIET 1.0, BULL_VOLATILE 0.7, BEAR_QUIET 0.5,
 * BEAR_CRISIS 0.0: no new risk, each name may only shrink). A proposal that lowers the fund's risk
 * (`riskChange`: VaR down, |net| not up) is never held back by the regime: it passes whole, with
 * the info reason REGIME_RISK_REDUCING.
 */
export const RegimeCheck: OverlayCheck = {
  name: RULE,
  kind: 'policy',
  capsMostNames: true,
  review(_p: AgentProposal, ctx: ReviewContext): CheckResult {
    const f = ctx.fund;
    const m = f.regimeMultiplier;
    if (m >= 1) return result(RULE, {});
    const rc = ctx.riskChange();
    if (rc.isReducing) return result(RULE, { reasons: [reason(RULE, 'REGIME_RISK_REDUCING', `regime ${f.regime}: ${riskChangeMessage(rc, f.z)}`, { limit: rc.sigmaBefore * f.z, actual: rc.sigmaAfter * f.z })] });
    if (m > 0) return result(RULE, { status: 'WARNING', scale: m, reasons: [reason(RULE, 'REGIME_MULTIPLIER', `regime ${f.regime}: books × ${m}`, { limit: m, actual: m })] });
    const caps = table<number>();
    const a = ctx.agent;
    for (let i = 0; i < a.names.length; i++) setCap(caps, a.names[i] ?? '', reduceOnlyCap(a.proposedW[i] ?? 0, a.currentW[i] ?? 0));
    return result(RULE, { status: a.names.length > 0 ? 'BREACH' : 'OK', caps, reasons: [reason(RULE, 'REGIME_BLOCK', `regime ${f.regime}: multiplier 0, no new risk`, { limit: 0, actual: m })] });
  },
};
