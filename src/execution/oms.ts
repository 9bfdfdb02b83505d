import { InvariantError, isKeelError, type Clock } from '../core/index.ts';
import { HEDGE_BOOK, type OmsConfig, type Order } from '../contracts/index.ts';
import { toUnits } from './allocation.ts';
import type { Broker } from './broker.ts';
import { defaultRetry, withBrokerRetries, type RetryPolicy } from './broker-retry.ts';
import { eventsFromBrokerOrder } from './broker-sync.ts';
import { preTradeCheck } from './checks/pre-trade.ts';
import type { TradingState } from '../contracts/index.ts';
import { isPending, journalOps, type JournalOps, type OrderJournal } from './journal.ts';
import { isoAt } from './order-events.ts';
import { isTerminal } from './order-state.ts';
import { reconcile, type ReconcileReport } from './reconcile.ts';
import { signedQty } from './checks/types.ts';
import { TokenBucket } from './token-bucket.ts';

/** What the OMS needs to know about the fund, read at check time. Dollars and signed shares. */
export interface OmsMarket {
  tradingState(): TradingState;
  nav(): number;
  /** Reference price of a symbol (NaN if unknown). */
  price(symbol: string): number;
  /** The fund's signed shares held in `symbol`. */
  positionQty(symbol: string): number;
  /** The order belongs to a trade the overlay reviewed as lowering the fund's risk (`PreTradeContext.isRiskReducing`); absent: none does. */
  isRiskReducing?(order: Order): boolean;
}

export interface OmsDeps {
  readonly journal: OrderJournal;
  readonly broker: Broker;
  readonly clock: Clock;
  readonly config: OmsConfig;
  readonly market: OmsMarket;
  /** How broker lookups are retried (reconciliation, sync, settling); default `defaultRetry()`. */
  readonly retry?: RetryPolicy;
}

export interface RecoveryReport extends ReconcileReport {
  /** Orders sent (or denied) during recovery because the broker had never seen them. */
  readonly resent: Order[];
  /** Orders the broker never received that belong to no running cycle: cancelled, never sent late. */
  readonly cancelled: Order[];
}

export interface RecoverOptions {
  /**
   * Whether an order the broker never received may still be sent: an order of the cycle now
   * running (a re-run of a killed cycle) may; any other is cancelled. Default: every order may.
   */
  readonly isCurrent?: (o: Order) => boolean;
  /** Look for unknown broker orders among those created after this time (ISO); all when absent. */
  readonly since?: string | undefined;
}

/**
 * What a batch has sent so far: open orders per symbol, the signed shares sent per symbol (the
 * checks see them), and the families (children of one planned order) already counted as open.
 */
interface Batch {
  readonly open: Map<string, number>;
  readonly qty: Map<string, number>;
  readonly families: Set<string>;
  readonly familyOf: (o: Order) => string;
}

export interface BatchOptions {
  /** The planned order an order is a leg or child of: the orders of one family count once as open orders. Default: its own id. */
  readonly familyOf?: (o: Order) => string;
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
  private readonly retry: RetryPolicy;

  constructor(private readonly d: OmsDeps) {
    this.rate = new TokenBucket(d.clock, d.config.maxOrdersPerMinute, 60_000);
    this.j = journalOps(d.journal);
    this.retry = d.retry ?? defaultRetry();
  }

  private now(): string {
    return isoAt(this.d.clock.now());
  }

  /** Submits one PENDING order; idempotent on the order id. Returns the order as now known. */
  async submit(order: Order): Promise<Order> {
    return this.submitCounted(order, await this.newBatch());
  }

  /**
   * Submits orders one after another (a crash mid-way leaves the rest unsent, never doubled).
   * An order the journal already holds as PENDING (written ahead) is checked and sent; one it
   * holds in any other status was sent before and is returned as it is. Open orders per symbol
   * are counted once, then kept up to date through the batch, where the orders of one family
   * (`familyOf`: the legs and children of one planned order) count as one; each order is checked
   * against the position with the batch's earlier orders in that symbol included.
   */
  async submitAll(orders: readonly Order[], opts: BatchOptions = {}): Promise<Order[]> {
    const batch = await this.newBatch(opts.familyOf);
    const out: Order[] = [];
    for (const o of orders) out.push(await this.submitCounted(o, batch));
    return out;
  }

  private async submitCounted(order: Order, batch: Batch): Promise<Order> {
    const { j } = this;
    const got = j.byClientId(order.id);
    const existing = isPending(got) ? await got : got;
    if (existing && existing.status !== 'PENDING') return existing;
    if (order.status !== 'PENDING') throw new InvariantError(`order ${order.id} submitted as ${order.status}, expected PENDING`);
    if (order.allocations.length > 0) {
      const units = order.allocations.reduce((s, a) => s + toUnits(a.qty), 0);
      if (units !== toUnits(order.qty)) {
        throw new InvariantError(`order ${order.id}: allocations sum to ${units / 1e4}, order qty is ${order.qty}`);
      }
    }
    if (!existing) {
      const saved = j.savePending(order);
      if (isPending(saved)) await saved;
    }
    const after = await this.checkAndSend(existing ?? order, batch);
    if (after.status !== 'REJECTED') batch.qty.set(after.symbol, (batch.qty.get(after.symbol) ?? 0) + signedQty(after));
    const family = batch.familyOf(after);
    if (!isTerminal(after.status) && !batch.families.has(family)) {
      batch.open.set(after.symbol, (batch.open.get(after.symbol) ?? 0) + 1);
      batch.families.add(family);
    }
    return after;
  }

