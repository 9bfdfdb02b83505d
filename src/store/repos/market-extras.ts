import { DataQuality, Fundamentals, MacroObservation } from '../../contracts/index.ts';
import type { Db } from '../db.ts';
import { json, parseRow } from './rows.ts';

const FUND_COLUMNS = `1 AS version, symbol, to_char(period_end, 'YYYY-MM-DD') AS "periodEnd", release_time AS "releaseTime",
  eps, revenue, cash_flow AS "cashFlow", book_value_per_share AS "bookValuePerShare", dividend_yield AS "dividendYield",
  pe, pb, quality, value, shares_outstanding AS "sharesOutstanding"`;

/** Fundamentals by (symbol, period end, release time); restatements are new rows. */
export class FundamentalsRepo {
  constructor(private readonly db: Db) {}

  /** Idempotent bulk insert; returns rows inserted (existing keys are skipped). */
  async insertMany(items: readonly Fundamentals[]): Promise<number> {
    if (items.length === 0) return 0;
    const r = await this.db.query(
      `INSERT INTO fundamentals (symbol, period_end, release_time, eps, revenue, cash_flow, book_value_per_share,
         dividend_yield, pe, pb, quality, value, shares_outstanding)
       SELECT x.symbol, x."periodEnd", x."releaseTime", x.eps, x.revenue, x."cashFlow", x."bookValuePerShare",
         x."dividendYield", x.pe, x.pb, x.quality, x.value, x."sharesOutstanding"
       FROM jsonb_to_recordset($1::jsonb) AS x(symbol text, "periodEnd" date, "releaseTime" timestamptz, eps float8,
         revenue float8, "cashFlow" float8, "bookValuePerShare" float8, "dividendYield" float8, pe float8, pb float8,
         quality float8, value float8, "sharesOutstanding" float8)
       ON CONFLICT DO NOTHING`,
      [json(items)],
    );
    return r.rowCount;
  }

  /** Rows released at or before `releasedBy` (ISO time; point in time), by symbol then release. */
  async query(q: { symbols?: readonly string[]; releasedBy?: string } = {}): Promise<Fundamentals[]> {
    const r = await this.db.query(
      `SELECT ${FUND_COLUMNS} FROM fundamentals WHERE ($1::text[] IS NULL OR symbol = ANY($1))
         AND ($2::timestamptz IS NULL OR release_time <= $2) ORDER BY symbol, release_time, period_end`,
      [q.symbols ? [...q.symbols] : null, q.releasedBy ?? null],
    );
    return r.rows.map((row) => parseRow(Fundamentals, row, 'fundamentals'));
  }
}

/** Macro and reference series observations (table `macro_series`). */
export class MacroRepo {
  constructor(private readonly db: Db) {}

  async insertMany(items: readonly MacroObservation[]): Promise<number> {
    if (items.length === 0) return 0;
    const r = await this.db.query(
      `INSERT INTO macro_series (series, date, release_time, value)
       SELECT * FROM unnest($1::text[], $2::date[], $3::timestamptz[], $4::float8[]) ON CONFLICT DO NOTHING`,
      [items.map((o) => o.series), items.map((o) => o.date), items.map((o) => o.releaseTime), items.map((o) => o.value)],
    );
    return r.rowCount;
  }

  /** Observations of the series, by series then date; `releasedBy` keeps only what was public then. */
  async query(q: { series?: readonly string[]; from?: string; to?: string; releasedBy?: string } = {}): Promise<MacroObservation[]> {
    const r = await this.db.query(
      `SELECT 1 AS version, series, to_char(date, 'YYYY-MM-DD') AS date, release_time AS "releaseTime", value
       FROM macro_series WHERE ($1::text[] IS NULL OR series = ANY($1)) AND ($2::date IS NULL OR date >= $2)
         AND ($3::date IS NULL OR date <= $3) AND ($4::timestamptz IS NULL OR release_time <= $4)
       ORDER BY series, date, release_time`,
      [q.series ? [...q.series] : null, q.from ?? null, q.to ?? null, q.releasedBy ?? null],
    );
    return r.rows.map((row) => parseRow(MacroObservation, row, 'macro_series'));
  }

