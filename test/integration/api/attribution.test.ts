/**
 * Attribution, P&L history and factor exposures through the HTTP API, with every number checked
 * against an independent computation from the stored bars, fills and factor series: the agents'
 * P&L adds up to the fund's, each line's P&L is its change in value less its trades' cash,
 * alpha + factor contributions + residual = total P&L, the BHB effects (with trading) add up to
 * the active return, and exposures are Σ value·β over capital with β an OLS of the stored returns.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MacroObservation } from '../../../src/contracts/index.ts';
import { FACTOR_NAMES, generateSyntheticMarket } from '../../../src/market/index.ts';
import { makeWorld, serverFor, type World } from './fixture.ts';

/** Least squares with an intercept by Gaussian elimination on the normal equations: [α, β₁…βₖ]. */
function ols(y: readonly number[], cols: readonly (readonly number[])[]): number[] {
  const P = cols.length + 1;
  const x = (t: number, j: number): number => (j === 0 ? 1 : (cols[j - 1]?.[t] ?? 0));
  const a = Array.from({ length: P }, (_, i) => Array.from({ length: P + 1 }, (_, j) => y.reduce((s, yt, t) => s + x(t, i) * (j === P ? yt : x(t, j)), 0)));
  for (let c = 0; c < P; c++) {
    const piv = a.slice(c).reduce((best, row, k) => (Math.abs(row[c] ?? 0) > Math.abs(a[best]?.[c] ?? 0) ? c + k : best), c);
    [a[c], a[piv]] = [a[piv] ?? [], a[c] ?? []];
    for (let r = 0; r < P; r++) {
      if (r === c) continue;
      const f = (a[r]?.[c] ?? 0) / (a[c]?.[c] ?? 1);
      for (let k = c; k <= P; k++) (a[r] as number[])[k] = (a[r]?.[k] ?? 0) - f * (a[c]?.[k] ?? 0);
    }
  }
  return a.map((row, i) => (row[P] ?? 0) / (row[i] ?? 1));
}

interface Part { key: string; pnl: number; pnlCents: number; navPnl?: number | null }
interface Attribution {
  from: string; to: string; baseDate: string; days: number; base: number;
  total: { pnl: number; pnlCents: number; return: number };
  byAgent: Part[]; byBucket: Part[]; bySector: Part[]; byName: Part[];
  factorModel: string[];
  factors: { factors: { factor: string; beta: number; pnl: number }[]; alphaPnl: number; residualPnl: number; totalPnl: number; observations: number } | null;
  factorsByAgent: { agentId: string; factors: { totalPnl: number } | null; factorError: string | null }[];
  brinson: { benchmark: { weighting: string; indexReturn: number }; portfolioReturn: number; benchmarkReturn: number; activeReturn: number; allocation: number; selection: number; interaction: number; trading: number; sectors: { sector: string; total: number }[] };
  reconciliation: { bookPnl: number; navPnl: number | null; difference: number | null };
  source: { fills: number };
}

