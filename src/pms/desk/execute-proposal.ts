import type { ExecutionShortfall, Fill, FundConfig, Order, OverlayDecision } from '../../contracts/index.ts';
import { KeelError, type Clock } from '../../core/index.ts';
import type { Broker, PlanSkip } from '../../execution/index.ts';
import { executeApproved, previewApproved, type ApprovedReview, type ApprovedTrade } from '../../fund/index.ts';
import type { MarketView } from '../../market/index.ts';
import type { Repos, Store } from '../../store/index.ts';
import { journalEntry, type JournalEntry } from '../journal/journal-entry.ts';
import { isoMs } from '../time.ts';
import { expireProposals, markExecuted, markNotExecuted, markOverlayRejected, OVERLAY_ACTOR, reviewLine } from '../workflow/proposal-actions.ts';
import { effectiveTargets, effectiveTicket, needsReview, type ProposalReview, type TradeProposal } from '../workflow/proposal.ts';
import { addJournalEntry } from './journal-store.ts';
import { loadProposal, saveProposal } from './proposal-store.ts';

/** Where and how approved proposals execute: the store, the fund config, the market as of now, the broker. */
export interface ExecutionDesk {
  readonly store: Store;
  readonly config: FundConfig;
  /** The market the orders are priced (and paper-filled) at: its closes. */
  readonly view: MarketView;
  readonly clock: Clock;
  readonly mode: 'paper' | 'live';
  /** The fund's broker, from the kernel (the paper broker fills at the view's closes). */
  readonly broker: Broker;
}

/**
 * What executing one proposal did. `outcome`: EXECUTED (orders went through the OMS, some traded
 * or rest), NOT_EXECUTED (nothing traded and nothing works: every order denied, a limit the
 * paper close did not reach expired, or no order at all because every name was skipped, such as a
 * ticket below the minimum notional, or the book was at its targets; the proposal is NOT_EXECUTED
 * with the reasons, per name in its last history step's `reasons`), BLOCKED (the
 * overlay's review at execution blocked the book, or left nothing of the ticket: nothing was sent,
 * the proposal is REJECTED by `system:overlay`), EXPIRED (it was past its expiry: nothing was
 * sent). `isReplay`: it had executed before, and this is the stored result (nothing was sent now).
 */
export interface ProposalExecution {
  readonly outcome: 'EXECUTED' | 'NOT_EXECUTED' | 'BLOCKED' | 'EXPIRED';
  readonly isReplay: boolean;
  readonly proposal: TradeProposal;
  readonly orders: readonly Order[];
  readonly fills: readonly Fill[];
  readonly skipped: readonly PlanSkip[];
  /** The EXECUTION (REJECTION when the overlay blocked it, EXPIRY) journal entry, linked to the orders and fills; null on a replay. */
  readonly entry: JournalEntry | null;
  /** The overlay's review at execution (a modified book, a ticket); null when the book executed as its cycle reviewed it. */
  readonly review: ProposalReview | null;
}

/**
 * The trade an approved proposal asks for, at its modified size. A ticket, or a book whose size was
 * modified, asks for the overlay's review (`needsReview`); `prior` is the overlay decision an agent's
 * book came from (its policy multipliers are already in the targets).
 */
export function approvedTrade(p: TradeProposal, prior: OverlayDecision | null = null): ApprovedTrade {
  const ticket = effectiveTicket(p);
  return {
    proposalId: p.id,
    fundId: p.fundId,
    agentId: p.agentId,
    traceId: p.traceId ?? p.id,
    cycleId: p.cycleId,
    targets: ticket ? null : effectiveTargets(p),
    ticket,
    limitPrice: p.limitPrice,
    review: needsReview(p) ? { prior } : null,
  };
}

/** The stored overlay decision an agent's proposal came from, or null (a ticket, or none stored). */
async function priorDecision(tx: Pick<Repos, 'overlayActions'>, p: TradeProposal): Promise<OverlayDecision | null> {
  if (p.ticket !== null || p.cycleId === null || p.decisionId === null) return null;
  return (await tx.overlayActions.listByCycle(p.cycleId)).find((d) => d.decisionId === p.decisionId) ?? null;
}

