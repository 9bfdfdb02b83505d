/**
 * Against a running server (127.0.0.1, ephemeral port): API keys and the dashboard session
 * cookie, server-sent events scoped to the caller's funds, per-key rate limiting, CORS closed by
 * default, and credentials absent from the logs.
 */
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessBus } from '../../../src/bus/index.ts';
import { defaultFundConfigInput, parseFundConfig } from '../../../src/contracts/index.ts';
import { SimClock } from '../../../src/core/index.ts';
import { createFundMetrics } from '../../../src/fund/index.ts';
import { buildServer } from '../../../src/api/index.ts';
import { openStore } from '../../../src/store/index.ts';
import { makeWorld, serverFor, type World } from './fixture.ts';

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const a = app.server.address();
  if (typeof a !== 'object' || a === null) throw new Error('no address');
  return `http://127.0.0.1:${a.port}`;
}

/** Reads server-sent events until `until` returns true or the time runs out. */
async function readEvents(res: Response, until: (events: { event: string; data: string }[]) => boolean, ms: number): Promise<{ event: string; data: string }[]> {
  const reader = res.body?.getReader();
  if (!reader) throw new Error('no body');
  const events: { event: string; data: string }[] = [];
  const decoder = new TextDecoder();
  let buf = '';
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && !until(events)) {
    const next = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), Math.max(1, deadline - Date.now())))]);
    if (next === null || next.done) break;
    buf += decoder.decode(next.value, { stream: true });
    let i: number;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const chunk = buf.slice(0, i);
      buf = buf.slice(i + 2);
      const ev = /^event: (.*)$/m.exec(chunk)?.[1];
      const data = /^data: (.*)$/m.exec(chunk)?.[1];
      if (ev && data) events.push({ event: ev, data });
    }
  }
  await reader.cancel();
  return events;
}

