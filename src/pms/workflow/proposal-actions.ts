/**
 * Human decisions on proposals: approve, reject, modify, cancel — each returns the new proposal
 * and the journal entry it writes, or a WorkflowError value. `now` is passed in (ISO-8601).
 */
import { MAX_DOLLARS, MAX_SHARES } from '../../contracts/index.ts';
import { err, ok, type Result } from '../../core/index.ts';
import { journalEntry, type JournalEntry, type JournalKind, type PmsRole } from '../journal/journal-entry.ts';
import { canTransition, type ExecutionShortfall, type ProposalChanges, type ProposalReview, type ProposalStatus, type TradeProposal } from './proposal.ts';
import { isoMs } from '../time.ts';
import { forbiddenRole, illegalTransition, invalidInput, proposalExpired, type ProposalAction, type WorkflowError } from './workflow-error.ts';

/** Who acts, in which role, and why (a non-empty rationale is required for every decision). */
export interface Actor {
  readonly who: string;
  readonly role: PmsRole;
  readonly why: string;
}

/** A modification: a new size multiplier (> 0) and/or a new limit price (> 0, or null to clear it). */
export interface Modification extends Actor {
  readonly size?: number;
  readonly limitPrice?: number | null;
}

/** Roles allowed to take each action: approving and modifying need pm; pm or risk may reject or cancel. */
export const ACTION_ROLES: Readonly<Record<ProposalAction, readonly PmsRole[]>> = {
  approve: ['pm'],
  modify: ['pm'],
  reject: ['pm', 'risk'],
  cancel: ['pm', 'risk'],
};

const ACTION_TARGET: Readonly<Record<ProposalAction, ProposalStatus>> = {
  approve: 'APPROVED',
  modify: 'MODIFIED',
  reject: 'REJECTED',
  cancel: 'CANCELLED',
};

const ACTION_KIND: Readonly<Record<ProposalAction, JournalKind>> = {
  approve: 'APPROVAL',
  modify: 'MODIFICATION',
  reject: 'REJECTION',
  cancel: 'NOTE',
};

/** A successful decision: the new proposal and the journal entry to store with it. */
export interface Decided {
  readonly proposal: TradeProposal;
  readonly entry: JournalEntry;
}

function check(p: TradeProposal, action: ProposalAction, actor: Actor, now: string): WorkflowError | null {
  const required = ACTION_ROLES[action];
  if (!required.includes(actor.role)) return forbiddenRole(p.id, action, actor.role, required);
  const to = ACTION_TARGET[action];
  if (!canTransition(p.status, to)) return illegalTransition(p.id, p.status, to);
  if (isoMs(now, 'now') >= isoMs(p.expiresAt, 'expiresAt')) return proposalExpired(p.id, p.expiresAt, now);
  if (actor.who.trim() === '') return invalidInput(p.id, 'who', 'who must name the person acting');
  if (actor.why.trim() === '') return invalidInput(p.id, 'why', `a rationale is required to ${action} a proposal`);
  return null;
}

function apply(p: TradeProposal, action: ProposalAction, actor: Actor, now: string, changes: ProposalChanges | null): Decided {
  const to = ACTION_TARGET[action];
  const entryId = `${p.id}/j${p.history.length + 1}`;
  const rationale = action === 'cancel' ? `Cancelled: ${actor.why}` : actor.why;
  const entry = journalEntry({
    id: entryId,
    fundId: p.fundId,
    kind: ACTION_KIND[action],
    who: actor.who,
    role: actor.role,
    rationale,
    timestamp: now,
    agentId: p.agentId,
    symbols: p.symbols,
    links: { decisionIds: p.decisionId === null ? [] : [p.decisionId], proposalIds: [p.id] },
  });
  const proposal: TradeProposal = {
    ...p,
    status: to,
    size: changes?.sizeAfter ?? p.size,
    limitPrice: changes ? changes.limitPriceAfter : p.limitPrice,
    history: [...p.history, { from: p.status, to, who: actor.who, role: actor.role, why: actor.why, at: now, journalEntryId: entryId, changes }],
  };
  return { proposal, entry };
}

