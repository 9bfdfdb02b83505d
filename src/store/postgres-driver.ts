import pg from 'pg';
import { nestedTransaction, quoteIdent, type Db, type QueryResult } from './db.ts';
import { keelParser } from './type-parsers.ts';
import { KeelError } from '../core/index.ts';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

const types = {
  getTypeParser: ((oid: number, format?: string) => {
    const own = format === 'binary' ? undefined : keelParser(oid);
    return own ?? pg.types.getTypeParser(oid, format === 'binary' ? 'binary' : 'text');
  }) as typeof pg.types.getTypeParser,
};

type Runner = pg.Pool | pg.PoolClient;

class PostgresSession implements Db {
  readonly kind = 'postgres' as const;
  constructor(
    private readonly runner: Runner,
    private readonly pool: pg.Pool,
    private readonly inTx: boolean,
  ) {}

  async query<T = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<T>> {
    const r = await this.runner.query(sql, [...params]);
    return { rows: r.rows as T[], rowCount: r.rowCount ?? 0 };
  }

  async exec(sql: string): Promise<void> {
    await this.runner.query(sql);
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    if (this.inTx) return nestedTransaction(this, fn);
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const out = await fn(new PostgresSession(client, this.pool, true));
      await client.query('COMMIT');
      return out;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    if (!this.inTx) await this.pool.end();
  }
}

export interface PostgresOptions {
  readonly url: string;
  /** Schema to create (if missing) and put first on the search_path (tests use one per run). */
  readonly schema?: string;
  /** Pool size; default 5. */
  readonly maxConnections?: number;
  /** Errors of idle pooled connections (server restart); the next query fails loudly anyway. */
  readonly onPoolError?: (e: Error) => void;
}

/** Opens a pooled PostgreSQL connection. Session time zone UTC. */
export async function openPostgres(opts: PostgresOptions): Promise<Db> {
  if (opts.schema !== undefined && !SCHEMA_NAME.test(opts.schema)) {
    throw new KeelError('KEEL_E_VALIDATION', `schema: '${opts.schema}' must match ${SCHEMA_NAME.source}`);
  }
  const searchPath = opts.schema === undefined ? '' : ` -c search_path=${opts.schema},public`;
  if (opts.schema !== undefined) {
    const admin = new pg.Client({ connectionString: opts.url });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(opts.schema)}`);
    } finally {
      await admin.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.maxConnections ?? 5,
    options: `-c TimeZone=UTC${searchPath}`,
    types,
  });
  pool.on('error', (e) => opts.onPoolError?.(e));
  const db = new PostgresSession(pool, pool, false);
  await db.query('SELECT 1');
  return db;
}
