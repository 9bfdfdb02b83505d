/**
 * GET /v1/funds/:fundId/allocation returns the capital allocations the overlay stored with each
 * cycle's risk snapshot (what `saveCycleState` writes; the CLI test unready-agent.test.ts checks a
 * real cycle stores one), only the cycles that moved capital, in date order, bounded by from / to.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, serverFor, type World } from './fixture.ts';

describe('GET /v1/funds/:fundId/allocation', () => {
  let w: World;
  let app: FastifyInstance;
  const allocation = (asOf: string, to: number) => ({
    asOf, method: 'risk_parity', rebalanced: true, exAnteVol: 0.08, tilt: 0,
    agents: [{ agentId: 'momentum', from: 10_000_000, to, target: to, riskShare: 0.5, vol: 0.12, sharpe: 0.6, why: 'risk budget 25.0%' }],
  });
  const snap = (cycleId: string, asOf: string, metrics: Record<string, unknown>, fundId = 'fund-a') =>
    ({ fundId, cycleId, asOf, var95: 1, var99: 1, cvar95: 1, grossExposure: 1, netExposure: 1, metrics });

  beforeAll(async () => {
    w = await makeWorld();
    app = await serverFor(w);
    await w.store.risk.addSnapshot(snap('c-1', '2030-02-01', { allocation: allocation('2030-02-01', 12_000_000) }));
    await w.store.risk.addSnapshot(snap('c-2', '2030-02-02', { allocation: null }));
    await w.store.risk.addSnapshot(snap('c-3', '2030-03-01', { allocation: allocation('2030-03-01', 13_000_000) }));
    await w.store.risk.addSnapshot(snap('c-9', '2030-03-01', { allocation: allocation('2030-03-01', 1) }, 'fund-b'));
  }, 180_000);
  afterAll(async () => {
    await app.close();
    await w.close();
  });

  it('returns the cycles that moved capital, in date order, bounded by from / to', async () => {
    const all = await app.inject({ method: 'GET', url: '/v1/funds/fund-a/allocation?from=2030-01-01', headers: w.auth('viewerA') });
    expect(all.statusCode).toBe(200);
    const body = all.json() as { allocations: { cycleId: string; asOf: string; agents: { to: number }[] }[] };
    expect(body.allocations.map((a) => a.cycleId)).toEqual(['c-1', 'c-3']);
    expect(body.allocations[1]).toMatchObject({ ...allocation('2030-03-01', 13_000_000), cycleId: 'c-3' });
    const march = await app.inject({ method: 'GET', url: '/v1/funds/fund-a/allocation?from=2030-03-01', headers: w.auth('viewerA') });
    expect((march.json() as { allocations: { cycleId: string }[] }).allocations.map((a) => a.cycleId)).toEqual(['c-3']);
  });

  it('limit keeps the latest ones, still in date order', async () => {
    const r = await app.inject({ method: 'GET', url: '/v1/funds/fund-a/allocation?limit=1', headers: w.auth('viewerA') });
    expect((r.json() as { allocations: { cycleId: string }[] }).allocations.map((a) => a.cycleId)).toEqual(['c-3']);
    expect((await app.inject({ method: 'GET', url: '/v1/funds/fund-a/allocation?limit=0', headers: w.auth('viewerA') })).statusCode).toBe(400);
  });

  it("another fund's user is refused; a bad date is a 400", async () => {
    expect((await app.inject({ method: 'GET', url: '/v1/funds/fund-a/allocation', headers: w.auth('pmB') })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/v1/funds/fund-a/allocation?from=June', headers: w.auth('viewerA') })).statusCode).toBe(400);
  });
});
