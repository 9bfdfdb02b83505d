import { IllegalTransitionError, KeelError } from '../../core/index.ts';
import { Order, type DenialReason, type OrderStatus } from '../../contracts/index.ts';
import type { Db } from '../db.ts';
import { json, parseRow } from './rows.ts';

const COLUMNS = `1 AS version, trace_id AS "traceId", id, fund_id AS "fundId", cycle_id AS "cycleId", symbol, side, type,
  time_in_force AS "timeInForce", qty, limit_price AS "limitPrice", stop_price AS "stopPrice", status,
  filled_qty AS "filledQty", avg_fill_price AS "avgFillPrice", decision_price AS "decisionPrice",
  broker_order_id AS "brokerOrderId", allocations, denials, created_at AS "createdAt", updated_at AS "updatedAt"`;

/** Statuses from which an order can still change (not terminal). */
export const OPEN_ORDER_STATUSES: readonly OrderStatus[] = ['PENDING', 'SUBMITTED', 'ACKNOWLEDGED', 'PARTIALLY_FILLED'];

/** A fund's orders, filtered: status, symbol, inclusive creation dates (YYYY-MM-DD, UTC), newest first, at most `limit`. */
export interface FundOrderFilter {
  readonly status?: OrderStatus | undefined;
  readonly symbol?: string | undefined;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly limit: number;
}

/** One entry of the append-only order history. */
export interface OrderEvent {
  readonly orderId: string;
  /** 1, 2, … per order. */
  readonly seq: number;
  /** Past tense, e.g. `OrderCreated`, `OrderSubmitted`, `OrderFilled`. */
  readonly type: string;
  readonly fromStatus: OrderStatus | null;
  readonly toStatus: OrderStatus;
  readonly at: string;
  readonly payload: Record<string, unknown>;
}

/** Changes written with a status transition. Quantities unsigned shares; prices dollars. */
export interface OrderTransition {
  readonly to: OrderStatus;
  /** Expected current status: the transition fails (IllegalTransition) when the row moved on. */
  readonly from: OrderStatus;
  readonly at: string;
  readonly eventType: string;
  readonly filledQty?: number;
  readonly avgFillPrice?: number | null;
  readonly brokerOrderId?: string | null;
  /** Replaces the order's denials (a rejection records why). */
  readonly denials?: readonly DenialReason[];
  readonly payload?: Record<string, unknown>;
}

/**
 * Orders and their append-only events. Which transitions are legal is the execution layer's
 * table; the store guards only against lost updates (compare-and-set on the status).
 */
export class OrdersRepo {
  constructor(private readonly db: Db) {}

