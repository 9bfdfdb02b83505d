/**
 * API load benchmark (issue 8, Performance): autocannon against a running server on 127.0.0.1 —
 * the risk monitor and the positions endpoints at 200 concurrent connections. Goal: ≥ 2,000
 * requests/s with p99 < 50 ms.
 *
 * Method: the server runs in a child process (bench/api/server.ts) so the server and the load
 * generator each have a core of this 2-core machine. Each endpoint is warmed up (the read
 * models are computed once and cached in memory per fund), then loaded for a fixed duration.
 * `npx tsx bench/api/index.ts` prints p50/p99 latency and throughput per endpoint (5 s each);
 * through `bench/run.ts api` each case is a fixed 10,000-request run (3 runs, median), so the
 * harness's ops/s is the throughput, and autocannon's latency percentiles are printed beside it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import type { BenchCase, BenchSuite } from '../harness.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const CONNECTIONS = 200;

interface Target {
  readonly url: string;
  readonly key: string;
  readonly fundId: string;
  readonly child: ChildProcess;
}

let target: Promise<Target> | undefined;

/** Starts the server child once and waits for its address line. */
function startTarget(): Promise<Target> {
  target ??= new Promise<Target>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'server.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
    let buf = '';
    child.stdout.on('data', (c: Buffer) => {
      buf += c.toString();
      const line = buf.split('\n')[0];
      if (buf.includes('\n') && line) {
        // The server must not keep the benchmark process alive, and dies with it.
        child.unref();
        (child.stdout as unknown as { unref?: () => void }).unref?.();
        process.once('exit', () => child.kill('SIGTERM'));
        resolve({ ...(JSON.parse(line) as { url: string; key: string; fundId: string }), child });
      }
    });
    child.on('exit', (code) => reject(new Error(`bench server exited with ${String(code)}`)));
  });
  return target;
}

export interface LoadResult {
  readonly endpoint: string;
  readonly requestsPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly requests: number;
  readonly non2xx: number;
  readonly errors: number;
}

/** Computes the endpoint's read model once (the first risk report takes seconds) so runs measure the hot path. */
async function prime(t: Target, endpoint: string): Promise<void> {
  const r = await fetch(`${t.url}${endpoint}`, { headers: { authorization: `Bearer ${t.key}` } });
  if (r.status !== 200) throw new Error(`${endpoint} answered ${r.status}: ${await r.text()}`);
  await r.text();
}

/** One autocannon run: `duration` seconds or `amount` requests. */
export async function load(t: Target, endpoint: string, o: { duration?: number; amount?: number }): Promise<LoadResult> {
  const r = await autocannon({
    url: `${t.url}${endpoint}`,
    connections: CONNECTIONS,
    headers: { authorization: `Bearer ${t.key}` },
    ...(o.amount ? { amount: o.amount } : { duration: o.duration ?? 5 }),
  });
  return {
    endpoint,
    requestsPerSec: r.requests.average,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
  };
}

const ENDPOINTS = (fundId: string): string[] => [`/v1/funds/${fundId}/risk`, `/v1/funds/${fundId}/positions`];
const latencies: LoadResult[] = [];

function loadCase(which: 0 | 1): BenchCase {
  return {
    name: which === 0 ? 'GET risk monitor ×10k, 200 conns' : 'GET positions ×10k, 200 conns',
    opsPerRun: 10_000,
    warmup: 1,
    runs: 3,
    setup: async () => {
      const t = await startTarget();
      await prime(t, ENDPOINTS(t.fundId)[which] ?? '');
      return t;
    },
    run: async (state) => {
      const t = state as Target;
      const r = await load(t, ENDPOINTS(t.fundId)[which] ?? '', { amount: 10_000 });
      latencies.push(r);
      process.stderr.write(`  ${r.endpoint}: ${r.requestsPerSec.toFixed(0)} req/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, non-2xx ${r.non2xx}\n`);
      return r;
    },
  };
}

export const suites: BenchSuite[] = [{ name: 'api', cases: [loadCase(0), loadCase(1)] }];

/** Direct run: warm up, then 5 s per endpoint; prints a table. */
async function main(): Promise<void> {
  const t = await startTarget();
  try {
    const rows: LoadResult[] = [];
    for (const e of ENDPOINTS(t.fundId)) {
      await prime(t, e);
      await load(t, e, { duration: 2 });
      rows.push(await load(t, e, { duration: 5 }));
    }
    process.stdout.write(`connections ${CONNECTIONS}, 5 s per endpoint, node ${process.version}\n`);
    process.stdout.write(`${'endpoint'.padEnd(34)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'requests'.padStart(9)} non-2xx errors\n`);
    for (const r of rows) {
      process.stdout.write(`${r.endpoint.padEnd(34)} ${r.requestsPerSec.toFixed(0).padStart(8)} ${String(r.p50Ms).padStart(7)} ${String(r.p99Ms).padStart(7)} ${String(r.requests).padStart(9)} ${r.non2xx} ${r.errors}\n`);
    }
  } finally {
    t.child.kill('SIGTERM');
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
