/**
 * A fund whose history is a backtest adopted as its own (what `keel demo` does): the numbers a risk
 * manager reads are checked against an independent computation from what is stored (the NAV
 * series, the fills, the overlay's risk snapshot), never against themselves (issue 17).
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessBus } from '../../../src/bus/index.ts';
import { defaultFundConfigInput, parseFundConfig, type FundConfig, type MacroObservation } from '../../../src/contracts/index.ts';
import { SequentialIds, SimClock } from '../../../src/core/index.ts';
import { adoptBacktest, createFundMetrics, flowAdjustedReturns, registerFund } from '../../../src/fund/index.ts';
import { generateSyntheticMarket, syntheticBars } from '../../../src/market/index.ts';
import { budgetShare, zOf } from '../../../src/overlay/index.ts';
import { buildServer } from '../../../src/api/index.ts';
import { openStore, type Store } from '../../../src/store/index.ts';

const FUND = 'adopted';
const KEY = 'test-key-adopted-admin-0123456789abcdef';
const auth = { authorization: `Bearer ${KEY}` };

describe('a fund with an adopted backtest history', () => {
  let store: Store;
  let app: FastifyInstance;
  let config: FundConfig;
  let lastDate = '';
  let adopted: Awaited<ReturnType<typeof adoptBacktest>>['result'];
  const get = async <T>(url: string): Promise<T> => {
    const r = await app.inject({ method: 'GET', url, headers: auth });
    expect(r.statusCode, `${url}: ${r.body.slice(0, 300)}`).toBe(200);
    return r.json() as T;
  };

  beforeAll(async () => {
    store = await openStore({ memory: true });
    const m = generateSyntheticMarket({ symbols: 30, years: 1.4, seed: 7 });
    await store.instruments.upsert(m.instruments);
    await store.bars.load(syntheticBars(m));
    const macro: MacroObservation[] = [];
    for (const [name, values] of [['market', m.index], ['vix', m.vix], ...m.factors] as const) {
      m.dates.forEach((date, t) => macro.push({ version: 1, series: name, date, releaseTime: `${date}T21:00:00.000Z`, value: values[t] ?? Number.NaN }));
    }
    await store.macro.insertMany(macro);
    const input = defaultFundConfigInput(10_000_000);
    config = parseFundConfig({ ...input, fund: { ...input.fund, id: FUND, name: 'Adopted' }, data: { minHistoryRows: 200, degradedMinRows: 150, minQuality: 0.5 }, agents: (input.agents ?? []).filter((a) => ['momentum', 'trend', 'reversal'].includes(a.id)) });
    lastDate = m.dates[m.dates.length - 1] ?? '';
    const now = `${lastDate}T22:00:00.000Z`;
    await registerFund(store, config, 'test', now);
    adopted = (await adoptBacktest(store, { config, from: m.dates[m.dates.length - 90] ?? '', to: lastDate })).result;
    await store.users.create({ id: 'u-admin', name: 'admin', role: 'admin', fundIds: ['*'], apiKey: KEY, createdAt: now });
    const clock = new SimClock(Date.parse(now));
    app = await buildServer({ store, config, bus: new InProcessBus(), metrics: createFundMetrics(), clock, ids: new SequentialIds('t'), rateLimit: { perMinute: 1_000_000, burst: 100_000 }, monteCarloPaths: 1_000, validateResponses: process.env.KEEL_VALIDATE_RESPONSES === '1' });
  }, 300_000);
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  it("attribution's book P&L equals the change of the stored NAV series over the window (every fill is stored)", async () => {
    const a = await get<{ baseDate: string; to: string; total: { pnl: number }; reconciliation: { bookPnl: number; navPnl: number | null; difference: number | null; costs: number }; source: { fills: number } }>(`/v1/funds/${FUND}/attribution`);
    const navs = await store.nav.history(FUND, { agentId: '' });
    const at = (d: string) => navs.filter((p) => p.date <= d).at(-1)?.nav ?? Number.NaN;
    const navChange = at(a.to) - at(a.baseDate);
    expect(a.source.fills).toBeGreaterThan(50);
    expect(Math.abs(navChange)).toBeGreaterThan(100);
    // to the dollar: each line's day is rounded to the cent once
    expect(a.total.pnl).toBeCloseTo(navChange, -1);
    expect(Math.abs(a.reconciliation.difference ?? Number.NaN)).toBeLessThan(10);
    expect(a.reconciliation.costs).toBeGreaterThan(0);
  });

  it("each book's stored daily return is net of the capital the allocation moved into it, as the backtest's own returns", async () => {
    let moves = 0;
    for (const a of adopted.agents) {
      const flows = a.flows ?? [];
      const points = await store.nav.history(FUND, { agentId: a.id });
      const byDate = new Map(points.map((p) => [p.date, p.dailyReturn]));
      const own = flowAdjustedReturns(a.equity, flows, 1000);
      for (let t = 1; t < adopted.dates.length; t++) {
        if ((flows[t] ?? 0) !== 0) moves++;
        const stored = byDate.get(adopted.dates[t] ?? '');
        if (stored === null || stored === undefined) continue;
        expect(stored, `${a.id} ${adopted.dates[t] ?? ''}`).toBeCloseTo(own[t - 1] ?? Number.NaN, 6);
      }
    }
    // not vacuous: the allocation moved capital during the adopted history (it read as ±10–50% days)
    expect(moves).toBeGreaterThan(0);
  });

  it('realised P&L comes from the stored fills: realised + unrealised − commissions = NAV − initial capital', async () => {
    const p = await get<{ positions: { qty: number; realizedPnl: number }[]; totals: { realizedPnl: number; unrealizedPnl: number } }>(`/v1/funds/${FUND}/positions?openOnly=false`);
    const fills = await store.fills.listBooked(FUND);
    const commissions = fills.reduce((s, f) => s + f.fill.commission, 0);
    const nav = (await store.nav.latest(FUND))?.nav ?? Number.NaN;
    expect(p.totals.realizedPnl).not.toBe(0);
    expect(p.positions.some((x) => x.qty === 0 && x.realizedPnl !== 0)).toBe(true);
    expect(p.totals.realizedPnl + p.totals.unrealizedPnl - commissions).toBeCloseTo(nav - config.fund.totalCapital, -2);
  });

  it("the fund's drawdown step and high-water mark are the overlay's after the last cycle", async () => {
    const f = await get<{ fund: { drawdownState: string; highWaterMark: number | null } }>(`/v1/funds/${FUND}`);
    const navs = (await store.nav.history(FUND, { agentId: '' })).map((x) => x.nav);
    expect(f.fund.highWaterMark).not.toBeNull();
    expect(f.fund.highWaterMark ?? 0).toBeGreaterThanOrEqual(Math.max(...navs) - 1);
    expect(f.fund.drawdownState).toBe('normal');
  });

  it('one gross: the stored NAV point, the Position Book by name and the Risk Monitor agree (Σ names of |net value|)', async () => {
    const nav = await store.nav.latest(FUND);
    const byName = await get<{ totals: { gross: number; booksGross: number } }>(`/v1/funds/${FUND}/positions/by-name`);
    const byAgent = await get<{ totals: { gross: number; booksGross: number } }>(`/v1/funds/${FUND}/positions`);
    const risk = await get<{ report: { gross: number } }>(`/v1/funds/${FUND}/risk`);
    const rows = await store.positions.list(FUND, { openOnly: true });
    const net = new Map<string, number>();
    for (const r of rows) net.set(r.symbol, (net.get(r.symbol) ?? 0) + r.qty * (r.lastPrice ?? 0));
    const gross = [...net.values()].reduce((s, v) => s + Math.abs(v), 0);
    expect(nav?.grossExposure ?? 0).toBeCloseTo(gross, -1);
    expect(byName.totals.gross).toBeCloseTo(gross, -1);
    expect(byAgent.totals.gross).toBeCloseTo(gross, -1);
    expect(byAgent.totals.booksGross).toBeGreaterThanOrEqual(byAgent.totals.gross - 0.01);
    // booksGross is Σ |each book's line| on both views, not the netted gross again
    const books = rows.reduce((s, r) => s + Math.abs(r.qty * (r.lastPrice ?? 0)), 0);
    expect(byName.totals.booksGross).toBeCloseTo(byAgent.totals.booksGross, 1);
    expect(byName.totals.booksGross).toBeCloseTo(books, -1);
    expect(risk.report.gross).toBeCloseTo(gross, -1);
  });

  it("risk budgets are the overlay's own measure: the agent's own (standalone) VaR $ over the budget $ of its check", async () => {
    const b = await get<{ asOf: string; fundVar: number; agents: { agentId: string; componentVar: number; standaloneVar: number; budget: number; used: number }[] }>(`/v1/funds/${FUND}/risk-budgets`);
    expect(b.asOf).toBe(lastDate);
    expect(b.agents.map((x) => x.agentId).sort()).toEqual(expect.arrayContaining(['momentum', 'reversal', 'trend']));
    // independently: the overlay's budget of an agent is budgetShare × z·targetVol·capital/√252 × the limit factor
    const cycle = (await store.cycles.list(FUND, 1))[0];
    const state = (cycle?.summary as { state?: { fund?: { capital: number; agents: { agentId: string; standaloneRisk?: number }[] } } }).state?.fund;
    expect(state).toBeDefined();
    const capital = state?.capital ?? 0;
    const varBudget = (zOf(config.risk.varConfidence) * config.risk.targetVolPct * capital) / Math.sqrt(252);
    for (const a of b.agents.filter((x) => x.budget > 0)) {
      const risk = { riskBudgetPct: config.defaults.riskBudgetPct };
      const share = budgetShare(risk, state?.agents.find((x) => x.agentId === a.agentId));
      const limitFactor = a.budget / (share * varBudget);
      expect(limitFactor, a.agentId).toBeGreaterThan(0);
      expect(limitFactor, a.agentId).toBeLessThanOrEqual(1 + 1e-9);
      expect(a.used).toBeCloseTo(a.standaloneVar / a.budget, 9);
    }
    // the components are Euler's: they add up to the fund VaR
    expect(b.agents.reduce((s, x) => s + x.componentVar, 0)).toBeCloseTo(b.fundVar, 0);
  });

  it('stress is deterministic for the same book and market; the Risk Monitor stresses the current book, and stored runs carry their run time', async () => {
    const post = async () => {
      const r = await app.inject({ method: 'POST', url: `/v1/funds/${FUND}/stress`, headers: auth, payload: {} });
      expect(r.statusCode).toBe(201);
      return r.json() as { runAt: string; results: { scenario: string; pnlImpact: number }[] };
    };
    const cycleRun = (await get<{ results: { scenario: string; pnlImpact: number; details: { runAt?: string; book?: string } }[] }>(`/v1/funds/${FUND}/stress`)).results;
    expect(cycleRun.every((r) => r.details.book === 'target' && typeof r.details.runAt === 'string')).toBe(true);
    const first = await post();
    const second = await post();
    expect(second.results).toEqual(first.results);
    const risk = await get<{ report: { stress: { scenario: string; pnl: number }[] } }>(`/v1/funds/${FUND}/risk`);
    expect(new Map(risk.report.stress.map((s) => [s.scenario, s.pnl]))).toEqual(new Map(first.results.map((s) => [s.scenario, s.pnlImpact])));
    const stored = (await get<{ results: { scenario: string; details: { runAt?: string; book?: string } }[] }>(`/v1/funds/${FUND}/stress`)).results;
    expect(stored.every((r) => r.details.runAt === first.runAt || r.details.runAt === second.runAt)).toBe(true);
    expect(stored.every((r) => r.details.book === 'held')).toBe(true);

    // the cycle stored the stress of the book its orders aim at (its review's, labelled 'target'); a run on the
    // held book differs by what is still to trade, so the page labels which book each stored run is of
    const gfcCycle = cycleRun.find((r) => r.scenario === 'gfc_2008')?.pnlImpact ?? Number.NaN;
    const gfcHeld = first.results.find((r) => r.scenario === 'gfc_2008')?.pnlImpact ?? Number.NaN;
    expect(Number.isFinite(gfcCycle) && Number.isFinite(gfcHeld)).toBe(true);
  });

  it('serves every scenario with its definition, and explains the two that look alike', async () => {
    const d = await get<{ scenarios: { name: string; description: string; note: string | null; factorShocks: Record<string, number> }[]; replays: { name: string }[] }>('/v1/risk/scenarios');
    expect(d.scenarios.map((s) => s.name)).toEqual(expect.arrayContaining(['gfc_2008', 'covid_2020', '2020_covid_crash', '2008_liquidity_freeze']));
    for (const s of d.scenarios) expect(Object.keys(s.factorShocks).length, s.name).toBeGreaterThan(0);
    expect(d.scenarios.find((s) => s.name === '2020_covid_crash')?.note).toMatch(/covid_2020/);
    expect(d.replays.map((r) => r.name)).toEqual(config.risk.stressReplayWindows.map((n) => `replay_worst_${n}d`));
  });
});
