import type { Alert, Fill } from '../../contracts/index.ts';
import { isKeelError, KeelError, type Clock } from '../../core/index.ts';
import {
  isCycleOrderId,
  PaperBroker,
  positionBreaks,
  withBrokerRetries,
  type Broker,
  type BrokerPosition,
  type Oms,
  type PositionBreak,
  type RetryPolicy,
} from '../../execution/index.ts';
import type { Store } from '../../store/index.ts';
import type { AlertManager } from '../alerts/alert-manager.ts';
import { FUND_BOOK } from '../cycle/books.ts';
import { QTY_SCALE, type Ledger } from '../ledger/ledger.ts';
import type { StoreOrderJournal } from './store-journal.ts';
import { loadStoredLedger } from './stored-ledger.ts';

/** The broker's orders listed for unknown ones start this long before the last reconciliation (clock skew). */
const SINCE_SLACK_MS = 10 * 60_000;

export interface BrokerReconcileInput {
  readonly store: Store;
  readonly fundId: string;
  readonly journal: StoreOrderJournal;
  /** The OMS over that journal and the broker (its retry policy is used for the broker calls). */
  readonly oms: Oms;
  readonly broker: Broker;
  readonly clock: Clock;
  readonly alerts: AlertManager;
  /** The cycle about to run: its orders the broker never received may still be sent; any other such order is cancelled. */
  readonly cycleId: string;
  /** The price a difference adopted from the broker is booked at (the view's close), NaN when unknown. */
  readonly price: (symbol: string) => number;
  readonly retry: RetryPolicy;
}

/** What a reconciliation found and did. Quantities signed shares. */
export interface BrokerReconciliation {
  readonly at: string;
  /** Journal events adopted from the broker (acks, fills made while Keel was down, cancels). */
  readonly adopted: number;
  /** Orders of the running cycle the broker had never received: sent now. */
  readonly resent: readonly string[];
  /** Orders of earlier cycles the broker had never received: cancelled, never sent late. */
  readonly cancelled: readonly string[];
  /** Broker orders (client order ids) since the last reconciliation that Keel did not send. */
  readonly unknown: readonly string[];
  /** False for the paper broker, which keeps no state between runs: the ledger is its only record. */
  readonly positionsChecked: boolean;
  /** Where the ledger and the broker's positions differed, before the broker's were adopted. */
  readonly breaks: readonly PositionBreak[];
  /** The fills that adopted them, booked to the fund book. */
  readonly adjustments: readonly Fill[];
}

export type BrokerReconcileOutcome =
  | { readonly ok: true; readonly report: BrokerReconciliation }
  /** The broker kept failing: the fund is HALTED and nothing may trade on books Keel cannot trust. */
  | { readonly ok: false; readonly reason: string };

/**
 * The books follow the broker. Before a live or paper cycle (so at every start, and after any
 * failure, since a failed run ends and the next one starts here):
 *
 * 1. every open order of the journal is looked up at the broker by its client order id: what the
 *    broker did with it is adopted (fills are booked into the stored ledger with them); an order
 *    it never received is sent if it belongs to the cycle about to run (a re-run of a killed
 *    cycle), else cancelled, so it is never sent a day late beside that day's own orders;
 * 2. the broker's orders created since the last reconciliation that Keel did not send are flagged;
 * 3. the ledger's positions (all books, per symbol) are compared with the broker's, and where
 *    they differ the broker's are adopted: an ADJUSTMENT fill of the fund book for the difference,
 *    at the view's close, stored and booked, journaled and alerted.
 *
 * Broker calls are retried with backoff; when one keeps failing the fund is set HALTED with a
 * CRITICAL alert, a journal entry and an audit row, and `{ ok: false }` says why: Keel does not
 * trade on a ledger it cannot trust. Each reconciliation is recorded (`broker_reconciliations`).
 */
