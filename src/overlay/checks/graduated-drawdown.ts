import type { AgentProposal, CheckResult, Reason } from '../../contracts/index.ts';
import { reason, result, type OverlayCheck, type ReviewContext } from '../context.ts';

const RULE = 'graduated_drawdown';

/**
 * Agent steps (3% → halve, 5% → quarter, 8% → flat, 10% → pause) and fund steps (2% → every agent
 * halves, 4% → flatten) from the high-water marks; cooldowns and the recovery ramp after a freeze
 * (seed fund-overlay-plan §3B, mini-quant-fund §3). The states are advanced once per review.
 */
export const GraduatedDrawdownCheck: OverlayCheck = {
  name: RULE,
  review(_p: AgentProposal, ctx: ReviewContext): CheckResult {
    const reasons: Reason[] = [];
    const fund = ctx.fund;
    const agentDd = fund.agentDrawdown.get(ctx.agent.agentId);
    let scale = 1;
    if (agentDd) {
      const o = agentDd.outcome;
      scale *= o.scale;
      if (o.track.state !== 'normal') {
        const step = ctx.config.drawdown.agentSteps.find((s) => s.state === o.track.state);
        const code = o.track.state === 'paused' ? 'AGENT_PAUSED' : o.track.state === 'flat' ? 'AGENT_FLAT' : 'AGENT_DRAWDOWN_STEP';
        reasons.push(reason(RULE, code, `agent drawdown ${(agentDd.dd * 100).toFixed(2)}% → ${o.track.state} (book × ${o.scale})`, { limit: step?.drawdownPct ?? null, actual: agentDd.dd }));
      } else if (o.track.recoveryStep >= 0) {
        reasons.push(reason(RULE, 'RECOVERY_RAMP', `recovering after a freeze: step ${o.track.recoveryStep + 1} of ${ctx.config.drawdown.recoveryRamp.length} (book × ${o.scale})`, { limit: o.scale, actual: o.track.recoveryStep }));
      }
    }
    const fo = fund.fundDrawdown;
    scale *= fo.scale;
    if (fo.track.state !== 'normal') {
      const step = ctx.config.drawdown.fundSteps.find((s) => s.state === fo.track.state);
      reasons.push(reason(RULE, fo.track.state === 'flat' ? 'FUND_FLATTEN' : 'FUND_DRAWDOWN_STEP', `fund drawdown ${(fund.fundDrawdownPct * 100).toFixed(2)}% → ${fo.track.state} (every book × ${fo.scale})`, { limit: step?.drawdownPct ?? null, actual: fund.fundDrawdownPct }));
    } else if (fo.track.recoveryStep >= 0) {
      reasons.push(reason(RULE, 'FUND_RECOVERY_RAMP', `fund recovering after a freeze (every book × ${fo.scale})`, { limit: fo.scale, actual: fo.track.recoveryStep }));
    }
    const status = scale === 0 ? 'BREACH' : scale < 1 ? 'WARNING' : 'OK';
    return result(RULE, { status, scale, reasons });
  },
};
