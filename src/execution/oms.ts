import { InvariantError, isKeelError, type Clock } from '../core/index.ts';
import type { OmsConfig, Order } from '../contracts/index.ts';
import { toUnits } from './allocation.ts';
import type { Broker } from './broker.ts';
import { eventsFromBrokerOrder } from './broker-sync.ts';
import { preTradeCheck } from './checks/pre-trade.ts';
import type { TradingState } from '../contracts/index.ts';
import { isPending, journalOps, type JournalOps, type OrderJournal } from './journal.ts';
import { isoAt } from './order-events.ts';
import { isTerminal } from './order-state.ts';
import { reconcile, type ReconcileReport } from './reconcile.ts';
import { TokenBucket } from './token-bucket.ts';

/** What the OMS needs to know about the fund, read at check time. Dollars and signed shares. */
export interface OmsMarket {
  tradingState(): TradingState;
  nav(): number;
  /** Reference price of a symbol (NaN if unknown). */
  price(symbol: string): number;
  /** The fund's signed shares held in `symbol`. */
  positionQty(symbol: string): number;
}

export interface OmsDeps {
  readonly journal: OrderJournal;
  readonly broker: Broker;
  readonly clock: Clock;
  readonly config: OmsConfig;
  readonly market: OmsMarket;
}

export interface RecoveryReport extends ReconcileReport {
  /** Orders sent (or denied) during recovery because the broker had never seen them. */
  readonly resent: Order[];
}

/**
 * The order management system. `submit` stores the order as PENDING, runs the pre-trade checks
 * (denials go with the order: PENDING → REJECTED), records OrderSubmitted, then sends it with
 * Keel's id as the client order id. A crash at any point is repaired by `recover()`.
 */
export class Oms {
  private readonly rate: TokenBucket;
  /** The journal's operations; an in-memory journal answers at once and nothing is awaited. */
  private readonly j: JournalOps;

  constructor(private readonly d: OmsDeps) {
    this.rate = new TokenBucket(d.clock, d.config.maxOrdersPerMinute, 60_000);
    this.j = journalOps(d.journal);
  }

  private now(): string {
    return isoAt(this.d.clock.now());
  }

  /** Submits one PENDING order; idempotent on the order id. Returns the order as now known. */
  async submit(order: Order): Promise<Order> {
    return this.submitCounted(order, await this.openCounts());
  }

  /**
   * Submits orders one after another (a crash mid-way leaves the rest unsent, never doubled).
   * Open orders per symbol are counted once, then kept up to date through the batch.
   */
  async submitAll(orders: readonly Order[]): Promise<Order[]> {
    const counts = await this.openCounts();
    const out: Order[] = [];
    for (const o of orders) out.push(await this.submitCounted(o, counts));
    return out;
  }

  private async submitCounted(order: Order, counts: Map<string, number>): Promise<Order> {
    const { j } = this;
    const got = j.byClientId(order.id);
    const existing = isPending(got) ? await got : got;
    if (existing) return existing;
    if (order.status !== 'PENDING') throw new InvariantError(`order ${order.id} submitted as ${order.status}, expected PENDING`);
    if (order.allocations.length > 0) {
      const units = order.allocations.reduce((s, a) => s + toUnits(a.qty), 0);
      if (units !== toUnits(order.qty)) {
        throw new InvariantError(`order ${order.id}: allocations sum to ${units / 1e4}, order qty is ${order.qty}`);
      }
    }
    const saved = j.savePending(order);
    if (isPending(saved)) await saved;
    const after = await this.checkAndSend(order, counts);
    if (!isTerminal(after.status)) counts.set(after.symbol, (counts.get(after.symbol) ?? 0) + 1);
    return after;
  }

  /** Open (sent, not terminal) orders per symbol. */
  private async openCounts(): Promise<Map<string, number>> {
    const m = new Map<string, number>();
    const got = this.j.open();
    for (const o of isPending(got) ? await got : got) if (o.status !== 'PENDING') m.set(o.symbol, (m.get(o.symbol) ?? 0) + 1);
    return m;
  }

  private async checkAndSend(order: Order, counts?: Map<string, number>): Promise<Order> {
    const { market, config } = this.d;
    const { j } = this;
    const openForSymbol = (counts ?? (await this.openCounts())).get(order.symbol) ?? 0;
    const denials = preTradeCheck(
      order,
      {
        config,
        tradingState: market.tradingState(),
        nav: market.nav(),
        price: market.price(order.symbol),
        positionQty: market.positionQty(order.symbol),
        openOrdersForSymbol: openForSymbol,
      },
      this.rate,
    );
    const written = j.appendEvent(
      denials.length > 0
        ? { type: 'OrderRejected', orderId: order.id, at: this.now(), denials: [...denials] }
        : { type: 'OrderSubmitted', orderId: order.id, at: this.now() },
    );
    if (isPending(written)) await written;
    if (denials.length > 0) return this.current(order.id);
    // awaited here rather than returned: resolving with a promise costs two more microtask turns
    return await this.send(order.id);
  }

