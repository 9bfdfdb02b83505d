/**
 * Bad input on every body, query and path parameter: the answer is always a 4xx error body
 * `{ code, message, details }` (never a 5xx), and validation errors name the field.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyRoute } from '../../../src/api/index.ts';
import { injectableRoutes, keyOfRoute, samples, urlFor, type Sample } from './cases.ts';
import { makeWorld, serverFor, type World } from './fixture.ts';

const GARBAGE_BODIES: unknown[] = [[], 'text', 42, null, { x: 1 }, { reason: '', why: '', rationale: '' }, { reason: 'x'.repeat(5000) }];
const GARBAGE_QUERIES = ['limit=-1', 'limit=abc', 'limit=1&limit=2', 'from=2019-13-45', 'to=yesterday', 'from=2019-02-10&to=2019-02-01', 'asOf=nope', 'date=2019-02-30', 'status=NOPE', 'openOnly=maybe', 'kind=WHATEVER', 'narrator=gpt', 'symbol=%24%24', 'agentId=', `text=${'y'.repeat(600)}`, 'assetClass=bond', 'topics=nope'];

describe('bad input never yields a 5xx', () => {
  let w: World;
  let app: FastifyInstance;
  let table: Record<string, Sample>;
  beforeAll(async () => {
    w = await makeWorld();
    app = await serverFor(w);
    table = samples(w.symbols[1] ?? 'SYN002', w.lastDate);
  }, 180_000);
  afterAll(async () => {
    await app.close();
    await w.close();
  });

  const expect4xx = (label: string, res: { statusCode: number; body: string }): void => {
    expect.soft(res.statusCode, `${label}: ${res.body.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
    expect.soft(res.statusCode, `${label}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
    const b = JSON.parse(res.body) as { code?: unknown; message?: unknown; details?: unknown };
    expect.soft(typeof b.code, label).toBe('string');
    expect.soft(typeof b.message, label).toBe('string');
    expect.soft(typeof b.details, label).toBe('object');
  };

  const withBody = (r: AnyRoute) => r.method !== 'GET' && r.method !== 'DELETE';

  it('every body route: wrong JSON types, missing and oversized fields → 400 naming body.<field>', async () => {
    for (const r of injectableRoutes().filter((x) => x.body)) {
      for (const body of GARBAGE_BODIES) {
        const res = await app.inject({ method: r.method, url: urlFor(r, 'a', w.symbols[0] ?? 'SYN001', undefined), headers: { ...w.auth('root'), 'content-type': 'application/json' }, payload: JSON.stringify(body) });
        // a body whose fields are all optional accepts any object
        if (res.statusCode < 300 && r.body?.safeParse(body ?? {}).success === true) continue;
        expect4xx(`${keyOfRoute(r)} body ${JSON.stringify(body).slice(0, 40)}`, res);
        if (res.statusCode === 400 && r.url !== '/v1/session') expect.soft(String(res.json().details.field), keyOfRoute(r)).toMatch(/^body/);
      }
      // malformed JSON, wrong content type, empty body
      for (const [ct, payload] of [['application/json', '{"a":'], ['text/plain', 'hello'], ['application/json', '']] as const) {
        const res = await app.inject({ method: r.method, url: urlFor(r, 'a', w.symbols[0] ?? 'SYN001', undefined), headers: { ...w.auth('root'), 'content-type': ct }, payload });
        expect4xx(`${keyOfRoute(r)} ${ct} ${payload}`, res);
      }
    }
  });

  it('every field of every sample body, replaced by a wrong type, is named in the 400', async () => {
    for (const r of injectableRoutes().filter((x) => x.body && x.url !== '/v1/session')) {
      const sample = table[keyOfRoute(r)]?.body as Record<string, unknown> | undefined;
      if (!sample) continue;
      for (const field of Object.keys(sample)) {
        for (const bad of [{ nested: true }, -1e308 * 10, 'x'.repeat(300)]) {
          const res = await app.inject({ method: r.method, url: urlFor(r, 'a', w.symbols[0] ?? 'SYN001', undefined), headers: w.auth('root'), payload: { ...sample, [field]: bad } });
          if (res.statusCode === 400) expect.soft(res.json().message as string, `${keyOfRoute(r)} ${field}`).toMatch(/^body/);
          expect.soft(res.statusCode, `${keyOfRoute(r)} ${field}=${JSON.stringify(bad).slice(0, 20)}: ${res.body.slice(0, 200)}`).toBeLessThan(500);
        }
      }
    }
  }, 120_000);

  it('every query parameter: out of range, malformed, repeated → 4xx', async () => {
    for (const r of injectableRoutes().filter((x) => x.query)) {
      for (const q of GARBAGE_QUERIES) {
        const url = `${urlFor(r, 'a', w.symbols[0] ?? 'SYN001', undefined)}?${q}`;
        const res = await app.inject({ method: r.method, url, headers: w.auth('root'), ...(withBody(r) ? { payload: (table[keyOfRoute(r)]?.body ?? {}) as object } : {}) });
        if (res.statusCode >= 400) expect4xx(`${keyOfRoute(r)} ?${q}`, res);
        else expect.soft(res.statusCode, `${keyOfRoute(r)} ?${q}`).toBeLessThan(300);
        // parameters the route reads must be rejected when malformed
        const name = q.split('=')[0] ?? '';
        const shape = (r.query as unknown as { shape?: Record<string, unknown>; def?: { in?: { shape?: Record<string, unknown> } } } | undefined);
        const keys = Object.keys(shape?.shape ?? shape?.def?.in?.shape ?? {});
        if (keys.includes(name) && !['agentId=', 'symbol=%24%24'].includes(q) && !/^text=/.test(q)) {
          expect.soft(res.statusCode, `${keyOfRoute(r)} ?${q} should be refused`).toBe(400);
          expect.soft(String(res.json().details?.field ?? ''), `${keyOfRoute(r)} ?${q}`).toMatch(/^query/);
        }
      }
    }
  });

  it('every path parameter: too long, unknown, odd characters → 4xx', async () => {
    for (const r of injectableRoutes().filter((x) => x.params)) {
      const base = urlFor(r, 'a', w.symbols[0] ?? 'SYN001', undefined);
      const variants = [
        base.replace('fund-a', 'f'.repeat(300)),
        base.replace('momentum', 'no-such-agent'),
        base.replace('prop-a-2', 'no-such-proposal'),
        base.replace('ord-a-1', 'x'.repeat(250)),
        base.replace('bt-a-seed', 'bt-b-seed'),
        base.replace(w.symbols[0] ?? 'SYN001', '%E2%9C%93bad'),
        base.replace('fund-a', '%00'),
      ].filter((u) => u !== base);
      for (const url of variants) {
        const res = await app.inject({ method: r.method, url, headers: w.auth('root'), ...(withBody(r) ? { payload: (table[keyOfRoute(r)]?.body ?? {}) as object } : {}) });
        expect4xx(`${keyOfRoute(r)} ${url.slice(0, 80)}`, res);
      }
    }
  });

  it('unknown routes and methods answer 404 with the error body', async () => {
    for (const [method, url] of [['GET', '/v1/nope'], ['DELETE', '/v1/funds/fund-a'], ['PUT', '/v1/funds'], ['GET', '/v2/funds']] as const) {
      const res = await app.inject({ method, url, headers: w.auth('root') });
      expect4xx(`${method} ${url}`, res);
    }
  });
});
