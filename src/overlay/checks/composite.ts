import type { AgentProposal, CheckResult, CheckStatus } from '../../contracts/index.ts';
import { result, setCap, type OverlayCheck, type ReviewContext } from '../context.ts';
import { table } from '../table.ts';

/** A check that never acts (to switch a rule off without an `if`). */
export const NullCheck: OverlayCheck = {
  name: 'null',
  kind: 'fit',
  review: (): CheckResult => result('null', {}),
};

const RANK: Readonly<Record<CheckStatus, number>> = { OK: 0, WARNING: 1, BREACH: 2 };

/**
 * Several checks as one: the worst status, the product of scales, the tightest caps, the union of
 * removals and reasons, block if any blocks. A policy when every part is one (their product is a
 * policy multiplier), else a fit.
 */
export function compositeCheck(name: string, checks: readonly OverlayCheck[]): OverlayCheck {
  return {
    name,
    kind: checks.length > 0 && checks.every((c) => c.kind === 'policy') ? 'policy' : 'fit',
    capsMostNames: checks.some((c) => c.capsMostNames === true),
    governsTradingState: checks.some((c) => c.governsTradingState === true),
    review(p: AgentProposal, ctx: ReviewContext): CheckResult {
      let status: CheckStatus = 'OK';
      let scale = 1;
      let block = false;
      const caps = table<number>();
      const removed = new Set<string>();
      const reasons: CheckResult['reasons'] = [];
      for (const c of checks) {
        const r = c.review(p, ctx);
        if (RANK[r.status] > RANK[status]) status = r.status;
        scale *= r.scale;
        block ||= r.block;
        for (const [s, v] of Object.entries(r.caps)) setCap(caps, s, v);
        for (const s of r.removed) removed.add(s);
        reasons.push(...r.reasons);
      }
      return result(name, { status, scale, caps, removed: [...removed], block, reasons });
    },
  };
}
