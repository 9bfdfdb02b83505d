import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeelError } from '../../../src/core/index.ts';
import { loadMigrations, migrate, type Store } from '../../../src/store/index.ts';
import { DRIVERS } from './drivers.ts';

const EXPECTED_TABLES = [
  'agents', 'alerts', 'audit_head', 'audit_log', 'backtests', 'bars', 'briefings', 'cash_ledger', 'config_versions',
  'cycles', 'data_quality', 'decisions', 'fills', 'fundamentals', 'funds', 'instruments', 'journal', 'macro_series',
  'nav_history', 'order_events', 'orders', 'overlay_actions', 'positions', 'proposals', 'risk_actions',
  'risk_snapshots', 'schema_migrations', 'signals', 'stress_results', 'users',
];

describe.each(DRIVERS)('migrations on $name', (driver) => {
  let store: Store;
  beforeAll(async () => {
    store = await driver.open();
  });
  afterAll(async () => {
    await store.close();
  });

  it('creates every table the seeds persist, in the current schema', async () => {
    const r = await store.db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`,
    );
    expect(r.rows.map((x) => x.table_name)).toEqual(EXPECTED_TABLES);
  });

  it('is idempotent: a second run applies nothing and keeps one row per migration', async () => {
    const files = loadMigrations();
    const again = await migrate(store.db);
    expect(again).toEqual({ applied: [], current: files.length });
    const rows = await store.db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.rows.map((r) => r.version)).toEqual(files.map((m) => m.version));
  });

  it('refuses a migration that was edited after it was applied', async () => {
    const files = loadMigrations().map((m, i) => (i === 0 ? { ...m, checksum: 'edited' } : m));
    await expect(migrate(store.db, files)).rejects.toThrow(/changed after it was applied/);
    await expect(migrate(store.db, files)).rejects.toBeInstanceOf(KeelError);
  });

  it('applies a new additive migration once, and rolls back a failing one entirely', async () => {
    const files = loadMigrations();
    const next = files.length + 1;
    const extra = { version: next, name: 'extra', sql: 'CREATE TABLE extra_t (x INT)', checksum: 'x1' };
    expect((await migrate(store.db, [...files, extra])).applied).toEqual([next]);
    expect((await migrate(store.db, [...files, extra])).applied).toEqual([]);
    const bad = { version: next + 1, name: 'bad', sql: 'CREATE TABLE half_t (x INT); SELECT nope FROM nowhere', checksum: 'x2' };
    await expect(migrate(store.db, [...files, extra, bad])).rejects.toThrow();
    const half = await store.db.query(`SELECT 1 FROM information_schema.tables WHERE table_name = 'half_t'
      AND table_schema = current_schema()`);
    expect(half.rows).toHaveLength(0);
  });
});

describe('migration files', () => {
  it('are numbered 0001, 0002, … without gaps', () => {
    const files = loadMigrations();
    expect(files.map((m) => m.version)).toEqual(files.map((_, i) => i + 1));
    expect(files[0]?.name).toBe('init');
  });
});
