/**
 * Sticky placement over NATS: the fund's process asks an agent's next requests of the worker that
 * answered it last, and when that worker is gone (no responders) asks the queue group again, whose
 * other worker steps the agent through the rows it missed: the same proposal either way.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { agentContext, createAgent, type AgentBook } from '../../../src/agents/index.ts';
import { NatsRpc } from '../../../src/bus/index.ts';
import { defaultFundConfigInput, parseFundConfig } from '../../../src/contracts/index.ts';
import { NatsWorkerChannel, serveAgents, WorkerAgent } from '../../../src/fund/index.ts';
import { syntheticPanel, viewAt } from '../../../src/market/index.ts';

const natsUrl = process.env.TEST_NATS_URL;
const panel = syntheticPanel({ symbols: 30, years: 1.2, seed: 5 });
const config = parseFundConfig({ ...defaultFundConfigInput(10_000_000), data: { minHistoryRows: 200, degradedMinRows: 100 } });
const trend = config.agents.find((a) => a.strategy === 'trend_following');
if (!trend) throw new Error('the default fund has a trend agent');
const book = (row: number): AgentBook => ({
  agentId: trend.id, allocatedCapital: trend.allocatedCapital, positions: [], cash: trend.allocatedCapital, nav: trend.allocatedCapital,
  highWaterMark: trend.allocatedCapital, drawdown: { state: 'normal', drawdownPct: 0 }, cycleId: `c${row}`, traceId: `c${row}:${trend.id}`,
});

describe.skipIf(!natsUrl)('agent workers over NATS keep each agent on one worker (skipped: set TEST_NATS_URL=nats://127.0.0.1:4222 to run)', () => {
  const conns: NatsRpc[] = [];
  const connect = async (): Promise<NatsRpc> => {
    const c = await NatsRpc.connect(natsUrl ?? '');
    conns.push(c);
    return c;
  };
  afterAll(async () => {
    await Promise.all(conns.map((c) => c.close()));
  });

  it('asks the same worker while it answers, and another when it is gone, with the in-process proposals', async () => {
    const prefix = `keeltest.pin.${randomUUID().slice(0, 8)}`;
    const fund = await connect();
    const startWorker = async () => {
      const rpc = await connect();
      return { rpc, ...serveAgents(rpc, { prefix, agents: null }) };
    };
    const first = await startWorker();
    const second = await startWorker();
    await Promise.all(conns.map((c) => c.flush()));
    const remote = new WorkerAgent(agentContext(trend, config), config, 30_000, new NatsWorkerChannel(fund, prefix));
    const local = createAgent(trend, config);
    const ask = async (row: number) => (await remote.ask(viewAt(panel, row), book(row), new AbortController().signal)).proposal;
    const expected = (row: number): unknown => JSON.parse(JSON.stringify(local.propose(viewAt(panel, row), book(row))));
    const start = panel.T - 12;
    for (let row = start; row < start + 6; row++) expect(await ask(row)).toEqual(expected(row));
    const counts = [first.worker.answered, second.worker.answered].sort();
    expect(counts).toEqual([0, 6]);
    // the worker that has the agent stops; the other takes it over from the row it never saw
    const [pinned, other] = first.worker.answered === 6 ? [first, second] : [second, first];
    pinned.stop();
    // the server must have dropped its subscriptions before the next request, or that request goes
    // to a subscription the worker no longer reads and times out (the two connections are not ordered)
    await pinned.rpc.flush();
    for (let row = start + 6; row < start + 12; row++) expect(await ask(row)).toEqual(expected(row));
    expect(other.worker.answered).toBe(6);
  }, 60_000);
});
