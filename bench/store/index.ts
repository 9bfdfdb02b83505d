/**
 * Store benchmarks: bulk loading one million daily bars (500 symbols × 2000 days) into PGlite
 * on disk and into PostgreSQL with the default method (COPY in 50k batches: straight into
 * `bars` when a batch cannot conflict, else staged and `INSERT … ON CONFLICT DO NOTHING`;
 * PostgreSQL falls back to `INSERT … SELECT unnest(…)` without pg-copy-streams), plus the
 * idempotent re-import of the same million (all skipped). Targets: PGlite < 30 s, PostgreSQL < 15 s.
 *
 * Method: each case gets a fresh, migrated database in setup (a temporary KEEL_HOME for
 * PGlite; the schemas `keel_bench*` on PostgreSQL, dropped and recreated), so runs repeat; one
 * timed run and no warm-up, because a run takes seconds. PostgreSQL cases run only when
 * TEST_DATABASE_URL or DATABASE_URL is set.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { bulkLoadBars, openStore, type BarRow, type Store } from '../../src/store/index.ts';
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

/** CPU seconds of a local process from /proc (undefined when it is not readable, e.g. a remote server). */
function procCpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime + stime in clock ticks (100/s on Linux)
  } catch {
    return undefined;
  }
}

/**
 * Loads the million bars in one transaction and prints wall time and CPU time: this node
 * process's, and on PostgreSQL the server backend's when the server is local. On a shared
 * machine the CPU times are the load-independent figures.
 */
async function load(store: Store, label: string, method: 'auto' | 'unnest' = 'auto'): Promise<number> {
  return store.db.transaction(async (tx) => {
    const pid = tx.kind === 'postgres' ? (await tx.query<{ p: number }>('SELECT pg_backend_pid() AS p')).rows[0]?.p : undefined;
    const server0 = procCpuSeconds(pid);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const r = await bulkLoadBars(tx, bars(), { method, batchSize: 50_000 });
    const cpu = process.cpuUsage(cpu0);
    const wall = (performance.now() - t0) / 1000;
    const server1 = procCpuSeconds(pid);
    const serverCpu = server0 !== undefined && server1 !== undefined ? `, server backend CPU ${(server1 - server0).toFixed(1)} s` : '';
    process.stderr.write(
      `  ${label}: wall ${wall.toFixed(1)} s, node CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s${serverCpu}\n`,
    );
    if (r.total !== N) throw new Error(`loaded ${r.total} of ${N}`);
    return r.inserted;
  });
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
        const inserted = await load(s as Store, `${driver} load`, method);
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
        await load(s, `${driver} initial load (untimed)`, method);
        return s;
      },
      run: async (s) => {
        const inserted = await load(s as Store, `${driver} re-import`, method);
        if (inserted !== 0) throw new Error(`re-import inserted ${inserted}`);
        return inserted;
      },
      opsPerRun: N,
      warmup: 0,
      runs: 1,
    },
  ];
}

/** Reading a 500 × 1260 panel back (what a backtest loads at start). */
function readCase(driver: string, open: () => Promise<Store>): BenchCase {
  return {
    name: `${driver}: range query 500 symbols × 1260 days`,
    setup: async () => {
      const s = await open();
      await s.bars.load(syntheticBars(500, 1260));
      return s;
    },
    run: async (s) => {
      const rows = await (s as Store).bars.range({ from: '2000-01-03' });
      if (rows.length !== 630_000) throw new Error(`read ${rows.length} rows`);
      return rows.length;
    },
    opsPerRun: 630_000,
    warmup: 1,
    runs: 3,
  };
}

export const suites: BenchSuite[] = [
  { name: 'store pglite', cases: cases('PGlite (disk)', freshPglite, 'auto', 'target < 30 s') },
  {
    name: 'store read',
    cases: [
      readCase('PGlite (disk)', freshPglite),
      ...(pgUrl ? [readCase('PostgreSQL', () => freshPostgres(pgUrl, 'keel_bench_read'))] : []),
    ],
  },
  ...(pgUrl
    ? [
        { name: 'store postgres', cases: [
          ...cases('PostgreSQL', () => freshPostgres(pgUrl, 'keel_bench'), 'auto', 'target < 15 s').slice(0, 1),
          ...cases('PostgreSQL', () => freshPostgres(pgUrl, 'keel_bench_re'), 'auto', '').slice(1),
        ] },
      ]
    : []),
];
