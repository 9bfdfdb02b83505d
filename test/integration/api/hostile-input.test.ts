/**
 * The inputs the issue-17 fuzz found answering 5xx or off-shape, one test each: whatever a client
 * sends, the answer is a 4xx in the documented shape `{ code, message, details }` naming the field.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
});
