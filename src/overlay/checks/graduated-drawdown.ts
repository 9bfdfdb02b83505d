import type { AgentProposal, CheckResult, Reason } from '../../contracts/index.ts';
import { reason, result, type OverlayCheck, type ReviewContext } from '../context.ts';

const RULE = 'graduated_drawdown';

/**
 * Agent steps in units of the agent's own volatility (1.5σ → halve, 2σ → quarter, 2.5σ → flat,
 * 3σ → pause) and fund steps in units of the risk target (1σ → every agent halves, 1.4σ → flatten),
 * or fixed drawdowns; cooldowns, the rebase of a reduce step that held, and the recovery ramp after
 * a freeze (seed fund-overlay-plan §3B, mini-quant-fund §3, issue 15). The states are advanced once per review.
 */
export const GraduatedDrawdownCheck: OverlayCheck = {
  name: RULE,
  kind: 'policy',
  review(_p: AgentProposal, ctx: ReviewContext): CheckResult {
    const reasons: Reason[] = [];
    const fund = ctx.fund;
    const agentDd = fund.agentDrawdown.get(ctx.agent.agentId);
    let scale = 1;
    if (agentDd) {
      const o = agentDd.outcome;
      scale *= o.scale;
      if (o.track.state !== 'normal') {
        const code = o.track.state === 'paused' ? 'AGENT_PAUSED' : o.track.state === 'flat' ? 'AGENT_FLAT' : 'AGENT_DRAWDOWN_STEP';
        const unit = o.track.unitVol !== undefined ? ` (step at ${pct(o.threshold)}, its vol ${pct(o.track.unitVol)})` : '';
        reasons.push(reason(RULE, code, `agent drawdown ${pct(o.drawdown)} → ${o.track.state}${unit} (book × ${o.scale})`, { limit: o.threshold, actual: o.drawdown }));
      } else if (o.track.recoveryStep >= 0) {
        reasons.push(reason(RULE, 'RECOVERY_RAMP', `recovering after a freeze: step ${o.track.recoveryStep + 1} of ${ctx.config.drawdown.recoveryRamp.length} (book × ${o.scale})`, { limit: o.scale, actual: o.track.recoveryStep }));
      }
    }
    const fo = fund.fundDrawdown;
    scale *= fo.scale;
    if (fo.track.state !== 'normal') {
      reasons.push(reason(RULE, fo.track.state === 'flat' ? 'FUND_FLATTEN' : 'FUND_DRAWDOWN_STEP', `fund drawdown ${pct(fo.drawdown)} → ${fo.track.state} (step at ${pct(fo.threshold)}; every book × ${fo.scale})`, { limit: fo.threshold, actual: fo.drawdown }));
    } else if (fo.track.recoveryStep >= 0) {
      reasons.push(reason(RULE, 'FUND_RECOVERY_RAMP', `fund recovering after a freeze (every book × ${fo.scale})`, { limit: fo.scale, actual: fo.track.recoveryStep }));
    }
    const status = scale === 0 ? 'BREACH' : scale < 1 ? 'WARNING' : 'OK';
    return result(RULE, { status, scale, reasons });
  },
};

function pct(x: number | null): string {
  return x === null ? '?' : `${(x * 100).toFixed(2)}%`;
}
