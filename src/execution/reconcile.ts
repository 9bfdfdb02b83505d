import type { Order } from '../contracts/index.ts';
import type { Broker, BrokerOrder, BrokerPosition } from './broker.ts';
import { eventsFromBrokerOrder } from './broker-sync.ts';
import { fillsOf, type OrderJournal } from './journal.ts';
import type { OrderEvent } from './order-events.ts';
import { replayOrderEvents } from './replay.ts';

/** A symbol whose fund position in the journal differs from the broker's (signed shares). */
export interface PositionBreak {
  readonly symbol: string;
  readonly journalQty: number;
  readonly brokerQty: number;
}

export interface ReconcileReport {
  /** Events written to bring the journal in line with the broker (adopted acks, fills, cancels). */
  readonly adopted: OrderEvent[];
  /** Open journal orders the broker has no record of (never sent, or lost before arrival). */
  readonly unsent: Order[];
  /** Broker orders with a client order id the journal does not know: flagged, never adopted. */
  readonly unknown: BrokerOrder[];
  readonly positionBreaks: PositionBreak[];
}

/**
 * Matches journal and broker by client order id (= Keel's order id). For each open journal
 * order: if the broker has it, adopt its state (fills made while Keel was down included);
 * if not, report it as unsent. Broker orders unknown to the journal are flagged. Sends nothing.
 */
export async function reconcile(journal: OrderJournal, broker: Broker, at: string): Promise<ReconcileReport> {
  const adopted: OrderEvent[] = [];
  const unsent: Order[] = [];
  for (const o of await journal.open()) {
    const snap = await broker.getOrderByClientId(o.id);
    if (!snap) {
      unsent.push(o);
      continue;
    }
    const events = eventsFromBrokerOrder(o, fillsOf(await journal.events(o.id)), snap, at);
    for (const e of events) await journal.appendEvent(e);
    adopted.push(...events);
  }
  const unknown: BrokerOrder[] = [];
  for (const b of await broker.orders()) {
    if (!(await journal.byClientId(b.clientOrderId))) unknown.push(b);
  }
  const positionBreaks = comparePositions(journal, await journal.events(), await broker.positions());
  return { adopted, unsent, unknown, positionBreaks };
}

function comparePositions(_j: OrderJournal, events: readonly OrderEvent[], brokerPositions: readonly BrokerPosition[]): PositionBreak[] {
  const state = replayOrderEvents(events);
  const mine = new Map<string, number>();
  for (const p of state.positions.values()) mine.set(p.symbol, Math.round(((mine.get(p.symbol) ?? 0) + p.qty) * 1e4) / 1e4);
  const theirs = new Map(brokerPositions.map((p) => [p.symbol, p.qty]));
  const out: PositionBreak[] = [];
  for (const s of [...new Set([...mine.keys(), ...theirs.keys()])].sort()) {
    const a = mine.get(s) ?? 0;
    const b = theirs.get(s) ?? 0;
    if (Math.abs(a - b) > 5e-5) out.push({ symbol: s, journalQty: a, brokerQty: b });
  }
  return out;
}
