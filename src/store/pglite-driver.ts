import { AsyncLocalStorage } from 'node:async_hooks';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { KeelError, LoopSlicer, type Logger } from '../core/index.ts';
import { nestedTransaction, quoteIdent, type CopyInput, type Db, type QueryResult } from './db.ts';
import { acquireStoreLock } from './store-lock.ts';
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

/**
 * The open transaction of the current async call chain. PGlite has one connection, so a
 * statement sent through the outer handle while the chain's own transaction is open would wait
 * for that transaction forever; it is refused with an error instead.
 */
const openTx = new AsyncLocalStorage<{ readonly root: PGlite; active: boolean }>();

function refuseOuterUse(root: PGlite): void {
  const ctx = openTx.getStore();
  if (ctx?.active === true && ctx.root === root) {
    throw new KeelError(
      'KEEL_E_STORE',
      'a statement went through the outer Db inside its own transaction, which on PGlite waits forever; use the transaction handle passed to the callback',
    );
  }
}

/**
 * A Db bound to one PGlite handle or open PGlite transaction. PGlite runs a statement on this
 * thread and settles it as a microtask, so a chain of statements (a report's reads, a
 * transaction's writes) would hold the event loop from its first to its last: each statement
 * first asks the store's `slicer` for a turn.
 */
class PgliteSession implements Db {
  readonly kind = 'pglite' as const;
  constructor(
    private readonly runner: Runner,
    private readonly root: PGlite,
    private readonly inTx: boolean,
    private readonly slicer: LoopSlicer,
    private readonly onClose: () => void = () => {},
  ) {}

  async query<T = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<T>> {
    if (!this.inTx) refuseOuterUse(this.root);
    await this.slicer.pause();
    const r = await this.runner.query<T>(sql, [...params]);
    return { rows: r.rows, rowCount: r.affectedRows ?? 0 };
  }

  async exec(sql: string): Promise<void> {
    if (!this.inTx) refuseOuterUse(this.root);
    await this.slicer.pause();
    await this.runner.exec(sql);
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    if (this.inTx) return nestedTransaction(this, fn);
    refuseOuterUse(this.root);
    return this.root.transaction(async (tx) => {
      const ctx = { root: this.root, active: true };
      try {
        return await openTx.run(ctx, () => fn(new PgliteSession(tx, this.root, true, this.slicer)));
      } finally {
        ctx.active = false;
      }
    });
  }

  readonly copyFrom = async (input: CopyInput): Promise<void> => {
    if (!this.inTx) refuseOuterUse(this.root);
    await this.slicer.pause();
    await this.runner.query(copySql(input), [], { blob: new Blob([input.text]) });
  };

  readonly copyTo = async (select: string): Promise<string> => {
    if (!this.inTx) refuseOuterUse(this.root);
    await this.slicer.pause();
    const r = await this.runner.query(`COPY (${select}) TO '/dev/blob'`);
    return r.blob === undefined ? '' : await r.blob.text();
  };

  async close(): Promise<void> {
    if (this.inTx) return;
    try {
      if (!this.root.closed) await this.root.close();
    } finally {
      this.onClose();
    }
  }
}

/**
 * Opens PGlite: in memory when `dataDir` is undefined, else persisted in that directory, which
 * this process then holds alone (`acquireStoreLock`: a second process gets KEEL_E_STORE_LOCKED
 * naming this one) until the Db is closed; taking over a stale lock is logged as a warning. The
 * session time zone is UTC.
 */
export async function openPglite(dataDir: string | undefined, logger?: Logger): Promise<Db> {
  const lock = dataDir === undefined ? null : acquireStoreLock(dataDir);
  const stale = lock?.tookOverFrom;
  if (stale) {
    logger?.log('warn', `took over the embedded store's stale lock: process ${stale.pid}${stale.command ? ` (${stale.command.slice(0, 80)})` : ''} holding it since ${stale.since} is no longer running`, {
      dataDir,
      pid: stale.pid,
    });
  }
  try {
    const pg = await PGlite.create(dataDir === undefined ? { parsers } : { dataDir, parsers });
    await pg.exec(`SET TIME ZONE 'UTC'`);
    return new PgliteSession(pg, pg, false, new LoopSlicer(), () => lock?.release());
  } catch (e) {
    lock?.release();
    throw e;
  }
}
