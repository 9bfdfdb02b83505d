/**
 * Agents as distributed workers (issue 16): "a fund's decisions are identical whether its agents
 * run in-process or in N worker processes". The same 60-day backtest of the default nine-agent
 * fund, with every agent in-process and with every agent on two `keel agents serve` child
 * processes over NATS (TEST_NATS_URL), hashes every proposal, decision, order, fill and NAV of
 * every day the same; both workers answered. A worker that stops makes its agents hold.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NatsRpc } from '../../../src/bus/index.ts';
import { defaultFundConfigInput, parseFundConfig, type FundConfig } from '../../../src/contracts/index.ts';
import { hashOf } from '../../../src/core/index.ts';
import { runBacktest, type CycleResult } from '../../../src/fund/index.ts';
import { syntheticPanel } from '../../../src/market/index.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const natsUrl = process.env.TEST_NATS_URL;
const DAYS = 60;
const panel = syntheticPanel({ symbols: 40, years: 1.5, seed: 14 });
const window = { from: panel.dates[panel.T - DAYS] ?? '', to: panel.dates[panel.T - 1] ?? '' };

/** What a day decided and did (as the golden wiring test hashes it). */
function dayOf(r: CycleResult) {
  return {
    asOf: r.asOf,
    proposals: r.proposals.map((p) => ({ agentId: p.agentId, signals: p.signals, targets: p.targets })),
    decisions: r.decisions,
    orders: r.orders.map((o) => ({ id: o.id, symbol: o.symbol, side: o.side, type: o.type, qty: o.qty, status: o.status, filledQty: o.filledQty, avgFillPrice: o.avgFillPrice, allocations: o.allocations, denials: o.denials })),
    fills: r.fills.map((f) => ({ id: f.id, orderId: f.orderId, symbol: f.symbol, side: f.side, qty: f.qty, price: f.price, commission: f.commission, allocations: f.allocations })),
    nav: r.nav,
    unready: r.unready,
  };
}

function fund(worker?: { nats: string; timeoutMs: number }): FundConfig {
  const input = defaultFundConfigInput(10_000_000);
  return parseFundConfig({ ...input, data: { minHistoryRows: 200, degradedMinRows: 100 }, agents: (input.agents ?? []).map((a) => (worker ? { ...a, worker } : a)) });
}

async function backtest(config: FundConfig, rpc?: NatsRpc): Promise<{ days: string[]; cycles: CycleResult[] }> {
  const days: string[] = [];
  const cycles: CycleResult[] = [];
  await runBacktest({ id: 'bt-workers', config, panel, ...window, ...(rpc ? { remote: { nats: () => Promise.resolve(rpc) } } : {}), onCycle: (r) => {
    days.push(hashOf(dayOf(r)));
    cycles.push(r);
  } });
  return { days, cycles };
}

/** A `keel agents serve` child process; resolves once it serves. */
function startWorker(prefix: string, home: string): Promise<{ child: ChildProcess; stderr: () => string }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/keel.mjs'), 'agents', 'serve', '--nats', natsUrl ?? '', '--subject', prefix], { env: { ...process.env, KEEL_HOME: home }, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`worker exited with ${String(code)}: ${err}`)));
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('serving')) resolve({ child, stderr: () => err });
    });
  });
}

function stopWorker(w: { child: ChildProcess; stderr: () => string }): Promise<number> {
  return new Promise((resolve) => {
    w.child.removeAllListeners('exit');
    w.child.on('exit', () => resolve(Number(/after (\d+) requests/.exec(w.stderr())?.[1] ?? -1)));
    w.child.kill('SIGTERM');
  });
}

describe.skipIf(!natsUrl)('agents on 2 worker processes decide exactly as in-process (set TEST_NATS_URL to run)', () => {
  const prefix = `keeltest.agents.${randomUUID().slice(0, 8)}`;
  const home = mkdtempSync(path.join(tmpdir(), 'keel-workers-'));
  let rpc: NatsRpc;
  let workers: { child: ChildProcess; stderr: () => string }[] = [];
  beforeAll(async () => {
    rpc = await NatsRpc.connect(natsUrl ?? '');
    workers = await Promise.all([startWorker(prefix, path.join(home, 'w1')), startWorker(prefix, path.join(home, 'w2'))]);
  }, 60_000);
  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGTERM');
    await rpc.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('the same 60-day backtest hashes every proposal, decision, order, fill and NAV the same', async () => {
    const inProcess = await backtest(fund());
    const onWorkers = await backtest(fund({ nats: prefix, timeoutMs: 60_000 }), rpc);
    expect(inProcess.days).toHaveLength(DAYS);
    for (const c of onWorkers.cycles) expect(c.alerts.filter((a) => a.title.includes('failed to propose'))).toEqual([]);
    expect(onWorkers.cycles[0]?.proposals).toHaveLength(9);
    expect(onWorkers.days).toEqual(inProcess.days);
    const answered = await Promise.all(workers.map(stopWorker));
    // both workers of the queue group took a share of the 9 × 60 requests
    expect(answered[0]).toBeGreaterThan(0);
    expect(answered[1]).toBeGreaterThan(0);
    expect((answered[0] ?? 0) + (answered[1] ?? 0)).toBe(9 * DAYS);
  }, 300_000);

  it('with no worker serving, every agent on workers holds at once with an alert', async () => {
    const { cycles } = await backtest(fund({ nats: `${prefix}.gone`, timeoutMs: 60_000 }), rpc);
    const first = cycles[0];
    expect(first?.proposals).toEqual([]);
    expect(first?.alerts.filter((a) => a.title.includes('failed to propose')).map((a) => a.message)[0]).toMatch(/no responders/i);
  }, 120_000);
});