  /** Inserts a new order as PENDING with an `OrderCreated` event (seq 1), atomically. */
  async insertPending(order: Order): Promise<void> {
    if (order.status !== 'PENDING') throw new IllegalTransitionError('order', 'none', order.status);
    await this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO orders (id, trace_id, fund_id, cycle_id, symbol, side, type, time_in_force, qty, limit_price,
           stop_price, status, filled_qty, avg_fill_price, decision_price, broker_order_id, allocations, denials,
           created_at, updated_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17::jsonb,$18::jsonb,$19,$20)`,
        [
          order.id, order.traceId, order.fundId, order.cycleId, order.symbol, order.side, order.type,
          order.timeInForce, order.qty, order.limitPrice, order.stopPrice, order.status, order.filledQty,
          order.avgFillPrice, order.decisionPrice, order.brokerOrderId, json(order.allocations),
          json(order.denials), order.createdAt, order.updatedAt,
        ],
      );
      await appendEvent(tx, { orderId: order.id, seq: 1, type: 'OrderCreated', fromStatus: null, toStatus: 'PENDING',
        at: order.createdAt, payload: { qty: order.qty, side: order.side, symbol: order.symbol } });
    });
  }

  /** Moves an order from `t.from` to `t.to` and appends the event, atomically. Returns the updated order. */
  async transition(orderId: string, t: OrderTransition): Promise<Order> {
    return this.db.transaction(async (tx) => {
      const r = await tx.query(
        `UPDATE orders SET status = $3, updated_at = $4,
           filled_qty = coalesce($5::numeric, filled_qty),
           avg_fill_price = CASE WHEN $6::boolean THEN $7::numeric ELSE avg_fill_price END,
           broker_order_id = CASE WHEN $8::boolean THEN $9::text ELSE broker_order_id END,
           denials = coalesce($10::jsonb, denials)
         WHERE id = $1 AND status = $2 RETURNING ${COLUMNS}`,
        [
          orderId, t.from, t.to, t.at, t.filledQty ?? null,
          t.avgFillPrice !== undefined, t.avgFillPrice ?? null,
          t.brokerOrderId !== undefined, t.brokerOrderId ?? null,
          t.denials !== undefined ? json(t.denials) : null,
        ],
      );
      const row = r.rows[0];
      if (row === undefined) {
        const cur = await tx.query<{ status: string }>('SELECT status FROM orders WHERE id = $1', [orderId]);
        const status = cur.rows[0]?.status;
        if (status === undefined) throw new KeelError('KEEL_E_NOT_FOUND', `order ${orderId} does not exist`);
        throw new IllegalTransitionError(`order ${orderId}`, status, t.to);
      }
      const seq = await tx.query<{ n: number }>('SELECT coalesce(max(seq), 0) + 1 AS n FROM order_events WHERE order_id = $1', [orderId]);
      await appendEvent(tx, { orderId, seq: seq.rows[0]?.n ?? 1, type: t.eventType, fromStatus: t.from, toStatus: t.to,
        at: t.at, payload: t.payload ?? {} });
      return parseRow(Order, row, 'orders');
    });
  }

  /** The order whose client order id (Keel id) is `id`. */
  async findByClientOrderId(id: string): Promise<Order | undefined> {
    const r = await this.db.query(`SELECT ${COLUMNS} FROM orders WHERE id = $1`, [id]);
    const row = r.rows[0];
    return row === undefined ? undefined : parseRow(Order, row, 'orders');
  }

  async findByBrokerOrderId(brokerOrderId: string): Promise<Order | undefined> {
    const r = await this.db.query(`SELECT ${COLUMNS} FROM orders WHERE broker_order_id = $1`, [brokerOrderId]);
    const row = r.rows[0];
    return row === undefined ? undefined : parseRow(Order, row, 'orders');
  }

  /** A fund's orders, newest first (created_at, then id), filtered. */
  async listForFund(fundId: string, f: FundOrderFilter): Promise<Order[]> {
    const r = await this.db.query(
      `SELECT ${COLUMNS} FROM orders WHERE fund_id = $1 AND ($2::text IS NULL OR status = $2)
         AND ($3::text IS NULL OR symbol = $3) AND ($4::date IS NULL OR created_at >= $4::date)
         AND ($5::date IS NULL OR created_at < $5::date + 1) ORDER BY created_at DESC, id DESC LIMIT $6`,
      [fundId, f.status ?? null, f.symbol ?? null, f.from ?? null, f.to ?? null, f.limit],
    );
    return r.rows.map((row) => parseRow(Order, row, 'orders'));
  }

  /** One order of the fund (undefined when absent or another fund's). */
  async getForFund(fundId: string, id: string): Promise<Order | undefined> {
    const r = await this.db.query(`SELECT ${COLUMNS} FROM orders WHERE fund_id = $1 AND id = $2`, [fundId, id]);
    const row = r.rows[0];
    return row === undefined ? undefined : parseRow(Order, row, 'orders');
  }

  /** Orders not yet in a terminal status, oldest first. */
  async listOpen(fundId?: string): Promise<Order[]> {
    const r = await this.db.query(
      `SELECT ${COLUMNS} FROM orders WHERE status = ANY($1::text[]) AND ($2::text IS NULL OR fund_id = $2)
       ORDER BY created_at, id`,
      [[...OPEN_ORDER_STATUSES], fundId ?? null],
    );
    return r.rows.map((row) => parseRow(Order, row, 'orders'));
  }

  async listByCycle(cycleId: string): Promise<Order[]> {
    const r = await this.db.query(`SELECT ${COLUMNS} FROM orders WHERE cycle_id = $1 ORDER BY created_at, id`, [cycleId]);
    return r.rows.map((row) => parseRow(Order, row, 'orders'));
  }

  /** Events of one order (or all orders, for replay) in append order. */
  async events(orderId?: string): Promise<OrderEvent[]> {
    const r = await this.db.query<OrderEvent>(
      `SELECT order_id AS "orderId", seq, type, from_status AS "fromStatus", to_status AS "toStatus", at, payload
       FROM order_events WHERE ($1::text IS NULL OR order_id = $1) ORDER BY id`,
      [orderId ?? null],
    );
    return r.rows;
  }
}

async function appendEvent(tx: Db, e: OrderEvent): Promise<void> {
  await tx.query(
    `INSERT INTO order_events (order_id, seq, type, from_status, to_status, at, payload)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)`,
    [e.orderId, e.seq, e.type, e.fromStatus, e.toStatus, e.at, json(e.payload)],
  );
}
