/**
 * GET /v1/funds/:fundId/hedges returns the fund hedge book's stored targets (what each cycle's
 * `persistCycleRecords` writes), in date order, bounded by `from` / `to` / `limit`, and only to
 * users of that fund.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FundHedgeRow } from '../../../src/store/index.ts';
import { makeWorld, serverFor, type World } from './fixture.ts';

describe('GET /v1/funds/:fundId/hedges', () => {
  let w: World;
  let app: FastifyInstance;
  const row = (cycleId: string, asOf: string, targetQty: number, currentQty: number): FundHedgeRow => ({
    fundId: 'fund-a', cycleId, asOf, instrument: 'SPY', kind: 'beta', targetQty, targetNotional: Math.round(targetQty * 450 * 100) / 100, currentQty,
    price: 450, exposureBefore: targetQty === 0 ? null : -targetQty * 450, exposureAfter: targetQty === 0 ? null : 0, reason: targetQty === 0 ? 'unwound' : 'aggregate beta beyond ±0.3: short SPY',
  });
  const rows = [row('c-1', '2024-06-03', -1000, 0), row('c-2', '2024-06-04', -1100.5, -1000), row('c-3', '2024-06-05', 0, -1100.5)];

  beforeAll(async () => {
    w = await makeWorld();
    app = await serverFor(w);
    await w.store.hedges.insertMany(rows);
    await w.store.hedges.insertMany([{ ...row('c-9', '2024-06-03', -5, 0), fundId: 'fund-b' }]);
  }, 180_000);
  afterAll(async () => {
    await app.close();
    await w.close();
  });

  it('returns the stored rows in date order, bounded by from / to / limit', async () => {
    const all = await app.inject({ method: 'GET', url: '/v1/funds/fund-a/hedges', headers: w.auth('viewerA') });
    expect(all.statusCode).toBe(200);
    expect((all.json() as { hedges: FundHedgeRow[] }).hedges).toEqual(rows);
    const window = await app.inject({ method: 'GET', url: '/v1/funds/fund-a/hedges?from=2024-06-04&to=2024-06-04', headers: w.auth('viewerA') });
    expect((window.json() as { hedges: FundHedgeRow[] }).hedges.map((h) => h.cycleId)).toEqual(['c-2']);
    const latest = await app.inject({ method: 'GET', url: '/v1/funds/fund-a/hedges?limit=2', headers: w.auth('viewerA') });
    expect((latest.json() as { hedges: FundHedgeRow[] }).hedges.map((h) => h.cycleId)).toEqual(['c-2', 'c-3']);
  });

  it("another fund's user is refused (as for an unknown fund); a bad date is a 400", async () => {
    expect((await app.inject({ method: 'GET', url: '/v1/funds/fund-a/hedges', headers: w.auth('pmB') })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/v1/funds/fund-a/hedges?from=June', headers: w.auth('viewerA') })).statusCode).toBe(400);
  });
});
