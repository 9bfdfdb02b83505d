/**
 * One agent's page over HTTP (issue 17): `GET /v1/funds/:fundId/agents/:agentId` answers the
 * agent's positions, exposures, overlay decisions and P&L with the same numbers as the fund-wide
 * routes (positions, overlay actions, pnl-history by agent) and, for a named backtest, the daily
 * P&L of its stored equity less the capital moved; its answer passes `AgentDetailResponse`.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentDetailResponse } from '../../../src/api/routes/agent-detail.ts';
import { makeWorld, serverFor, type World } from './fixture.ts';

let w: World;
let app: FastifyInstance;

beforeAll(async () => {
  w = await makeWorld();
  app = await serverFor(w);
  // a completed backtest of fund-a: momentum's NAV moves 100 → 110 → 105 → 130 with 20 moved in on the last day
  const results = { dates: ['2018-01-02', '2018-01-03', '2018-01-04', '2018-01-05'], agents: [{ id: 'momentum', equity: [100, 110, 105, 130], flows: [100, 0, 0, 20] }] };
  await w.store.backtests.create({ id: 'bt-a-done', fundId: 'fund-a', params: { from: '2018-01-02', to: '2018-01-05' }, createdAt: new Date().toISOString() });
  await w.store.backtests.update('bt-a-done', { status: 'COMPLETED', progress: 1, results, at: new Date().toISOString() });
}, 120_000);
afterAll(async () => {
  await app.close();
  await w.close();
});

const get = async (url: string, who: Parameters<World['auth']>[0] = 'viewerA') => {
  const r = await app.inject({ method: 'GET', url, headers: w.auth(who) });
  return { status: r.statusCode, body: r.json() as Record<string, unknown> };
};

describe('GET /v1/funds/:fundId/agents/:agentId', () => {
  it("answers the agent's book, exposures, decisions and live P&L with the fund-wide routes' numbers", async () => {
    const r = await get('/v1/funds/fund-a/agents/momentum');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const d = AgentDetailResponse.parse(r.body);
    expect(d.agent).toMatchObject({ id: 'momentum', fundId: 'fund-a' });

    const book = (await get('/v1/funds/fund-a/positions?agentId=momentum')).body as { positions: { symbol: string; qty: number; lastPrice: number; marketValue: number }[] };
    expect(d.positions.map((p) => [p.symbol, p.qty, p.lastPrice, p.marketValue]).sort()).toEqual(book.positions.map((p) => [p.symbol, p.qty, p.lastPrice, p.marketValue]).sort());
    expect(d.positions.length).toBe(3);
    const nav = await w.store.nav.latest('fund-a', 'momentum');
    const capital = nav && nav.nav > 0 ? nav.nav : w.config.agents.find((a) => a.id === 'momentum')?.allocatedCapital;
    expect(d.capital.value).toBe(capital);
    for (const p of d.positions) expect(p.weight).toBeCloseTo(p.marketValue / (capital ?? 1), 12);

    const values = book.positions.map((p) => p.marketValue);
    const long = values.filter((v) => v > 0).reduce((a, b) => a + b, 0);
    const short = -values.filter((v) => v < 0).reduce((a, b) => a + b, 0);
    expect(d.exposures.long).toBeCloseTo(long, 2);
    expect(d.exposures.short).toBeCloseTo(short, 2);
    expect(d.exposures.gross).toBeCloseTo(long + short, 2);
    expect(d.exposures.net).toBeCloseTo(long - short, 2);
    expect(d.exposures.bySector.reduce((a, s) => a + s.gross, 0)).toBeCloseTo(d.exposures.gross, 2);
    const instruments = await w.store.instruments.list();
    for (const p of d.positions) expect(p.sector).toBe(instruments.find((i) => i.symbol === p.symbol)?.sector);

    const actions = (await get('/v1/funds/fund-a/overlay-actions?agentId=momentum')).body as { actions: { decisionId: string; reasons: unknown[] }[] };
    expect(d.decisions.map((x) => [x.decisionId, x.reasons])).toEqual(actions.actions.map((x) => [x.decisionId, x.reasons]));
    expect(d.decisions.some((x) => x.reasons.length > 0)).toBe(true);

    const history = (await get('/v1/funds/fund-a/pnl-history?by=agent')).body as { dates: string[]; series: { key: string; pnl: number[]; cumulative: number[]; total: number }[] };
    const mine = history.series.find((s) => s.key === 'momentum');
    expect(d.pnl.live?.dates).toEqual(history.dates);
    expect(d.pnl.live?.daily).toEqual(mine?.pnl);
    expect(d.pnl.live?.total).toBeCloseTo(mine?.total ?? Number.NaN, 2);
    expect(d.pnl).toMatchObject({ backtestId: null, backtest: null, backtestError: null });
  }, 60_000);

  it("adds a completed backtest's daily P&L: NAV change less the capital moved in", async () => {
    const d = AgentDetailResponse.parse((await get('/v1/funds/fund-a/agents/momentum?backtest=bt-a-done')).body);
    expect(d.pnl.backtest).toEqual({ from: '2018-01-03', to: '2018-01-05', dates: ['2018-01-03', '2018-01-04', '2018-01-05'], daily: [10, -5, 5], cumulative: [10, 5, 10], total: 10 });
    const trend = AgentDetailResponse.parse((await get('/v1/funds/fund-a/agents/trend?backtest=bt-a-done')).body);
    expect(trend.pnl).toMatchObject({ backtest: null, backtestError: 'agent trend was not in backtest bt-a-done' });
    const queued = AgentDetailResponse.parse((await get('/v1/funds/fund-a/agents/momentum?backtest=bt-a-seed')).body);
    expect(queued.pnl.backtestError).toContain('is QUEUED');
  }, 60_000);

  it('refuses an unknown agent, another fund, a backtest of another fund and bad input, naming the field', async () => {
    expect(await get('/v1/funds/fund-a/agents/nobody')).toMatchObject({ status: 404, body: { code: 'KEEL_E_NOT_FOUND', details: { field: 'params.agentId' } } });
    expect((await get('/v1/funds/fund-b/agents/momentum')).status).toBe(404);
    expect(await get('/v1/funds/fund-a/agents/momentum?backtest=bt-b-seed')).toMatchObject({ status: 404, body: { details: { field: 'query.backtest' } } });
    expect(await get('/v1/funds/fund-a/agents/momentum?decisions=0')).toMatchObject({ status: 400, body: { details: { field: 'query.decisions' } } });
    expect(await get('/v1/funds/fund-a/agents/momentum?from=2019-02-01&to=2019-01-01')).toMatchObject({ status: 400, body: { details: { field: 'query.from' } } });
  }, 60_000);
});
