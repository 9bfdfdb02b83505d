import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import type { from as copyFromStream } from 'pg-copy-streams';
import { KeelError } from '../core/index.ts';
import { nestedTransaction, quoteIdent, type CopyInput, type Db, type QueryResult } from './db.ts';
import { keelParser } from './type-parsers.ts';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

const types = {
  getTypeParser: ((oid: number, format?: string) => {
    const own = format === 'binary' ? undefined : keelParser(oid);
    return own ?? pg.types.getTypeParser(oid, format === 'binary' ? 'binary' : 'text');
  }) as typeof pg.types.getTypeParser,
};

type CopyFromFactory = typeof copyFromStream;

/** pg-copy-streams when installed; without it bulk loads use INSERT … unnest. */
async function loadCopyFrom(): Promise<CopyFromFactory | undefined> {
  try {
    return (await import('pg-copy-streams')).from;
  } catch {
    return undefined;
  }
}

type Runner = pg.Pool | pg.PoolClient;

class PostgresSession implements Db {
  readonly kind = 'postgres' as const;
  readonly copyFrom?: (input: CopyInput) => Promise<void>;

  constructor(
    private readonly runner: Runner,
    private readonly pool: pg.Pool,
    private readonly inTx: boolean,
    private readonly copyFactory: CopyFromFactory | undefined,
  ) {
    if (copyFactory !== undefined) this.copyFrom = (input) => this.copy(copyFactory, input);
  }

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
      const out = await fn(new PostgresSession(client, this.pool, true, this.copyFactory));
      await client.query('COMMIT');
      return out;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }

  private async copy(factory: CopyFromFactory, input: CopyInput): Promise<void> {
    const sql = `COPY ${quoteIdent(input.table)} (${input.columns.map(quoteIdent).join(', ')}) FROM STDIN`;
    if (this.inTx) {
      await pipeline(Readable.from([input.text]), (this.runner as pg.PoolClient).query(factory(sql)));
      return;
    }
    const client = await this.pool.connect();
    try {
      await pipeline(Readable.from([input.text]), client.query(factory(sql)));
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
    allowExitOnIdle: true,
    options: `-c TimeZone=UTC${searchPath}`,
    types,
  });
  pool.on('error', (e) => opts.onPoolError?.(e));
  const db = new PostgresSession(pool, pool, false, await loadCopyFrom());
  await db.query('SELECT 1');
  return db;
}
