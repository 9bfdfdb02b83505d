import { Fill } from '../../contracts/index.ts';
import { KeelError } from '../../core/index.ts';
import type { Db } from '../db.ts';
import { json, parseRow } from './rows.ts';

/** A page of `replayPages`. */
const WEEK_MS = 7 * 86_400_000;

const COLUMNS = `1 AS version, trace_id AS "traceId", id, order_id AS "orderId", symbol, side, qty, price, commission,
  timestamp, allocations`;

/** A fund's fills, filtered: inclusive dates (YYYY-MM-DD, UTC) and/or some orders, newest first, at most `limit`. */
export interface FundFillFilter {
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly orderIds?: readonly string[] | undefined;
  readonly limit: number;
}

/**
 * What booked a fill into the books: an execution at the broker, an internal cross of the order
 * planner between books (`orderId` names the cross), or a difference adopted from the broker at
 * reconciliation (`orderId` names the reconciliation).
 */
export type FillKind = 'BROKER' | 'CROSS' | 'ADJUSTMENT';

/** Where a fill belongs. The fund and cycle default to its order's (a broker fill). */
export interface FillMeta {
  readonly fundId?: string;
  readonly cycleId?: string | null;
  readonly kind?: FillKind;
}

/** The part of a fill that books it into positions (`bookFill`). */
export type ReplayFill = Pick<Fill, 'symbol' | 'side' | 'qty' | 'price' | 'commission' | 'timestamp' | 'allocations'>;

/** A stored row as a ReplayFill, its types checked (the full contract is parsed by the other reads). */
function replayFillOf(row: Record<string, unknown>): ReplayFill {
  const { symbol, side, qty, price, commission, timestamp, allocations } = row;
  if (typeof symbol !== 'string' || (side !== 'BUY' && side !== 'SELL') || typeof qty !== 'number' || typeof price !== 'number' || typeof commission !== 'number' || typeof timestamp !== 'string' || !Array.isArray(allocations)) {
    throw new KeelError('KEEL_E_STORE', 'fills: stored row does not match its contract (replay columns)', { table: 'fills' });
  }
  return { symbol, side, qty, price, commission, timestamp, allocations: allocations as Fill['allocations'] };
}

/** A fill with what booked it. */
export interface BookedFill {
  readonly fill: Fill;
  readonly kind: FillKind;
  readonly cycleId: string | null;
}

/** Executions and every other booking of the books. Inserting a fill id twice is a no-op (broker redelivery). */
export class FillsRepo {
  constructor(private readonly db: Db) {}

  /** Returns true when the fill was new. */
  async insert(f: Fill, meta: FillMeta = {}): Promise<boolean> {
    const r = await this.db.query(
      `INSERT INTO fills (id, order_id, trace_id, symbol, side, qty, price, commission, timestamp, allocations, fund_id, cycle_id, kind)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10::jsonb,
         coalesce($11::text, (SELECT fund_id FROM orders WHERE id = $2)),
         CASE WHEN $12::boolean THEN $13::text ELSE (SELECT cycle_id FROM orders WHERE id = $2) END, $14)
       ON CONFLICT (id) DO NOTHING`,
      [
        f.id, f.orderId, f.traceId, f.symbol, f.side, f.qty, f.price, f.commission, f.timestamp, json(f.allocations),
        meta.fundId ?? null, meta.cycleId !== undefined, meta.cycleId ?? null, meta.kind ?? 'BROKER',
      ],
    );
    return r.rowCount === 1;
  }

  /** Every fill of the fund with what booked it, oldest first (timestamp, then id); optionally of one cycle or kind. */
  async listBooked(fundId: string, f: { readonly cycleId?: string; readonly kind?: FillKind } = {}): Promise<BookedFill[]> {
    const r = await this.db.query<Record<string, unknown> & { kind: FillKind; cycleId: string | null }>(
      `SELECT ${COLUMNS}, kind, cycle_id AS "cycleId" FROM fills WHERE fund_id = $1
         AND ($2::text IS NULL OR cycle_id = $2) AND ($3::text IS NULL OR kind = $3) ORDER BY timestamp, id`,
      [fundId, f.cycleId ?? null, f.kind ?? null],
    );
    return r.rows.map((row) => ({ fill: parseRow(Fill, row, 'fills'), kind: row.kind, cycleId: row.cycleId }));
  }

