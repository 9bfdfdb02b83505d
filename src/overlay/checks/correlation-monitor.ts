import type { AgentProposal, CheckResult, Reason } from '../../contracts/index.ts';
import { reason, result, type OverlayCheck, type ReviewContext } from '../context.ts';

const RULE = 'correlation_monitor';

/**
 * Seed fund-overlay-plan §2A and mini-quant §3 "Correlation Shock 0.70 → SCALE": an agent whose
 * 60-day P&L correlation with another agent exceeds `risk.correlationShock` is scaled by
 * shock / ρ. Adding to a crowded name (≥ `risk.crowdingAgents` agents on the same side) is
 * flagged (WARNING); the gate itself is a recommended action of the fund snapshot.
 */
export const CorrelationMonitorCheck: OverlayCheck = {
  name: RULE,
  review(_p: AgentProposal, ctx: ReviewContext): CheckResult {
    const a = ctx.agent;
    const reasons: Reason[] = [];
    let scale = 1;
    const c = ctx.fund.agentCorrelation.get(a.agentId);
    const shock = ctx.config.risk.correlationShock;
    if (c && c.maxPair > shock) {
      scale = shock / c.maxPair;
      reasons.push(reason(RULE, 'AGENT_CORRELATION', `60-day P&L correlation with ${c.with ?? '?'} is ${c.maxPair.toFixed(2)}: book × ${scale.toFixed(3)}`, { limit: shock, actual: c.maxPair }));
    }
    const need = ctx.config.risk.crowdingAgents;
    for (let i = 0; i < a.names.length; i++) {
      const u = a.idx[i] ?? 0;
      const w = a.proposedW[i] ?? 0;
      const cur = a.currentW[i] ?? 0;
      if (w === 0) continue;
      const holders = w > 0 ? (ctx.fund.holdersLong[u] ?? 0) : (ctx.fund.holdersShort[u] ?? 0);
      const adds = w * cur <= 0 || Math.abs(w) > Math.abs(cur);
      if (holders >= need && adds) {
        const sym = a.names[i] ?? '';
        reasons.push(reason(RULE, 'CROWDED_NAME', `${holders} agents on the same side of ${sym}`, { symbol: sym, limit: need - 1, actual: holders }));
      }
    }
    const status = scale < 1 || reasons.length > 0 ? 'WARNING' : 'OK';
    return result(RULE, { status, scale, reasons });
  },
};
