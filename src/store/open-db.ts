import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { KeelError, type Logger } from '../core/index.ts';
import type { Db } from './db.ts';
import { openPglite } from './pglite-driver.ts';
import { openPostgres } from './postgres-driver.ts';

export interface OpenDbOptions {
  /** `postgres://…` selects PostgreSQL (the kernel passes DATABASE_URL); absent or empty: PGlite. */
  readonly url?: string | null;
  /** Keel's home directory; PGlite data lives in `<home>/db`. Default `./.keel` (the kernel passes KEEL_HOME). */
  readonly home?: string;
  /** PGlite in memory (tests); ignores `url` and `home`. */
  readonly memory?: boolean;
  /** PostgreSQL only: schema created if missing and used as the search_path (test isolation). */
  readonly schema?: string;
  /** Where notes go (taking over a stale PGlite lock). */
  readonly logger?: Logger;
}

const PG_URL = /^postgres(ql)?:\/\//;

/** Where PGlite stores its data for these options. */
export function pgliteDataDir(opts: Pick<OpenDbOptions, 'home'> = {}): string {
  return path.join(opts.home ?? path.resolve(process.cwd(), '.keel'), 'db');
}

/**
 * Opens the database the options select: PGlite in memory (`memory`), PostgreSQL (`url` =
 * `postgres://…`), else PGlite under `home` (default `./.keel/db`), held by this process alone
 * until closed. Does not migrate; `openStore` does.
 */
export async function openDb(opts: OpenDbOptions = {}): Promise<Db> {
  if (opts.memory === true) return openPglite(undefined);
  const url = opts.url;
  if (url !== undefined && url !== null && url !== '') {
    if (!PG_URL.test(url)) {
      throw new KeelError('KEEL_E_VALIDATION', `DATABASE_URL: '${url.replace(/:[^:@/]*@/, ':***@')}' must start with postgres://`);
    }
    try {
      return await openPostgres(opts.schema === undefined ? { url } : { url, schema: opts.schema });
    } catch (e) {
      if (e instanceof KeelError) throw e;
      throw new KeelError('KEEL_E_STORE', `cannot connect to PostgreSQL: ${(e as Error).message}; check DATABASE_URL`);
    }
  }
  const dir = pgliteDataDir(opts);
  mkdirSync(dir, { recursive: true });
  return openPglite(dir, opts.logger);
}