export async function reconcileWithBroker(x: BrokerReconcileInput): Promise<BrokerReconcileOutcome> {
  const at = new Date(x.clock.now()).toISOString();
  const last = await x.store.reconciliations.latest(x.fundId, true);
  const since = last ? new Date(Date.parse(last.at) - SINCE_SLACK_MS).toISOString() : undefined;
  try {
    const rec = await x.oms.recover({ isCurrent: (o) => o.cycleId === x.cycleId && isCycleOrderId(o.id, x.cycleId), since });
    const positionsChecked = !(x.broker instanceof PaperBroker);
    let breaks: PositionBreak[] = [];
    let adjustments: Fill[] = [];
    if (positionsChecked) {
      const theirs = await withBrokerRetries("reading the broker's positions", () => x.broker.positions(), x.retry);
      const ledger = await loadStoredLedger(x.store, x.fundId);
      breaks = positionBreaks(ledger ? fundPositions(ledger) : new Map(), theirs);
      adjustments = breaks.map((b) => adjustmentFill(x, b, theirs, ledger, at));
      await x.journal.recordAdjustments(adjustments);
    }
    const report: BrokerReconciliation = {
      at,
      adopted: rec.adopted.length,
      resent: rec.resent.map((o) => o.id),
      cancelled: rec.cancelled.map((o) => o.id),
      unknown: rec.unknown.map((o) => o.clientOrderId),
      positionsChecked,
      breaks,
      adjustments,
    };
    await record(x, report);
    return { ok: true, report };
  } catch (e) {
    if (!isKeelError(e) || e.code !== 'KEEL_E_UNRECONCILED') throw e;
    const reason = `the books could not be reconciled with the broker (${e.message}); the fund is HALTED until it is re-armed`;
    await halt(x, at, reason);
    return { ok: false, reason };
  }
}

/** Signed shares per symbol over every book of the ledger. */
export function fundPositions(ledger: Ledger): Map<string, number> {
  const units = new Map<string, number>();
  for (const id of ledger.agentIds()) for (const h of ledger.book(id).holdings.values()) units.set(h.symbol, (units.get(h.symbol) ?? 0) + h.qty4);
  return new Map([...units].map(([s, u]) => [s, u / QTY_SCALE]));
}

/** The fill that adopts the broker's position where the ledger differs: the fund book trades the difference. */
function adjustmentFill(x: BrokerReconcileInput, b: PositionBreak, theirs: readonly BrokerPosition[], ledger: Ledger | null, at: string): Fill {
  const diff = Math.round((b.brokerQty - b.ledgerQty) * QTY_SCALE) / QTY_SCALE;
  const qty = Math.abs(diff);
  const id = `${x.fundId}:reconcile:${at}`;
  return {
    version: 1,
    traceId: id,
    id: `${id}:${b.symbol}`,
    orderId: id,
    symbol: b.symbol,
    side: diff > 0 ? 'BUY' : 'SELL',
    qty,
    price: priceOf(x, b.symbol, theirs, ledger),
    commission: 0,
    timestamp: at,
    allocations: [{ agentId: FUND_BOOK, qty }],
  };
}

/** The view's close, else the broker's current price, else the ledger's mark, else the broker's entry price. */
function priceOf(x: BrokerReconcileInput, symbol: string, theirs: readonly BrokerPosition[], ledger: Ledger | null): number {
  const close = x.price(symbol);
  if (close > 0) return close;
  const p = theirs.find((t) => t.symbol === symbol);
  if (p && p.qty !== 0 && p.marketValue / p.qty > 0) return p.marketValue / p.qty;
  for (const id of ledger?.agentIds() ?? []) {
    const mark = ledger?.book(id).holdings.get(symbol)?.mark ?? Number.NaN;
    if (mark > 0) return mark;
  }
  if (p && p.avgEntryPrice > 0) return p.avgEntryPrice;
  throw new KeelError('KEEL_E_UNRECONCILED', `no price to book the broker's position in ${symbol} at (no close, no broker price, no mark)`, { symbol });
}

