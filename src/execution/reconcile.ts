import type { Order } from '../contracts/index.ts';
import type { Broker, BrokerOrder, BrokerPosition } from './broker.ts';
import { withBrokerRetries, type RetryPolicy } from './broker-retry.ts';
import { eventsFromBrokerOrder } from './broker-sync.ts';
import { fillsOf, type OrderJournal } from './journal.ts';
import type { OrderEvent } from './order-events.ts';

/** A symbol whose fund position in the ledger differs from the broker's (signed shares). */
export interface PositionBreak {
  readonly symbol: string;
  readonly ledgerQty: number;
  readonly brokerQty: number;
}

export interface ReconcileReport {
  /** Events written to bring the journal in line with the broker (adopted acks, fills, cancels). */
  readonly adopted: OrderEvent[];
  /** Open journal orders the broker has no record of (never sent, or lost before arrival). */
  readonly unsent: Order[];
  /** Broker orders with a client order id the journal does not know: flagged, never adopted. */
  readonly unknown: BrokerOrder[];
}

export interface ReconcileOptions {
  /** When the adopted events are stamped (ISO). */
  readonly at: string;
  /** Look for unknown broker orders among those created after this time (ISO); all the broker lists when absent. */
  readonly since?: string | undefined;
  /** Broker calls are retried on transient failures; when they still fail, KEEL_E_UNRECONCILED is thrown. */
  readonly retry: RetryPolicy;
}

/**
 * Matches journal and broker by client order id (= Keel's order id). For each open journal
 * order: if the broker has it, adopt its state (fills made while Keel was down included);
 * if not, report it as unsent. Broker orders since `since` unknown to the journal are flagged.
 * Sends nothing. Every broker call is retried (`retry`); one that keeps failing throws
 * KEEL_E_UNRECONCILED, and what was adopted before it stays adopted (each event is durable).
 */
export async function reconcile(journal: OrderJournal, broker: Broker, o: ReconcileOptions): Promise<ReconcileReport> {
  const adopted: OrderEvent[] = [];
  const unsent: Order[] = [];
  for (const order of await journal.open()) {
    const snap = await withBrokerRetries(`looking up order ${order.id} at the broker`, () => broker.getOrderByClientId(order.id), o.retry);
    if (!snap) {
      unsent.push(order);
      continue;
    }
    const events = eventsFromBrokerOrder(order, fillsOf(await journal.events(order.id)), snap, o.at);
    for (const e of events) await journal.appendEvent(e);
    adopted.push(...events);
  }
  const unknown: BrokerOrder[] = [];
  const listed = await withBrokerRetries(`listing the broker's orders${o.since ? ` since ${o.since}` : ''}`, () => broker.orders(o.since), o.retry);
  for (const b of listed) {
    if (!(await journal.byClientId(b.clientOrderId))) unknown.push(b);
  }
  return { adopted, unsent, unknown };
}

/**
 * The symbols where the fund's positions in the ledger (`ledger`: signed shares per symbol, all
 * books) and at the broker differ by more than half a 1e-4 share, sorted by symbol.
 */
export function positionBreaks(ledger: ReadonlyMap<string, number>, brokerPositions: readonly BrokerPosition[]): PositionBreak[] {
  const theirs = new Map<string, number>();
  for (const p of brokerPositions) theirs.set(p.symbol, (theirs.get(p.symbol) ?? 0) + p.qty);
  const out: PositionBreak[] = [];
  for (const s of [...new Set([...ledger.keys(), ...theirs.keys()])].sort()) {
    const a = Math.round((ledger.get(s) ?? 0) * 1e4) / 1e4;
    const b = Math.round((theirs.get(s) ?? 0) * 1e4) / 1e4;
    if (Math.abs(a - b) > 5e-5) out.push({ symbol: s, ledgerQty: a, brokerQty: b });
  }
  return out;
}
