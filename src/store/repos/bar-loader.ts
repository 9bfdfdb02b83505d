import { ensureDefined, ValidationError } from '../../core/index.ts';
import type { Db } from '../db.ts';

/** A bar as stored (the Bar contract without `version`). Prices in dollars; volume in shares. */
export interface BarRow {
  readonly symbol: string;
  readonly date: string;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

export interface BulkLoadOptions {
  /** Rows per statement; default 50,000. */
  readonly batchSize?: number;
  /** Called after each batch with rows processed so far and the total. */
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * `auto` (default): COPY where the driver has it (PGlite always; PostgreSQL with
   * pg-copy-streams installed), else `INSERT … SELECT unnest(…)`.
   */
  readonly method?: 'auto' | 'copy' | 'unnest';
}

export interface BulkLoadReport {
  readonly total: number;
  /** New rows written. */
  readonly inserted: number;
  /** Rows already present (same symbol and date), left unchanged. */
  readonly skipped: number;
}

const UNIQUE_VIOLATION = '23505';
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function check(b: BarRow, i: number): void {
  if (!DATE.test(b.date)) throw new ValidationError(`bars[${i}].date`, `'${b.date}' is not YYYY-MM-DD`);
  if (b.symbol.length === 0 || /[\t\n\r\\]/.test(b.symbol)) {
    throw new ValidationError(`bars[${i}].symbol`, `'${b.symbol}' is empty or contains control characters`);
  }
  for (const k of ['open', 'high', 'low', 'close', 'volume'] as const) {
    if (!Number.isFinite(b[k])) throw new ValidationError(`bars[${i}].${k}`, `must be a finite number, got ${b[k]}`);
  }
}

const STAGE = 'keel_bars_stage';
const COLUMNS = ['symbol', 'date', 'open', 'high', 'low', 'close', 'volume'];
const INSERT_FROM_STAGE = `INSERT INTO bars (symbol, date, open, high, low, close, volume)
  SELECT symbol, date, open, high, low, close, volume FROM ${STAGE} ON CONFLICT DO NOTHING`;
const INSERT_UNNEST = `INSERT INTO bars (symbol, date, open, high, low, close, volume)
  SELECT * FROM unnest($1::text[], $2::date[], $3::numeric[], $4::numeric[], $5::numeric[], $6::numeric[], $7::numeric[])
  ON CONFLICT DO NOTHING`;

function copyText(batch: readonly BarRow[]): string {
  let text = '';
  for (const b of batch) text += `${b.symbol}\t${b.date}\t${b.open}\t${b.high}\t${b.low}\t${b.close}\t${b.volume}\n`;
  return text;
}

/** Per-symbol [first, last] date of a batch, or undefined when the batch repeats a (symbol, date). */
function spansIfUnique(batch: readonly BarRow[]): Map<string, [string, string]> | undefined {
  const seen = new Set<string>();
  const spans = new Map<string, [string, string]>();
  for (const b of batch) {
    const key = `${b.symbol}|${b.date}`;
    if (seen.has(key)) return undefined;
    seen.add(key);
    const s = spans.get(b.symbol);
    if (s === undefined) spans.set(b.symbol, [b.date, b.date]);
    else {
      if (b.date < s[0]) s[0] = b.date;
      if (b.date > s[1]) s[1] = b.date;
    }
  }
  return spans;
}

/**
 * COPY path. A batch that cannot conflict (no repeated key, no stored bar inside its
 * per-symbol date spans) is copied straight into `bars`; a batch whose every key is stored
 * already is skipped (re-import); anything else goes through a staging table and
 * `INSERT … ON CONFLICT DO NOTHING`.
 */
async function batchByCopy(tx: Db, batch: readonly BarRow[]): Promise<number> {
  const copy = tx.copyFrom;
  if (copy === undefined) throw new ValidationError('method', 'this driver has no COPY; use unnest');
  const spans = spansIfUnique(batch);
  if (spans !== undefined) {
    const overlap = await tx.query<{ hit: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM bars b JOIN unnest($1::text[], $2::date[], $3::date[]) AS s(symbol, lo, hi)
         ON b.symbol = s.symbol AND b.date BETWEEN s.lo AND s.hi) AS hit`,
      [[...spans.keys()], [...spans.values()].map((s) => s[0]), [...spans.values()].map((s) => s[1])],
    );
    if (overlap.rows[0]?.hit === false) {
      const direct = await copyDirect(tx, batch);
      if (direct !== undefined) return direct;
    } else {
      // The symbol and date bounds keep the join to the batch's part of the table (index scan).
      const lo = [...spans.values()].reduce((m, s) => (s[0] < m ? s[0] : m), '9999-12-31');
      const hi = [...spans.values()].reduce((m, s) => (s[1] > m ? s[1] : m), '0000-01-01');
      const stored = await tx.query<{ n: number }>(
        `SELECT count(*) AS n FROM bars b JOIN unnest($1::text[], $2::date[]) AS k(symbol, date)
           ON b.symbol = k.symbol AND b.date = k.date
         WHERE b.symbol = ANY($3::text[]) AND b.date BETWEEN $4 AND $5`,
        [batch.map((b) => b.symbol), batch.map((b) => b.date), [...spans.keys()], lo, hi],
      );
      if (stored.rows[0]?.n === batch.length) return 0;
    }
  }
  await tx.exec(`CREATE TEMP TABLE IF NOT EXISTS ${STAGE} (LIKE bars) ON COMMIT DROP`);
  await tx.exec(`TRUNCATE ${STAGE}`);
  await copy({ table: STAGE, columns: COLUMNS, text: copyText(batch) });
  return (await tx.query(INSERT_FROM_STAGE)).rowCount;
}

/**
 * COPY straight into `bars` under a savepoint: should a concurrent writer (PostgreSQL) have
 * added one of these keys since the check, returns undefined and the caller stages instead.
 */
async function copyDirect(tx: Db, batch: readonly BarRow[]): Promise<number | undefined> {
  return tx
    .transaction(async (sp) => {
      await ensureDefined(sp.copyFrom, 'copyFrom')({ table: 'bars', columns: COLUMNS, text: copyText(batch) });
      return batch.length;
    })
    .catch((e: unknown) => {
      if ((e as { code?: unknown }).code === UNIQUE_VIOLATION) return undefined;
      throw e;
    });
}

async function batchByUnnest(tx: Db, batch: readonly BarRow[]): Promise<number> {
  const r = await tx.query(INSERT_UNNEST, [
    batch.map((b) => b.symbol),
    batch.map((b) => b.date),
    batch.map((b) => b.open),
    batch.map((b) => b.high),
    batch.map((b) => b.low),
    batch.map((b) => b.close),
    batch.map((b) => b.volume),
  ]);
  return r.rowCount;
}

/**
 * Loads bars idempotently in one transaction (all or nothing), in batches: rows whose
 * (symbol, date) already exist are skipped, so re-importing a file adds nothing. Values are
 * checked (real date form, finite numbers) before anything is written; OHLC consistency is
 * the importer's business (it reports such rows, the store keeps what it is given).
 */
export async function bulkLoadBars(db: Db, bars: readonly BarRow[], opts: BulkLoadOptions = {}): Promise<BulkLoadReport> {
  bars.forEach(check);
  const total = bars.length;
  const size = Math.max(1, opts.batchSize ?? 50_000);
  const useCopy = opts.method === 'copy' || ((opts.method ?? 'auto') === 'auto' && db.copyFrom !== undefined);
  const inserted = await db.transaction(async (tx) => {
    let n = 0;
    for (let i = 0; i < total; i += size) {
      const batch = bars.slice(i, i + size);
      n += useCopy ? await batchByCopy(tx, batch) : await batchByUnnest(tx, batch);
      opts.onProgress?.(Math.min(i + size, total), total);
    }
    return n;
  });
  return { total, inserted, skipped: total - inserted };
}
