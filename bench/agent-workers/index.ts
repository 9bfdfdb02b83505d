/**
 * Agents as distributed workers (issue 16): a cycle's propose phase for a roster of 36 agents
 * (the ten built-in strategies, 3–4 of each, every one with its own state) on 500 names with 1260
 * days of history, in-process against the same agents on 1 and on 2 `keel agents serve` worker
 * processes over NATS (TEST_NATS_URL or NATS_URL; the suite is skipped without one) and on 1
 * `keel agents serve --http` process. Each timed run advances the view one row, so every agent's
 * state takes one step (a backtest's steady state), and every case proposes for all 36 agents
 * from their (empty) books: in-process the agents' `propose` in order; on workers the gather
 * phase (`askRemoteAgents`: requests out at once, batched per worker, answers decoded and checked).
 * Warm-up runs include each worker's one-off session transfer (the 45 MB panel), the agents'
 * replay from row 0 and, over NATS, the first requests through the queue group that pin each
 * agent to a worker. The cases run interleaved (bench/harness.ts), so their ratios are measured
 * under the same load.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILT_IN_STRATEGIES, parseFundConfig, type FundConfig } from '../../src/contracts/index.ts';
import { isRemoteAgent, type Agent, type RosterAgent } from '../../src/agents/index.ts';
import { syntheticWithVolInstruments } from '../../src/agents/test-panels.ts';
import { NatsRpc } from '../../src/bus/index.ts';
import { agentBookFor, askRemoteAgents, initialFundState, Ledger, loadRoster, openLedgerBooks } from '../../src/fund/index.ts';
import { viewAt, type Panel } from '../../src/market/index.ts';
import type { BenchCase, BenchSuite } from '../harness.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const natsUrl = process.env.TEST_NATS_URL ?? process.env.NATS_URL;
const START_ROW = 1000;
const AGENTS = 36;

let panelCache: Panel | null = null;
const panel = (): Panel => (panelCache ??= syntheticWithVolInstruments({ symbols: 498, years: 5, seed: 2024 }));

function fund(worker?: { nats: string } | { http: string }): FundConfig {
  const agents = Array.from({ length: AGENTS }, (_, i) => {
    const s = BUILT_IN_STRATEGIES[i % BUILT_IN_STRATEGIES.length] ?? 'momentum';
    return { id: `${s.replace(/_/g, '-')}-${Math.floor(i / BUILT_IN_STRATEGIES.length) + 1}`, strategy: s, allocatedCapital: 2_500_000, ...(worker ? { worker: { ...worker, timeoutMs: 120_000 } } : {}) };
  });
  return parseFundConfig({ fund: { totalCapital: 100_000_000 }, agents });
}

/** Starts `n` worker processes (`keel agents serve` with `args`) and resolves to them and what each printed once it serves. */
async function startWorkers(args: string[], n: number): Promise<{ child: ChildProcess; banner: string }[]> {
  const home = mkdtempSync(path.join(tmpdir(), 'keel-bench-workers-'));
  return Promise.all(
    Array.from({ length: n }, (_, i) => {
      const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, 'bin/keel.mjs'), 'agents', 'serve', ...args], { env: { ...process.env, KEEL_HOME: path.join(home, String(i)) }, stdio: ['ignore', 'ignore', 'pipe'] });
      return new Promise<{ child: ChildProcess; banner: string }>((resolve, reject) => {
        let err = '';
        child.on('exit', (code) => reject(new Error(`worker exited with ${String(code)}: ${err}`)));
        child.stderr?.on('data', (d: Buffer) => {
          err += d.toString();
          if (err.includes('serving')) resolve({ child, banner: err });
        });
      });
    }),
  );
}

interface Live {
  readonly config: FundConfig;
  readonly agents: RosterAgent[];
  readonly ledger: Ledger;
  readonly workers: ChildProcess[];
  t: number;
}

async function setup(workers: number, rpc: () => Promise<NatsRpc>, overHttp = false): Promise<Live> {
  const prefix = `keel.bench.${randomUUID().slice(0, 8)}`;
  const args = overHttp ? ['--http', '127.0.0.1:0'] : ['--nats', natsUrl ?? '', '--subject', prefix];
  const children = workers > 0 ? await startWorkers(args, workers) : [];
  const url = /over HTTP at (\S+)/.exec(children[0]?.banner ?? '')?.[1] ?? '';
  const config = fund(workers === 0 ? undefined : overHttp ? { http: url } : { nats: prefix });
  const ledger = new Ledger();
  openLedgerBooks(ledger, config);
  return { config, agents: await loadRoster(config, { links: { nats: rpc } }), ledger, workers: children.map((c) => c.child), t: START_ROW };
}

async function proposeAll(live: Live): Promise<number> {
  const view = viewAt(panel(), live.t++);
  const cycleId = `bench-${view.asOf}`;
  const state = { fund: initialFundState(live.config, view.asOf), ledger: live.ledger };
  if (live.agents.some(isRemoteAgent)) {
    const answers = await askRemoteAgents(live.agents, state, view, cycleId);
    for (const [id, a] of answers) if (!('proposal' in a)) throw new Error(`${id}: ${a.error}`);
    return answers.size;
  }
  let n = 0;
  for (const a of live.agents as Agent[]) n += a.propose(view, agentBookFor(state.fund, state.ledger, a.id, cycleId, `${cycleId}:${a.id}`)).targets.length;
  return n;
}

function workerCase(name: string, workers: number, rpc: () => Promise<NatsRpc>, last = false, overHttp = false): BenchCase {
  return {
    name,
    warmup: 5,
    runs: 40,
    setup: () => setup(workers, rpc, overHttp),
    run: (s) => proposeAll(s as Live),
    teardown: async (s) => {
      for (const w of (s as Live).workers) w.kill('SIGTERM');
      if (last) await (await rpc()).close();
    },
  };
}

function suitesFor(): BenchSuite[] {
  if (!natsUrl) {
    process.stderr.write('agent-workers: skipped (set TEST_NATS_URL or NATS_URL to a NATS server)\n');
    return [];
  }
  let conn: Promise<NatsRpc> | null = null;
  const rpc = (): Promise<NatsRpc> => (conn ??= NatsRpc.connect(natsUrl));
  return [
    {
      name: 'agent-workers',
      cases: [
        workerCase(`propose phase, ${AGENTS} agents, U=500: in-process`, 0, rpc),
        workerCase(`propose phase, ${AGENTS} agents, U=500: 1 worker process`, 1, rpc),
        workerCase(`propose phase, ${AGENTS} agents, U=500: 1 HTTP worker process`, 1, rpc, false, true),
        workerCase(`propose phase, ${AGENTS} agents, U=500: 2 worker processes`, 2, rpc, true),
      ],
    },
  ];
}

export const suites: BenchSuite[] = suitesFor();
