/**
 * Trade proposals awaiting human approval, and the one table of their allowed transitions.
 *
 * PENDING_APPROVAL → APPROVED | REJECTED | MODIFIED | EXPIRED | CANCELLED
 * MODIFIED         → APPROVED | REJECTED | MODIFIED | EXPIRED | CANCELLED
 * APPROVED         → EXECUTED | NOT_EXECUTED | REJECTED | CANCELLED | EXPIRED
 *   (NOT_EXECUTED: it went to the OMS and nothing traded, with the reasons; REJECTED: the overlay blocked it at execution)
 * REJECTED, EXPIRED, EXECUTED, NOT_EXECUTED, CANCELLED are terminal.
 */
import { PROPOSAL_STATUSES, type ExecutionShortfall, type ProposalReview } from '../../contracts/index.ts';
import type { PmsRole } from '../journal/journal-entry.ts';

export { PROPOSAL_STATUSES };
export type { ExecutionShortfall, ProposalReview };
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

/** Allowed transitions, the only place they are defined. */
export const PROPOSAL_TRANSITIONS: Readonly<Record<ProposalStatus, readonly ProposalStatus[]>> = {
  PENDING_APPROVAL: ['APPROVED', 'REJECTED', 'MODIFIED', 'EXPIRED', 'CANCELLED'],
  MODIFIED: ['APPROVED', 'REJECTED', 'MODIFIED', 'EXPIRED', 'CANCELLED'],
  APPROVED: ['EXECUTED', 'NOT_EXECUTED', 'REJECTED', 'CANCELLED', 'EXPIRED'],
  REJECTED: [],
  EXPIRED: [],
  EXECUTED: [],
  NOT_EXECUTED: [],
  CANCELLED: [],
};

/** True when no transition leaves `s`. */
export function isTerminalStatus(s: ProposalStatus): boolean {
  return PROPOSAL_TRANSITIONS[s].length === 0;
}

/** True when the table allows `from → to`. */
export function canTransition(from: ProposalStatus, to: ProposalStatus): boolean {
  return PROPOSAL_TRANSITIONS[from].includes(to);
}

/** Statuses a human still has to act on. */
export function isAwaitingDecision(s: ProposalStatus): boolean {
  return s === 'PENDING_APPROVAL' || s === 'MODIFIED';
}

/** The agent id of trades entered by a PM by hand. */
export const DISCRETIONARY = 'discretionary';

/** One target of a proposal: `weight` is a signed fraction of the book's allocated capital (as the overlay left it). */
export interface ProposalTarget {
  readonly symbol: string;
  readonly weight: number;
}

/** A PM's hand-entered trade carried by a discretionary proposal. Quantities in shares, notionals in dollars, both unsigned. */
export interface ProposalTicket {
  readonly symbol: string;
  readonly side: 'BUY' | 'SELL';
  readonly qty: number | null;
  readonly notional: number | null;
}

/** One step of a proposal's decision history. */
export interface ProposalEvent {
  readonly from: ProposalStatus;
  readonly to: ProposalStatus;
  readonly who: string;
  readonly role: PmsRole | 'system';
  readonly why: string;
  /** ISO-8601 timestamp. */
  readonly at: string;
  /** The journal entry written for this step (null for system steps that write none). */
  readonly journalEntryId: string | null;
  /** For MODIFIED: the size and limit price before and after. */
  readonly changes: ProposalChanges | null;
  /**
   * The overlay's review of the book at its modified size (or of the ticket): on a MODIFIED step a
   * preview as of the modification; on the step that executed it, or rejected it (`system:overlay`),
   * the review it ran under. Absent when the overlay did not review.
   */
  readonly review?: ProposalReview | undefined;
  /** On the NOT_EXECUTED step: why nothing traded, per name. */
  readonly reasons?: ExecutionShortfall[] | undefined;
}

export interface ProposalChanges {
  readonly sizeBefore: number;
  readonly sizeAfter: number;
  readonly limitPriceBefore: number | null;
  readonly limitPriceAfter: number | null;
}

/**
 * A proposed trade waiting for (or past) a human decision. `size` is a multiplier on the
 * proposal as generated (1 = as the overlay or the ticket said; 0.5 = half); executed weights are
 * `target.weight × size` and executed ticket quantities `qty × size`. `limitPrice` in dollars,
 * only for single-symbol proposals. Timestamps are ISO-8601 strings.
 */
export interface TradeProposal {
  readonly id: string;
  readonly fundId: string;
  /** The agent whose book this changes, or `'discretionary'`. */
  readonly agentId: string;
  readonly cycleId: string | null;
  /** The overlay decision this came from (null for discretionary trades). */
  readonly decisionId: string | null;
  readonly traceId: string | null;
  readonly symbols: readonly string[];
  readonly targets: readonly ProposalTarget[];
  readonly ticket: ProposalTicket | null;
  readonly size: number;
  readonly limitPrice: number | null;
  readonly status: ProposalStatus;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly rationale: string;
  readonly history: readonly ProposalEvent[];
  /** Orders and fills that executed it (filled in by `markExecuted`). */
  readonly orderIds: readonly string[];
  readonly fillIds: readonly string[];
}

/**
 * Whether executing the proposal needs a fresh overlay review: a discretionary ticket always, an
 * agent's book when its size was modified (an unmodified book executes as its cycle reviewed it).
 */
export function needsReview(p: Pick<TradeProposal, 'ticket' | 'size'>): boolean {
  return p.ticket !== null || p.size !== 1;
}

/** Targets after the size multiplier. */
export function effectiveTargets(p: TradeProposal): ProposalTarget[] {
  return p.targets.map((t) => ({ symbol: t.symbol, weight: t.weight * p.size }));
}

/** The ticket after the size multiplier (null for agent proposals). */
export function effectiveTicket(p: TradeProposal): ProposalTicket | null {
  const t = p.ticket;
  if (t === null) return null;
  return { ...t, qty: t.qty === null ? null : t.qty * p.size, notional: t.notional === null ? null : t.notional * p.size };
}
