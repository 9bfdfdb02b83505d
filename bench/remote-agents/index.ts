/**
 * Remote agents (issue 16): the per-request overhead of asking an agent over HTTP, against the
 * same trivial agent called in-process. Both answer an empty book, so the figures are Keel's
 * side (building the AgentRequest from the view, JSON, loopback HTTP, parsing and checking the
 * answer) plus a minimal Node HTTP server, for a universe of U names and 21 days of closes.
 * Then a built-in agent (momentum) in-process against the same agent on an HTTP agent worker
 * (`keel agents serve --http`'s server, in this process): the difference is what the worker
 * protocol costs per request (the request with the agent's book, loopback HTTP, the worker's
 * view, the proposal as JSON both ways, the identity check); the session is sent in the warm-up.
 * Method: the harness's warm-up and repeated runs, median, the cases of a size interleaved.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { agentContext, createAgent, emptyBook, TransportAgent, type Agent } from '../../src/agents/index.ts';
import { defaultFundConfigInput, parseFundConfig, type AgentRequest } from '../../src/contracts/index.ts';
import { askRemoteAgents, HttpWorkerChannel, httpTransport, Ledger, initialFundState, openLedgerBooks, serveAgentsHttp, WorkerAgent, type HttpAgentServer } from '../../src/fund/index.ts';
import { syntheticPanel, viewAt } from '../../src/market/index.ts';
import type { BenchCase, BenchSuite } from '../harness.ts';

const answer = (q: AgentRequest) => ({ version: 1, traceId: q.traceId, cycleId: q.cycleId, agentId: q.agentId, strategy: 'custom', asOf: q.asOf, signals: [], targets: [] });

function fakeServer(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => res.end(JSON.stringify(answer(JSON.parse(body) as AgentRequest))));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/propose`, server })));
}

function cases(U: number): BenchCase[] {
  const panel = syntheticPanel({ seed: 4, symbols: U, years: 1 });
  const view = viewAt(panel, panel.T - 1);
  const fund = parseFundConfig({ fund: { totalCapital: 10_000_000 }, agents: [{ id: 'r', allocatedCapital: 1_000_000, remote: { http: 'http://127.0.0.1:1/propose', data: { fields: ['close'], lookbackDays: 21 } } }] });
  const config = fund.agents[0];
  if (!config?.remote) throw new Error('no remote agent');
  const remote = config.remote;
  const ledger = new Ledger();
  ledger.open('r', 1_000_000);
  const state = { fund: initialFundState(fund, view.asOf), ledger };
  const local: Agent = { id: 'r', strategy: 'custom', riskDrivers: [], bucket: 'directional_equity', propose: (v, b) => ({ ...answer({ traceId: b.traceId, cycleId: b.cycleId, agentId: 'r', asOf: v.asOf } as AgentRequest), strategy: 'custom', version: 1, agentRisk: [], reasoning: '' }) };
  return [
    { name: `in-process trivial agent, U=${U}`, warmup: 20, runs: 100, run: () => local.propose(view, emptyBook('r', 1_000_000, { cycleId: 'c', traceId: 't' })) },
    {
      name: `HTTP remote agent (request + answer checked), U=${U}`,
      warmup: 20,
      runs: 100,
      setup: async () => {
        const s = await fakeServer();
        s.server.unref(); // the bench process exits when its suites are done
        return { s, agents: [new TransportAgent(agentContext(config, fund), {}, remote, httpTransport(s.url))] };
      },
      run: async (st) => {
        const { agents } = st as { agents: TransportAgent[] };
        const r = await askRemoteAgents(agents, state, view, 'c');
        if (!r.get('r') || !('proposal' in (r.get('r') ?? {}))) throw new Error(JSON.stringify(r.get('r')));
        return r;
      },
    },
  ];
}

/** momentum in-process against momentum on an HTTP agent worker, same view and book each run. */
function workerCases(U: number): BenchCase[] {
  const panel = syntheticPanel({ seed: 4, symbols: U, years: 2 });
  const view = viewAt(panel, panel.T - 1);
  const fund = parseFundConfig({ ...defaultFundConfigInput(10_000_000), data: { minHistoryRows: 200, degradedMinRows: 100 } });
  const config = fund.agents.find((a) => a.strategy === 'momentum');
  if (!config) throw new Error('no momentum agent');
  const ledger = new Ledger();
  openLedgerBooks(ledger, fund);
  const state = { fund: initialFundState(fund, view.asOf), ledger };
  const local = createAgent(config, fund);
  return [
    { name: `momentum in-process, U=${U}`, warmup: 20, runs: 100, run: () => local.propose(view, emptyBook(config.id, config.allocatedCapital, { cycleId: 'c', traceId: `c:${config.id}` })) },
    {
      name: `momentum on an HTTP agent worker (request + answer), U=${U}`,
      warmup: 20,
      runs: 100,
      setup: async () => {
        const server = await serveAgentsHttp({ port: 0, agents: null });
        return { server, agents: [new WorkerAgent(agentContext(config, fund), fund, 60_000, new HttpWorkerChannel(server.url))] };
      },
      run: async (st) => {
        const { agents } = st as { agents: WorkerAgent[] };
        const r = await askRemoteAgents(agents, state, view, 'c');
        if (!('proposal' in (r.get(config.id) ?? {}))) throw new Error(JSON.stringify(r.get(config.id)));
        return r;
      },
      teardown: (st) => (st as { server: HttpAgentServer }).server.stop(),
    },
  ];
}

export const suites: BenchSuite[] = [{ name: 'remote-agents', cases: [...cases(60), ...cases(500), ...workerCases(60), ...workerCases(500)] }];
