/**
 * Store benchmarks: bulk loading one million daily bars (500 symbols × 2000 days) into PGlite
 * on disk (COPY into a staging table, then INSERT … ON CONFLICT DO NOTHING) and into
 * PostgreSQL (INSERT … SELECT unnest(…) in 50k batches), plus the idempotent re-import of the
 * same million (all skipped). Targets: PGlite < 30 s, PostgreSQL < 15 s.
 *
 * Method: each case gets a fresh, migrated database in setup (a temporary KEEL_HOME for
 * PGlite; the schema `keel_bench` on PostgreSQL, dropped and recreated), so runs repeat; one
 * timed run and no warm-up, because a run takes seconds. PostgreSQL cases run only when
 * TEST_DATABASE_URL or DATABASE_URL is set.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openStore, type BarRow, type Store } from '../../src/store/index.ts';
import type { BenchCase, BenchSuite } from '../harness.ts';
import { syntheticBars } from './bars-fixture.ts';

const SYMBOLS = 500;
const DAYS = 2000;
const N = SYMBOLS * DAYS;

let cached: BarRow[] | undefined;
const bars = (): BarRow[] => (cached ??= syntheticBars(SYMBOLS, DAYS));

const pgUrl = process.env['TEST_DATABASE_URL'] ?? process.env['DATABASE_URL'];

const tempHomes: string[] = [];
process.once('exit', () => tempHomes.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function freshPglite(): Promise<Store> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'keel-bench-'));
  tempHomes.push(home);
  return openStore({ home });
}

async function freshPostgres(url: string, schema: string): Promise<Store> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await c.end();
  return openStore({ url, schema });
}

async function load(store: Store, method: 'auto' | 'unnest' = 'auto'): Promise<number> {
  const r = await store.bars.load(bars(), { method, batchSize: 50_000 });
  if (r.total !== N) throw new Error(`loaded ${r.total} of ${N}`);
  return r.inserted;
}

/**
 * Also prints this process's CPU time: on a shared machine it is the load-independent figure
 * for PGlite (which runs in-process); for PostgreSQL the server's CPU is not included.
 */
async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const out = await fn();
  const cpu = process.cpuUsage(cpu0);
  const wall = (performance.now() - t0) / 1000;
  process.stderr.write(`  ${label}: wall ${wall.toFixed(1)} s, node process CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s\n`);
  return out;
}

function cases(driver: string, open: () => Promise<Store>, method: 'auto' | 'unnest', target: string): BenchCase[] {
  return [
    {
      name: `${driver}: load 1M bars (${method === 'auto' ? 'default method' : method})`,
      setup: async () => {
        bars();
        return open();
      },
      run: async (s) => {
        const inserted = await timed(`${driver} load`, () => load(s as Store, method));
        if (inserted !== N) throw new Error(`inserted ${inserted}, expected ${N}`);
        return inserted;
      },
      opsPerRun: N,
      baseline: target,
      warmup: 0,
      runs: 1,
    },
    {
      name: `${driver}: re-import the same 1M (all skipped)`,
      setup: async () => {
        const s = await open();
        await load(s, method);
        return s;
      },
      run: async (s) => {
        const inserted = await timed(`${driver} re-import`, () => load(s as Store, method));
        if (inserted !== 0) throw new Error(`re-import inserted ${inserted}`);
        return inserted;
      },
      opsPerRun: N,
      warmup: 0,
      runs: 1,
    },
  ];
}

export const suites: BenchSuite[] = [
  { name: 'store pglite', cases: cases('PGlite (disk)', freshPglite, 'auto', 'target < 30 s') },
  ...(pgUrl
    ? [
        { name: 'store postgres', cases: [
          ...cases('PostgreSQL', () => freshPostgres(pgUrl, 'keel_bench'), 'auto', 'target < 15 s').slice(0, 1),
          ...cases('PostgreSQL', () => freshPostgres(pgUrl, 'keel_bench_re'), 'auto', '').slice(1),
        ] },
      ]
    : []),
];
