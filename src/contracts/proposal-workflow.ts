import { z } from 'zod';
import { finite, fraction, isoDate, isoTime, positive, symbol } from './common.ts';
import { DenialReason } from './order.ts';
import { OverlayAction, Reason } from './overlay.ts';

/**
 * The stored state of a trade proposal's human-approval workflow (the PMS decides, the store
 * keeps it in columns). Transitions live in one table in src/pms; these are the shapes only.
 */
export const PROPOSAL_STATUSES = ['PENDING_APPROVAL', 'APPROVED', 'REJECTED', 'MODIFIED', 'EXPIRED', 'EXECUTED', 'NOT_EXECUTED', 'CANCELLED'] as const;
export const ProposalStatus = z.enum(PROPOSAL_STATUSES);
export type ProposalStatus = z.infer<typeof ProposalStatus>;

/** Roles of people using the PMS: approving needs pm, the kill switch needs risk, config needs admin. */
export const PMS_ROLES = ['viewer', 'pm', 'risk', 'admin'] as const;

/** A PM's hand-entered trade: unsigned shares or dollars (exactly one set). */
export const ProposalTicket = z.object({
  symbol,
  side: z.enum(['BUY', 'SELL']),
  qty: positive.nullable(),
  notional: positive.nullable(),
});
export type ProposalTicket = z.infer<typeof ProposalTicket>;

/** A modification's size multiplier and limit price (dollars) before and after. */
export const ProposalChanges = z.object({
  sizeBefore: finite,
  sizeAfter: finite,
  limitPriceBefore: finite.nullable(),
  limitPriceAfter: finite.nullable(),
});

/**
 * The overlay's review of a proposal's book at its modified size (or of a discretionary ticket):
 * its action, book scale in [0, 1], summary and reasons, as of the market date it reviewed.
 * `decisionId` names the stored overlay decision (null for a preview, which is not stored).
 */
export const ProposalReview = z.object({
  asOf: isoDate,
  decisionId: z.string().nullable(),
  action: OverlayAction,
  scale: fraction,
  summary: z.string(),
  reasons: z.array(Reason),
});
export type ProposalReview = z.infer<typeof ProposalReview>;

/**
 * Why an approved proposal traded nothing, one per name (null: the whole proposal): a name the
 * planner skipped (`MIN_NOTIONAL`, `NO_PRICE`, `WHOLE_SHARES`, with the limit and the actual
 * value), an order's pre-trade or broker denial (its code), an order that ended unfilled
 * (`ORDER_EXPIRED`, `ORDER_CANCELLED`, `ORDER_REJECTED`), or `NOTHING_TO_TRADE` (the book was at its targets).
 */
export const ExecutionShortfall = DenialReason.extend({ symbol: symbol.nullable() });
export type ExecutionShortfall = z.infer<typeof ExecutionShortfall>;

/**
 * One step of a proposal's decision history (who, in which role, why, when). `review`: on a
 * MODIFIED step the overlay's preview of the modified book; on the step that executed it (or that
 * the overlay rejected) the review it was executed under. Absent when the overlay did not review.
 */
export const ProposalEvent = z.object({
  from: ProposalStatus,
  to: ProposalStatus,
  who: z.string().min(1),
  role: z.enum([...PMS_ROLES, 'system']),
  why: z.string(),
  at: isoTime,
  journalEntryId: z.string().nullable(),
  changes: ProposalChanges.nullable(),
  review: ProposalReview.optional(),
  /** On the NOT_EXECUTED step: why nothing traded. */
  reasons: z.array(ExecutionShortfall).optional(),
});
export type ProposalEvent = z.infer<typeof ProposalEvent>;
