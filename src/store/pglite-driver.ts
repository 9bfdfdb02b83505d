import { PGlite, type Transaction } from '@electric-sql/pglite';
import { nestedTransaction, quoteIdent, type CopyInput, type Db, type QueryResult } from './db.ts';
import { OID, parseDate, parseInt8, parseNumeric, parseTimestamp } from './type-parsers.ts';

type Runner = Pick<Transaction, 'query' | 'exec'>;

const parsers = {
  [OID.INT8]: parseInt8,
  [OID.NUMERIC]: parseNumeric,
  [OID.DATE]: parseDate,
  [OID.TIMESTAMP]: parseTimestamp,
  [OID.TIMESTAMPTZ]: parseTimestamp,
};

function copySql(input: CopyInput): string {
  return `COPY ${quoteIdent(input.table)} (${input.columns.map(quoteIdent).join(', ')}) FROM '/dev/blob'`;
}

/** A Db bound to one PGlite handle or open PGlite transaction. */
class PgliteSession implements Db {
  readonly kind = 'pglite' as const;
  constructor(
    private readonly runner: Runner,
    private readonly root: PGlite,
    private readonly inTx: boolean,
  ) {}

  async query<T = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<T>> {
    const r = await this.runner.query<T>(sql, [...params]);
    return { rows: r.rows, rowCount: r.affectedRows ?? 0 };
  }

  async exec(sql: string): Promise<void> {
    await this.runner.exec(sql);
  }

  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    if (this.inTx) return nestedTransaction(this, fn);
    return this.root.transaction((tx) => fn(new PgliteSession(tx, this.root, true)));
  }

  readonly copyFrom = async (input: CopyInput): Promise<void> => {
    await this.runner.query(copySql(input), [], { blob: new Blob([input.text]) });
  };

  async close(): Promise<void> {
    if (!this.inTx && !this.root.closed) await this.root.close();
  }
}

/**
 * Opens PGlite: in memory when `dataDir` is undefined, else persisted in that directory.
 * The session time zone is UTC.
 */
export async function openPglite(dataDir: string | undefined): Promise<Db> {
  const pg = await PGlite.create(dataDir === undefined ? { parsers } : { dataDir, parsers });
  await pg.exec(`SET TIME ZONE 'UTC'`);
  return new PgliteSession(pg, pg, false);
}
