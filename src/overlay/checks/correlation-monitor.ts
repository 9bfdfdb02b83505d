import type { AgentProposal, CheckResult, Reason } from '../../contracts/index.ts';
import { reason, result, type OverlayCheck, type ReviewContext } from '../context.ts';

const RULE = 'correlation_monitor';

/**
 * Seed fund-overlay-plan §2A and mini-quant §3 "Correlation Shock 0.70 → SCALE", acting on a
 * *change*, not a level (issue 15): an agent is scaled by shock / ρ when its current P&L
 * correlation ρ with another agent (`risk.correlationWindowDays`) is above that pair's own baseline
 * (`risk.correlationBaselineDays`) by more than `risk.correlationSpikeDelta` and above
 * `risk.correlationShock`. Only pairs of agents that both traded through the baseline window count;
 * structural clustering (long-only books at ρ ≈ 0.95 for years) is left to the bucket caps.
 * Adding to a crowded name (≥ `risk.crowdingAgents` agents on the same side) is reported (info);
 * the gate itself is a recommended action of the fund snapshot.
 */
export const CorrelationMonitorCheck: OverlayCheck = {
  name: RULE,
  kind: 'policy',
  review(_p: AgentProposal, ctx: ReviewContext): CheckResult {
    const a = ctx.agent;
    const reasons: Reason[] = [];
    let scale = 1;
    const spike = ctx.fund.agentCorrelation.get(a.agentId)?.spike ?? null;
    const r = ctx.config.risk;
    if (spike) {
      scale = r.correlationShock / spike.current;
      reasons.push(
        reason(RULE, 'AGENT_CORRELATION', `${r.correlationWindowDays}-day P&L correlation with ${spike.with} is ${spike.current.toFixed(2)}, up from ${spike.baseline.toFixed(2)} over ${r.correlationBaselineDays} days: book × ${scale.toFixed(3)}`, {
          limit: r.correlationShock,
          actual: spike.current,
        }),
      );
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
