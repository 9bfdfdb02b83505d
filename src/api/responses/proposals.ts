import { z } from 'zod';
import { DenialReason, ExecutionShortfall, Fill, isoTime, Order, OverlayAction, ProposalEvent, ProposalReview, ProposalStatus, ProposalTicket, Reason, TradingState } from '../../contracts/index.ts';
import { JournalEntry } from './journal.ts';

export { ExecutionShortfall, ProposalEvent, ProposalReview, Reason };
/**
 * A trade proposal awaiting (or past) a human decision. `size` multiplies the proposal as generated;
 * `targets[].weight` are fractions of the agent's capital; `limitPrice` dollars.
 */
export const Proposal = z.object({
  id: z.string(), fundId: z.string(), agentId: z.string(), cycleId: z.string().nullable(), decisionId: z.string().nullable(), traceId: z.string().nullable(),
  symbols: z.array(z.string()), targets: z.array(z.object({ symbol: z.string(), weight: z.number() })), ticket: ProposalTicket.nullable(),
  size: z.number(), limitPrice: z.number().nullable(), status: ProposalStatus, createdBy: z.string(), createdAt: isoTime, expiresAt: isoTime,
  rationale: z.string(), history: z.array(ProposalEvent), orderIds: z.array(z.string()), fillIds: z.array(z.string()),
});
export const ProposalsAnswer = z.object({ proposals: z.array(Proposal) });
export const ProposalAnswer = z.object({ proposal: Proposal });
export const ProposalDecided = z.object({ proposal: Proposal, journalEntry: JournalEntry });
export const KeelErrorBrief = z.object({ code: z.string(), message: z.string() });

/** What executing an approved proposal did (`isReplay`: it had executed before; nothing was sent now). */
export const ProposalExecution = z.object({
  outcome: z.enum(['EXECUTED', 'NOT_EXECUTED', 'BLOCKED', 'EXPIRED']), isReplay: z.boolean(), review: ProposalReview.nullable(),
  orders: z.array(Order), fills: z.array(Fill), skipped: z.array(z.object({ symbol: z.string(), reason: DenialReason })), journalEntry: JournalEntry.nullable(),
});
export const ProposalApproved = ProposalDecided.extend({ execution: ProposalExecution.nullable(), executionError: KeelErrorBrief.nullable() });
export const ProposalExecuted = z.object({ proposal: Proposal, execution: ProposalExecution });
export const ProposalModified = ProposalDecided.extend({ review: ProposalReview.nullable(), reviewError: KeelErrorBrief.nullable() });

/** A discretionary ticket as entered: the stored proposal and the overlay's review (targets are fractions of NAV). */
export const TradeEntered = z.object({
  proposal: Proposal,
  review: z.object({ action: OverlayAction, scale: z.number(), summary: z.string(), reasons: z.array(Reason), targets: z.array(z.object({ symbol: z.string(), proposedWeight: z.number(), finalWeight: z.number() })) }).nullable(),
  tradingState: TradingState,
  isAccepted: z.boolean(),
});
