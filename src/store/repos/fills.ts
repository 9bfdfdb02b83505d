import { Fill } from '../../contracts/index.ts';
import type { Db } from '../db.ts';
import { json, parseRow } from './rows.ts';

const COLUMNS = `1 AS version, trace_id AS "traceId", id, order_id AS "orderId", symbol, side, qty, price, commission,
  timestamp, allocations`;
/** The same, qualified for a join with orders. */
const F_COLUMNS = `1 AS version, f.trace_id AS "traceId", f.id, f.order_id AS "orderId", f.symbol, f.side, f.qty, f.price,
  f.commission, f.timestamp, f.allocations`;

/** A fund's fills, filtered: inclusive dates (YYYY-MM-DD, UTC) and/or some orders, newest first, at most `limit`. */
export interface FundFillFilter {
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly orderIds?: readonly string[] | undefined;
  readonly limit: number;
}

/** Executions. Inserting a fill id twice is a no-op (broker redelivery). */
export class FillsRepo {
  constructor(private readonly db: Db) {}

  /** Returns true when the fill was new. */
  async insert(f: Fill): Promise<boolean> {
    const r = await this.db.query(
      `INSERT INTO fills (id, order_id, trace_id, symbol, side, qty, price, commission, timestamp, allocations)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10::jsonb) ON CONFLICT (id) DO NOTHING`,
      [f.id, f.orderId, f.traceId, f.symbol, f.side, f.qty, f.price, f.commission, f.timestamp, json(f.allocations)],
    );
    return r.rowCount === 1;
  }

  async listByOrder(orderId: string): Promise<Fill[]> {
    const r = await this.db.query(`SELECT ${COLUMNS} FROM fills WHERE order_id = $1 ORDER BY timestamp, id`, [orderId]);
    return r.rows.map((row) => parseRow(Fill, row, 'fills'));
  }

  /** Fills of the fund's orders, newest first (timestamp, then id), filtered. */
  async listForFund(fundId: string, f: FundFillFilter): Promise<Fill[]> {
    const r = await this.db.query(
      `SELECT ${F_COLUMNS} FROM fills f JOIN orders o ON o.id = f.order_id WHERE o.fund_id = $1
         AND ($2::date IS NULL OR f.timestamp >= $2::date) AND ($3::date IS NULL OR f.timestamp < $3::date + 1)
         AND ($5::text[] IS NULL OR f.order_id = ANY($5::text[]))
       ORDER BY f.timestamp DESC, f.id DESC LIMIT $4`,
      [fundId, f.from ?? null, f.to ?? null, f.limit, f.orderIds ? [...f.orderIds] : null],
    );
    return r.rows.map((row) => parseRow(Fill, row, 'fills'));
  }

  /** Fills in a time window [from, to), ISO timestamps. */
  async listBetween(from: string, to: string): Promise<Fill[]> {
    const r = await this.db.query(
      `SELECT ${COLUMNS} FROM fills WHERE timestamp >= $1 AND timestamp < $2 ORDER BY timestamp, id`,
      [from, to],
    );
    return r.rows.map((row) => parseRow(Fill, row, 'fills'));
  }
}