/** Approves a pending or modified proposal (role pm). */
export function approve(p: TradeProposal, actor: Actor, now: string): Result<Decided, WorkflowError> {
  const e = check(p, 'approve', actor, now);
  return e ? err(e) : ok(apply(p, 'approve', actor, now, null));
}

/** Rejects a pending or modified proposal (role pm or risk). */
export function reject(p: TradeProposal, actor: Actor, now: string): Result<Decided, WorkflowError> {
  const e = check(p, 'reject', actor, now);
  return e ? err(e) : ok(apply(p, 'reject', actor, now, null));
}

/** Cancels a proposal that is pending, modified or approved but not yet executed (role pm or risk). */
export function cancel(p: TradeProposal, actor: Actor, now: string): Result<Decided, WorkflowError> {
  const e = check(p, 'cancel', actor, now);
  return e ? err(e) : ok(apply(p, 'cancel', actor, now, null));
}

/**
 * Changes the size multiplier and/or the limit price (role pm). The proposal goes to MODIFIED and
 * still needs an approval; the new size must pass the overlay and OMS checks again (the caller's job).
 */
export function modify(p: TradeProposal, m: Modification, now: string): Result<Decided, WorkflowError> {
  const e = check(p, 'modify', m, now);
  if (e) return err(e);
  if (m.size === undefined && m.limitPrice === undefined) return err(invalidInput(p.id, 'size', 'a modification must change size or limitPrice'));
  const sizeAfter = m.size ?? p.size;
  if (!Number.isFinite(sizeAfter) || sizeAfter <= 0) return err(invalidInput(p.id, 'size', `size must be a finite number > 0 (got ${String(m.size)})`));
  // a ticket × its size stays within the sizes an order may have (past them the risk math overflows)
  if (p.ticket?.qty != null && p.ticket.qty * sizeAfter > MAX_SHARES) return err(invalidInput(p.id, 'size', `size makes the ticket ${p.ticket.qty * sizeAfter} shares: at most ${MAX_SHARES}`));
  if (p.ticket?.notional != null && p.ticket.notional * sizeAfter > MAX_DOLLARS) return err(invalidInput(p.id, 'size', `size makes the ticket $${p.ticket.notional * sizeAfter}: at most ${MAX_DOLLARS} dollars`));
  const limitAfter = m.limitPrice === undefined ? p.limitPrice : m.limitPrice;
  if (limitAfter !== null) {
    if (!Number.isFinite(limitAfter) || limitAfter <= 0) return err(invalidInput(p.id, 'limitPrice', `limitPrice must be a finite number > 0 (got ${String(limitAfter)})`));
    if (p.symbols.length !== 1) return err(invalidInput(p.id, 'limitPrice', `a limit price needs a single-symbol proposal; this one has ${p.symbols.length} symbols`));
  }
  return ok(apply(p, 'modify', m, now, { sizeBefore: p.size, sizeAfter, limitPriceBefore: p.limitPrice, limitPriceAfter: limitAfter }));
}

/**
 * Records that an approved proposal was executed by these orders and fills (a system step; no role),
 * with what happened as `why` and, when the overlay reviewed the book first, its `review`.
 */
export function markExecuted(
  p: TradeProposal,
  exec: { readonly orderIds: readonly string[]; readonly fillIds: readonly string[]; readonly why?: string; readonly review?: ProposalReview | null },
  now: string,
): Result<TradeProposal, WorkflowError> {
  if (!canTransition(p.status, 'EXECUTED')) return err(illegalTransition(p.id, p.status, 'EXECUTED'));
  return ok({
    ...p,
    status: 'EXECUTED',
    orderIds: [...new Set([...p.orderIds, ...exec.orderIds])],
    fillIds: [...new Set([...p.fillIds, ...exec.fillIds])],
    history: [...p.history, { from: p.status, to: 'EXECUTED', who: 'system:oms', role: 'system', why: exec.why ?? 'executed', at: now, journalEntryId: null, changes: null, ...(exec.review ? { review: exec.review } : {}) }],
  });
}

