/**
 * The API's responsiveness while a backtest runs (issue 17): starts `keel serve` on a prepared
 * KEEL_HOME, times the first Morning Pack after start, starts a backtest through the API, reads
 * `GET …/kill-switch` back to back (a 50 ms pause between reads) while it runs, trips the kill
 * switch halfway and times how long until a read shows HALTED, then re-arms.
 *
 * Method: one server process (the code of the working tree), one client (this process); the
 * percentiles are over every read taken while the backtest was QUEUED or RUNNING; `stalls` lists
 * the reads slower than 500 ms, when they were asked and the job's status then (a stall just
 * before COMPLETED is the result being stored).
 *
 *   KEEL_HOME=/tmp/home node bin/keel.mjs init && node bin/keel.mjs market generate
 *   node bin/keel.mjs user add rita --role risk --fund main     # prints the key
 *   KEEL_HOME=/tmp/home KEY=keel_… node --import tsx bench/api/backtest-latency.ts 2022-01-03 2022-12-30
 *
 * `PACK_AFTER_MS=30000` asks for the first Morning Pack 30 s after the server listens (when the
 * market it loads in the background at start is in memory) instead of at once.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const [from = '2022-01-03', to = '2022-12-30'] = process.argv.slice(2);
const key = process.env['KEY'] ?? '';
const fund = process.env['FUND'] ?? 'main';
if (!process.env['KEEL_HOME'] || key === '') throw new Error('set KEEL_HOME (a prepared home) and KEY (a risk user key)');

// SERVE_NODE_ARGS: node's arguments for the server (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to see what a stall was)
const nodeArgs = process.env['SERVE_NODE_ARGS']?.split(' ').filter((a) => a !== '') ?? [];
const child = spawn(process.execPath, [...nodeArgs, 'bin/keel.mjs', 'serve', '--port', '0', '--quiet'], { cwd: repo, stdio: ['ignore', 'ignore', 'pipe'] });
const started = performance.now();
const url = await new Promise<string>((resolve, reject) => {
  let buf = '';
  child.stderr.on('data', (c: Buffer) => {
    buf += c.toString();
    const m = /Keel API on (\S+)/.exec(buf);
    if (m?.[1]) resolve(m[1]);
  });
  child.on('exit', (code) => reject(new Error(`serve exited with ${String(code)}: ${buf}`)));
});
const listening = performance.now() - started;
const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
const api = async (method: string, p: string, body?: unknown): Promise<{ ms: number; status: number; json: Record<string, unknown> }> => {
  const t0 = performance.now();
  const r = await fetch(`${url}${p}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const json = (await r.json()) as Record<string, unknown>;
  return { ms: performance.now() - t0, status: r.status, json };
};
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], q: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? Number.NaN;

// PACK_AFTER_MS: ask for the first Morning Pack this long after the server listens (default at once)
await sleep(Number(process.env['PACK_AFTER_MS'] ?? 0));
const pack = await api('GET', `/v1/funds/${fund}/morning-pack`);
const packAgain = await api('GET', `/v1/funds/${fund}/morning-pack`);
const start = await api('POST', `/v1/funds/${fund}/backtests`, { from, to });
const id = String(start.json['id']);
const t0 = performance.now();
const reads: number[] = [];
// reads slower than STALL_MS, with when they were asked (ms after the backtest was started) and the job's last status
const STALL_MS = 500;
const stalls: { atMs: number; ms: number; status: string }[] = [];
let status = 'QUEUED';
let tripMs = Number.NaN;
let haltedAfterMs = Number.NaN;
let tripped = false;
let lastPoll = 0;
while (status === 'QUEUED' || status === 'RUNNING') {
  const asked = performance.now() - t0;
  const r = await api('GET', `/v1/funds/${fund}/kill-switch`);
  reads.push(r.ms);
  if (r.ms > STALL_MS) stalls.push({ atMs: Math.round(asked), ms: Math.round(r.ms), status });
  const now = performance.now();
  if (!tripped && now - t0 > 8_000) {
    tripped = true;
    const t = performance.now();
    const trip = await api('POST', `/v1/funds/${fund}/kill-switch/trip`, { reason: 'latency bench' });
    tripMs = trip.ms;
    for (;;) {
      const s = await api('GET', `/v1/funds/${fund}/kill-switch`);
      reads.push(s.ms);
      if (s.json['tradingState'] === 'HALTED') break;
    }
    haltedAfterMs = performance.now() - t;
    await api('POST', `/v1/funds/${fund}/kill-switch/rearm`, { reason: 'latency bench done' });
    await api('POST', `/v1/funds/${fund}/kill-switch/rearm`, { reason: 'latency bench done' });
  }
  if (now - lastPoll > 1_000) {
    lastPoll = now;
    status = String(((await api('GET', `/v1/funds/${fund}/backtests/${id}`)).json['backtest'] as { status?: string } | undefined)?.status);
  }
  await sleep(50);
}
const out = {
  listeningMs: Math.round(listening),
  firstMorningPackMs: Math.round(pack.ms),
  firstMorningPackStatus: pack.status,
  secondMorningPackMs: Math.round(packAgain.ms),
  backtest: { id, status, wallMs: Math.round(performance.now() - t0) },
  killSwitchReads: { n: reads.length, p50Ms: Math.round(pct(reads, 0.5)), p99Ms: Math.round(pct(reads, 0.99)), maxMs: Math.round(Math.max(...reads)), stalls },
  trip: { answeredMs: Math.round(tripMs), haltedVisibleAfterMs: Math.round(haltedAfterMs) },
};
process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
child.kill('SIGTERM');
