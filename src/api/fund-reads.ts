import { KeelError } from '../core/index.ts';
import { Fill, Order, OverlayDecision } from '../contracts/index.ts';
import type { z } from 'zod';
import type { Store } from '../store/index.ts';

/*
 * Fund-scoped reads the store's repositories do not offer yet (orders, fills and overlay actions of
 * one fund, filtered and paged). They go through the Store's Db seam with the same column aliases
 * as the repositories; they belong in src/store and move there when it grows these queries.
 */

const ORDER_COLUMNS = `1 AS version, trace_id AS "traceId", id, fund_id AS "fundId", cycle_id AS "cycleId", symbol, side, type,
  time_in_force AS "timeInForce", qty, limit_price AS "limitPrice", stop_price AS "stopPrice", status,
  filled_qty AS "filledQty", avg_fill_price AS "avgFillPrice", decision_price AS "decisionPrice",
  broker_order_id AS "brokerOrderId", allocations, denials, created_at AS "createdAt", updated_at AS "updatedAt"`;
const FILL_COLUMNS = `1 AS version, f.trace_id AS "traceId", f.id, f.order_id AS "orderId", f.symbol, f.side, f.qty, f.price,
  f.commission, f.timestamp, f.allocations`;
const OVERLAY_COLUMNS = `1 AS version, trace_id AS "traceId", decision_id AS "decisionId", cycle_id AS "cycleId",
  agent_id AS "agentId", to_char(as_of, 'YYYY-MM-DD') AS "asOf", action, scale, reasons, checks, targets,
  risk_actions AS "riskActions", summary`;

function parse<S extends z.ZodType>(schema: S, row: unknown, table: string): z.infer<S> {
  const r = schema.safeParse(row);
  if (r.success) return r.data;
  throw new KeelError('KEEL_E_STORE', `${table}: stored row does not match its contract`, { table });
}

export interface OrderFilter {
  readonly status?: string | undefined;
  readonly symbol?: string | undefined;
  /** Inclusive dates (created_at). */
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly limit: number;
}

/** A fund's orders, newest first. */
export async function fundOrders(store: Store, fundId: string, f: OrderFilter): Promise<Order[]> {
  const r = await store.db.query(
    `SELECT ${ORDER_COLUMNS} FROM orders WHERE fund_id = $1 AND ($2::text IS NULL OR status = $2)
       AND ($3::text IS NULL OR symbol = $3) AND ($4::date IS NULL OR created_at >= $4::date)
       AND ($5::date IS NULL OR created_at < $5::date + 1) ORDER BY created_at DESC, id DESC LIMIT $6`,
    [fundId, f.status ?? null, f.symbol ?? null, f.from ?? null, f.to ?? null, f.limit],
  );
  return r.rows.map((row) => parse(Order, row, 'orders'));
}

/** One order of the fund (undefined when absent or another fund's). */
export async function fundOrder(store: Store, fundId: string, orderId: string): Promise<Order | undefined> {
  const r = await store.db.query(`SELECT ${ORDER_COLUMNS} FROM orders WHERE fund_id = $1 AND id = $2`, [fundId, orderId]);
  const row = r.rows[0];
  return row === undefined ? undefined : parse(Order, row, 'orders');
}

/** Fills of the fund's orders, newest first. Dates inclusive. */
export async function fundFills(store: Store, fundId: string, f: { from?: string | undefined; to?: string | undefined; limit: number; orderIds?: readonly string[] }): Promise<Fill[]> {
  const r = await store.db.query(
    `SELECT ${FILL_COLUMNS} FROM fills f JOIN orders o ON o.id = f.order_id WHERE o.fund_id = $1
       AND ($2::date IS NULL OR f.timestamp >= $2::date) AND ($3::date IS NULL OR f.timestamp < $3::date + 1)
       AND ($5::text[] IS NULL OR f.order_id = ANY($5::text[]))
     ORDER BY f.timestamp DESC, f.id DESC LIMIT $4`,
    [fundId, f.from ?? null, f.to ?? null, f.limit, f.orderIds ? [...f.orderIds] : null],
  );
  return r.rows.map((row) => parse(Fill, row, 'fills'));
}

/** The fund's overlay decisions, newest as-of first. */
export async function fundOverlayActions(store: Store, fundId: string, f: { agentId?: string | undefined; limit: number }): Promise<OverlayDecision[]> {
  const r = await store.db.query(
    `SELECT ${OVERLAY_COLUMNS} FROM overlay_actions WHERE fund_id = $1 AND ($2::text IS NULL OR agent_id = $2)
     ORDER BY as_of DESC, cycle_id DESC, agent_id LIMIT $3`,
    [fundId, f.agentId ?? null, f.limit],
  );
  return r.rows.map((row) => parse(OverlayDecision, row, 'overlay_actions'));
}

/** The latest overlay decision of each agent of the fund. */
export async function latestOverlayActions(store: Store, fundId: string): Promise<OverlayDecision[]> {
  const r = await store.db.query(
    `SELECT DISTINCT ON (agent_id) ${OVERLAY_COLUMNS} FROM overlay_actions WHERE fund_id = $1
     ORDER BY agent_id, as_of DESC, cycle_id DESC`,
    [fundId],
  );
  return r.rows.map((row) => parse(OverlayDecision, row, 'overlay_actions'));
}