describe('running server', () => {
  let w: World;
  let app: FastifyInstance;
  let base = '';
  const logs: string[] = [];
  beforeAll(async () => {
    w = await makeWorld();
    const stream = new Writable({
      write(chunk: Buffer, _enc, cb) {
        logs.push(chunk.toString());
        cb();
      },
    });
    app = await serverFor(w, { logger: { level: 'debug', stream } });
    base = await listen(app);
  }, 180_000);
  afterAll(async () => {
    await app.close();
    await w.close();
  });

  it('serves health, and fund data with a Bearer key', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const r = await fetch(`${base}/v1/funds/fund-a/positions`, { headers: w.auth('viewerA') });
    expect(r.status).toBe(200);
    expect(((await r.json()) as { positions: unknown[] }).positions.length).toBeGreaterThan(0);
    expect((await fetch(`${base}/v1/funds/fund-a/positions`)).status).toBe(401);
  });

  it('session login: HttpOnly cookie works like the key; wrong key refused; logout ends it', async () => {
    const bad = await fetch(`${base}/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'pmA', key: w.keys.viewerA }) });
    expect(bad.status).toBe(401);
    const login = await fetch(`${base}/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'pmA', key: w.keys.pmA }) });
    expect(login.status).toBe(200);
    const setCookie = login.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^keel_session=[A-Za-z0-9_-]{40,};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    const cookie = setCookie.split(';')[0] ?? '';
    const me = (await (await fetch(`${base}/v1/me`, { headers: { cookie } })).json()) as { user: { name: string; role: string; fundIds: string[] } };
    expect(me.user).toEqual({ id: 'u-pmA', name: 'pmA', role: 'pm', fundIds: ['fund-a'] });
    expect((await fetch(`${base}/v1/funds/fund-b`, { headers: { cookie } })).status).toBe(404);
    expect((await fetch(`${base}/v1/session`, { method: 'DELETE', headers: { cookie } })).status).toBe(200);
    expect((await fetch(`${base}/v1/me`, { headers: { cookie } })).status).toBe(401);
    expect((await fetch(`${base}/v1/me`, { headers: { cookie: 'keel_session=forged' } })).status).toBe(401);
  });

  it('events: a fund-a user sees fund-a kill-switch events; a fund-b user does not', async () => {
    const ctrlA = new AbortController();
    const ctrlB = new AbortController();
    const streamA = await fetch(`${base}/v1/events?topics=trading-state.changed`, { headers: w.auth('viewerA'), signal: ctrlA.signal });
    const streamB = await fetch(`${base}/v1/events`, { headers: w.auth('pmB'), signal: ctrlB.signal });
    expect(streamA.headers.get('content-type')).toContain('text/event-stream');
    expect((await fetch(`${base}/v1/events?fundId=fund-b`, { headers: w.auth('viewerA') })).status).toBe(404);
    const trip = await fetch(`${base}/v1/funds/fund-a/kill-switch/trip`, { method: 'POST', headers: { ...w.auth('riskA'), 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'sse test' }) });
    expect(trip.status).toBe(200);
    const [a, b] = await Promise.all([readEvents(streamA, (e) => e.length > 0, 5_000), readEvents(streamB, () => false, 1_500)]);
    ctrlA.abort();
    ctrlB.abort();
    expect(a.map((e) => e.event)).toEqual(['trading-state.changed']);
    expect(JSON.parse(a[0]?.data ?? '{}')).toMatchObject({ fundId: 'fund-a', from: 'ACTIVE', to: 'HALTED', who: 'riskA', reason: 'sse test' });
    expect(b).toEqual([]);
  });

  it('never writes an API key or a session token to the log', async () => {
    await fetch(`${base}/v1/funds`, { headers: w.auth('adminA') });
    const login = await fetch(`${base}/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'adminA', key: w.keys.adminA }) });
    const token = (login.headers.get('set-cookie') ?? '').split(';')[0]?.split('=')[1] ?? 'none';
    await fetch(`${base}/v1/funds`, { headers: { cookie: `keel_session=${token}` } });
    await new Promise((r) => setTimeout(r, 50));
    const text = logs.join('');
    expect(text.length).toBeGreaterThan(0);
    for (const key of Object.values(w.keys)) expect(text).not.toContain(key);
    expect(text).not.toContain(token);
  });
});

describe('rate limiting and CORS', () => {
  let w: World;
  beforeAll(async () => {
    w = await makeWorld();
  }, 180_000);
  afterAll(async () => {
    await w.close();
  });

  it('limits each key on its own: the 4th request in a burst of 3 gets 429 with Retry-After', async () => {
    const app = await serverFor(w, { rateLimit: { perMinute: 60, burst: 3 } });
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) codes.push((await app.inject({ url: '/v1/funds', headers: w.auth('viewerA') })).statusCode);
    expect(codes).toEqual([200, 200, 200, 429]);
    const limited = await app.inject({ url: '/v1/funds', headers: w.auth('viewerA') });
    expect(limited.json().code).toBe('KEEL_E_RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await app.inject({ url: '/v1/funds', headers: w.auth('pmA') })).statusCode).toBe(200);
    w.clock.advance(60_000);
    expect((await app.inject({ url: '/v1/funds', headers: w.auth('viewerA') })).statusCode).toBe(200);
    await app.close();
  });

  it('CORS is closed by default and opens only to the configured origins', async () => {
    const closed = await serverFor(w);
    const pre = await closed.inject({ method: 'OPTIONS', url: '/v1/funds', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } });
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
    const simple = await closed.inject({ url: '/v1/funds', headers: { ...w.auth('viewerA'), origin: 'https://evil.example' } });
    expect(simple.headers['access-control-allow-origin']).toBeUndefined();
    await closed.close();
    const open = await serverFor(w, { corsOrigins: ['https://dash.example'] });
    const ok = await open.inject({ url: '/v1/funds', headers: { ...w.auth('viewerA'), origin: 'https://dash.example' } });
    expect(ok.headers['access-control-allow-origin']).toBe('https://dash.example');
    const other = await open.inject({ url: '/v1/funds', headers: { ...w.auth('viewerA'), origin: 'https://evil.example' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    await open.close();
  });
});

describe('readiness', () => {
  it('answers 503 KEEL_E_STORE when the database is gone, while /healthz still answers', async () => {
    const store = await openStore({ memory: true });
    const app = await buildServer({ store, config: parseFundConfig(defaultFundConfigInput()), bus: new InProcessBus(), metrics: createFundMetrics(), clock: new SimClock(0), validateResponses: process.env.KEEL_VALIDATE_RESPONSES === '1' });
    expect((await app.inject({ url: '/readyz' })).statusCode).toBe(200);
    await store.close();
    const r = await app.inject({ url: '/readyz' });
    expect(r.statusCode).toBe(503);
    expect(r.json().code).toBe('KEEL_E_STORE');
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
    await app.close();
  }, 60_000);
});
