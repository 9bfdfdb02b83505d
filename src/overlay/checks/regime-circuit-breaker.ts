import type { AgentProposal, CheckResult, Reason } from '../../contracts/index.ts';
import { reason, reduceOnlyCap, result, setCap, type OverlayCheck, type ReviewContext } from '../context.ts';
import { riskChange, riskChangeMessage } from '../risk-reducing.ts';
import { table } from '../table.ts';

const RULE = 'regime_circuit_breaker';

/**
 * Regime multipliers (BULL_QUIET 1.0, BULL_VOLATILE 0.7, BEAR_QUIET 0.5, BEAR_CRISIS 0.0: no new
 * risk) and the three-tier circuit breaker of seeds/mini-quant-fund §3: tier 1 (pro-forma VaR95 over
 * its limit) scales to the limit, tier 2 (VaR > 1.5× limit or volatility > 2× target) sizes at 25%,
 * tier 3 (drawdown over the limit in high volatility) is a kill switch (HALTED). A proposal that
 * lowers the fund's risk (`riskChange`: VaR down, |net| not up) is never held back by the regime or
 * the circuit breaker: it passes whole, with the info reason REGIME_RISK_REDUCING.
 */
export const RegimeCircuitBreakerCheck: OverlayCheck = {
  name: RULE,
  kind: 'policy',
  capsMostNames: true,
  review(_p: AgentProposal, ctx: ReviewContext): CheckResult {
    const f = ctx.fund;
    const m = f.regimeMultiplier;
    if (m < 1 || f.circuitBreakerTier >= 1) {
      const rc = riskChange(ctx);
      if (rc.isReducing) return result(RULE, { reasons: [reason(RULE, 'REGIME_RISK_REDUCING', `regime ${f.regime}: ${riskChangeMessage(rc, f.z)}`, { limit: rc.sigmaBefore * f.z, actual: rc.sigmaAfter * f.z })] });
    }
    const reasons: Reason[] = [];
    const caps = table<number>();
    let scale = 1;
    if (m <= 0) {
      const a = ctx.agent;
      for (let i = 0; i < a.names.length; i++) setCap(caps, a.names[i] ?? '', reduceOnlyCap(a.proposedW[i] ?? 0, a.currentW[i] ?? 0));
      reasons.push(reason(RULE, 'REGIME_BLOCK', `regime ${f.regime}: multiplier 0, no new risk`, { limit: 0, actual: m }));
    } else if (m < 1) {
      scale *= m;
      reasons.push(reason(RULE, 'REGIME_MULTIPLIER', `regime ${f.regime}: books × ${m}`, { limit: m, actual: m }));
    }
    if (f.circuitBreakerTier >= 1) {
      scale *= f.circuitBreakerScale;
      const code = f.circuitBreakerTier === 1 ? 'CIRCUIT_BREAKER_TIER1' : f.circuitBreakerTier === 2 ? 'CIRCUIT_BREAKER_TIER2' : 'CIRCUIT_BREAKER_TIER3';
      reasons.push(
        reason(RULE, code, `circuit breaker tier ${f.circuitBreakerTier}: pro-forma VaR95 ${(f.proFormaVarPct * 100).toFixed(2)}% of capital, volatility ${(f.proFormaVolAnnual * 100).toFixed(1)}% a year → books × ${f.circuitBreakerScale.toFixed(3)}`, {
          limit: ctx.config.risk.varLimitPct,
          actual: f.proFormaVarPct,
        }),
      );
    }
    const hasCaps = m <= 0 && ctx.agent.names.length > 0;
    const status = scale === 0 || hasCaps ? 'BREACH' : scale < 1 ? 'WARNING' : 'OK';
    return result(RULE, { status, scale, caps, reasons });
  },
};
