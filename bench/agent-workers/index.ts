/**
 * Agents as distributed workers (issue 16): a cycle's propose phase for a roster of 36 agents on
 * 500 names with 1260 days of history, in-process against the same agents on 1 and on 2 `keel
 * agents serve` worker processes over NATS (TEST_NATS_URL or NATS_URL; the suites are skipped
 * without one) and on 1 `keel agents serve --http` process. Two rosters, one suite each (each with
 * its own workers, stopped before the next suite starts):
 * - `agent-workers`, light: the ten built-in strategies, 3–4 of each, every one with its own
 *   incremental state (≈ 0.3 ms a proposal, ≈ 11 ms the roster on the quiet machine);
 * - `agent-workers-heavy`, heavy: 36 plug-ins of ./min-variance-agent.ts, named by `module` as a
 *   user's fund names them (a quant's minimum-variance / risk-parity agent on the public SDK: every
 *   day a Ledoit–Wolf covariance of its 60–180 most liquid names over 126–252 days and a long-only
 *   QP or ERC solve; 1–17 ms a proposal, ≈ 220–240 ms the roster), which the workers load from
 *   the file (sha256 checked) as the fund's process does.
 * Each timed run advances the view one row, so every built-in's state takes one step (a backtest's
 * steady state), and every case proposes for all 36 agents from their (empty) books: in-process
 * the agents' `propose` in order; on workers the gather phase (`askRemoteAgents`: requests out at
 * once, batched per worker, answers decoded and checked). Warm-up runs include each worker's
 * one-off session transfer (the 45 MB panel), the agents' replay from row 0 and, over NATS, the
 * first requests through the queue group that pin each agent to a worker. The cases of a suite
 * run interleaved (bench/harness.ts), so their ratios are measured under the same load; the
 * crossover (workers pay a fixed cost a cycle, and win once the roster's compute is well above
 * it) is in docs/agents.md "What it costs".
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
import { agentBookFor, askRemoteAgents, initialFundState, Ledger, loadRoster, openLedgerBooks, resolveAgentModules } from '../../src/fund/index.ts';
import { viewAt, type Panel } from '../../src/market/index.ts';
import type { BenchCase, BenchSuite } from '../harness.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const natsUrl = process.env.TEST_NATS_URL ?? process.env.NATS_URL;
const START_ROW = 1000;
const AGENTS = 36;

let panelCache: Panel | null = null;
const panel = (): Panel => (panelCache ??= syntheticWithVolInstruments({ symbols: 498, years: 5, seed: 2024 }));

type Roster = 'light' | 'heavy';
type WorkerLink = { nats: string } | { http: string };

/** The light roster: the ten built-in strategies, 3–4 of each (incremental, ≈ 0.3 ms a proposal). */
function builtIns(worker?: WorkerLink): Record<string, unknown>[] {
  return Array.from({ length: AGENTS }, (_, i) => {
    const s = BUILT_IN_STRATEGIES[i % BUILT_IN_STRATEGIES.length] ?? 'momentum';
    return { id: `${s.replace(/_/g, '-')}-${Math.floor(i / BUILT_IN_STRATEGIES.length) + 1}`, strategy: s, allocatedCapital: 2_500_000, ...(worker ? { worker: { ...worker, timeoutMs: 120_000 } } : {}) };
  });
}

/**
 * The heavy roster: 36 plug-ins of ./min-variance-agent.ts (by `module`, as a user's fund names
 * them), each re-estimating a Ledoit–Wolf covariance of its 60–180 most liquid names over 126–252
 * days and solving its long-only book every day; the last six are risk parity, the rest minimum
 * variance (half of them capped at 5% a name, half at 10%).
 */
function minVariancePlugIns(worker?: WorkerLink): Record<string, unknown>[] {
  const names = [60, 80, 100, 120, 150, 180];
  const windows = [126, 189, 252];
  return Array.from({ length: AGENTS }, (_, i) => ({
    id: `min-var-${i + 1}`,
    module: './min-variance-agent.ts',
    allocatedCapital: 2_500_000,
    params: { names: names[i % names.length], windowDays: windows[Math.floor(i / names.length) % windows.length], maxWeight: i < AGENTS / 2 ? 0.05 : 0.1, method: i >= AGENTS - 6 ? 'risk_parity' : 'min_variance' },
    ...(worker ? { worker: { ...worker, timeoutMs: 120_000 } } : {}),
  }));
}

/** The fund config of a roster, its modules resolved against this folder (absolute path and sha256, as `keel` reads a config file). */
function fund(roster: Roster, worker?: WorkerLink): Promise<FundConfig> {
  const agents = roster === 'light' ? builtIns(worker) : minVariancePlugIns(worker);
  return resolveAgentModules(parseFundConfig({ fund: { totalCapital: 100_000_000 }, agents }), HERE);
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

async function setup(roster: Roster, workers: number, rpc: () => Promise<NatsRpc>, overHttp = false): Promise<Live> {
  const prefix = `keel.bench.${randomUUID().slice(0, 8)}`;
  const args = overHttp ? ['--http', '127.0.0.1:0'] : ['--nats', natsUrl ?? '', '--subject', prefix];
  const children = workers > 0 ? await startWorkers(args, workers) : [];
  const url = /over HTTP at (\S+)/.exec(children[0]?.banner ?? '')?.[1] ?? '';
  const config = await fund(roster, workers === 0 ? undefined : overHttp ? { http: url } : { nats: prefix });
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

function workerCase(roster: Roster, name: string, workers: number, rpc: () => Promise<NatsRpc>, last = false, overHttp = false): BenchCase {
  return {
    name,
    warmup: 5,
    runs: roster === 'light' ? 40 : 30,
    setup: () => setup(roster, workers, rpc, overHttp),
    run: (s) => proposeAll(s as Live),
    teardown: async (s) => {
      for (const w of (s as Live).workers) w.kill('SIGTERM');
      if (last) await (await rpc()).close();
    },
  };
}

/** One suite per roster (each with its own NATS connection and its own workers, stopped before the next suite starts its own). */
function rosterSuite(url: string, suite: string, roster: Roster, what: string): BenchSuite {
  let conn: Promise<NatsRpc> | null = null;
  const rpc = (): Promise<NatsRpc> => (conn ??= NatsRpc.connect(url));
  return {
    name: suite,
    cases: [
      workerCase(roster, `propose phase, ${what}, U=500: in-process`, 0, rpc),
      workerCase(roster, `propose phase, ${what}, U=500: 1 worker process`, 1, rpc),
      workerCase(roster, `propose phase, ${what}, U=500: 1 HTTP worker process`, 1, rpc, false, true),
      workerCase(roster, `propose phase, ${what}, U=500: 2 worker processes`, 2, rpc, true),
    ],
  };
}

function suitesFor(): BenchSuite[] {
  if (!natsUrl) {
    process.stderr.write('agent-workers: skipped (set TEST_NATS_URL or NATS_URL to a NATS server)\n');
    return [];
  }
  return [rosterSuite(natsUrl, 'agent-workers', 'light', `${AGENTS} agents`), rosterSuite(natsUrl, 'agent-workers-heavy', 'heavy', `${AGENTS} min-variance plug-ins`)];
}

export const suites: BenchSuite[] = suitesFor();
