import type { AgentProposal, CheckResult } from '../../contracts/index.ts';
import { reason, result, type OverlayCheck, type ReviewContext } from '../context.ts';
import { riskChangeMessage } from '../risk-reducing.ts';

const RULE = 'circuit_breaker';

/**
 * The three-tier circuit breaker of seeds/mini-quant-fund §3 on the pro-forma fund: tier 1
 * (pro-forma VaR95 over `risk.varLimitPct`) scales to the limit, tier 2 (VaR > 1.5× the limit or
 * volatility > 2× `regime.volTarget`) sizes at 25%, tier 3 (drawdown over the limit in high
 * volatility) is a kill switch (HALTED). A proposal that lowers the fund's risk passes whole, with
 * the info reason REGIME_RISK_REDUCING.
 */
export const CircuitBreakerCheck: OverlayCheck = {
  name: RULE,
  kind: 'policy',
  review(_p: AgentProposal, ctx: ReviewContext): CheckResult {
    const f = ctx.fund;
    if (f.circuitBreakerTier < 1) return result(RULE, {});
    const rc = ctx.riskChange();
    if (rc.isReducing) return result(RULE, { reasons: [reason(RULE, 'REGIME_RISK_REDUCING', `circuit breaker tier ${f.circuitBreakerTier}: ${riskChangeMessage(rc, f.z)}`, { limit: rc.sigmaBefore * f.z, actual: rc.sigmaAfter * f.z })] });
    const scale = f.circuitBreakerScale;
    const code = f.circuitBreakerTier === 1 ? 'CIRCUIT_BREAKER_TIER1' : f.circuitBreakerTier === 2 ? 'CIRCUIT_BREAKER_TIER2' : 'CIRCUIT_BREAKER_TIER3';
    const message = `circuit breaker tier ${f.circuitBreakerTier}: pro-forma VaR95 ${(f.proFormaVarPct * 100).toFixed(2)}% of capital, volatility ${(f.proFormaVolAnnual * 100).toFixed(1)}% a year → books × ${scale.toFixed(3)}`;
    return result(RULE, { status: scale === 0 ? 'BREACH' : scale < 1 ? 'WARNING' : 'OK', scale, reasons: [reason(RULE, code, message, { limit: ctx.config.risk.varLimitPct, actual: f.proFormaVarPct })] });
  },
};
