import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { KeelError, sha256Hex } from '../core/index.ts';
import type { Db } from './db.ts';

/** One numbered SQL migration, e.g. `0001_init.sql` → version 1, name `init`. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

export interface MigrationReport {
  /** Versions applied by this call (empty when the schema was already current). */
  readonly applied: readonly number[];
  /** Schema version after the call. */
  readonly current: number;
}

const FILE = /^(\d{4})_([a-z0-9_]+)\.sql$/;
const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
/** Any constant: serialises concurrent migrators on one PostgreSQL server. */
const MIGRATION_LOCK_KEY = 7_305_001;

/** The migrations shipped in src/store/migrations, in version order. */
export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const out: Migration[] = [];
  for (const file of readdirSync(dir).sort()) {
    const m = FILE.exec(file);
    if (!m) continue;
    const sql = readFileSync(`${dir}/${file}`, 'utf8');
    out.push({ version: Number(m[1]), name: m[2] ?? file, sql, checksum: sha256Hex(sql) });
  }
  out.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new KeelError('KEEL_E_STORE', `migration ${m.version} (${m.name}) is out of sequence: expected ${i + 1}`);
    }
  });
  return out;
}

/**
 * Applies the pending migrations in one transaction (all or nothing), recording each in
 * `schema_migrations`. Re-running is a no-op. A migration edited after it was applied is an
 * error: migrations are additive, add a new file instead.
 */
export async function migrate(db: Db, migrations: readonly Migration[] = loadMigrations()): Promise<MigrationReport> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      checksum TEXT NOT NULL,
      applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )`);
    const done = await tx.query<{ version: number; name: string; checksum: string }>(
      'SELECT version, name, checksum FROM schema_migrations ORDER BY version',
    );
    const known = new Map(done.rows.map((r) => [r.version, r]));
    const applied: number[] = [];
    for (const m of migrations) {
      const prior = known.get(m.version);
      if (prior) {
        if (prior.checksum !== m.checksum) {
          throw new KeelError(
            'KEEL_E_STORE',
            `migration ${m.version} (${m.name}) changed after it was applied; migrations are additive, add a new numbered file`,
            { version: m.version },
          );
        }
        continue;
      }
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
        m.version,
        m.name,
        m.checksum,
      ]);
      applied.push(m.version);
    }
    const current = Math.max(0, ...known.keys(), ...applied);
    return { applied, current };
  });
}