  private async newBatch(familyOf: (o: Order) => string = ownId): Promise<Batch> {
    return { open: await this.openCounts(familyOf), qty: new Map(), families: new Set(), familyOf };
  }

  /** Open (sent, not terminal) orders per symbol, a family counting once. */
  private async openCounts(familyOf: (o: Order) => string): Promise<Map<string, number>> {
    const m = new Map<string, number>();
    const seen = new Set<string>();
    const got = this.j.open();
    for (const o of isPending(got) ? await got : got) {
      if (o.status === 'PENDING') continue;
      const f = familyOf(o);
      if (seen.has(f)) continue;
      seen.add(f);
      m.set(o.symbol, (m.get(o.symbol) ?? 0) + 1);
    }
    return m;
  }

  private async checkAndSend(order: Order, batch?: Batch): Promise<Order> {
    const { market, config } = this.d;
    const { j } = this;
    const b = batch ?? (await this.newBatch());
    // The batch's earlier orders of this family are the same planned order's: they count once.
    const openForSymbol = (b.open.get(order.symbol) ?? 0) - (b.families.has(b.familyOf(order)) ? 1 : 0);
    const denials = preTradeCheck(
      order,
      {
        config,
        tradingState: market.tradingState(),
        nav: market.nav(),
        price: market.price(order.symbol),
        positionQty: market.positionQty(order.symbol) + (b.qty.get(order.symbol) ?? 0),
        openOrdersForSymbol: openForSymbol,
        isHedge: order.allocations.length > 0 && order.allocations.every((a) => a.agentId === HEDGE_BOOK),
        isRiskReducing: market.isRiskReducing?.(order) === true,
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

  /**
   * Brings one order in line with the broker (fills, cancels, expiries). The lookup is retried
   * on transient failures; one that keeps failing throws KEEL_E_UNRECONCILED.
   */
  async syncOne(id: string): Promise<Order> {
    const { j } = this;
    const cur = this.current(id);
    const order = isPending(cur) ? await cur : cur;
    if (isTerminal(order.status) || order.status === 'PENDING') return order;
    const snap = await withBrokerRetries(`looking up order ${id} at the broker`, () => this.d.broker.getOrderByClientId(id), this.retry);
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
   * Within a cycle, after its batch: an order whose submission got no answer (still SUBMITTED:
   * the broker was unreachable through the adapter's own retries) is sent again with the same
   * client order id, which the broker answers with the order it already has if the first one
   * arrived, never a second one; up to the retry policy's attempts with backoff. What still has
   * no answer stays SUBMITTED: the next start's reconciliation adopts it if the broker has it
   * and cancels it if not, so it is never sent a day late. Returns the orders as now known.
   */
  async settle(orders: readonly Order[]): Promise<Order[]> {
    const out: Order[] = [];
    for (const o of orders) {
      let cur = o;
      for (let attempt = 1; cur.status === 'SUBMITTED' && attempt < this.retry.attempts; attempt++) {
        await this.retry.sleep(this.retry.baseMs * 2 ** (attempt - 1));
        cur = await this.send(o.id);
      }
      out.push(cur);
    }
    return out;
  }

  /**
   * After a restart: reconcile journal and broker by client order id (adopting fills made
   * while Keel was down), then deal with what the broker has provably never received: an order
   * of the running cycle (`isCurrent`) is sent (PENDING ones through the checks again, SUBMITTED
   * ones as they were); any other is cancelled, so a failed submission is never sent a day late
   * beside that day's own orders. Broker calls are retried; KEEL_E_UNRECONCILED when they keep failing.
   */
  async recover(opts: RecoverOptions = {}): Promise<RecoveryReport> {
    const report = await reconcile(this.d.journal, this.d.broker, { at: this.now(), since: opts.since, retry: this.retry });
    const resent: Order[] = [];
    const cancelled: Order[] = [];
    for (const o of report.unsent) {
      if (opts.isCurrent && !opts.isCurrent(o)) {
        await this.j.appendEvent({ type: 'OrderCancelled', orderId: o.id, at: this.now(), reason: 'not sent in its cycle: the broker never received it; cancelled, never sent late' });
        cancelled.push(await this.current(o.id));
        continue;
      }
      resent.push(o.status === 'PENDING' ? await this.checkAndSend(o) : await this.send(o.id));
    }
    return { ...report, resent, cancelled };
  }
}

const ownId = (o: Order): string => o.id;

function known(id: string, o: Order | null): Order {
  if (!o) throw new InvariantError(`order ${id} is not in the journal`);
  return o;
}
