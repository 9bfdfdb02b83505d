/**
 * The drivers every repository test runs on: PGlite in memory always, and PostgreSQL when
 * TEST_DATABASE_URL is set (a fresh schema per store, dropped on close, so parallel runs
 * never collide).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStore, type Store } from '../../../src/store/index.ts';

export interface DriverCase {
  readonly name: 'pglite' | 'postgres';
  /** Opens a store on an empty database, migrated unless `migrate: false`; `close()` also drops the test schema. */
  open(opts?: { migrate?: boolean }): Promise<Store>;
}

const pgUrl = process.env['TEST_DATABASE_URL'];

async function dropSchema(url: string, schema: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await c.end();
  }
}

export const DRIVERS: readonly DriverCase[] = [
  { name: 'pglite', open: (opts = {}) => openStore({ memory: true, ...opts }) },
  ...(pgUrl
    ? [
        {
          name: 'postgres' as const,
          async open(opts: { migrate?: boolean } = {}): Promise<Store> {
            const schema = `keel_test_${process.pid}_${randomBytes(4).toString('hex')}`;
            const store = await openStore({ url: pgUrl, schema, ...opts });
            return {
              ...store,
              close: async () => {
                await store.close();
                await dropSchema(pgUrl, schema);
              },
            };
          },
        },
      ]
    : []),
];