  /**
   * What replaying a fund's books needs of every fill (symbol, side, qty, price, commission, time,
   * allocations), oldest first (timestamp, then id), one week per page (from the day of the first
   * fill); from the day `from` (YYYY-MM-DD) when given. A long history (a few hundred thousand
   * fills) in one query held the embedded store, and so the API, for seconds; a month of the demo
   * fund's fills (about 3,800) still took a tenth of a second to read and parse; by week and
   * without the ids each page takes a few tens of milliseconds and the caller gives the event loop
   * a turn between pages.
   */
  async *replayPages(fundId: string, opts: { readonly from?: string } = {}): AsyncGenerator<ReplayFill[]> {
    const span = await this.db.query<{ lo: string | null; hi: string | null }>(
      `SELECT min(timestamp)::text AS lo, max(timestamp)::text AS hi FROM fills WHERE fund_id = $1 AND ($2::date IS NULL OR timestamp >= $2::date)`,
      [fundId, opts.from ?? null],
    );
    const lo = span.rows[0]?.lo;
    const hi = span.rows[0]?.hi;
    if (!lo || !hi) return;
    const last = new Date(hi).getTime();
    const first = new Date(lo);
    for (let week = Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), first.getUTCDate()); week <= last; week += WEEK_MS) {
      const r = await this.db.query<Record<string, unknown>>(
        `SELECT symbol, side, qty, price, commission, timestamp, allocations FROM fills
           WHERE fund_id = $1 AND timestamp >= $2 AND timestamp < $3 AND ($4::date IS NULL OR timestamp >= $4::date) ORDER BY timestamp, id`,
        [fundId, new Date(week).toISOString(), new Date(week + WEEK_MS).toISOString(), opts.from ?? null],
      );
      if (r.rows.length > 0) yield r.rows.map(replayFillOf);
    }
  }

  /**
   * Inserts many fills of one fund in bulk (a backtest adopted as the fund's history), each with
   * its cycle and kind; ids already stored are skipped. Returns how many were new.
   */
  async insertMany(fundId: string, fills: readonly (Fill & { readonly cycleId: string | null; readonly kind: FillKind })[]): Promise<number> {
    let added = 0;
    for (let i = 0; i < fills.length; i += 5_000) {
      const chunk = fills.slice(i, i + 5_000);
      const r = await this.db.query(
        `INSERT INTO fills (id, order_id, trace_id, symbol, side, qty, price, commission, timestamp, allocations, fund_id, cycle_id, kind)
         SELECT x.id, x."orderId", x."traceId", x.symbol, x.side, x.qty, x.price, x.commission, x.timestamp, x.allocations, $2, x."cycleId", x.kind
         FROM jsonb_to_recordset($1::jsonb) AS x(id text, "orderId" text, "traceId" text, symbol text, side text, qty numeric, price numeric,
           commission numeric, timestamp timestamptz, allocations jsonb, "cycleId" text, kind text)
         ON CONFLICT (id) DO NOTHING`,
        [json(chunk), fundId],
      );
      added += r.rowCount;
    }
    return added;
  }

  async listByOrder(orderId: string): Promise<Fill[]> {
    const r = await this.db.query(`SELECT ${COLUMNS} FROM fills WHERE order_id = $1 ORDER BY timestamp, id`, [orderId]);
    return r.rows.map((row) => parseRow(Fill, row, 'fills'));
  }

  /** Fills of the fund (its orders', its crosses', its reconciliations'), newest first (timestamp, then id), filtered. */
  async listForFund(fundId: string, f: FundFillFilter): Promise<Fill[]> {
    const r = await this.db.query(
      `SELECT ${COLUMNS} FROM fills WHERE fund_id = $1
         AND ($2::date IS NULL OR timestamp >= $2::date) AND ($3::date IS NULL OR timestamp < $3::date + 1)
         AND ($5::text[] IS NULL OR order_id = ANY($5::text[]))
       ORDER BY timestamp DESC, id DESC LIMIT $4`,
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
