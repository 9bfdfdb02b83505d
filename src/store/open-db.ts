import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { KeelError } from '../core/index.ts';
import type { Db } from './db.ts';
import { openPglite } from './pglite-driver.ts';
import { openPostgres } from './postgres-driver.ts';

export interface OpenDbOptions {
  /** `postgres://…` selects PostgreSQL. Default: the `DATABASE_URL` environment variable. */
  readonly url?: string;
  /** Keel's home directory; PGlite data lives in `<home>/db`. Default: `KEEL_HOME`, else `./.keel`. */
  readonly home?: string;
  /** PGlite in memory (tests); ignores `url` and `home`. */
  readonly memory?: boolean;
  /** PostgreSQL only: schema created if missing and used as the search_path (test isolation). */
  readonly schema?: string;
  /** Environment to read DATABASE_URL / KEEL_HOME from. Default: process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

const PG_URL = /^postgres(ql)?:\/\//;

/** Where PGlite stores its data for these options. */
export function pgliteDataDir(opts: Pick<OpenDbOptions, 'home' | 'env'> = {}): string {
  const env = opts.env ?? process.env;
  const home = opts.home ?? env['KEEL_HOME'] ?? path.resolve(process.cwd(), '.keel');
  return path.join(home, 'db');
}

/**
 * Opens the database the options and environment select: PGlite in memory (`memory`),
 * PostgreSQL (`url` or `DATABASE_URL` = `postgres://…`), else PGlite under `KEEL_HOME`
 * (default `./.keel/db`). Does not migrate; `openStore` does.
 */
export async function openDb(opts: OpenDbOptions = {}): Promise<Db> {
  if (opts.memory === true) return openPglite(undefined);
  const env = opts.env ?? process.env;
  const url = opts.url ?? env['DATABASE_URL'];
  if (url !== undefined && url !== '') {
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
  return openPglite(dir);
}
