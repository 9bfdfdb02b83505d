/**
 * How long each report route holds the API's event loop (issue 17): starts `keel serve` on a copy
 * of a prepared home (the demo's: `KEEL_HOME=/tmp/demo node bin/keel.mjs demo --no-serve`), then
 * calls each report route cold (first call after start) and warm (second call), and prints
 * route, cold ms, warm ms and the worst `GET /healthz` latency seen during each call.
 *
 * Method: the server has no in-process loop monitor, so the loop is watched from outside: this
 * process reads `/healthz` one request at a time, 10 ms apart, for the whole run; a request that
 * overlaps a report call and takes B ms means the server's loop was blocked for up to about B ms
 * (a quiet server answers in 1–2 ms). Before the first route the script waits until the server
 * is quiet (the market it loads in the background at start is in memory: 3 s of answers under
 * 30 ms). `--fresh` starts a new server (on a new copy) for each route, so every cold figure is a
 * first call after start; otherwise one server answers the routes in the order below.
 *
 *   SOURCE=/tmp/demo node --import tsx bench/api/report-blocks.ts [--fresh] [--save DIR] [--compare DIR] [--only attribution,risk]
 *
 * `--save DIR` writes each answer (the warm one, after checking it equals the cold one) to
 * DIR/<route>.json; `--compare DIR` checks each answer byte for byte against a saved one (the
 * Morning Pack's `generatedAt` is masked: it is the time of the call). `SERVE_NODE_ARGS` are
 * node's arguments for the server (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to see what
 * a block was). A `–` in the healthz column: no read overlapped the call (it was shorter than 10 ms).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const argv = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const source = process.env['SOURCE'] ?? '';
if (source === '' || !existsSync(source)) throw new Error('set SOURCE to a prepared Keel home (the demo: KEEL_HOME=<dir> node bin/keel.mjs demo --no-serve)');
const isFresh = argv.includes('--fresh');
const saveDir = opt('--save');
const compareDir = opt('--compare');
const only = opt('--only')?.split(',');

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Server {
  readonly url: string;
  readonly key: string;
  readonly child: ChildProcess;
  readonly home: string;
}

/** A copy of the source home with a fresh admin user, served by `keel serve` on a free port. */
async function startServer(): Promise<Server> {
  const home = mkdtempSync(path.join(tmpdir(), 'keel-blocks-'));
  cpSync(source, home, { recursive: true, filter: (p) => path.basename(p) !== 'db.lock' });
  const env = { ...process.env, KEEL_HOME: home, KEEL_RATE_LIMIT_PER_MIN: '10000000' };
  const add = spawnSync(process.execPath, ['bin/keel.mjs', 'user', 'add', 'blocks-bench', '--role', 'admin', '--json'], { cwd: repo, env, encoding: 'utf8' });
  if (add.status !== 0) throw new Error(`keel user add failed: ${add.stderr}`);
  const key = String((JSON.parse(add.stdout) as { apiKey: string }).apiKey);
  const nodeArgs = process.env['SERVE_NODE_ARGS']?.split(' ').filter((a) => a !== '') ?? [];
  const child = spawn(process.execPath, [...nodeArgs, 'bin/keel.mjs', 'serve', '--port', '0', '--quiet'], { cwd: repo, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stderr?.on('data', (c: Buffer) => {
      buf += c.toString();
      const m = /Keel API on (\S+)/.exec(buf);
      if (m?.[1]) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${String(code)}: ${buf}`)));
  });
  return { url, key, child, home };
}

async function stopServer(s: Server): Promise<void> {
  const exited = new Promise((r) => s.child.once('exit', r));
  s.child.kill('SIGTERM');
  await exited;
  rmSync(s.home, { recursive: true, force: true });
}

/** Reads /healthz one at a time, 10 ms apart, until stopped; keeps each read's start and latency. */
class LoopWatch {
  readonly samples: { start: number; ms: number }[] = [];
  private isRunning = true;
  private readonly done: Promise<void>;

  constructor(url: string) {
    this.done = (async () => {
      while (this.isRunning) {
        const start = performance.now();
        const r = await fetch(`${url}/healthz`);
        await r.arrayBuffer();
        this.samples.push({ start, ms: performance.now() - start });
        await sleep(10);
      }
    })();
  }

  /** The worst latency of the reads that overlapped [from, to] (NaN when none did: a call shorter than the gap between reads). */
  worst(from: number, to: number): number {
    let w = Number.NaN;
    for (const s of this.samples) if (s.start <= to && s.start + s.ms >= from) w = Number.isNaN(w) ? s.ms : Math.max(w, s.ms);
    return w;
  }

  async stop(): Promise<void> {
    this.isRunning = false;
    await this.done;
  }
}

/** Waits until 3 s of reads all answered under 30 ms (at most 3 minutes); returns the time waited. */
async function settle(w: LoopWatch): Promise<number> {
  const t0 = performance.now();
  while (performance.now() - t0 < 180_000) {
    await sleep(500);
    const now = performance.now();
    if (now - t0 > 3_000 && !(w.worst(now - 3_000, now) >= 30)) return now - t0;
  }
  throw new Error('the server did not settle in 3 minutes');
}

interface Call {
  readonly ms: number;
  readonly worst: number;
  readonly body: string;
}

async function call(s: Server, w: LoopWatch, p: string): Promise<Call> {
  const t0 = performance.now();
  const r = await fetch(`${s.url}${p}`, { headers: { authorization: `Bearer ${s.key}` } });
  const body = await r.text();
  const t1 = performance.now();
  if (r.status !== 200) throw new Error(`${p} answered ${r.status}: ${body.slice(0, 300)}`);
  // let the reads that overlapped the call finish before asking for the worst
  await sleep(30);
  return { ms: t1 - t0, worst: w.worst(t0, t1), body };
}

/** The time of the call is the one part of an answer that changes from call to call. */
const masked = (body: string): string => body.replace(/"generatedAt":"[^"]*"/g, '"generatedAt":"…"');

const ROUTES: readonly [string, (fund: string, agent: string) => string][] = [
  ['attribution', (f) => `/v1/funds/${f}/attribution`],
  ['pnl-history', (f) => `/v1/funds/${f}/pnl-history`],
  ['morning-pack', (f) => `/v1/funds/${f}/morning-pack`],
  ['exposures', (f) => `/v1/funds/${f}/exposures`],
  ['risk', (f) => `/v1/funds/${f}/risk`],
  ['risk-history', (f) => `/v1/funds/${f}/risk/history`],
  ['var-drilldown', (f) => `/v1/funds/${f}/risk/var-drilldown`],
  ['agent', (f, a) => `/v1/funds/${f}/agents/${a}`],
  ['positions-by-name', (f) => `/v1/funds/${f}/positions/by-name`],
];

interface Row {
  readonly route: string;
  readonly cold: Call;
  readonly warm: Call;
  readonly same: string;
}

async function measure(s: Server, w: LoopWatch, routes: typeof ROUTES): Promise<Row[]> {
  const api = async <T>(p: string): Promise<T> => JSON.parse((await call(s, w, p)).body) as T;
  const fund = (await api<{ funds: { id: string }[] }>('/v1/funds')).funds[0]?.id ?? 'main';
  const agent = (await api<{ agents: { id: string }[] }>(`/v1/funds/${fund}/agents`)).agents[0]?.id ?? '';
  const rows: Row[] = [];
  for (const [name, url] of routes) {
    const cold = await call(s, w, url(fund, agent));
    const warm = await call(s, w, url(fund, agent));
    let same = masked(cold.body) === masked(warm.body) ? 'cold = warm' : 'COLD ≠ WARM';
    if (saveDir) writeFileSync(path.join(saveDir, `${name}.json`), warm.body);
    if (compareDir) same += masked(readFileSync(path.join(compareDir, `${name}.json`), 'utf8')) === masked(warm.body) ? ', = saved' : ', ≠ SAVED';
    rows.push({ route: name, cold, warm, same });
  }
  return rows;
}

const routes = ROUTES.filter(([name]) => !only || only.includes(name));
if (saveDir) mkdirSync(saveDir, { recursive: true });
const rows: Row[] = [];
const settled: number[] = [];
for (const group of isFresh ? routes.map((r) => [r]) : [routes]) {
  const s = await startServer();
  const w = new LoopWatch(s.url);
  try {
    settled.push(await settle(w));
    rows.push(...(await measure(s, w, group)));
  } finally {
    await w.stop();
    await stopServer(s);
  }
}
const f = (x: number): string => (Number.isNaN(x) ? '–' : x.toFixed(0)).padStart(8);
process.stdout.write(`node ${process.version}, ${isFresh ? 'a new server per route' : 'one server'}; settled after ${settled.map((x) => (x / 1000).toFixed(1)).join(', ')} s\n`);
process.stdout.write(`${'route'.padEnd(18)} ${'cold ms'.padStart(8)} ${'healthz'.padStart(8)} ${'warm ms'.padStart(8)} ${'healthz'.padStart(8)}  answers\n`);
for (const r of rows) process.stdout.write(`${r.route.padEnd(18)} ${f(r.cold.ms)} ${f(r.cold.worst)} ${f(r.warm.ms)} ${f(r.warm.worst)}  ${r.same}\n`);
