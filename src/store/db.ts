/**
 * The database seam: one small interface over PGlite (embedded, in-process) and PostgreSQL.
 * Repositories speak the PostgreSQL dialect through it and never see a driver.
 */

/** Rows of a query. NUMERIC, INT8 and float columns arrive as numbers (see `type-parsers.ts`). */
export interface QueryResult<T> {
  readonly rows: T[];
  /** Rows inserted, updated or deleted by the statement (0 for SELECT on PGlite). */
  readonly rowCount: number;
}

/** Bulk text load: tab-separated rows in PostgreSQL COPY text format, one per line. */
export interface CopyInput {
  readonly table: string;
  readonly columns: readonly string[];
  readonly text: string;
}

export interface Db {
  readonly kind: 'pglite' | 'postgres';
  /** One parameterised statement (`$1`, `$2`, …). */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>>;
  /** One or more statements without parameters (migrations, DDL). */
  exec(sql: string): Promise<void>;
  /**
   * Runs `fn` in a transaction: COMMIT when it resolves, ROLLBACK when it throws (nothing
   * half-written). Nested calls on the transaction handle use savepoints.
   */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /** COPY … FROM STDIN in text format, where the driver supports it; otherwise undefined. */
  readonly copyFrom?: (input: CopyInput) => Promise<void>;
  /**
   * The result of `select` (no parameters; inline literals with `sqlLiteral`) in COPY text
   * format: tab-separated, one row per line, `\N` for NULL. Where the driver has it (PGlite,
   * whose row-by-row results are several times slower for large reads); otherwise undefined.
   */
  readonly copyTo?: (select: string) => Promise<string>;
  close(): Promise<void>;
}

/** Quotes an SQL identifier (schema, table) safely. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A string as an SQL literal (standard_conforming_strings: only quotes need doubling). */
export function sqlLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

let savepointSeq = 0;

/**
 * Savepoint-based nested transaction on an open transaction handle, shared by both drivers.
 * `run` executes one statement on the same connection.
 */
export async function nestedTransaction<T>(tx: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  savepointSeq += 1;
  const sp = `keel_sp_${savepointSeq}`;
  await tx.exec(`SAVEPOINT ${sp}`);
  try {
    const out = await fn(tx);
    await tx.exec(`RELEASE SAVEPOINT ${sp}`);
    return out;
  } catch (e) {
    await tx.exec(`ROLLBACK TO SAVEPOINT ${sp}`);
    throw e;
  }
}
