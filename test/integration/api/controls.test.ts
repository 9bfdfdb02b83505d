/**
 * Controls made over HTTP take effect in the next cycle (issue 14 item 6): an agent paused through
 * `POST …/agents/{id}/pause` proposes and trades nothing in the next cycle the kernel runs (the
 * one `keel run` and the daemon run), its book held; resumed, it trades again; a kill switch
 * tripped over HTTP writes the fund's own file, which stops that fund's next cycle only.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nullLogger } from '../../../src/core/index.ts';
import { createKernel, fundKillSwitchFile, readEnv, storedFundConfig, type Kernel, type LiveCycleOutcome } from '../../../src/fund/index.ts';
import { proposalDesk } from '../../../src/pms/index.ts';
import { makeWorld, serverFor, type World } from './fixture.ts';

let w: World;
let app: FastifyInstance;
let kernel: Kernel;
let dates: string[] = [];

beforeAll(async () => {
  w = await makeWorld();
  const home = mkdtempSync(path.join(tmpdir(), 'keel-api-controls-'));
  kernel = createKernel({ env: readEnv({ KEEL_HOME: home }, '/'), store: w.store, clock: w.clock, logger: nullLogger, desk: proposalDesk });
  app = await serverFor(w, { kernel });
  dates = [...new Set((await w.store.bars.range({ symbols: [w.symbols[0] ?? ''] })).map((b) => b.date))];
}, 120_000);
afterAll(async () => {
  await app.close();
  await w.close();
});

const post = async (url: string, payload: object) => {
  const r = await app.inject({ method: 'POST', url, headers: w.auth('riskA'), payload });
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as { config: { to: string } };
};

/** The next cycle, as `keel run` runs it: the fund's stored config, its broker, the kernel's parts. */
async function nextCycle(asOf: string): Promise<Extract<LiveCycleOutcome, { status: 'COMPLETED' }>> {
  const stored = await storedFundConfig(w.store, 'fund-a');
  if (!stored) throw new Error('fund-a has no config');
  const out = await kernel.runCycle({ config: stored.config, mode: 'paper', asOf });
  if (out.status !== 'COMPLETED') throw new Error(`cycle ${out.status}: ${out.reason}`);
  return out;
}

const agentsTrading = (o: Extract<LiveCycleOutcome, { status: 'COMPLETED' }>) => new Set(o.result.orders.flatMap((x) => x.allocations.map((a) => a.agentId)));

describe('controls over HTTP reach the next cycle', () => {
  it('a paused agent proposes and trades nothing and keeps its book; resumed, it trades again', async () => {
    const [d1, d2, d3] = dates.slice(-3);
    const first = await nextCycle(d1 ?? '');
    expect(agentsTrading(first).has('trend')).toBe(true);
    const book = (await w.store.positions.list('fund-a', { agentId: 'trend' })).map((p) => [p.symbol, p.qty]);

    const paused = await post('/v1/funds/fund-a/agents/trend/pause', { reason: 'review' });
    const second = await nextCycle(d2 ?? '');
    expect(second.result.cycleId).toBe(`fund-a-paper-${d2}`);
    expect(second.result.decisions.map((d) => d.agentId)).not.toContain('trend');
    expect(agentsTrading(second).has('trend')).toBe(false);
    expect(agentsTrading(second).size).toBeGreaterThan(0);
    expect((await w.store.positions.list('fund-a', { agentId: 'trend' })).map((p) => [p.symbol, p.qty])).toEqual(book);
    expect((await w.store.cycles.get(second.result.cycleId))?.configHash).toBe(paused.config.to);

    await post('/v1/funds/fund-a/agents/trend/resume', { reason: 'reviewed' });
    const third = await nextCycle(d3 ?? '');
    expect(third.result.decisions.map((d) => d.agentId)).toContain('trend');
  }, 180_000);

  it("a trip over HTTP writes the fund's own kill-switch file after the transaction; the fund's next cycle is refused, not another fund's", async () => {
    const r = await app.inject({ method: 'POST', url: '/v1/funds/fund-a/kill-switch/trip', headers: w.auth('riskA'), payload: { reason: 'http trip' } });
    expect(r.json()).toMatchObject({ tradingState: 'HALTED', killSwitchFile: true, sharedKillSwitch: false });
    const stored = await storedFundConfig(w.store, 'fund-a');
    const refused = await kernel.runCycle({ config: stored?.config ?? w.config, mode: 'paper', asOf: dates[dates.length - 4] ?? '' });
    expect(refused.status).toBe('REFUSED');
    expect(refused.status === 'REFUSED' ? refused.reason : '').toContain(fundKillSwitchFile(kernel.home, 'fund-a'));
    const b = await storedFundConfig(w.store, 'fund-b');
    expect((await kernel.runCycle({ config: b?.config ?? w.config, mode: 'paper', asOf: dates[dates.length - 4] ?? '' })).status).toBe('COMPLETED');
  }, 120_000);
});