/** Stores the reconciliation; journals, audits and alerts what it found. */
async function record(x: BrokerReconcileInput, r: BrokerReconciliation): Promise<void> {
  const notable = r.breaks.length > 0 || r.unknown.length > 0 || r.cancelled.length > 0;
  const alerts: Alert[] = [];
  const raise = (severity: Alert['severity'], title: string, message: string, dedupKey: string): void => {
    const a = x.alerts.raise({ severity, category: 'TRADING', title, message, dedupKey, fundId: x.fundId, context: { at: r.at } });
    if (a) alerts.push(a);
  };
  if (r.breaks.length > 0) {
    const lines = r.breaks.map((b) => `${b.symbol} books ${b.ledgerQty} broker ${b.brokerQty}`).join('; ');
    raise('HIGH', `books differed from the broker in ${r.breaks.length} name(s)`, `${lines}. The broker's positions were adopted into the fund book (${r.adjustments.length} adjustment fills); assign or trade them out.`, `reconcile:breaks:${r.at}`);
  }
  if (r.unknown.length > 0) raise('HIGH', 'unknown broker orders', `${r.unknown.length} order(s) at the broker that Keel did not send: ${r.unknown.slice(0, 20).join(', ')}`, 'reconcile:unknown');
  if (r.cancelled.length > 0) raise('MEDIUM', `${r.cancelled.length} unsent order(s) of earlier cycles cancelled`, `${r.cancelled.join(', ')}: the broker never received them; cancelled, not sent late`, `reconcile:cancelled:${r.at}`);
  await x.store.transaction(async (tx) => {
    await tx.reconciliations.add({ fundId: x.fundId, at: r.at, ok: true, report: { ...r, adjustments: r.adjustments.map((f) => f.id) } });
    for (const a of alerts) await tx.alerts.insert(a);
    if (!notable) return;
    const body = reconciliationText(r);
    await tx.journal.add(systemEntry(x.fundId, `${x.fundId}:reconcile:${r.at}`, r.at, body, [...new Set(r.breaks.map((b) => b.symbol))], r.adjustments.map((f) => f.id), [...r.cancelled, ...r.unknown]));
    await tx.audit.append({ at: r.at, actor: 'system:reconciliation', action: 'BooksReconciled', entity: 'fund', entityId: x.fundId, payload: { breaks: r.breaks, adjustments: r.adjustments.map((f) => f.id), unknown: r.unknown, cancelled: r.cancelled } });
  });
}

/** The fund is HALTED with a CRITICAL alert, a journal entry, an audit row and a failed reconciliation row. */
async function halt(x: BrokerReconcileInput, at: string, reason: string): Promise<void> {
  const a = x.alerts.raise({ severity: 'CRITICAL', category: 'TRADING', title: 'fund HALTED: books not reconciled with the broker', message: reason, dedupKey: 'reconcile:halted', fundId: x.fundId });
  await x.store.transaction(async (tx) => {
    if (await tx.funds.get(x.fundId)) await tx.funds.setTradingState(x.fundId, 'HALTED');
    await tx.reconciliations.add({ fundId: x.fundId, at, ok: false, report: { reason } });
    if (a) await tx.alerts.insert(a);
    await tx.journal.add(systemEntry(x.fundId, `${x.fundId}:reconcile-failed:${at}`, at, reason, [], [], []));
    await tx.audit.append({ at, actor: 'system:reconciliation', action: 'FundHaltedUnreconciled', entity: 'fund', entityId: x.fundId, payload: { reason } });
  });
}

function reconciliationText(r: BrokerReconciliation): string {
  const parts: string[] = [];
  if (r.breaks.length > 0) parts.push(`Adopted the broker's positions: ${r.breaks.map((b) => `${b.symbol} ${b.ledgerQty} → ${b.brokerQty}`).join(', ')} (fund book).`);
  if (r.unknown.length > 0) parts.push(`Broker orders Keel did not send: ${r.unknown.join(', ')}.`);
  if (r.cancelled.length > 0) parts.push(`Cancelled, never received by the broker: ${r.cancelled.join(', ')}.`);
  return `Reconciliation with the broker at ${r.at}. ${parts.join(' ')}`;
}

/** A decision-journal row in the PMS's shape (kind RECONCILIATION, by system:reconciliation). */
function systemEntry(fundId: string, id: string, at: string, rationale: string, symbols: readonly string[], fillIds: readonly string[], orderIds: readonly string[]) {
  const entry = {
    id,
    fundId,
    kind: 'RECONCILIATION',
    who: 'system:reconciliation',
    role: 'system',
    rationale,
    timestamp: at,
    agentId: null,
    symbols: [...symbols],
    links: { decisionIds: [], orderIds: [...orderIds], fillIds: [...fillIds], proposalIds: [] },
  };
  const head = rationale.length > 80 ? `${rationale.slice(0, 77)}...` : rationale;
  return { fundId, at, author: entry.who, kind: entry.kind, title: `RECONCILIATION: ${head}`, body: rationale, tags: [...symbols], refs: { entry } };
}
