import { Instrument } from '../../contracts/index.ts';
import type { Db } from '../db.ts';
import { parseRow } from './rows.ts';

const COLUMNS = `1 AS version, symbol, name, asset_class AS "assetClass", sector, currency,
  lot_size AS "lotSize", is_tradable AS "isTradable"`;

/** Instruments (the security master). */
export class InstrumentsRepo {
  constructor(private readonly db: Db) {}

  /** Inserts or updates by symbol. Returns the number written. */
  async upsert(items: readonly Instrument[]): Promise<number> {
    if (items.length === 0) return 0;
    const r = await this.db.query(
      `INSERT INTO instruments (symbol, name, asset_class, sector, currency, lot_size, is_tradable, updated_at)
       SELECT *, now() FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::numeric[], $7::boolean[])
       ON CONFLICT (symbol) DO UPDATE SET name = EXCLUDED.name, asset_class = EXCLUDED.asset_class,
         sector = EXCLUDED.sector, currency = EXCLUDED.currency, lot_size = EXCLUDED.lot_size,
         is_tradable = EXCLUDED.is_tradable, updated_at = now()`,
      [
        items.map((i) => i.symbol),
        items.map((i) => i.name),
        items.map((i) => i.assetClass),
        items.map((i) => i.sector),
        items.map((i) => i.currency),
        items.map((i) => i.lotSize),
        items.map((i) => i.isTradable),
      ],
    );
    return r.rowCount;
  }

  /** All instruments, by symbol; optionally one asset class or sector. */
  async list(filter: { assetClass?: Instrument['assetClass']; sector?: string } = {}): Promise<Instrument[]> {
    const r = await this.db.query(
      `SELECT ${COLUMNS} FROM instruments
       WHERE ($1::text IS NULL OR asset_class = $1) AND ($2::text IS NULL OR sector = $2) ORDER BY symbol`,
      [filter.assetClass ?? null, filter.sector ?? null],
    );
    return r.rows.map((row) => parseRow(Instrument, row, 'instruments'));
  }

  async get(symbol: string): Promise<Instrument | undefined> {
    const r = await this.db.query(`SELECT ${COLUMNS} FROM instruments WHERE symbol = $1`, [symbol]);
    const row = r.rows[0];
    return row === undefined ? undefined : parseRow(Instrument, row, 'instruments');
  }
}
