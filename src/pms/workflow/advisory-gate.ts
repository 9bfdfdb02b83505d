/**
 * In advisory mode the cycle waits for the PM: this gate says whether every proposal of a cycle
 * has been decided, and what the cycle may execute (approved proposals, at their modified size).
 */
import { effectiveTargets, effectiveTicket, isAwaitingDecision, type ProposalTarget, type ProposalTicket, type TradeProposal } from './proposal.ts';
import { isoMs } from '../time.ts';

export interface ApprovedBook {
  readonly proposalId: string;
  readonly agentId: string;
  readonly decisionId: string | null;
  /** Target weights after the size multiplier (fractions of the agent's capital). */
  readonly targets: ProposalTarget[];
  /** The ticket after the size multiplier (discretionary proposals only). */
  readonly ticket: ProposalTicket | null;
  readonly limitPrice: number | null;
}

export interface AdvisoryGate {
  /** True when no proposal of the cycle still waits for a decision. */
  readonly isReady: boolean;
  /** Ids still waiting (pending or modified, not yet past expiry), soonest expiry first. */
  readonly waiting: string[];
  /** Approved and not yet executed: what the cycle may send to the OMS. */
  readonly approved: ApprovedBook[];
  /** Rejected, cancelled, expired (including those past expiry but not yet swept) or not executed: the agent's book stays as it is. */
  readonly notApproved: string[];
}

/**
 * The gate for one cycle (`cycleId`), or for discretionary proposals (`cycleId` null). A proposal
 * awaiting a decision whose `expiresAt` ≤ `now` counts as not approved (run `expireProposals` to record it).
 */
export function advisoryGate(proposals: readonly TradeProposal[], cycleId: string | null, now: string): AdvisoryGate {
  const t = isoMs(now, 'now');
  const mine = proposals.filter((p) => p.cycleId === cycleId);
  const isLive = (p: TradeProposal): boolean => isoMs(p.expiresAt) > t;
  const waiting = mine
    .filter((p) => isAwaitingDecision(p.status) && isLive(p))
    .sort((a, b) => isoMs(a.expiresAt) - isoMs(b.expiresAt) || (a.id < b.id ? -1 : 1))
    .map((p) => p.id);
  const approved = mine
    .filter((p) => p.status === 'APPROVED' && isLive(p))
    .map((p) => ({ proposalId: p.id, agentId: p.agentId, decisionId: p.decisionId, targets: effectiveTargets(p), ticket: effectiveTicket(p), limitPrice: p.limitPrice }));
  const notApproved = mine
    .filter((p) => p.status === 'REJECTED' || p.status === 'CANCELLED' || p.status === 'EXPIRED' || p.status === 'NOT_EXECUTED' || ((isAwaitingDecision(p.status) || p.status === 'APPROVED') && !isLive(p)))
    .map((p) => p.id);
  return { isReady: waiting.length === 0, waiting, approved, notApproved };
}
