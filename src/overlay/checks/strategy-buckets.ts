import type { AgentProposal, CheckResult } from '../../contracts/index.ts';
import { componentAt, groupTerms, largestScale } from '../budget-math.ts';
import { reason, result, type OverlayCheck, type ReviewContext } from '../context.ts';
import type { SparseBook } from '../risk-math.ts';
import { own } from '../table.ts';

const RULE = 'strategy_buckets';

/** The other books of the candidate's bucket already in the fund: approved this cycle or held by agents not proposing. */
export function bucketPeers(ctx: ReviewContext, bucket: string): SparseBook[] {
  const out: SparseBook[] = [];
  const self = ctx.agent.agentId;
  for (const [id, b] of ctx.ledger.books) if (id !== self && ctx.fund.bucketOf.get(id) === bucket) out.push(b);
  return out;
}

/**
 * Seed fund-overlay-plan §1B: agents are grouped by risk-driver bucket (STRATEGY_BUCKET_MAP by
 * default) and the bucket's aggregated Euler component VaR may not exceed maxRiskAllocationPct of
 * the fund VaR budget. Agents reviewed earlier this cycle consume the bucket first: three momentum
 * agents share one directional_equity cap.
 */
export const StrategyBucketCheck: OverlayCheck = {
  name: RULE,
  kind: 'fit',
  review(_p: AgentProposal, ctx: ReviewContext): CheckResult {
    const bucket = ctx.agent.bucket;
    const cfg = own(ctx.config.buckets, bucket);
    if (!cfg) {
      return result(RULE, { status: 'BREACH', block: true, reasons: [reason(RULE, 'BUCKET_UNKNOWN', `bucket '${bucket}' is not configured`, { bucket })] });
    }
    const cap = cfg.maxRiskAllocationPct * ctx.fund.varBudget * ctx.fund.limitFactor;
    const peers = bucketPeers(ctx, bucket);
    const cr = ctx.candidateRisk();
    const terms = groupTerms(ctx, cr, peers);
    const z = ctx.fund.z;
    const comp = componentAt(z, cr, 1, terms);
    if (comp > cap + 1e-9) {
      const s = largestScale((x) => componentAt(z, cr, x, terms), cap);
      const code = s === 0 ? 'BUCKET_FULL' : 'BUCKET_CAP';
      return result(RULE, {
        status: 'BREACH',
        scale: s,
        reasons: [reason(RULE, code, `bucket ${bucket} component VaR ${comp.toFixed(0)} over its cap ${cap.toFixed(0)}: book × ${s.toFixed(3)}`, { bucket, limit: cap, actual: comp })],
      });
    }
    if (cap > 0 && comp / cap > ctx.config.risk.budgetWarningPct) {
      return result(RULE, { status: 'WARNING', reasons: [reason(RULE, 'BUCKET_WARNING', `bucket ${bucket} uses ${((comp / cap) * 100).toFixed(1)}% of its cap`, { bucket, limit: cap, actual: comp })] });
    }
    return result(RULE, {});
  },
};