function proposalReview(r: ApprovedReview, asOf: string, isStored: boolean): ProposalReview {
  const d = r.decision;
  return { asOf, decisionId: isStored ? d.decisionId : null, action: d.action, scale: d.scale, summary: d.summary, reasons: d.reasons };
}

/**
 * What the overlay would do to the proposal's book if it executed now, or null when executing it
 * needs no review (an unmodified agent book). A preview: nothing is stored, and execution reviews
 * again (the market and the book may move in between).
 */
export async function previewReview(d: Pick<ExecutionDesk, 'store' | 'config' | 'view' | 'clock'>, p: TradeProposal): Promise<ProposalReview | null> {
  if (!needsReview(p)) return null;
  const r = await previewApproved(d.store, d, approvedTrade(p, await priorDecision(d.store, p)));
  return proposalReview(r, d.view.asOf, false);
}

/** The proposal with its last history step linked to a journal entry. */
function linkLastStep(p: TradeProposal, journalEntryId: string): TradeProposal {
  const last = p.history[p.history.length - 1];
  if (!last) return p;
  return { ...p, history: [...p.history.slice(0, -1), { ...last, journalEntryId }] };
}

function orderLine(o: Order): string {
  const done = o.filledQty > 0 ? `filled ${o.filledQty} @ ${(o.avgFillPrice ?? 0).toFixed(2)}` : o.status.toLowerCase();
  const why = o.denials.length > 0 ? ` (${[...new Set(o.denials.map((d) => d.code))].join(', ')})` : '';
  return `${o.side} ${o.qty} ${o.symbol} ${done}${why}`;
}

/** Records an expiry found by a sweep (or at execution time): the status, an EXPIRY journal entry, an audit row. */
export async function recordExpiry(tx: Repos, before: TradeProposal, expired: TradeProposal, now: string): Promise<{ proposal: TradeProposal; entry: JournalEntry }> {
  const entry = journalEntry({
    id: `${expired.id}/expired`,
    fundId: expired.fundId,
    kind: 'EXPIRY',
    who: 'system:expiry',
    role: 'system',
    rationale: `Proposal ${expired.id} (${expired.agentId}, ${expired.symbols.join(' ')}) expired at ${expired.expiresAt} as ${before.status}; nothing was sent.`,
    timestamp: now,
    agentId: expired.agentId,
    symbols: expired.symbols,
    links: { decisionIds: expired.decisionId === null ? [] : [expired.decisionId], proposalIds: [expired.id] },
  });
  const proposal = linkLastStep(expired, entry.id);
  await saveProposal(tx, before, proposal);
  await addJournalEntry(tx, entry);
  await tx.audit.append({ at: now, actor: 'system:expiry', action: 'ProposalExpired', entity: 'proposal', entityId: expired.id, payload: { fundId: expired.fundId, from: before.status, expiresAt: expired.expiresAt } });
  return { proposal, entry };
}

async function storedResult(tx: Repos, p: TradeProposal): Promise<{ orders: Order[]; fills: Fill[] }> {
  const orders: Order[] = [];
  const fills: Fill[] = [];
  for (const id of p.orderIds) {
    const o = await tx.orders.findByClientOrderId(id);
    if (o) orders.push(o);
    fills.push(...(await tx.fills.listByOrder(id)));
  }
  return { orders, fills };
}

/**
 * Executes an APPROVED proposal in one transaction: its row is locked, the orders go through the
 * fund's OMS path (`executeApproved`), and the orders, fills, positions, the proposal's new status
 * with its order and fill ids, an EXECUTION journal entry and an audit row commit together or not
 * at all. Idempotent by proposal id: a proposal that already executed returns its stored orders
 * (`isReplay`) and sends nothing. A proposal past its expiry is moved to EXPIRED and never executes.
 */
