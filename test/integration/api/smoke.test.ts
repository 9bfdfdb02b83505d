import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { makeWorld, serverFor, type World } from './fixture.ts';

describe('smoke', () => {
  let w: World;
  let app: FastifyInstance;
  beforeAll(async () => {
    w = await makeWorld();
    app = await serverFor(w);
  }, 120_000);
  afterAll(async () => {
    await app.close();
    await w.close();
  });
  it('answers', async () => {
    for (const url of ['/healthz', '/readyz', '/v1/funds', '/v1/funds/fund-a', '/v1/funds/fund-a/positions', '/v1/funds/fund-a/risk', '/v1/funds/fund-a/morning-pack', '/v1/funds/fund-a/orders', '/v1/funds/fund-a/proposals', '/v1/funds/fund-a/journal?text=secret']) {
      const r = await app.inject({ method: 'GET', url, headers: w.auth('pmA') });
      expect.soft(r.statusCode, `${url} ${r.body.slice(0, 400)}`).toBe(200);
    }
  });
});
