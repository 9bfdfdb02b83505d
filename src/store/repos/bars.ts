import type { Db } from '../db.ts';
import { bulkLoadBars, type BarRow, type BulkLoadOptions, type BulkLoadReport } from './bar-loader.ts';

export interface BarQuery {
  /** Default: all symbols. */
  readonly symbols?: readonly string[];
  /** Inclusive `YYYY-MM-DD` bounds. */
  readonly from?: string;
  readonly to?: string;
}

/** Per-symbol figures for the data-quality score (seed mini-quant-fund §6). */
export interface BarStats {
  readonly symbol: string;
  readonly rows: number;
  readonly firstDate: string;
  readonly lastDate: string;
  /** Rows with a price ≤ 0. */
  readonly nonPositiveRows: number;
  /** Rows whose high/low do not bracket open and close. */
  readonly inconsistentRows: number;
  /** Largest |close-to-close simple return| (0.5 = 50%), 0 with fewer than two rows. */
  readonly maxAbsReturn: number;
}

const FILTER = `($1::text[] IS NULL OR symbol = ANY($1)) AND ($2::date IS NULL OR date >= $2) AND ($3::date IS NULL OR date <= $3)`;

function filterParams(q: BarQuery): unknown[] {
  return [q.symbols ? [...q.symbols] : null, q.from ?? null, q.to ?? null];
}

/** Daily bars, keyed by (symbol, date). */
export class BarsRepo {
  constructor(private readonly db: Db) {}

  /** Idempotent bulk load; see `bulkLoadBars`. */
  load(bars: readonly BarRow[], opts: BulkLoadOptions = {}): Promise<BulkLoadReport> {
    return bulkLoadBars(this.db, bars, opts);
  }

  /** Bars in the range, ordered by date then symbol. */
  async range(q: BarQuery = {}): Promise<BarRow[]> {
    const r = await this.db.query<BarRow>(
      `SELECT symbol, to_char(date, 'YYYY-MM-DD') AS date, open, high, low, close, volume
       FROM bars WHERE ${FILTER} ORDER BY date, symbol`,
      filterParams(q),
    );
    return r.rows;
  }

  async count(q: BarQuery = {}): Promise<number> {
    const r = await this.db.query<{ n: number }>(`SELECT count(*) AS n FROM bars WHERE ${FILTER}`, filterParams(q));
    return r.rows[0]?.n ?? 0;
  }

  /** Distinct symbols with bars, sorted. */
  async symbols(): Promise<string[]> {
    const r = await this.db.query<{ symbol: string }>('SELECT DISTINCT symbol FROM bars ORDER BY symbol');
    return r.rows.map((x) => x.symbol);
  }

  /** Per-symbol statistics for data quality, sorted by symbol. */
  async stats(q: BarQuery = {}): Promise<BarStats[]> {
    const r = await this.db.query<BarStats>(
      `SELECT symbol, count(*)::int AS rows,
              to_char(min(date), 'YYYY-MM-DD') AS "firstDate", to_char(max(date), 'YYYY-MM-DD') AS "lastDate",
              count(*) FILTER (WHERE least(open, high, low, close) <= 0)::int AS "nonPositiveRows",
              count(*) FILTER (WHERE high < greatest(open, close, low) OR low > least(open, close, high))::int
                AS "inconsistentRows",
              coalesce(max(abs(ret)), 0)::float8 AS "maxAbsReturn"
       FROM (SELECT symbol, date, open, high, low, close,
                    close / NULLIF(lag(close) OVER (PARTITION BY symbol ORDER BY date), 0) - 1 AS ret
             FROM bars WHERE ${FILTER}) t
       GROUP BY symbol ORDER BY symbol`,
      filterParams(q),
    );
    return r.rows;
  }
}