describe('attribution API', () => {
  let w: World;
  let app: FastifyInstance;
  let dates: string[];
  const closes = new Map<string, Map<string, number>>();
  const m = generateSyntheticMarket({ symbols: 20, years: 1.2, seed: 11 });
  const get = async <T>(url: string, user: Parameters<World['auth']>[0] = 'viewerA') => {
    const r = await app.inject({ url, headers: w.auth(user) });
    return { status: r.statusCode, body: r.json() as T };
  };

  beforeAll(async () => {
    w = await makeWorld();
    // The factor returns and shares outstanding of the same synthetic market (the fixture stores neither).
    const macro: MacroObservation[] = [];
    for (const name of FACTOR_NAMES) m.dates.forEach((date, t) => macro.push({ version: 1, series: name, date, releaseTime: `${date}T21:00:00.000Z`, value: m.factors.get(name)?.[t] ?? 0 }));
    await w.store.macro.insertMany(macro);
    await w.store.fundamentals.insertMany([...m.fundamentals.values()].flat());
    for (const b of await w.store.bars.range({})) closes.set(b.symbol, (closes.get(b.symbol) ?? new Map()).set(b.date, b.close));
    dates = [...new Set((await w.store.bars.range({ symbols: [w.symbols[0] ?? ''] })).map((b) => b.date))].sort();
    // trend bought 500 SYN004 ten days ago (its position today includes them); a NAV at the base date and today.
    const d10 = dates[dates.length - 11] ?? '';
    const px = (closes.get(w.symbols[3] ?? '')?.get(d10) ?? 100) * 1.002;
    await w.store.orders.insertPending({
      version: 1, traceId: 'tr-attr', id: 'ord-attr-1', fundId: 'fund-a', cycleId: null, symbol: w.symbols[3] ?? '', side: 'BUY', type: 'MARKET', timeInForce: 'DAY', qty: 500, limitPrice: null, stopPrice: null,
      status: 'PENDING', filledQty: 0, avgFillPrice: null, decisionPrice: px, brokerOrderId: null, allocations: [{ agentId: 'trend', qty: 500 }], denials: [], createdAt: `${d10}T15:00:00.000Z`, updatedAt: `${d10}T15:00:00.000Z`,
    });
    await w.store.fills.insert({ version: 1, traceId: 'tr-attr', id: 'fill-attr-1', orderId: 'ord-attr-1', symbol: w.symbols[3] ?? '', side: 'BUY', qty: 500, price: px, commission: 2.5, timestamp: `${d10}T15:00:00.000Z`, allocations: [{ agentId: 'trend', qty: 500 }] });
    app = await serverFor(w);
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await w?.close();
  });

  /** A line's P&L over (base, to]: value at the end less value at the base less what its fills cost. */
  async function expectedLinePnl(a: Attribution): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    const fills = (await w.store.fills.listByOrder('ord-a-1')).concat(await w.store.fills.listByOrder('ord-attr-1'));
    for (const p of await w.store.positions.list('fund-a')) {
      const mine = fills.filter((f) => f.symbol === p.symbol && f.allocations.some((x) => x.agentId === p.agentId));
      const qBase = p.qty - mine.reduce((s, f) => s + (f.side === 'BUY' ? 1 : -1) * f.qty, 0);
      const c = closes.get(p.symbol);
      const pnl = p.qty * (c?.get(a.to) ?? 0) - qBase * (c?.get(a.baseDate) ?? 0) - mine.reduce((s, f) => s + (f.side === 'BUY' ? 1 : -1) * f.qty * f.price + f.commission, 0);
      out.set(`${p.agentId}/${p.symbol}`, pnl);
    }
    return out;
  }

  it('decomposes the last 63 trading days by agent, bucket, sector and name; the parts add up and match the bars', async () => {
    const { status, body: a } = await get<Attribution>('/v1/funds/fund-a/attribution');
    expect(status).toBe(200);
    expect(a.days).toBe(63);
    expect(a.to).toBe(dates[dates.length - 1]);
    expect(a.from).toBe(dates[dates.length - 63]);
    expect(a.baseDate).toBe(dates[dates.length - 64]);
    expect(a.source.fills).toBe(2);
    for (const parts of [a.byAgent, a.byBucket, a.bySector, a.byName]) expect(parts.reduce((s, p) => s + p.pnlCents, 0)).toBe(a.total.pnlCents);
    const lines = await expectedLinePnl(a);
    const byAgent = new Map<string, number>();
    for (const [k, v] of lines) byAgent.set(k.split('/')[0] ?? '', (byAgent.get(k.split('/')[0] ?? '') ?? 0) + v);
    expect(a.byAgent.map((p) => p.key).sort()).toEqual(['momentum', 'trend']);
    // rounding: half a cent per line and day at most
    for (const p of a.byAgent) expect(Math.abs(p.pnl - (byAgent.get(p.key) ?? NaN))).toBeLessThan(0.005 * 63 * 3);
    for (const p of a.byName) {
      const expected = [...lines.entries()].filter(([k]) => k.endsWith(`/${p.key}`)).reduce((s, [, v]) => s + v, 0);
      expect(Math.abs(p.pnl - expected)).toBeLessThan(0.005 * 63);
    }
    const buckets = new Map((await w.store.funds.agents('fund-a')).map((x) => [x.id, x.bucket]));
    expect(a.byBucket.map((p) => p.key).sort()).toEqual([...new Set(['momentum', 'trend'].map((id) => buckets.get(id)))].sort());
    expect(a.total.return).toBeCloseTo(a.total.pnl / a.base, 12);
  });

  it('factor attribution: alpha + contributions + residual = total P&L, betas match an independent OLS', async () => {
    const { body: a } = await get<Attribution>('/v1/funds/fund-a/attribution');
    expect(a.factorModel).toEqual([...FACTOR_NAMES].sort());
    const f = a.factors;
    if (!f) throw new Error('no factor attribution');
    expect(f.observations).toBe(63);
    expect(Math.abs(f.alphaPnl + f.factors.reduce((s, x) => s + x.pnl, 0) + f.residualPnl - a.total.pnl)).toBeLessThan(0.01);
    expect(f.totalPnl).toBeCloseTo(a.total.pnl, 6);
    // independently: the fund's daily P&L (from the history endpoint) / base, regressed on the stored factors
    const h = (await get<{ dates: string[]; fund: { pnl: number[] } }>('/v1/funds/fund-a/pnl-history?by=fund')).body;
    const names = [...FACTOR_NAMES].sort();
    const fac = await w.store.macro.query({ series: names, from: h.dates[0] ?? '', to: h.dates[h.dates.length - 1] ?? '' });
    const cols = names.map((n) => h.dates.map((d) => fac.find((o) => o.series === n && o.date === d)?.value ?? NaN));
    const b = ols(h.fund.pnl.map((p) => p / a.base), cols);
    names.forEach((n, k) => expect(f.factors.find((x) => x.factor === n)?.beta).toBeCloseTo(b[k + 1] ?? NaN, 6));
    // each agent with a book: its regression explains its own P&L; an agent without one has none
    for (const x of a.factorsByAgent) {
      const p = a.byAgent.find((y) => y.key === x.agentId);
      if (p) expect(x.factors?.totalPnl).toBeCloseTo(p.pnl, 6);
      else expect([x.factors, x.factorError]).toEqual([null, 'no holdings or trades in the window']);
    }
    expect(a.factorsByAgent.filter((x) => x.factors !== null).map((x) => x.agentId)).toEqual(['momentum', 'trend']);
  });

  it('Brinson–Hood–Beebower: allocation + selection + interaction + trading = active return; the benchmark tracks the index series', async () => {
    const { body: a } = await get<Attribution>('/v1/funds/fund-a/attribution');
    const b = a.brinson;
    expect(b.benchmark.weighting).toBe('cap');
    expect(b.allocation + b.selection + b.interaction + b.trading).toBeCloseTo(b.activeReturn, 12);
    expect(b.activeReturn).toBeCloseTo(b.portfolioReturn - b.benchmarkReturn, 12);
    expect(b.portfolioReturn).toBeCloseTo(a.total.pnl / a.base, 9);
    expect(b.sectors.reduce((s, x) => s + x.total, 0)).toBeCloseTo(b.allocation + b.selection + b.interaction, 12);
    // the index is the cap-weighted universe: rebuilt from the bars it earns the index's daily returns
    expect(Math.abs(b.benchmarkReturn - b.benchmark.indexReturn)).toBeLessThan(2e-4);
    // the fund holds a handful of names against a 20-name index: its sector weights differ, so allocation is not zero
    expect(Math.abs(b.allocation)).toBeGreaterThan(0);
    // trading: the fills' cost against the close plus fees
    expect(b.trading).not.toBe(0);
  });

  it('reconciles the book with a stored NAV: base = the NAV at the base date, difference = NAV P&L − book P&L', async () => {
    const first = (await get<Attribution>('/v1/funds/fund-a/attribution')).body;
    await w.store.nav.upsert([
      { fundId: 'fund-a', agentId: '', date: first.baseDate, nav: 5_000_000, cash: 0, grossExposure: 0, netExposure: 0, highWaterMark: 5_000_000, dailyReturn: null, drawdown: 0 },
      { fundId: 'fund-a', agentId: '', date: first.to, nav: 5_000_000 + first.total.pnl + 123.45, cash: 0, grossExposure: 0, netExposure: 0, highWaterMark: 5_000_000, dailyReturn: null, drawdown: 0 },
    ]);
    const a = (await get<Attribution>(`/v1/funds/fund-a/attribution?from=${first.from}&to=${first.to}`)).body;
    expect(a.base).toBe(5_000_000);
    expect(a.reconciliation.navPnl).toBeCloseTo(first.total.pnl + 123.45, 2);
    expect(a.reconciliation.difference).toBeCloseTo(123.45, 2);
    expect(a.total.pnlCents).toBe(first.total.pnlCents);
  });

  it('P&L history by fund, agent and name: parts add up to the fund to the cent every day; a window narrows it', async () => {
    const fund = (await get<{ dates: string[]; fund: { pnl: number[]; cumulative: number[]; total: number } }>('/v1/funds/fund-a/pnl-history')).body;
    expect(fund.dates.length).toBe(63);
    const a = (await get<Attribution>('/v1/funds/fund-a/attribution')).body;
    expect(fund.fund.total).toBeCloseTo(a.total.pnl, 2);
    expect(fund.fund.cumulative[fund.fund.cumulative.length - 1]).toBeCloseTo(a.total.pnl, 2);
    for (const by of ['agent', 'name']) {
      const h = (await get<{ series: { key: string; pnl: number[] }[]; fund: { pnl: number[] } }>(`/v1/funds/fund-a/pnl-history?by=${by}`)).body;
      h.fund.pnl.forEach((p, i) => expect(Math.round(h.series.reduce((s, x) => s + (x.pnl[i] ?? 0), 0) * 100)).toBe(Math.round(p * 100)));
    }
    const from = dates[dates.length - 10] ?? '';
    const to = dates[dates.length - 3] ?? '';
    const narrow = (await get<{ from: string; to: string; dates: string[] }>(`/v1/funds/fund-a/pnl-history?by=agent&from=${from}&to=${to}`)).body;
    expect([narrow.from, narrow.to, narrow.dates.length]).toEqual([from, to, 8]);
  });

  it('exposures: Σ value·β over capital per agent, β an OLS of the stored returns; the fund sums its agents', async () => {
    const { status, body: e } = await get<{ factors: string[]; lookback: number; agents: { agentId: string; capital: number; dollars: Record<string, number>; exposures: Record<string, number>; coverage: number }[]; fund: { dollars: Record<string, number> } }>('/v1/funds/fund-a/exposures');
    expect(status).toBe(200);
    expect(e.lookback).toBe(126);
    expect(e.factors).toEqual([...FACTOR_NAMES].sort());
    expect(e.agents.map((x) => x.agentId)).toEqual(expect.arrayContaining(['momentum', 'trend']));
    for (const f of e.factors) expect(e.fund.dollars[f]).toBeCloseTo(e.agents.reduce((s, x) => s + (x.dollars[f] ?? 0), 0), 4);
    const one = (await get<{ agent: { capital: number; exposures: Record<string, number>; names: { symbol: string; value: number; betas: Record<string, number> }[] } }>('/v1/funds/fund-a/agents/trend/exposures')).body.agent;
    const trend = e.agents.find((x) => x.agentId === 'trend');
    expect(trend?.coverage).toBe(1);
    for (const f of e.factors) {
      expect(one.exposures[f]).toBeCloseTo(one.names.reduce((s, n) => s + n.value * (n.betas[f] ?? 0), 0) / one.capital, 10);
      expect(trend?.exposures[f]).toBeCloseTo(one.exposures[f] ?? NaN, 12);
    }
    // one name's loadings, independently: its close-to-close returns over the last 126 days on the factors
    const n = one.names[0];
    if (!n) throw new Error('trend holds nothing');
    const window = dates.slice(-126);
    const c = closes.get(n.symbol);
    const y = window.map((d) => (c?.get(d) ?? NaN) / (c?.get(dates[dates.indexOf(d) - 1] ?? '') ?? NaN) - 1);
    const cols = e.factors.map((f) => window.map((d) => m.factors.get(f as (typeof FACTOR_NAMES)[number])?.[m.dates.indexOf(d)] ?? NaN));
    const b = ols(y, cols);
    e.factors.forEach((f, k) => expect(n.betas[f]).toBeCloseTo(b[k + 1] ?? NaN, 6));
  });

  it('the costly reports are refreshed by a fill, not by time: ten minutes on, the same answer without reading the fills again', async () => {
    const reads = { n: 0 };
    const replay = w.store.fills.replayPages.bind(w.store.fills);
    w.store.fills.replayPages = (...args) => {
      reads.n++;
      return replay(...args);
    };
    try {
      const urls = [`/v1/funds/fund-a/attribution?from=${dates[5] ?? ''}`, `/v1/funds/fund-a/pnl-history?by=agent&from=${dates[5] ?? ''}`];
      const first = await Promise.all(urls.map((u) => get<Attribution>(u)));
      expect(first.map((r) => r.status)).toEqual([200, 200]);
      const cold = reads.n;
      expect(cold).toBeGreaterThan(0);
      // past the 30 s of the other read models, within the reports' 10 minutes
      w.clock.advance(9 * 60_000);
      const later = await Promise.all(urls.map((u) => get<Attribution>(u)));
      expect(later.map((r) => r.body)).toEqual(first.map((r) => r.body));
      expect(reads.n).toBe(cold);
      // a fill recorded elsewhere (the bus tells the server): computed again
      const fill = (await w.store.fills.listByOrder('ord-attr-1'))[0];
      if (!fill) throw new Error('the fixture stores a fill of ord-attr-1');
      await w.bus.publish('fill.recorded', fill);
      const after = await Promise.all(urls.map((u) => get<Attribution>(u)));
      expect(after.map((r) => r.status)).toEqual([200, 200]);
      expect(reads.n).toBeGreaterThan(cold);
    } finally {
      w.store.fills.replayPages = replay;
    }
  });

  it('a viewer reads; a foreign fund and an unknown agent are 404', async () => {
    for (const url of ['/v1/funds/fund-b/attribution', '/v1/funds/fund-b/pnl-history', '/v1/funds/fund-b/exposures', '/v1/funds/fund-b/agents/momentum/exposures']) {
      expect((await get(url, 'viewerA')).status, url).toBe(404);
      expect((await get(url.replace('fund-b', 'fund-a'), 'pmB')).status, url).toBe(404);
    }
    const r = await get<{ code: string; details: { field: string } }>('/v1/funds/fund-a/agents/nobody/exposures');
    expect([r.status, r.body.code, r.body.details.field]).toEqual([404, 'KEEL_E_NOT_FOUND', 'params.agentId']);
  });

  it('the OpenAPI document lists the endpoints with their query parameters', async () => {
    const doc = (await app.inject({ url: '/docs/openapi.json' })).json() as { paths: Record<string, Record<string, { parameters: { name: string }[] }>> };
    const params = (p: string) => (doc.paths[p]?.['get']?.parameters ?? []).map((x) => x.name);
    expect(params('/v1/funds/{fundId}/attribution')).toEqual(['fundId', 'from', 'to']);
    expect(params('/v1/funds/{fundId}/pnl-history')).toEqual(['fundId', 'by', 'from', 'to']);
    expect(params('/v1/funds/{fundId}/exposures')).toEqual(['fundId', 'lookback']);
    expect(params('/v1/funds/{fundId}/agents/{agentId}/exposures')).toEqual(['fundId', 'agentId', 'lookback']);
  });

  it('bad dates and parameters are 400s naming the field', async () => {
    const last = dates[dates.length - 1] ?? '';
    const cases: [string, string][] = [
      ['/v1/funds/fund-a/attribution?from=2019-13-45', 'query.from'],
      ['/v1/funds/fund-a/attribution?to=yesterday', 'query.to'],
      [`/v1/funds/fund-a/attribution?from=${last}&to=${dates[0] ?? ''}`, 'query.from'],
      ['/v1/funds/fund-a/attribution?to=1990-01-01', 'query.to'],
      ['/v1/funds/fund-a/attribution?from=2100-01-01', 'query.from'],
      ['/v1/funds/fund-a/pnl-history?by=week', 'query.by'],
      ['/v1/funds/fund-a/exposures?lookback=5', 'query.lookback'],
      ['/v1/funds/fund-a/agents/trend/exposures?lookback=abc', 'query.lookback'],
    ];
    for (const [url, field] of cases) {
      const r = await get<{ code: string; message: string; details: { field: string } }>(url);
      expect([r.status, r.body.code, r.body.details.field], url).toEqual([400, 'KEEL_E_VALIDATION', field]);
      expect(r.body.message.startsWith(field), url).toBe(true);
    }
  });
});