  /** The date of each series' latest observation (series without any are absent). */
  async lastDates(series?: readonly string[]): Promise<Map<string, string>> {
    const r = await this.db.query<{ series: string; last: string }>(
      `SELECT series, to_char(max(date), 'YYYY-MM-DD') AS last FROM macro_series WHERE ($1::text[] IS NULL OR series = ANY($1)) GROUP BY series`,
      [series ? [...series] : null],
    );
    return new Map(r.rows.map((x) => [x.series, x.last]));
  }

  async seriesNames(): Promise<string[]> {
    const r = await this.db.query<{ series: string }>('SELECT DISTINCT series FROM macro_series ORDER BY series');
    return r.rows.map((x) => x.series);
  }
}

/** Data-quality scores and governance state per symbol and day. */
export class DataQualityRepo {
  constructor(private readonly db: Db) {}

  async upsert(items: readonly DataQuality[]): Promise<void> {
    if (items.length === 0) return;
    await this.db.query(
      `INSERT INTO data_quality (symbol, as_of, rows, missing_dates_pct, duplicate_pct, has_zero_or_negative,
         has_extreme_spike, score, state)
       SELECT x.symbol, x."asOf", x.rows, x."missingDatesPct", x."duplicatePct", x."hasZeroOrNegative",
         x."hasExtremeSpike", x.score, x.state
       FROM jsonb_to_recordset($1::jsonb) AS x(symbol text, "asOf" date, rows int, "missingDatesPct" float8,
         "duplicatePct" float8, "hasZeroOrNegative" boolean, "hasExtremeSpike" boolean, score float8, state text)
       ON CONFLICT (symbol, as_of) DO UPDATE SET rows = EXCLUDED.rows, missing_dates_pct = EXCLUDED.missing_dates_pct,
         duplicate_pct = EXCLUDED.duplicate_pct, has_zero_or_negative = EXCLUDED.has_zero_or_negative,
         has_extreme_spike = EXCLUDED.has_extreme_spike, score = EXCLUDED.score, state = EXCLUDED.state`,
      [json(items)],
    );
  }

  /** The latest assessment of each symbol (at or before `asOf` when given), by symbol. */
  async latest(asOf?: string): Promise<DataQuality[]> {
    const r = await this.db.query(
      `SELECT DISTINCT ON (symbol) 1 AS version, symbol, to_char(as_of, 'YYYY-MM-DD') AS "asOf", rows,
         missing_dates_pct AS "missingDatesPct", duplicate_pct AS "duplicatePct",
         has_zero_or_negative AS "hasZeroOrNegative", has_extreme_spike AS "hasExtremeSpike", score, state
       FROM data_quality WHERE ($1::date IS NULL OR as_of <= $1) ORDER BY symbol, as_of DESC`,
      [asOf ?? null],
    );
    return r.rows.map((row) => parseRow(DataQuality, row, 'data_quality'));
  }
}

/** One state of the stored market: `revision` moves on with every write to what a market load reads (migration 0007). */
export interface MarketRevision {
  /** Random, one per database: a revision of another database (a restored or new store) never matches. */
  readonly epoch: string;
  readonly revision: number;
}

/** The stored market's revision (instruments, bars, fundamentals, macro series, data quality). */
export class MarketRevisionRepo {
  constructor(private readonly db: Db) {}

  async current(): Promise<MarketRevision> {
    const r = await this.db.query<{ epoch: string; revision: string | number }>('SELECT epoch, revision FROM market_revision WHERE id = 1');
    const row = r.rows[0];
    if (!row) return { epoch: '', revision: -1 };
    return { epoch: row.epoch, revision: Number(row.revision) };
  }
}
