/**
 * The backtest job queue over the API (in-process server, real store): a job that cannot run ends
 * FAILED with its reason, cancels are authorised and follow the state table, a server's start
 * fails the jobs a dead process of this host left QUEUED or RUNNING (and leaves other hosts'),
 * and a server that stops stores its running job FAILED. The latency, concurrency, progress-event
 * and restart behaviour through `keel serve`: backtest-jobs-server.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { SequentialIds } from '../../../src/core/index.ts';
import { BacktestQueue, backtestTransition } from '../../../src/fund/index.ts';
import { BacktestStopped } from '../../../src/fund/backtest/backtest-thread.ts';
import type { LoadedMarket } from '../../../src/fund/market-loader.ts';
import { makeWorld, serverFor, type UserName, type World } from './fixture.ts';

type Json = Record<string, unknown>;

describe('backtest jobs over the API', () => {
  let w: World;
  let app: FastifyInstance;
  beforeAll(async () => {
    w = await makeWorld();
    app = await serverFor(w, { jobConcurrency: 1 });
  }, 180_000);
  afterAll(async () => {
    await app.close();
    await w.close();
  });

  const call = async (u: UserName, method: 'GET' | 'POST', url: string, payload?: object): Promise<{ status: number; body: Json }> => {
    const r = await app.inject({ method, url, headers: w.auth(u), ...(payload ? { payload } : {}) });
    return { status: r.statusCode, body: r.json() as Json };
  };
  const until = async (id: string, done: (b: Json) => boolean): Promise<Json> => {
    for (let i = 0; ; i++) {
      const b = (await call('viewerA', 'GET', `/v1/funds/fund-a/backtests/${id}`)).body['backtest'] as Json;
      if (done(b) || i > 600) return b;
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  it('bounds the jobs waiting QUEUED: one more is refused with 429 and the numbers, and taken again once one has left the queue', async () => {
    // threads that run until stopped: the first job holds the only slot
    const stops: (() => void)[] = [];
    const q = new BacktestQueue({
      store: w.store, bus: w.bus, concurrency: 1, maxQueued: 2, now: () => new Date().toISOString(),
      market: () => Promise.resolve({ panel: {} } as unknown as LoadedMarket),
      start: () => {
        let stop: () => void = () => undefined;
        const result = new Promise<never>((_, reject) => { stop = () => reject(new BacktestStopped()); });
        stops.push(stop);
        return { result, stop: () => Promise.resolve(stop()) };
      },
    });
    const submit = (id: string) => q.submit({ id, config: w.config, from: '2024-01-02', to: '2024-02-01' });
    await submit('bt-q-1');
    await submit('bt-q-2');
    await submit('bt-q-3');
    expect(q.counts).toEqual({ queued: 2, running: 1 });
    const refused = await submit('bt-q-4').then(() => null, (e: unknown) => e as { code: string; message: string; details: Json });
    expect(refused).toMatchObject({ code: 'KEEL_E_RATE_LIMITED', details: { queued: 2, running: 1, limit: 2 } });
    expect(refused?.message).toContain('KEEL_JOB_QUEUE_MAX');
    expect(await w.store.backtests.get('bt-q-4')).toBeUndefined(); // nothing half-written
    await q.cancel('bt-q-2', w.config.fund.id);
    await submit('bt-q-4');
    expect(q.counts).toEqual({ queued: 2, running: 1 });
    await q.close();
    expect((await w.store.backtests.get('bt-q-1'))?.status).toBe('FAILED');
  });

  it('moves only along the state table', () => {
    expect(backtestTransition('QUEUED', 'RUNNING')).toBe('RUNNING');
    expect(backtestTransition('RUNNING', 'CANCELLED')).toBe('CANCELLED');
    expect(() => backtestTransition('COMPLETED', 'CANCELLED')).toThrow(/illegal transition COMPLETED → CANCELLED/);
    expect(() => backtestTransition('FAILED', 'RUNNING')).toThrow(/illegal transition/);
  });

  it('a backtest over a window without market data ends FAILED with the reason; cancels are authorised and checked', async () => {
    const start = await call('pmA', 'POST', '/v1/funds/fund-a/backtests', { from: '1990-01-01', to: '1990-06-01' });
    expect(start.status).toBe(202);
    const id = String(start.body['id']);
    const b = await until(id, (x) => x['status'] === 'FAILED' || x['status'] === 'COMPLETED');
    expect(b).toMatchObject({ status: 'FAILED', results: null });
    expect(String(b['error'])).toContain('no trading days between 1990-01-01 and 1990-06-01');
    expect(b['finishedAt']).not.toBeNull();
    // an ended job cannot be cancelled; viewers may not cancel; another fund's backtest does not exist here
    expect((await call('pmA', 'POST', `/v1/funds/fund-a/backtests/${id}/cancel`)).body).toMatchObject({ code: 'KEEL_E_ILLEGAL_TRANSITION', details: { from: 'FAILED', to: 'CANCELLED' } });
    expect((await call('viewerA', 'POST', `/v1/funds/fund-a/backtests/${id}/cancel`)).status).toBe(403);
    expect((await call('pmA', 'POST', '/v1/funds/fund-a/backtests/bt-b-seed/cancel')).status).toBe(404);
    expect((await call('pmA', 'POST', '/v1/funds/fund-a/backtests/nope/cancel')).status).toBe(404);
  }, 120_000);

  it('a queued job is cancelled before it runs; a restarted server fails what a dead process of this host left, not other hosts\' jobs', async () => {
    // a job held QUEUED behind a running one (concurrency 1), then cancelled
    const running = String((await call('pmA', 'POST', '/v1/funds/fund-a/backtests', { from: '2018-09-03', to: '2018-12-31' })).body['id']);
    const queued = String((await call('riskA', 'POST', '/v1/funds/fund-a/backtests', { from: '2018-09-03', to: '2018-10-01' })).body['id']);
    expect((await call('viewerA', 'GET', `/v1/funds/fund-a/backtests/${queued}`)).body['backtest']).toMatchObject({ status: 'QUEUED', progress: 0 });
    const cancelled = await call('riskA', 'POST', `/v1/funds/fund-a/backtests/${queued}/cancel`);
    expect(cancelled.body['backtest']).toMatchObject({ status: 'CANCELLED', startedAt: null });
    expect((await until(running, (x) => x['status'] !== 'QUEUED' && x['status'] !== 'RUNNING'))['status']).toBe('COMPLETED');
    expect((await call('viewerA', 'GET', `/v1/funds/fund-a/backtests/${queued}`)).body['backtest']).toMatchObject({ status: 'CANCELLED' });

    const dead = spawnSync(process.execPath, ['-e', '']).pid ?? 0;
    const at = new Date().toISOString();
    const rows = [
      { id: 'bt-dead-running', runner: { host: hostname(), pid: dead, boot: 'x' }, status: 'RUNNING' as const },
      { id: 'bt-dead-queued', runner: { host: hostname(), pid: dead, boot: 'x' }, status: null },
      { id: 'bt-other-host', runner: { host: `not-${hostname()}`, pid: dead, boot: 'x' }, status: 'RUNNING' as const },
      { id: 'bt-cli', runner: null, status: 'RUNNING' as const },
    ];
    for (const r of rows) {
      await w.store.backtests.create({ id: r.id, fundId: 'fund-a', params: { from: '2018-09-03', to: '2018-10-01', ...(r.runner ? { runner: r.runner } : {}) }, createdAt: at });
      if (r.status) await w.store.backtests.update(r.id, { status: r.status, at });
    }
    // a server stopped while storing results leaves some cycles' records under the run's scope
    const hedge = (fundId: string) => ({ fundId, cycleId: 'c1', asOf: '2018-09-04', instrument: 'SPY', kind: 'index' as const, targetQty: -10, targetNotional: -2_900, currentQty: 0, price: 290, exposureBefore: null, exposureAfter: null, reason: 'test' });
    await w.store.hedges.insertMany([hedge('fund-a@bt-dead-running'), hedge('fund-a@bt-other-host')]);
    const again = await serverFor(w, { jobConcurrency: 1, ids: new SequentialIds('again') });
    try {
      const status = async (id: string): Promise<Json> => (await again.inject({ url: `/v1/funds/fund-a/backtests/${id}`, headers: w.auth('viewerA') })).json().backtest as Json;
      expect(await status('bt-dead-running')).toMatchObject({ status: 'FAILED', error: 'interrupted: the server stopped while the backtest was running; start it again' });
      expect(await status('bt-dead-queued')).toMatchObject({ status: 'FAILED', error: 'interrupted: the server stopped while the backtest was queued; start it again' });
      expect(await status('bt-other-host')).toMatchObject({ status: 'RUNNING' });
      expect(await status('bt-cli')).toMatchObject({ status: 'RUNNING' });
      expect(await status('bt-dead-running')).not.toHaveProperty('params.runner');
      // nothing half-written stays: the failed run's records are deleted, another host's kept
      expect(await w.store.hedges.list('fund-a@bt-dead-running')).toEqual([]);
      expect(await w.store.hedges.list('fund-a@bt-other-host')).toHaveLength(1);
    } finally {
      await again.close();
    }
  }, 180_000);

  it('a server that stops stores its running backtest FAILED', async () => {
    const other = await serverFor(w, { jobConcurrency: 1, ids: new SequentialIds('other') });
    const id = String((await other.inject({ method: 'POST', url: '/v1/funds/fund-a/backtests', headers: w.auth('pmA'), payload: { from: '2018-06-01', to: '2018-12-31' } })).json().id);
    for (let i = 0; i < 600 && (await w.store.backtests.get(id))?.status !== 'RUNNING'; i++) await new Promise((r) => setTimeout(r, 50));
    await other.close();
    expect(await w.store.backtests.get(id)).toMatchObject({ status: 'FAILED', error: 'the server stopped while the backtest ran; start it again' });
  }, 180_000);
});