  /** Sends an order already recorded as SUBMITTED and records the broker's answer. */
  private async send(id: string): Promise<Order> {
    const { j } = this;
    const cur = this.current(id);
    const order = isPending(cur) ? await cur : cur;
    let ack;
    try {
      ack = await this.d.broker.submit(order);
    } catch (e) {
      // Broker unreachable or refusing after its retries: the order stays SUBMITTED and
      // recover() resolves it by client order id (never a blind resend).
      if (isKeelError(e)) return order;
      throw e;
    }
    const written = j.appendEvent(
      ack.status === 'REJECTED'
        ? {
            type: 'OrderRejected',
            orderId: id,
            at: this.now(),
            denials: [{ code: 'BROKER_REJECTED', message: ack.reason ?? 'rejected by the broker', limit: null, actual: null }],
          }
        : { type: 'OrderAcknowledged', orderId: id, at: this.now(), brokerOrderId: ack.brokerOrderId },
    );
    if (isPending(written)) await written;
    if (ack.status !== 'REJECTED' && ack.status !== 'ACKNOWLEDGED' && ack.status !== 'SUBMITTED') return this.syncOne(id);
    return this.current(id);
  }

  /** The order as the journal knows it now (a value when the journal answers at once). */
  private current(id: string): Order | Promise<Order> {
    const got = this.j.byClientId(id);
    return isPending(got) ? this.known(id, got) : known(id, got);
  }

  private async known(id: string, got: PromiseLike<Order | null>): Promise<Order> {
    return known(id, await got);
  }

  /** Brings one order in line with the broker (fills, cancels, expiries). */
  async syncOne(id: string): Promise<Order> {
    const { j } = this;
    const cur = this.current(id);
    const order = isPending(cur) ? await cur : cur;
    if (isTerminal(order.status) || order.status === 'PENDING') return order;
    const snap = await this.d.broker.getOrderByClientId(id);
    if (!snap) return order;
    const got = j.fills(id);
    const fills = isPending(got) ? await got : got;
    for (const e of eventsFromBrokerOrder(order, fills, snap, this.now())) {
      const written = j.appendEvent(e);
      if (isPending(written)) await written;
    }
    return this.current(id);
  }

  /** Polls the broker for every open order. */
  async sync(): Promise<Order[]> {
    const out: Order[] = [];
    const got = this.j.open();
    for (const o of isPending(got) ? await got : got) out.push(await this.syncOne(o.id));
    return out;
  }

  /** Cancels by id. A PENDING order is cancelled locally; HALTED still allows cancels. */
  async cancel(id: string): Promise<Order> {
    const order = await this.current(id);
    if (isTerminal(order.status)) return order;
    if (order.status === 'PENDING') {
      await this.j.appendEvent({ type: 'OrderCancelled', orderId: id, at: this.now(), reason: 'cancelled before sending' });
      return this.current(id);
    }
    await this.d.broker.cancel(id);
    return this.syncOne(id);
  }

  /**
   * After a restart: reconcile journal and broker by client order id (adopting fills made
   * while Keel was down), then send what the broker has provably never received: PENDING
   * orders go through the checks again, SUBMITTED ones are resent as they were. Orders older
   * than `staleAfterMs` are cancelled instead of sent.
   */
  async recover(staleAfterMs = Number.POSITIVE_INFINITY): Promise<RecoveryReport> {
    const report = await reconcile(this.d.journal, this.d.broker, this.now());
    const resent: Order[] = [];
    const nowMs = this.d.clock.now();
    for (const o of report.unsent) {
      if (nowMs - Date.parse(o.createdAt) > staleAfterMs) {
        await this.j.appendEvent({ type: 'OrderCancelled', orderId: o.id, at: this.now(), reason: 'stale after restart: not sent' });
        resent.push(await this.current(o.id));
        continue;
      }
      resent.push(o.status === 'PENDING' ? await this.checkAndSend(o) : await this.send(o.id));
    }
    return { ...report, resent };
  }
}

function known(id: string, o: Order | null): Order {
  if (!o) throw new InvariantError(`order ${id} is not in the journal`);
  return o;
}