export async function executeProposal(d: ExecutionDesk, fundId: string, proposalId: string): Promise<ProposalExecution> {
  const now = new Date(d.clock.now()).toISOString();
  return d.store.transaction(async (tx) => {
    const p = await loadProposal(tx, fundId, proposalId, { forUpdate: true });
    if (!p) throw new KeelError('KEEL_E_NOT_FOUND', `proposal ${proposalId} does not exist`, { field: 'params.proposalId' });
    const last = p.history.at(-1);
    // REJECTED by the overlay from APPROVED is its review at execution (a ticket it blocked when entered never was APPROVED).
    const ranBefore = p.status === 'EXECUTED' || p.status === 'NOT_EXECUTED' || (p.status === 'REJECTED' && last?.who === OVERLAY_ACTOR && last.from === 'APPROVED');
    if (ranBefore) {
      const { orders, fills } = await storedResult(tx, p);
      const outcome = p.status === 'EXECUTED' ? 'EXECUTED' : p.status === 'REJECTED' ? 'BLOCKED' : 'NOT_EXECUTED';
      return { outcome, isReplay: true, proposal: p, orders, fills, skipped: [], entry: null, review: last?.review ?? null };
    }
    if (p.status !== 'APPROVED') {
      throw new KeelError('KEEL_E_ILLEGAL_TRANSITION', `proposal ${p.id} is ${p.status}; only an APPROVED proposal executes`, { proposalId: p.id, from: p.status, to: 'EXECUTED' });
    }
    if (isoMs(now, 'now') >= isoMs(p.expiresAt, 'expiresAt')) {
      const { proposal, entry } = await recordExpiry(tx, p, expireProposals([p], now).expired[0] ?? p, now);
      return { outcome: 'EXPIRED', isReplay: false, proposal, orders: [], fills: [], skipped: [], entry, review: null };
    }
    const exec = await executeApproved(tx, { config: d.config, view: d.view, clock: d.clock, mode: d.mode, broker: d.broker }, approvedTrade(p, await priorDecision(tx, p)));
    const review = exec.review ? proposalReview(exec.review, exec.asOf, true) : null;
    const approval = p.history.filter((h) => h.to === 'APPROVED').at(-1);
    const approvedBy = approval ? ` (approved by ${approval.who}: ${approval.why})` : '';
    if (exec.review?.isBlocked && review) return overlayRejected(tx, p, review, { asOf: exec.asOf, approvedBy, now });
    const orderIds = exec.orders.map((o) => o.id);
    const fillIds = exec.fills.map((f) => f.id);
    // Nothing traded and nothing still working (every order denied or a limit that expired unreached,
    // or no order at all: each name skipped, e.g. below the minimum notional, or none to trade): not executed.
    const allDenied = exec.fills.length === 0 && exec.orders.every((o) => o.status === 'REJECTED' || o.status === 'EXPIRED' || o.status === 'CANCELLED');
    const lines = exec.orders.map(orderLine);
    const skips = exec.skipped.map((s) => `${s.symbol} not traded (${s.reason.code}: ${s.reason.message})`);
    const traded = [...lines, ...skips].join('; ') || 'nothing to trade (the book is at its targets)';
    const summary = review ? `${reviewLine(review)}; ${traded}` : traded;
    const why = allDenied ? `nothing traded: ${summary}` : summary;
    const next = allDenied ? markNotExecuted(p, { orderIds, why, reasons: shortfalls(exec.orders, exec.skipped), review }, now) : markExecuted(p, { orderIds, fillIds, why, review }, now);
    if (!next.ok) throw new KeelError(next.error.keelCode, next.error.message, { proposalId: p.id });
    const entry = journalEntry({
      id: `${p.id}/executed`,
      fundId: p.fundId,
      kind: 'EXECUTION',
      who: 'system:oms',
      role: 'system',
      rationale: `${allDenied ? 'Not executed' : 'Executed'} ${p.id} as of ${exec.asOf}${approvedBy}: ${why}${review ? `. ${review.summary}` : ''}`,
      timestamp: now,
      agentId: p.agentId,
      symbols: [...new Set([...p.symbols, ...exec.orders.map((o) => o.symbol)])],
      links: { decisionIds: decisionLinks(p, review), orderIds, fillIds, proposalIds: [p.id] },
    });
    const after = linkLastStep(next.value, entry.id);
    await saveProposal(tx, p, after);
    await addJournalEntry(tx, entry);
    await tx.audit.append({
      at: now,
      actor: 'system:oms',
      action: allDenied ? 'ProposalNotExecuted' : 'ProposalExecuted',
      entity: 'proposal',
      entityId: p.id,
      payload: { fundId: p.fundId, asOf: exec.asOf, orders: exec.orders.map((o) => ({ id: o.id, symbol: o.symbol, side: o.side, qty: o.qty, status: o.status })), fillIds, adopted: exec.adopted, review: auditReview(review) },
    });
    return { outcome: allDenied ? 'NOT_EXECUTED' : 'EXECUTED', isReplay: false, proposal: after, orders: exec.orders, fills: exec.fills, skipped: exec.skipped, entry, review };
  });
}

