/**
 * Authorisation matrix: every route × every role × own and foreign fund. Invariant: a caller
 * never gets data of a fund outside their list (404, identical to a missing fund) and never
 * changes it; a role outside the route's roles gets 403; no request yields a 5xx.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyRoute } from '../../../src/api/index.ts';
import { injectableRoutes, keyOfRoute, samples, urlFor, type Sample } from './cases.ts';
import { makeWorld, serverFor, USERS, type UserName, type World } from './fixture.ts';

const ROLE_USERS: readonly UserName[] = ['viewerA', 'pmA', 'riskA', 'adminA'];

function isAllowed(r: AnyRoute, u: UserName): boolean {
  const role = USERS[u].role;
  if (r.access === 'public' || r.access === 'any') return true;
  return role === 'admin' || (r.access as readonly string[]).includes(role);
}

describe('authorisation matrix (role × route × own/foreign fund)', () => {
  let w: World;
  let app: FastifyInstance;
  let table: Record<string, Sample>;
  beforeAll(async () => {
    w = await makeWorld();
    app = await serverFor(w);
    table = samples(w.symbols[1] ?? 'SYN002', w.lastDate);
  }, 180_000);
  afterAll(async () => {
    // Let background backtests started by the matrix finish before the store closes.
    for (let i = 0; i < 120; i++) {
      const r = await w.store.backtests.list(100);
      if (r.every((b) => b.status !== 'RUNNING')) break;
      await new Promise((res) => setTimeout(res, 250));
    }
    await app.close();
    await w.close();
  }, 60_000);

  const send = (r: AnyRoute, tag: string, headers: Record<string, string>) => {
    const sample = table[keyOfRoute(r)];
    return app.inject({
      method: r.method,
      url: urlFor(r, tag, w.symbols[0] ?? 'SYN001', sample),
      headers,
      ...(r.method === 'GET' || r.method === 'DELETE' ? {} : { payload: (sample?.body ?? {}) as object }),
    });
  };

  it('has at least 25 endpoints and a sample for every route that takes a body', () => {
    const routes = injectableRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(25);
    for (const r of routes) if (r.body) expect(table[keyOfRoute(r)], keyOfRoute(r)).toBeDefined();
  });

  it('refuses every non-public route without credentials or with a wrong key (401)', async () => {
    for (const r of injectableRoutes().filter((x) => x.access !== 'public')) {
      for (const headers of [{}, { authorization: 'Bearer not-a-key' }, { authorization: 'Basic abc' }]) {
        const res = await send(r, 'a', headers);
        expect.soft(res.statusCode, `${keyOfRoute(r)} ${JSON.stringify(headers)}`).toBe(401);
        expect.soft(res.json().code).toBe('KEEL_E_UNAUTHORIZED');
      }
    }
  });

  it('answers 404 on every route of a foreign fund, for every role, and leaves that fund unchanged', async () => {
    const before = await snapshotFund(w, 'fund-b');
    const fundRoutes = injectableRoutes().filter((r) => r.url.includes(':fundId'));
    expect(fundRoutes.length).toBeGreaterThanOrEqual(25);
    for (const r of fundRoutes) {
      for (const u of ROLE_USERS) {
        const res = await send(r, 'b', w.auth(u));
        expect.soft(res.statusCode, `${u} ${keyOfRoute(r)} on fund-b: ${res.body.slice(0, 200)}`).toBe(404);
        expect.soft(res.body).not.toContain('secret note of fund-b');
        expect.soft(res.body).not.toContain('prop-b-');
      }
      // and the other way round: fund-b's pm on fund-a
      const res = await send(r, 'a', w.auth('pmB'));
      expect.soft(res.statusCode, `pmB ${keyOfRoute(r)} on fund-a`).toBe(404);
      // a fund that does not exist answers the same as a foreign one
      const missing = await send(r, 'zz', w.auth('root'));
      expect.soft(missing.statusCode, `root ${keyOfRoute(r)} on a missing fund`).toBe(404);
    }
    expect(await snapshotFund(w, 'fund-b')).toEqual(before);
  });

  it('lets each role do exactly what its routes allow on its own fund (403 otherwise, never 5xx)', async () => {
    const cells: string[] = [];
    for (const r of injectableRoutes()) {
      for (const u of ROLE_USERS) {
        const res = await send(r, 'a', w.auth(u));
        const cell = `${u} ${keyOfRoute(r)} → ${res.statusCode}`;
        cells.push(cell);
        expect.soft(res.statusCode, `${cell} ${res.body.slice(0, 300)}`).toBeLessThan(500);
        if (isAllowed(r, u)) {
          // state-dependent answers (409 after an earlier role already acted, 401 for a wrong login) are fine
          expect.soft([401, 403, 404], `${cell} ${res.body.slice(0, 300)}`).not.toContain(r.url === '/v1/session' ? 0 : res.statusCode);
        } else {
          expect.soft(res.statusCode, `${cell} ${res.body.slice(0, 300)}`).toBe(403);
          expect.soft(res.json().code).toBe('KEEL_E_FORBIDDEN');
        }
      }
    }
    expect(cells.length).toBe(injectableRoutes().length * ROLE_USERS.length);
  }, 120_000);

  it('lists only the caller’s funds', async () => {
    const ids = async (u: UserName) => ((await app.inject({ url: '/v1/funds', headers: w.auth(u) })).json() as { funds: { id: string }[] }).funds.map((f) => f.id);
    expect(await ids('pmA')).toEqual(['fund-a']);
    expect(await ids('pmB')).toEqual(['fund-b']);
    expect(await ids('root')).toEqual(['fund-a', 'fund-b']);
  });
});

/** Everything a foreign caller could have changed in a fund. */
async function snapshotFund(w: World, fundId: string) {
  return {
    fund: await w.store.funds.get(fundId),
    agents: await w.store.funds.agents(fundId),
    proposals: await w.store.proposals.list(fundId),
    journal: (await w.store.journal.list(fundId)).length,
    stress: (await w.store.risk.latestStress(fundId)).length,
    backtests: (await w.store.backtests.list(100)).filter((b) => b.fundId === fundId).length,
    positions: await w.store.positions.list(fundId),
    alerts: await w.store.alerts.listForFund(fundId),
  };
}
