/**
 * `keel agents serve --http` over real HTTP: the fund's HTTP channel sends a run's session once and
 * again when the server lost it (a restart answers 409, the channel PUTs it and asks again), and
 * the server refuses what is not its to answer with a status (or, in a batch, an error for that
 * agent) and a message naming why.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { agentContext, createAgent, type AgentBook } from '../../../src/agents/index.ts';
import { defaultFundConfigInput, parseFundConfig } from '../../../src/contracts/index.ts';
import { HttpWorkerChannel, serveAgentsHttp, WorkerAgent, type HttpAgentServer } from '../../../src/fund/index.ts';
import { syntheticPanel, viewAt } from '../../../src/market/index.ts';

const panel = syntheticPanel({ symbols: 30, years: 1.2, seed: 3 });
const config = parseFundConfig({ ...defaultFundConfigInput(10_000_000), data: { minHistoryRows: 200, degradedMinRows: 100 } });
const momentum = config.agents.find((a) => a.strategy === 'momentum');
if (!momentum) throw new Error('the default fund has a momentum agent');
const book = (row: number): AgentBook => ({
  agentId: momentum.id, allocatedCapital: momentum.allocatedCapital, positions: [], cash: momentum.allocatedCapital, nav: momentum.allocatedCapital,
  highWaterMark: momentum.allocatedCapital, drawdown: { state: 'normal', drawdownPct: 0 }, cycleId: `c${row}`, traceId: `c${row}:${momentum.id}`,
});
const servers: HttpAgentServer[] = [];
async function start(port = 0, agents: string[] | null = null): Promise<HttpAgentServer> {
  const s = await serveAgentsHttp({ port, agents });
  servers.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

describe('keel agents serve --http', () => {
  it('answers the in-process proposal, and after a restart gets the session again (409, PUT, ask again)', async () => {
    const first = await start();
    const channel = new HttpWorkerChannel(first.url);
    const remote = new WorkerAgent(agentContext(momentum, config), config, 60_000, channel);
    const local = createAgent(momentum, config);
    const row = panel.T - 1;
    const reply = await remote.ask(viewAt(panel, row), book(row), new AbortController().signal);
    expect(reply.proposal).toEqual(JSON.parse(JSON.stringify(local.propose(viewAt(panel, row), book(row)))));
    await first.stop();
    const port = Number(new URL(first.url).port);
    const second = await start(port);
    const again = await remote.ask(viewAt(panel, row), book(row), new AbortController().signal);
    expect(again.proposal).toEqual(reply.proposal);
    expect(second.worker.answered).toBe(1);
  }, 60_000);

  it('refuses an agent it does not serve, a session that does not match its hash, and an unknown route', async () => {
    const s = await start(0, ['committee']);
    const remote = new WorkerAgent(agentContext(momentum, config), config, 60_000, new HttpWorkerChannel(s.url));
    await expect(remote.ask(viewAt(panel, panel.T - 1), book(panel.T - 1), new AbortController().signal)).rejects.toThrow(/batch \(agent momentum\) answered an error: .*does not serve agent momentum/);
    const misposted = await fetch(`${s.url}/agents/committee/propose`, { method: 'POST', body: JSON.stringify({ agentId: 'momentum' }) });
    expect(misposted.status).toBe(400);
    expect(await misposted.text()).toMatch(/for agent momentum, posted to \/agents\/committee\/propose/);
    const bad = await fetch(`${s.url}/sessions/${'0'.repeat(64)}`, { method: 'PUT', body: 'not a session' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/has sha256 .*, not 000000000000/);
    const nope = await fetch(`${s.url}/nope`);
    expect(nope.status).toBe(404);
    expect(await (await fetch(`${s.url}/health`)).json()).toEqual({ ok: true, agents: ['committee'], answered: 0 });
  }, 60_000);
});