/** Why nothing traded, per name: each skip's reason, each order's denials (or how it ended unfilled). */
function shortfalls(orders: readonly Order[], skipped: readonly PlanSkip[]): ExecutionShortfall[] {
  const out: ExecutionShortfall[] = skipped.map((s) => ({ symbol: s.symbol, ...s.reason }));
  for (const o of orders) {
    if (o.denials.length > 0) out.push(...o.denials.map((d) => ({ symbol: o.symbol, ...d })));
    else out.push({ symbol: o.symbol, code: `ORDER_${o.status}`, message: `${o.side} ${o.qty} ${o.symbol} ${o.status.toLowerCase()} unfilled${o.limitPrice !== null ? ` (limit ${o.limitPrice})` : ''}`, limit: o.limitPrice, actual: null });
  }
  return out.length > 0 ? out : [{ symbol: null, code: 'NOTHING_TO_TRADE', message: 'the book is at its targets', limit: null, actual: null }];
}

/** The decisions an execution entry links: the cycle's, and the overlay's review at execution. */
function decisionLinks(p: TradeProposal, review: ProposalReview | null): string[] {
  return [...(p.decisionId === null ? [] : [p.decisionId]), ...(review?.decisionId ? [review.decisionId] : [])];
}

const auditReview = (r: ProposalReview | null) => (r ? { decisionId: r.decisionId, action: r.action, scale: r.scale, codes: [...new Set(r.reasons.map((x) => x.code))] } : null);

/** The overlay blocked the book at execution (or left nothing of the ticket): REJECTED by the overlay, a REJECTION entry, an audit row; nothing was sent. */
async function overlayRejected(tx: Repos, p: TradeProposal, review: ProposalReview, x: { asOf: string; approvedBy: string; now: string }): Promise<ProposalExecution> {
  const what = review.action === 'BLOCK' ? 'blocked the book' : 'left nothing of the trade';
  const why = `${reviewLine(review)}: the overlay ${what} at execution; nothing was sent`;
  const next = markOverlayRejected(p, { review, why }, x.now);
  if (!next.ok) throw new KeelError(next.error.keelCode, next.error.message, { proposalId: p.id });
  const entry = journalEntry({
    id: `${p.id}/overlay-rejected`,
    fundId: p.fundId,
    kind: 'REJECTION',
    who: OVERLAY_ACTOR,
    role: 'system',
    rationale: `Rejected ${p.id} as of ${x.asOf}${x.approvedBy}: ${why}. ${review.summary}`,
    timestamp: x.now,
    agentId: p.agentId,
    symbols: p.symbols,
    links: { decisionIds: decisionLinks(p, review), proposalIds: [p.id] },
  });
  const after = linkLastStep(next.value, entry.id);
  await saveProposal(tx, p, after);
  await addJournalEntry(tx, entry);
  await tx.audit.append({ at: x.now, actor: OVERLAY_ACTOR, action: 'ProposalBlockedByOverlay', entity: 'proposal', entityId: p.id, payload: { fundId: p.fundId, asOf: x.asOf, review: auditReview(review) } });
  return { outcome: 'BLOCKED', isReplay: false, proposal: after, orders: [], fills: [], skipped: [], entry, review };
}
