import type { AgentProposal, CheckResult } from '../../contracts/index.ts';
import { reason, result, type OverlayCheck, type ReviewContext } from '../context.ts';

const RULE = 'emergency';

/**
 * Black-swan emergency (risk-service-plan §4): every cap is tightened by `regime.emergencyTightening`
 * (through the fund context's limit factor) and every book is forced down by the same fraction; the
 * fund is REDUCING meanwhile, so nothing grows.
 */
export const EmergencyCheck: OverlayCheck = {
  name: RULE,
  kind: 'policy',
  review(_p: AgentProposal, ctx: ReviewContext): CheckResult {
    if (!ctx.state.emergency) return result(RULE, {});
    const t = ctx.config.regime.emergencyTightening;
    return result(RULE, {
      status: 'BREACH',
      scale: 1 - t,
      reasons: [reason(RULE, 'EMERGENCY_DERISK', `emergency state: caps tightened and books forced down by ${(t * 100).toFixed(0)}%`, { limit: 1 - t, actual: 1 })],
    });
  },
};
