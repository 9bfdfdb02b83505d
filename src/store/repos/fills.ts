import { Fill } from '../../contracts/index.ts';
import type { Db } from '../db.ts';
import { json, parseRow } from './rows.ts';

const COLUMNS = `1 AS version, trace_id AS "traceId", id, order_id AS "orderId", symbol, side, qty, price, commission,
  timestamp, allocations`;

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

  /** Fills in a time window [from, to), ISO timestamps. */
  async listBetween(from: string, to: string): Promise<Fill[]> {
    const r = await this.db.query(
      `SELECT ${COLUMNS} FROM fills WHERE timestamp >= $1 AND timestamp < $2 ORDER BY timestamp, id`,
      [from, to],
    );
    return r.rows.map((row) => parseRow(Fill, row, 'fills'));
  }
}
