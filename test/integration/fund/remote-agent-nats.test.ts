/**
 * Remote agents over NATS (issue 16) against a real server (TEST_NATS_URL): the cycle sends the
 * propose request on the agent's subject with core request/reply and a member of the serving queue
 * group answers. Answered: proposals reviewed, traded, recorded and replayed. No responders: the
 * agent holds at once (not at the deadline). Late: it holds at the deadline. A responder whose
 * handler throws answers an error and keeps serving.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NatsRpc } from '../../../src/bus/index.ts';
import { defaultFundConfigInput, parseFundConfig, type AgentRequest } from '../../../src/contracts/index.ts';
import { replayCycle, runBacktest, type CycleResult } from '../../../src/fund/index.ts';
import { syntheticPanel, type Panel } from '../../../src/market/index.ts';

const natsUrl = process.env.TEST_NATS_URL;
const panel: Panel = syntheticPanel({ symbols: 40, years: 2, seed: 11 });
const lastDays = (n: number) => ({ from: panel.dates[panel.T - 30 - n] ?? '', to: panel.dates[panel.T - 31] ?? '' });

function fund(remote: Record<string, unknown>) {
  return parseFundConfig({
    ...defaultFundConfigInput(10_000_000),
    data: { minHistoryRows: 200, degradedMinRows: 100 },
    agents: [
      { id: 'momentum', strategy: 'momentum', allocatedCapital: 3_000_000 },
      { id: 'nats-agent', allocatedCapital: 3_000_000, remote: { timeoutMs: 2_000, data: { fields: ['close'], lookbackDays: 5 }, ...remote } },
    ],
  });
}

/** Long the request's second name at 30%, the way a service in any language would answer. */
function answer(body: Uint8Array): string {
  const q = JSON.parse(new TextDecoder().decode(body)) as AgentRequest;
  const sym = q.universe.symbols[1] ?? '';
  const last = q.prices.close?.at(-1)?.[1];
  if (typeof last !== 'number') throw new Error('no close in the request');
  return JSON.stringify({ version: 1, traceId: q.traceId, cycleId: q.cycleId, agentId: q.agentId, strategy: 'custom', asOf: q.asOf, signals: [], targets: [{ symbol: sym, weight: 0.3 }], reasoning: `close ${last}` });
}

describe.skipIf(!natsUrl)('a remote agent over NATS (set TEST_NATS_URL to run)', () => {
  let server: NatsRpc;
  let client: NatsRpc;
  const prefix = `keeltest.agents.${randomUUID().slice(0, 8)}`;
  let asked = 0;
  beforeAll(async () => {
    server = await NatsRpc.connect(natsUrl ?? '');
    client = await NatsRpc.connect(natsUrl ?? '');
    server.serve(`${prefix}.ok`, 'workers', (body) => {
      asked++;
      return Promise.resolve(answer(body));
    });
    server.serve(`${prefix}.late`, 'workers', async (body) => {
      await new Promise((r) => setTimeout(r, 400));
      return answer(body);
    });
    let n = 0;
    server.serve(`${prefix}.flaky`, 'workers', (body) => (++n % 2 === 0 ? Promise.reject(new Error('model crashed')) : Promise.resolve(answer(body))));
    await server.flush();
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });
  const links = () => ({ nats: () => Promise.resolve(client) });

  it('is asked every day; its proposals are reviewed, traded, recorded and replayed from the answers', async () => {
    const cycles: CycleResult[] = [];
    const config = fund({ nats: `${prefix}.ok` });
    const r = await runBacktest({ id: 'bt-nats', config, panel, ...lastDays(10), captureInputs: true, remote: links(), onCycle: (c) => cycles.push(c) });
    expect(r.days).toBe(10);
    expect(asked).toBe(10);
    expect(r.agents.find((a) => a.id === 'nats-agent')?.trading.tradedNotional).toBeGreaterThan(100_000);
    for (const c of cycles) {
      expect(c.alerts.filter((a) => a.title.includes('failed to propose'))).toEqual([]);
      const p = c.proposals.find((x) => x.agentId === 'nats-agent');
      expect(p?.targets).toMatchObject([{ symbol: panel.symbols[1], weight: 0.3 }]);
      expect(p?.reasoning).toBe(`close ${String(panel.close[(panel.rowOf.get(c.asOf) ?? -1) * panel.U + 1])}`);
      expect(c.inputs?.remote?.['nats-agent']).toEqual({ proposal: p });
    }
    for (const c of cycles.slice(-3)) {
      const report = await replayCycle(config, panel, c.inputs ?? (undefined as never), c.decisions);
      expect(report.differences).toEqual([]);
    }
  }, 60_000);

  it('holds at once when nobody serves the subject, and at the deadline when the answer is late', async () => {
    for (const [subject, timeoutMs, error] of [
      [`${prefix}.nobody`, 5_000, 'no responders'],
      [`${prefix}.late`, 150, 'no answer within 150 ms'],
    ] as const) {
      const cycles: CycleResult[] = [];
      const started = Date.now();
      await runBacktest({ id: 'bt-nats-hold', config: fund({ nats: subject, timeoutMs }), panel, ...lastDays(3), remote: links(), onCycle: (c) => cycles.push(c) });
      // three cycles of a subject nobody serves end long before one 5 s deadline
      if (subject.endsWith('nobody')) expect(Date.now() - started).toBeLessThan(5_000);
      for (const c of cycles) {
        expect(c.proposals.map((p) => p.agentId)).toEqual(['momentum']);
        const alert = c.alerts.find((a) => a.title === 'agent nats-agent failed to propose');
        expect(alert?.message.toLowerCase()).toContain(error);
      }
    }
  }, 60_000);

  it('a responder whose handler fails answers an error (the agent holds that day) and keeps serving', async () => {
    const cycles: CycleResult[] = [];
    await runBacktest({ id: 'bt-nats-flaky', config: fund({ nats: `${prefix}.flaky` }), panel, ...lastDays(4), remote: links(), onCycle: (c) => cycles.push(c) });
    const held = cycles.map((c) => c.alerts.find((a) => a.title === 'agent nats-agent failed to propose')?.message ?? 'ok');
    expect(held[0]).toBe('ok');
    expect(held[1]).toContain('model crashed');
    expect(held[2]).toBe('ok');
    expect(held[3]).toContain('model crashed');
  }, 60_000);
});
