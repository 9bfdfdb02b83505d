/**
 * The inputs the issue-17 fuzz found answering 5xx or off-shape, one test each: whatever a client
 * sends, the answer is a 4xx in the documented shape `{ code, message, details }` naming the field.
 */
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ERROR_BODY_BYTES } from '../../../src/api/index.ts';
import { makeWorld, serverFor, type World } from './fixture.ts';

interface ErrorJson {
  code: string;
  message: string;
  details: Record<string, unknown>;
}

/** The body as the documented error shape (fails the test when it is not). */
function errorOf(res: { statusCode: number; body: string }): ErrorJson {
  const b = JSON.parse(res.body) as Partial<ErrorJson>;
  expect(typeof b.code, res.body.slice(0, 200)).toBe('string');
  expect(typeof b.message, res.body.slice(0, 200)).toBe('string');
  expect(typeof b.details, res.body.slice(0, 200)).toBe('object');
  return b as ErrorJson;
}

describe('hostile input', () => {
  let w: World;
  let app: FastifyInstance;
  beforeAll(async () => {
    w = await makeWorld();
    app = await serverFor(w);
  }, 180_000);
  afterAll(async () => {
    await app.close();
    await w.close();
  });

  it('a session cookie that is not a valid %-encoding is no session: /healthz answers, an authenticated route is 401', async () => {
    for (const cookie of ['keel_session=%zz', 'keel_session=%E0%A4%A; theme=dark', 'a=1; keel_session=%']) {
      const health = await app.inject({ method: 'GET', url: '/healthz', headers: { cookie } });
      expect(health.statusCode, cookie).toBe(200);
      const me = await app.inject({ method: 'GET', url: '/v1/me', headers: { cookie } });
      expect(me.statusCode, cookie).toBe(401);
      expect(errorOf(me).code).toBe('KEEL_E_UNAUTHORIZED');
      // a valid key beside it still works
      const withKey = await app.inject({ method: 'GET', url: '/v1/me', headers: { cookie, ...w.auth('pmA') } });
      expect(withKey.statusCode, cookie).toBe(200);
    }
  });

  it('a lone UTF-16 surrogate in any text is refused with 400 naming the field, never stored', async () => {
    const json = { ...w.auth('root'), 'content-type': 'application/json' };
    const cases: [string, string, string, unknown, string][] = [
      ['POST', '/v1/funds/fund-a/journal', 'journal note', { rationale: 'hedge \ud800 note' }, 'body.rationale'],
      ['POST', '/v1/funds/fund-a/journal', 'low surrogate first', { rationale: '\udc00\ud800' }, 'body.rationale'],
      ['POST', '/v1/funds/fund-a/proposals/prop-a-2/reject', 'proposal comment', { why: 'no \udfff' }, 'body.why'],
      ['POST', '/v1/users', 'user name', { name: 'x\ud83d', role: 'viewer', fundIds: ['fund-a'] }, 'body.name'],
      ['POST', '/v1/funds', 'fund name', { id: 'fund-s', name: 'S \ud800 fund' }, 'body.name'],
      ['POST', '/v1/funds/fund-a/journal', 'symbol list', { rationale: 'ok', symbols: ['A', '\ud800'] }, 'body.symbols[1]'],
      ['PATCH', '/v1/funds/fund-a/agents/momentum/risk', 'a key', { riskParams: { 'max\ud800': 0.1 }, reason: 'x' }, 'body.riskParams'],
    ];
    for (const [method, url, label, body, field] of cases) {
      // JSON.stringify writes a lone surrogate as a \u escape, exactly as a client would send it
      const res = await app.inject({ method: method as 'POST', url, headers: json, payload: JSON.stringify(body) });
      expect(res.statusCode, `${label}: ${res.body}`).toBe(400);
      const e = errorOf(res);
      expect(e.code).toBe('KEEL_E_VALIDATION');
      expect(e.details.field, label).toBe(field);
      expect(e.message, label).toMatch(/well-formed Unicode/);
    }
    // a well-formed pair (an emoji) is text like any other
    const ok = await app.inject({ method: 'POST', url: '/v1/funds/fund-a/journal', headers: json, payload: JSON.stringify({ rationale: 'rocket \ud83d\ude80' }) });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().entry.rationale).toBe('rocket 🚀');
  });

  it('numbers beyond sane maxima (1e308) are refused with 400 naming the field, never Infinity downstream or an overflow in the database', async () => {
    const sym = w.symbols[0] ?? 'SYN001';
    const agent = { id: 'huge', strategy: 'momentum', bucket: 'directional_equity', reason: 'x' };
    const cases: [string, string, unknown, string][] = [
      ['POST', '/v1/funds/fund-a/trades', { symbol: sym, side: 'BUY', qty: 1e308, rationale: 'x' }, 'body.qty'],
      ['POST', '/v1/funds/fund-a/trades', { symbol: sym, side: 'BUY', qty: 2e12, rationale: 'x' }, 'body.qty'],
      ['POST', '/v1/funds/fund-a/trades', { symbol: sym, side: 'BUY', notional: 1e308, rationale: 'x' }, 'body.notional'],
      ['POST', '/v1/funds/fund-a/trades', { symbol: sym, side: 'BUY', qty: 10, limitPrice: 1e308, rationale: 'x' }, 'body.limitPrice'],
      ['POST', '/v1/funds/fund-a/proposals/prop-a-2/modify', { why: 'x', size: 1e308 }, 'body.size'],
      ['POST', '/v1/funds/fund-a/proposals/prop-a-2/modify', { why: 'x', size: 2e6 }, 'body.size'],
      ['POST', '/v1/funds/fund-a/proposals/prop-a-2/modify', { why: 'x', limitPrice: 1e308 }, 'body.limitPrice'],
      ['POST', '/v1/funds/fund-a/agents', { ...agent, allocatedCapital: 1e308 }, 'body.allocatedCapital'],
      ['PATCH', '/v1/funds/fund-a/agents/momentum/risk', { allocatedCapital: 1e308, reason: 'x' }, 'body.allocatedCapital'],
      ['POST', '/v1/funds', { id: 'fund-huge', config: { fund: { totalCapital: 1e308 }, agents: [{ id: 'm', strategy: 'momentum', allocatedCapital: 1e308 }] } }, 'body.config.fund.totalCapital'],
      ['POST', '/v1/funds', { id: 'fund-huge', config: { fund: { totalCapital: 1e15 }, agents: [{ id: 'm', strategy: 'momentum', allocatedCapital: 1e308 }] } }, 'body.config.agents[0].allocatedCapital'],
    ];
    for (const [method, url, body, field] of cases) {
      const res = await app.inject({ method: method as 'POST', url, headers: w.auth('root'), payload: body as object });
      expect(res.statusCode, `${url} ${JSON.stringify(body)}: ${res.body}`).toBe(400);
      const e = errorOf(res);
      expect(e.details.field, `${url} ${JSON.stringify(body)}`).toBe(field);
      expect(e.message).toMatch(/at most/);
    }
    // a fund's capital at the bound is stored exactly
    const ok = await app.inject({ method: 'POST', url: '/v1/funds', headers: w.auth('root'), payload: { id: 'fund-big', config: { fund: { totalCapital: 1e15 }, agents: [{ id: 'm', strategy: 'momentum', allocatedCapital: 1e15 }] } } });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().fund.initialCapital).toBe(1e15);
  });

  it('a deeply nested body is refused with 400 before it is parsed, with or without an Idempotency-Key', async () => {
    const nested = (n: number): string => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
    const headers = { ...w.auth('root'), 'content-type': 'application/json' };
    for (const [url, key] of [['/v1/funds/fund-a/proposals/prop-a-2/execute', 'deep-1'], ['/v1/funds/fund-a/trades', 'deep-2'], ['/v1/funds/fund-a/journal', undefined]] as const) {
      for (const payload of [nested(20_000), `${'['.repeat(33)}${']'.repeat(33)}`]) {
        const res = await app.inject({ method: 'POST', url, headers: { ...headers, ...(key ? { 'idempotency-key': key } : {}) }, payload });
        expect(res.statusCode, `${url}: ${res.body}`).toBe(400);
        const e = errorOf(res);
        expect(e.details).toMatchObject({ field: 'body', maxDepth: 32 });
      }
    }
    // 32 levels are parsed (and then judged by the route's schema)
    const ok = await app.inject({ method: 'POST', url: '/v1/funds/fund-a/journal', headers, payload: JSON.stringify({ rationale: 'deep enough', x: JSON.parse(nested(31)) as unknown }) });
    expect(ok.statusCode, ok.body).toBe(201);
  });

  it('a 300 KB body of bad items answers a small error: the first 20 issues and their count', async () => {
    const payload = JSON.stringify({ fund: { capital: 1_000_000 }, proposals: Array.from({ length: 31_000 }, () => ({ x: 'y' })) });
    expect(payload.length).toBeGreaterThan(300_000);
    const res = await app.inject({ method: 'POST', url: '/v1/risk/review', headers: { ...w.auth('root'), 'content-type': 'application/json' }, payload });
    expect(res.statusCode).toBe(400);
    expect(res.rawPayload.length).toBeLessThanOrEqual(MAX_ERROR_BODY_BYTES);
    const e = errorOf(res);
    expect(e.details.field).toBe('body.proposals[0].agentId');
    expect(e.details.issues).toHaveLength(20);
    expect(e.details.issueCount).toBeGreaterThan(31_000);
  });

  it('a reason at its maximum (4000 characters, or 2000 emoji) is accepted wherever a person writes one, and read back whole', async () => {
    const sym = w.symbols[2] ?? 'SYN003';
    for (const text of ['r'.repeat(4_000), '😀'.repeat(2_000)]) {
      const writes: [string, string, unknown][] = [
        ['POST', '/v1/funds/fund-a/trades', { symbol: sym, side: 'BUY', qty: 1, rationale: text }],
        ['POST', '/v1/funds/fund-a/journal', { rationale: text }],
        ['POST', '/v1/funds/fund-a/agents/trend/pause', { reason: text }],
        ['POST', '/v1/funds/fund-a/agents/trend/resume', { reason: text }],
        ['POST', '/v1/funds/fund-a/kill-switch/trip', { reason: text }],
        ['POST', '/v1/funds/fund-a/kill-switch/rearm', { reason: text }],
      ];
      for (const [method, url, body] of writes) {
        const res = await app.inject({ method: method as 'POST', url, headers: w.auth('root'), payload: body as object });
        expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBeLessThan(300);
      }
      // a ticket's reasoning for the overlay is cut to its 4000 characters; the proposal keeps the whole rationale
      const listed = await app.inject({ method: 'GET', url: '/v1/funds/fund-a/proposals', headers: w.auth('root') });
      expect(listed.statusCode).toBe(200);
      expect(listed.body).toContain(JSON.stringify(text).slice(1, -1));
    }
  });

  it("a risk review's cycle id at its maximum (128, a trace id) with an agent id at its maximum (200) answers 200: the alerts and trace ids built from them fit", async () => {
    const body = { cycleId: 'c'.repeat(128), fund: { capital: 1e6, dailyPnl: -5e5 }, proposals: [{ agentId: 'a'.repeat(200), targets: [{ symbol: w.symbols[0], weight: 0.5 }] }] };
    const res = await app.inject({ method: 'POST', url: '/v1/risk/review', headers: w.auth('root'), payload: body });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    const longer = await app.inject({ method: 'POST', url: '/v1/risk/review', headers: w.auth('root'), payload: { ...body, cycleId: 'c'.repeat(129) } });
    expect(errorOf(longer).details.field).toBe('body.cycleId');
  });

  it('a name that is a property of every JS object (__proto__, constructor, toString) is a name like any other: an unknown bucket is 400, never a 500', async () => {
    for (const bucket of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const res = await app.inject({ method: 'POST', url: '/v1/funds/fund-a/agents', headers: w.auth('root'), payload: { id: 'proto-agent', strategy: 'momentum', bucket, allocatedCapital: 0 } });
      expect(res.statusCode, `${bucket}: ${res.body}`).toBe(400);
      expect(errorOf(res).message).toContain(`bucket '${bucket}' is not defined`);
    }
  });

  it("the rules the OpenAPI document declares are the ones refused: blank reasons, agent ids, strategies, risk parameter names and bounds, review sizes, '*' for admins only, Idempotency-Key characters", async () => {
    const agent = { id: 'new-one', strategy: 'momentum', bucket: 'directional_equity', allocatedCapital: 0 };
    const cases: [string, string, unknown, string, Record<string, string>?][] = [
      ['POST', '/v1/funds/fund-a/kill-switch/trip', { reason: ' \t\u3000' }, 'body.reason'],
      ['POST', '/v1/funds/fund-a/trades', { symbol: w.symbols[0], side: 'BUY', qty: 1, rationale: '\ufeff ' }, 'body.rationale'],
      ['POST', '/v1/funds/fund-a/agents', { ...agent, id: 'Upper.Case' }, 'body.id'],
      ['POST', '/v1/funds/fund-a/agents', { ...agent, strategy: 'custom' }, 'body.strategy'],
      ['POST', '/v1/funds/fund-a/agents', { ...agent, riskDrivers: ['not-a-driver'] }, 'body.riskDrivers[0]'],
      ['PATCH', '/v1/funds/fund-a/agents/momentum/risk', { riskParams: { maxPositionPct: 5 }, reason: 'x' }, 'body.riskParams.maxPositionPct'],
      ['PATCH', '/v1/funds/fund-a/agents/momentum/risk', { riskParams: { noSuchLimit: 0.1 }, reason: 'x' }, 'body.riskParams.noSuchLimit'],
      ['POST', '/v1/risk/review', { fund: { capital: -1 }, proposals: [] }, 'body.fund.capital'],
      // every figure of the review is a fraction of capital: 1e-300 made the VaR fraction Infinity (a 500)
      ['POST', '/v1/risk/review', { fund: { capital: 1e-300 }, agents: [{ id: 'a', allocatedCapital: 1e15, positions: [{ symbol: w.symbols[0], qty: 1e12, price: 1e15 }] }], proposals: [] }, 'body.fund.capital'],
      ['POST', '/v1/users', { name: 'star-viewer', role: 'viewer', fundIds: ['*'] }, 'body.fundIds'],
      ['POST', '/v1/risk/review', { fund: { capital: 1e6, returns: [0.01, 101] }, proposals: [] }, 'body.fund.returns[1]'],
      ['POST', '/v1/funds/fund-a/trades', { symbol: w.symbols[0], side: 'BUY', qty: 1, rationale: 'x' }, 'headers.idempotency-key', { 'idempotency-key': 'two words' }],
    ];
    for (const [method, url, body, field, headers] of cases) {
      const res = await app.inject({ method: method as 'POST', url, headers: { ...w.auth('root'), ...headers }, payload: body as object });
      expect(res.statusCode, `${url} ${JSON.stringify(body)}: ${res.body}`).toBe(400);
      expect(errorOf(res).details.field, `${url} ${JSON.stringify(body)}`).toBe(field);
    }
  });

  it("errors raised before routing and Fastify's own errors use the documented shape", async () => {
    const h = w.auth('root');
    const cases: [string, string, Record<string, string>, string | undefined, number, string, string][] = [
      ['GET', '/v1/funds/%zz', h, undefined, 400, 'KEEL_E_VALIDATION', 'url'],
      ['GET', '/v1/funds/fund-a/orders/%E0%A4%A', h, undefined, 400, 'KEEL_E_VALIDATION', 'url'],
      ['GET', `/v1/funds/${'f'.repeat(1_200)}`, h, undefined, 414, 'KEEL_E_VALIDATION', 'url'],
      ['GET', `/v1/nope/${'x'.repeat(5_000)}`, h, undefined, 404, 'KEEL_E_NOT_FOUND', ''],
      ['POST', '/v1/funds/fund-a/journal', { ...h, 'content-type': 'application/xml' }, '<a/>', 415, 'KEEL_E_VALIDATION', 'body'],
      ['POST', '/v1/funds/fund-a/journal', { ...h, 'content-type': 'application/json' }, `"${'x'.repeat(1_100_000)}"`, 413, 'KEEL_E_VALIDATION', 'body'],
      ['POST', '/v1/funds/fund-a/journal', { ...h, 'content-type': 'application/json' }, '{"a":', 400, 'KEEL_E_VALIDATION', 'body'],
      ['POST', '/v1/funds/fund-a/journal', { ...h, 'content-type': 'application/json' }, '{"__proto__":{"x":1}}', 400, 'KEEL_E_VALIDATION', 'body'],
    ];
    for (const [method, url, headers, payload, status, code, field] of cases) {
      const res = await app.inject({ method: method as 'GET', url, headers, ...(payload !== undefined ? { payload } : {}) });
      expect(res.statusCode, `${url.slice(0, 60)}: ${res.body.slice(0, 200)}`).toBe(status);
      const e = errorOf(res);
      expect(e.code).toBe(code);
      if (field) expect(e.details.field, url.slice(0, 60)).toBe(field);
      expect(res.rawPayload.length, url.slice(0, 60)).toBeLessThan(1_000);
    }
  });

  it('a request Node cannot parse gets the documented body on a live server', async () => {
    const live = await serverFor(w);
    await live.listen({ port: 0, host: '127.0.0.1' });
    try {
      const port = (live.server.address() as AddressInfo).port;
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n'));
        let text = '';
        socket.on('data', (d: Buffer) => (text += d.toString('utf8')));
        socket.on('close', () => resolve(text));
        socket.on('error', reject);
      });
      expect(answer.startsWith('HTTP/1.1 400 ')).toBe(true);
      expect(JSON.parse(answer.split('\r\n\r\n')[1] ?? '')).toMatchObject({ code: 'KEEL_E_VALIDATION', details: { field: 'request' } });
    } finally {
      await live.close();
    }
  });

  it('unknown and malformed credentials are rate limited by source; a valid key keeps its own bucket, and a limited key stays limited', async () => {
    const limited = await serverFor(w, { rateLimit: { perMinute: 60, burst: 5 } });
    try {
      const me = (headers: Record<string, string>) => limited.inject({ method: 'GET', url: '/v1/me', headers });
      expect((await me(w.auth('riskA'))).statusCode).toBe(200);
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await me({ authorization: `Bearer random-${i}-${'k'.repeat(i)}` })).statusCode);
      expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
      expect(statuses.slice(5)).toEqual(Array.from({ length: 7 }, () => 429));
      const cookie = await me({ cookie: 'keel_session=not-a-session' });
      expect(cookie.statusCode).toBe(429);
      expect(cookie.headers['retry-after']).toBeDefined();
      expect(errorOf(cookie).code).toBe('KEEL_E_RATE_LIMITED');
      // the valid key from the same source has its own bucket
      expect((await me(w.auth('riskA'))).statusCode).toBe(200);
      // a key limited on its own stays limited whatever other keys do
      for (let i = 0; i < 5; i++) await me(w.auth('pmA'));
      expect((await me(w.auth('pmA'))).statusCode).toBe(429);
      for (let i = 0; i < 200; i++) await me({ authorization: `Bearer flood-${i}` });
      expect((await me(w.auth('pmA'))).statusCode).toBe(429);
    } finally {
      await limited.close();
    }
  });
});
