import type { Db } from '../db.ts';
import { json } from './rows.ts';

/**
 * One instrument of a fund's hedge book in one cycle: the hedger's target and what was held.
 * Shares signed (negative = short); dollars at `price`, the decision price (null: the market did
 * not price it and nothing was sent); exposures in dollars of beta (or of a sector's net), null
 * for an unwind.
 */
export interface FundHedgeRow {
  readonly fundId: string;
  readonly cycleId: string;
  readonly asOf: string;
  readonly instrument: string;
  readonly kind: 'index' | 'sector' | 'beta';
  readonly targetQty: number;
  readonly targetNotional: number;
  readonly currentQty: number;
  readonly price: number | null;
  readonly exposureBefore: number | null;
  readonly exposureAfter: number | null;
  readonly reason: string;
}

/** The fund hedge book's targets per cycle (`fund_hedges`). */
export class HedgesRepo {
  constructor(private readonly db: Db) {}

  /** Deletes every row under a fund id (a backtest's scope whose run did not complete); returns how many. */
  async deleteFund(fundId: string): Promise<number> {
    const r = await this.db.query('DELETE FROM fund_hedges WHERE fund_id = $1', [fundId]);
    return r.rowCount ?? 0;
  }

  /** Stores a cycle's rows; a cycle stored again (a re-run) replaces its rows of the same instrument. */
  async insertMany(rows: readonly FundHedgeRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.query(
      `INSERT INTO fund_hedges (fund_id, cycle_id, as_of, instrument, kind, target_qty, target_notional, current_qty, price, exposure_before, exposure_after, reason)
       SELECT x."fundId", x."cycleId", x."asOf", x.instrument, x.kind, x."targetQty", x."targetNotional", x."currentQty", x.price,
         x."exposureBefore", x."exposureAfter", x.reason
       FROM jsonb_to_recordset($1::jsonb) AS x("fundId" text, "cycleId" text, "asOf" date, instrument text, kind text, "targetQty" numeric,
         "targetNotional" numeric, "currentQty" numeric, price float8, "exposureBefore" numeric, "exposureAfter" numeric, reason text)
       ON CONFLICT (fund_id, cycle_id, instrument) DO UPDATE SET kind = EXCLUDED.kind, target_qty = EXCLUDED.target_qty,
         target_notional = EXCLUDED.target_notional, current_qty = EXCLUDED.current_qty, price = EXCLUDED.price,
         exposure_before = EXCLUDED.exposure_before, exposure_after = EXCLUDED.exposure_after, reason = EXCLUDED.reason`,
      [json(rows.map((r) => ({ ...r, targetQty: round(r.targetQty, 4), currentQty: round(r.currentQty, 4), targetNotional: round(r.targetNotional, 2) })))],
    );
  }

  /** A fund's rows in date order (inclusive bounds), the latest `limit` when given. */
  async list(fundId: string, o: { from?: string | undefined; to?: string | undefined; limit?: number | undefined } = {}): Promise<FundHedgeRow[]> {
    const r = await this.db.query<FundHedgeRow>(
      `SELECT "fundId", "cycleId", "asOf", instrument, kind, "targetQty", "targetNotional", "currentQty", price, "exposureBefore", "exposureAfter", reason
       FROM (
         SELECT fund_id AS "fundId", cycle_id AS "cycleId", to_char(as_of, 'YYYY-MM-DD') AS "asOf", instrument, kind,
           target_qty AS "targetQty", target_notional AS "targetNotional", current_qty AS "currentQty", price,
           exposure_before AS "exposureBefore", exposure_after AS "exposureAfter", reason, id
         FROM fund_hedges WHERE fund_id = $1 AND ($2::date IS NULL OR as_of >= $2) AND ($3::date IS NULL OR as_of <= $3)
         ORDER BY as_of DESC, id DESC LIMIT $4
       ) t ORDER BY "asOf", id`,
      [fundId, o.from ?? null, o.to ?? null, o.limit ?? null],
    );
    return r.rows;
  }
}

const round = (x: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};
