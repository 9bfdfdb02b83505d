import type { Fill, FundConfig, Order } from '../../contracts/index.ts';
import { KeelError, type Clock } from '../../core/index.ts';
import type { Broker, PlanSkip } from '../../execution/index.ts';
import { executeApproved, type ApprovedTrade } from '../../fund/index.ts';
import type { MarketView } from '../../market/index.ts';
import type { Repos, Store } from '../../store/index.ts';
import { journalEntry, type JournalEntry } from '../journal/journal-entry.ts';
import { isoMs } from '../time.ts';
import { expireProposals, markExecuted, markNotExecuted } from '../workflow/proposal-actions.ts';
import { effectiveTargets, effectiveTicket, type TradeProposal } from '../workflow/proposal.ts';
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
  /** Default: the paper broker, filling at the view's closes. */
  readonly broker?: Broker;
}

/**
 * What executing one proposal did. `outcome`: EXECUTED (orders went through the OMS, some traded
 * or rest), NOT_EXECUTED (nothing traded and nothing works: every order denied, or a limit the
 * paper close did not reach expired; the proposal is CANCELLED with the reasons),
 * EXPIRED (it was past its expiry: nothing was sent). `isReplay`: it had executed before, and
 * this is the stored result (nothing was sent now).
 */
export interface ProposalExecution {
  readonly outcome: 'EXECUTED' | 'NOT_EXECUTED' | 'EXPIRED';
  readonly isReplay: boolean;
  readonly proposal: TradeProposal;
  readonly orders: readonly Order[];
  readonly fills: readonly Fill[];
  readonly skipped: readonly PlanSkip[];
  /** The EXECUTION (or EXPIRY) journal entry, linked to the orders and fills; null on a replay. */
  readonly entry: JournalEntry | null;
}

/** The trade an approved proposal asks for, at its modified size. */
export function approvedTrade(p: TradeProposal): ApprovedTrade {
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
  };
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
    const ranBefore = p.status === 'EXECUTED' || (p.status === 'CANCELLED' && p.history.at(-1)?.who === 'system:oms');
    if (ranBefore) {
      const { orders, fills } = await storedResult(tx, p);
      return { outcome: p.status === 'EXECUTED' ? 'EXECUTED' : 'NOT_EXECUTED', isReplay: true, proposal: p, orders, fills, skipped: [], entry: null };
    }
    if (p.status !== 'APPROVED') {
      throw new KeelError('KEEL_E_ILLEGAL_TRANSITION', `proposal ${p.id} is ${p.status}; only an APPROVED proposal executes`, { proposalId: p.id, from: p.status, to: 'EXECUTED' });
    }
    if (isoMs(now, 'now') >= isoMs(p.expiresAt, 'expiresAt')) {
      const { proposal, entry } = await recordExpiry(tx, p, expireProposals([p], now).expired[0] ?? p, now);
      return { outcome: 'EXPIRED', isReplay: false, proposal, orders: [], fills: [], skipped: [], entry };
    }
    const exec = await executeApproved(tx, { config: d.config, view: d.view, clock: d.clock, mode: d.mode, ...(d.broker ? { broker: d.broker } : {}) }, approvedTrade(p));
    const orderIds = exec.orders.map((o) => o.id);
    const fillIds = exec.fills.map((f) => f.id);
    // Nothing traded and nothing still working (denied, or a limit that expired unreached): not executed.
    const allDenied = exec.orders.length > 0 && exec.fills.length === 0 && exec.orders.every((o) => o.status === 'REJECTED' || o.status === 'EXPIRED' || o.status === 'CANCELLED');
    const lines = exec.orders.map(orderLine);
    const skips = exec.skipped.map((s) => `${s.symbol} not traded (${s.reason.code})`);
    const summary = [...lines, ...skips].join('; ') || 'nothing to trade (the book is at its targets)';
    const approval = p.history.filter((h) => h.to === 'APPROVED').at(-1);
    const why = allDenied ? `nothing traded: ${summary}` : summary;
    const next = allDenied ? markNotExecuted(p, { orderIds, why }, now) : markExecuted(p, { orderIds, fillIds, why }, now);
    if (!next.ok) throw new KeelError(next.error.keelCode, next.error.message, { proposalId: p.id });
    const entry = journalEntry({
      id: `${p.id}/executed`,
      fundId: p.fundId,
      kind: 'EXECUTION',
      who: 'system:oms',
      role: 'system',
      rationale: `${allDenied ? 'Not executed' : 'Executed'} ${p.id} as of ${exec.asOf}${approval ? ` (approved by ${approval.who}: ${approval.why})` : ''}: ${why}`,
      timestamp: now,
      agentId: p.agentId,
      symbols: [...new Set([...p.symbols, ...exec.orders.map((o) => o.symbol)])],
      links: { decisionIds: p.decisionId === null ? [] : [p.decisionId], orderIds, fillIds, proposalIds: [p.id] },
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
      payload: { fundId: p.fundId, asOf: exec.asOf, orders: exec.orders.map((o) => ({ id: o.id, symbol: o.symbol, side: o.side, qty: o.qty, status: o.status })), fillIds, adopted: exec.adopted },
    });
    return { outcome: allDenied ? 'NOT_EXECUTED' : 'EXECUTED', isReplay: false, proposal: after, orders: exec.orders, fills: exec.fills, skipped: exec.skipped, entry };
  });
}
