import type { AgentProposal, CheckResult } from '../../contracts/index.ts';
import { reason, result, type OverlayCheck, type ReviewContext } from '../context.ts';

const RULE = 'fund_risk_target';

/**
 * The fund's risk target (issue 15): when the pro-forma fund (held books and every proposal) runs
 * above `risk.targetVolPct` × (1 + `targetVolTolerancePct`) ex ante, every proposing book is scaled
 * by target / ex-ante vol, bringing the fund back to its target. A fit, not a policy: it never
 * scales a book above what its agent proposed, and below the band it does nothing (the capital
 * allocation, not this check, brings a fund up to its target).
 */
export const FundRiskTargetCheck: OverlayCheck = {
  name: RULE,
  kind: 'fit',
  review(_p: AgentProposal, ctx: ReviewContext): CheckResult {
    const f = ctx.fund;
    if (!(f.riskTargetScale < 1)) return result(RULE, {});
    const target = ctx.config.risk.targetVolPct;
    return result(RULE, {
      status: 'BREACH',
      scale: f.riskTargetScale,
      reasons: [
        reason(RULE, 'FUND_RISK_TARGET', `the fund runs at ${(f.proFormaVolAnnual * 100).toFixed(1)}% ex-ante vol against a ${(target * 100).toFixed(1)}% target: books × ${f.riskTargetScale.toFixed(3)}`, {
          limit: target,
          actual: f.proFormaVolAnnual,
        }),
      ],
    });
  },
};