/**
 * Records that an approved proposal went to the OMS and traded nothing (every order denied by the
 * pre-trade checks or the broker, or expired unfilled; or no order at all, each name skipped, such
 * as a ticket below the minimum notional): NOT_EXECUTED by the system, with the reasons (`why` in
 * words, `reasons` per name) and the orders.
 */
export function markNotExecuted(
  p: TradeProposal,
  exec: { readonly orderIds: readonly string[]; readonly why: string; readonly reasons: readonly ExecutionShortfall[]; readonly review?: ProposalReview | null },
  now: string,
): Result<TradeProposal, WorkflowError> {
  if (!canTransition(p.status, 'NOT_EXECUTED')) return err(illegalTransition(p.id, p.status, 'NOT_EXECUTED'));
  return ok({
    ...p,
    status: 'NOT_EXECUTED',
    orderIds: [...new Set([...p.orderIds, ...exec.orderIds])],
    history: [
      ...p.history,
      { from: p.status, to: 'NOT_EXECUTED', who: 'system:oms', role: 'system', why: exec.why, at: now, journalEntryId: null, changes: null, ...(exec.review ? { review: exec.review } : {}), reasons: [...exec.reasons] },
    ],
  });
}

/**
 * Records that the overlay blocked an approved proposal when it reviewed the book at execution
 * (its modified size, or a ticket, no longer fits the fund's limits): REJECTED by `system:overlay`,
 * with the review and its reasons. Nothing was sent.
 */
export function markOverlayRejected(p: TradeProposal, x: { readonly review: ProposalReview; readonly why: string }, now: string): Result<TradeProposal, WorkflowError> {
  if (p.status !== 'APPROVED') return err(illegalTransition(p.id, p.status, 'REJECTED'));
  return ok({
    ...p,
    status: 'REJECTED',
    history: [...p.history, { from: p.status, to: 'REJECTED', who: OVERLAY_ACTOR, role: 'system', why: x.why, at: now, journalEntryId: null, changes: null, review: x.review }],
  });
}

/** The proposal with the overlay's review on its last history step (a modification's preview). */
export function withReview(p: TradeProposal, review: ProposalReview): TradeProposal {
  const last = p.history[p.history.length - 1];
  if (!last) return p;
  return { ...p, history: [...p.history.slice(0, -1), { ...last, review }] };
}

/** Who the overlay's own steps are by. */
export const OVERLAY_ACTOR = 'system:overlay';

/** One line for a review: `overlay SCALE × 0.412 (SINGLE_NAME_CAP, GROSS_CAP)`. */
export function reviewLine(r: ProposalReview): string {
  const codes = [...new Set(r.reasons.map((x) => x.code))];
  return `overlay ${r.action} × ${r.scale.toFixed(3)}${codes.length > 0 ? ` (${codes.join(', ')})` : ''}`;
}

/** The result of an expiry sweep: every proposal (expired ones replaced) and the ones that just expired. */
export interface ExpirySweep {
  readonly proposals: TradeProposal[];
  readonly expired: TradeProposal[];
}

/** Moves every non-terminal proposal whose `expiresAt` ≤ `now` to EXPIRED; others are returned unchanged. */
export function expireProposals(list: readonly TradeProposal[], now: string): ExpirySweep {
  const t = isoMs(now, 'now');
  const expired: TradeProposal[] = [];
  const proposals = list.map((p) => {
    if (!canTransition(p.status, 'EXPIRED') || isoMs(p.expiresAt, 'expiresAt') > t) return p;
    const q: TradeProposal = {
      ...p,
      status: 'EXPIRED',
      history: [...p.history, { from: p.status, to: 'EXPIRED', who: 'system:expiry', role: 'system', why: `expired at ${p.expiresAt}`, at: now, journalEntryId: null, changes: null }],
    };
    expired.push(q);
    return q;
  });
  return { proposals, expired };
}
