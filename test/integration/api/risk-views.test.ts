/**
 * The views a PM expects (issue 17), through HTTP on the real store: risk over time with its limits
 * and breach log (acknowledgement from the stored alerts), acknowledging alerts (who and when, the
 * fund's own alerts only, once), a limit change mid-history moving the breaches, the risk page as of a past date, the VaR
 * drill-down (components by name and by sector sum to the fund VaR of GET /risk), and a proposal's
 * ticket impact (resulting weight recomputed here from GET /positions and the risk report's NAV).
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertAcknowledgedAnswer, AlertsAnswer, ProposalImpactResponse, RiskAsOfResponse, RiskHistoryResponse, VarDrilldownResponse } from '../../../src/api/index.ts';
import type { Topics } from '../../../src/bus/index.ts';
import { configHash, parseFundConfig } from '../../../src/contracts/index.ts';
import type { RiskMonitorReport } from '../../../src/pms/index.ts';
import { makeWorld, serverFor, type UserName, type World } from './fixture.ts';

const DATES = ['2024-03-01', '2024-03-04', '2024-03-05', '2024-03-06', '2024-03-07', '2024-03-08', '2024-03-11', '2024-03-12'];
/** VaR per day in units of the limit: breaches on 03-04..03-05, 03-07 and 03-11..03-12 (still open). */
const VAR_X = [0.5, 1.2, 1.3, 0.9, 1.1, 0.4, 1.5, 1.6];
const CAPITAL = 10_000_000;

describe('risk over time, as-of, VaR drill-down and ticket impact', () => {
  let w: World;
  let app: FastifyInstance;
  const get = async <T>(url: string, user: UserName = 'viewerA'): Promise<T> => {
    const r = await app.inject({ method: 'GET', url, headers: w.auth(user) });
    expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
    return r.json() as T;
  };

  beforeAll(async () => {
    w = await makeWorld();
    app = await serverFor(w);
    const limit = w.config.risk.varLimitPct;
    for (const [i, asOf] of DATES.entries()) {
      const pct = (VAR_X[i] ?? 0) * limit;
      // an earlier snapshot of the same day is superseded by the day's last one
      if (i === 1) await w.store.risk.addSnapshot({ fundId: 'fund-a', cycleId: `cyc-early-${i}`, asOf, var95: 1, var99: 1, cvar95: 1, grossExposure: 0, netExposure: 0, metrics: { capital: CAPITAL, var95Pct: 0.0001, gross: 0.1 } });
      await w.store.risk.addSnapshot({
        fundId: 'fund-a', cycleId: `cyc-h-${i}`, asOf, var95: pct * CAPITAL, var99: pct * 1.4 * CAPITAL, cvar95: pct * 1.25 * CAPITAL, grossExposure: 0.9, netExposure: 0.3,
        metrics: { capital: CAPITAL, var95Pct: pct, var99Pct: pct * 1.4, gross: 0.9, net: 0.3, largestSingleName: { symbol: 'SYN001', pct: 0.04 }, top10Pct: 0.3, hhi: 0.12, netBySector: { Tech: 0.2, Energy: -0.05 } },
      });
    }
    // one alert raised by the first breach's cycle (dated elsewhere: matched by its trace id), acknowledged; one dated in the second breach, not acknowledged
    await w.store.alerts.insert({ version: 1, id: 'al-1', traceId: 'cyc-h-1', fundId: 'fund-a', severity: 'HIGH', category: 'RISK', title: 'VaR over limit', message: 'm', dedupKey: 'k1', timestamp: '2030-01-01T00:00:00.000Z', context: {} });
    await w.store.alerts.insert({ version: 1, id: 'al-2', traceId: 'other', fundId: 'fund-a', severity: 'HIGH', category: 'RISK', title: 'VaR over limit again', message: 'm', dedupKey: 'k2', timestamp: '2024-03-07T21:00:00.000Z', context: {} });
    await w.store.alerts.insert({ version: 1, id: 'al-3', traceId: 'cyc-h-1', fundId: 'fund-a', severity: 'LOW', category: 'SYSTEM', title: 'not a risk alert', message: 'm', dedupKey: 'k3', timestamp: '2024-03-04T21:00:00.000Z', context: {} });
    await w.store.alerts.acknowledge('al-1', 'riskA', '2030-01-01T01:00:00.000Z');
  }, 180_000);
  afterAll(async () => {
    await app.close();
    await w.close();
  });

  it('serves the daily VaR series with its limit, and a breach log recomputed here from the seeded values', async () => {
    const h = RiskHistoryResponse.parse(await get('/v1/funds/fund-a/risk/history'));
    const limit = w.config.risk.varLimitPct;
    expect(h.limits.find((l) => l.measure === 'var')).toMatchObject({ limit, source: 'risk.varLimitPct' });
    const series = h.points.map((p) => [p.date, p.values.var]);
    expect(series).toEqual(DATES.map((d, i) => [d, (VAR_X[i] ?? 0) * limit]));
    expect(h.points[1]?.cycleId).toBe('cyc-h-1');
    // independent: runs of consecutive days above the limit
    const runs: { from: string; to: string; days: number }[] = [];
    let open: { from: string; to: string; days: number } | null = null;
    DATES.forEach((d, i) => {
      if ((VAR_X[i] ?? 0) > 1) {
        if (!open) runs.push((open = { from: d, to: d, days: 0 }));
        open.to = d;
        open.days += 1;
      } else open = null;
    });
    const varBreaches = h.breaches.filter((b) => b.measure === 'var');
    expect(varBreaches.map((b) => ({ from: b.from, to: b.to, days: b.days }))).toEqual(runs);
    expect(varBreaches.map((b) => b.isOngoing)).toEqual([false, false, true]);
    expect(varBreaches[0]?.peak).toBeCloseTo(1.3 * limit, 12);
    expect(varBreaches[0]).toMatchObject({ acknowledgedBy: 'riskA', acknowledgedAt: '2030-01-01T01:00:00.000Z' });
    expect(varBreaches[0]?.alerts.map((a) => a.id)).toEqual(['al-1']);
    expect(varBreaches[1]).toMatchObject({ acknowledgedBy: null, acknowledgedAt: null });
    expect(varBreaches[1]?.alerts.map((a) => a.id)).toEqual(['al-2']);
    expect(varBreaches[2]?.alerts).toEqual([]);
    // gross 0.9 of capital is under its limit: no gross breach
    expect(h.breaches.some((b) => b.measure === 'gross')).toBe(w.config.risk.maxGrossExposure < 0.9);
    const window = RiskHistoryResponse.parse(await get('/v1/funds/fund-a/risk/history?from=2024-03-06&to=2024-03-08'));
    expect(window.points.map((p) => p.date)).toEqual(['2024-03-06', '2024-03-07', '2024-03-08']);
  });

  it("acknowledges a fund's own alert once, for pm and risk only, and the breach log then names who and when", async () => {
    const ack = (fundId: string, alertId: string, user: UserName) => app.inject({ method: 'POST', url: `/v1/funds/${fundId}/alerts/${alertId}/acknowledge`, headers: w.auth(user), payload: {} });
    await w.store.alerts.insert({ version: 1, id: 'al-b', traceId: 'cyc-b', fundId: 'fund-b', severity: 'HIGH', category: 'RISK', title: 'fund B VaR', message: 'm', dedupKey: 'kb', timestamp: '2024-03-07T21:00:00.000Z', context: {} });
    await w.store.alerts.insert({ version: 1, id: 'al-wide', traceId: 'sys', fundId: null, severity: 'LOW', category: 'SYSTEM', title: 'fund-wide', message: 'm', dedupKey: 'kw', timestamp: '2024-03-07T21:00:00.000Z', context: {} });
    // newest first: the ones seeded here (2024), then the fixture's (its market's last day, earlier)
    const listed = AlertsAnswer.parse(await get('/v1/funds/fund-a/alerts?unacknowledged=true'));
    expect(listed.alerts.map((a) => a.id)).toEqual(['al-2', 'al-3', 'al-a-1']);
    expect(AlertsAnswer.parse(await get('/v1/funds/fund-a/alerts?category=RISK')).alerts.map((a) => [a.id, a.acknowledgedBy])).toEqual([['al-1', 'riskA'], ['al-2', null]]);
    expect(AlertsAnswer.parse(await get('/v1/funds/fund-a/alerts?limit=1')).alerts.map((a) => a.id)).toEqual(['al-1']);
    expect(AlertsAnswer.parse(await get('/v1/funds/fund-a/alerts?limit=2&category=TRADING')).alerts.map((a) => a.id)).toEqual(['al-a-1']);

    // a viewer may not; another fund's alert (through the caller's own fund) and a fund-wide one are not found; a fund the caller does not see is not found
    expect((await ack('fund-a', 'al-2', 'viewerA')).statusCode).toBe(403);
    const foreign = await ack('fund-a', 'al-b', 'pmA');
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json()).toMatchObject({ code: 'KEEL_E_NOT_FOUND', details: { field: 'params.alertId' } });
    expect((await ack('fund-b', 'al-2', 'pmB')).statusCode).toBe(404);
    expect((await ack('fund-a', 'al-2', 'pmB')).statusCode).toBe(404);
    expect((await ack('fund-a', 'al-wide', 'pmA')).statusCode).toBe(404);
    expect((await w.store.alerts.get('al-b'))?.acknowledgedAt).toBeNull();
    expect((await w.store.alerts.get('al-2'))?.acknowledgedAt).toBeNull();

    const events: Topics['alert.acknowledged'][] = [];
    const off = await w.bus.subscribe('alert.acknowledged', (e) => void events.push(e));
    const ok = await ack('fund-a', 'al-2', 'pmA');
    off();
    expect(ok.statusCode, ok.body).toBe(200);
    const at = new Date(w.clock.now()).toISOString();
    const done = AlertAcknowledgedAnswer.parse(ok.json());
    expect(done.alert).toMatchObject({ id: 'al-2', fundId: 'fund-a', acknowledgedBy: 'pmA', acknowledgedAt: at });
    expect(done.journalEntry).toMatchObject({ kind: 'NOTE', who: 'pmA', role: 'pm' });
    expect(done.journalEntry.rationale).toContain('al-2');
    expect(events).toEqual([{ fundId: 'fund-a', alertId: 'al-2', who: 'pmA', at }]);
    const audit = await w.store.audit.list({ entity: 'alert', entityId: 'al-2' });
    expect(audit.map((r) => [r.action, r.actor, r.hash])).toEqual([['AlertAcknowledged', 'pmA', done.auditHash]]);
    const journal = await get<{ entries: { id: string; rationale: string }[] }>('/v1/funds/fund-a/journal?kind=NOTE');
    expect(journal.entries.map((e) => e.id)).toContain(done.journalEntry.id);

    // twice: 409 in the error shape, naming who acknowledged it; the first acknowledgement stays
    const again = await ack('fund-a', 'al-2', 'riskA');
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'KEEL_E_ILLEGAL_TRANSITION', details: { field: 'params.alertId', acknowledgedBy: 'pmA', acknowledgedAt: at } });
    expect(typeof again.json().message).toBe('string');
    expect(await w.store.audit.list({ entity: 'alert', entityId: 'al-2' })).toHaveLength(1);

    const h = RiskHistoryResponse.parse(await get('/v1/funds/fund-a/risk/history'));
    const second = h.breaches.filter((b) => b.measure === 'var')[1];
    expect(second).toMatchObject({ from: '2024-03-07', acknowledgedBy: 'pmA', acknowledgedAt: at });
    expect(AlertsAnswer.parse(await get('/v1/funds/fund-a/alerts?unacknowledged=true')).alerts.map((a) => a.id)).toEqual(['al-3', 'al-a-1']);
  });

  it('shows the risk page as recorded on a past date (the last snapshot on or before it)', async () => {
    const limit = w.config.risk.varLimitPct;
    const a = RiskAsOfResponse.parse(await get('/v1/funds/fund-a/risk/as-of?date=2024-03-09'));
    expect(a.snapshotAsOf).toBe('2024-03-08');
    expect(a.cycleId).toBe('cyc-h-5');
    const v = a.measures.find((m) => m.measure === 'var');
    expect(v?.value).toBeCloseTo(0.4 * limit, 12);
    expect(v?.utilisation).toBeCloseTo(0.4, 9);
    expect(v?.status).toBe('OK');
    expect(a.var).toBeCloseTo(0.4 * limit * CAPITAL, 6);
    expect(a.netBySector).toEqual([{ sector: 'Tech', net: 0.2 }, { sector: 'Energy', net: -0.05 }]);
    expect(a.breaches.filter((b) => b.measure === 'var').map((b) => [b.from, b.to, b.isOngoing])).toEqual([['2024-03-04', '2024-03-05', false], ['2024-03-07', '2024-03-07', false]]);
    const breached = RiskAsOfResponse.parse(await get('/v1/funds/fund-a/risk/as-of?date=2024-03-05'));
    expect(breached.measures.find((m) => m.measure === 'var')?.status).toBe('BREACH');
    const none = RiskAsOfResponse.parse(await get('/v1/funds/fund-a/risk/as-of?date=2020-01-01'));
    expect(none.snapshotAsOf).toBeNull();
    const bad = await app.inject({ method: 'GET', url: '/v1/funds/fund-a/risk/as-of?date=yesterday', headers: w.auth('viewerA') });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details.field).toBe('query.date');
  });

  it('splits the fund VaR by position and by sector, each summing to the parametric VaR of GET /risk', async () => {
    const d = VarDrilldownResponse.parse(await get('/v1/funds/fund-a/risk/var-drilldown'));
    const risk = await get<{ nav: number; report: RiskMonitorReport }>('/v1/funds/fund-a/risk');
    const level = risk.report.var.find((l) => Math.abs(l.confidence - d.confidence) < 1e-12);
    expect(level).toBeDefined();
    const fundVar = level?.parametric.var ?? Number.NaN;
    expect(fundVar).toBeGreaterThan(0);
    expect(d.fundVar).toBeCloseTo(fundVar, 6);
    expect(d.positions.reduce((a, p) => a + p.componentVar, 0)).toBeCloseTo(fundVar, 6);
    expect(d.sectors.reduce((a, s) => a + s.componentVar, 0)).toBeCloseTo(fundVar, 6);
    expect(d.positions.reduce((a, p) => a + p.share, 0)).toBeCloseTo(1, 9);
    // the agents' Euler components of the same report add up to the same VaR
    expect(risk.report.agentVar.agents.reduce((a, x) => a + x.componentVar, 0)).toBeCloseTo(fundVar, 6);
    // every held name appears once, with its netted exposure (qty × price from GET /positions)
    const pos = await get<{ positions: { symbol: string; qty: number; lastPrice: number | null; marketValue: number }[] }>('/v1/funds/fund-a/positions');
    const net = new Map<string, number>();
    for (const p of pos.positions) net.set(p.symbol, (net.get(p.symbol) ?? 0) + p.marketValue);
    expect(d.positions.map((p) => p.symbol).sort()).toEqual([...net.keys()].sort());
    for (const p of d.positions) expect(p.exposure).toBeCloseTo(net.get(p.symbol) ?? Number.NaN, 2);
  });

  it("gives a pending proposal's tickets with price, notional, resulting weight, VaR change and headroom", async () => {
    const im = ProposalImpactResponse.parse(await get('/v1/funds/fund-a/proposals/prop-a-2/impact'));
    expect(im.isAwaitingDecision).toBe(true);
    expect(im.tickets.length).toBeGreaterThan(0);
    const risk = await get<{ nav: number; report: RiskMonitorReport }>('/v1/funds/fund-a/risk');
    expect(im.nav).toBe(risk.nav);
    const pos = await get<{ positions: { symbol: string; qty: number }[] }>('/v1/funds/fund-a/positions');
    const qty = new Map<string, number>();
    for (const p of pos.positions) qty.set(p.symbol, (qty.get(p.symbol) ?? 0) + p.qty);
    for (const t of im.tickets) {
      const signed = t.side === 'BUY' ? t.qty : -t.qty;
      expect(t.price).toBe(im.prices[t.symbol]);
      expect(t.notional).toBeCloseTo(t.qty * t.price, 6);
      expect(t.resultingWeight).toBeCloseTo((((qty.get(t.symbol) ?? 0) + signed) * t.price) / risk.nav, 12);
    }
    // trend holds two names and targets a third (2% of its capital): the planner sells both out and buys the target
    for (const s of [w.symbols[3] ?? '', w.symbols[4] ?? '']) expect(im.tickets.find((t) => t.symbol === s)).toMatchObject({ side: 'SELL', qty: qty.get(s), resultingQty: 0, resultingWeight: 0 });
    const trendCapital = w.config.agents.find((a) => a.id === 'trend')?.allocatedCapital ?? Number.NaN;
    const buy = im.tickets.find((t) => t.symbol === w.symbols[0]);
    expect(buy?.side).toBe('BUY');
    expect((buy?.qty ?? 0) * (buy?.price ?? 0)).toBeCloseTo(0.02 * trendCapital, -1);
    const level = risk.report.var.find((l) => Math.abs(l.confidence - im.confidence) < 1e-12);
    expect(im.varBefore).toBeCloseTo(level?.parametric.var ?? Number.NaN, 6);
    expect(im.varChange).toBeCloseTo(im.varAfter - im.varBefore, 9);
    expect(im.varLimit).toBeCloseTo(w.config.risk.varLimitPct * risk.nav, 6);
    expect(im.headroomAfter).toBeCloseTo(im.varLimit - im.varAfter, 6);
    const missing = await app.inject({ method: 'GET', url: '/v1/funds/fund-a/proposals/nope/impact', headers: w.auth('viewerA') });
    expect(missing.statusCode).toBe(404);
  });

  it("compares each day with the limits of the config its cycle ran with: a limit raised mid-history ends a breach and moves the line", async () => {
    const limit = w.config.risk.varLimitPct;
    const raised = parseFundConfig({ ...w.config, risk: { ...w.config.risk, varLimitPct: limit * 1.2 } });
    const [before, after] = [configHash(w.config), configHash(raised)];
    await w.store.configVersions.save({ hash: after, fundId: 'fund-a', config: raised, createdAt: '2024-03-06T22:00:00.000Z', createdBy: 'riskA' });
    // the cycles of 03-07 on ran with the raised limit
    const FROM = 4;
    for (const [i, asOf] of DATES.entries()) await w.store.cycles.start({ id: `cyc-h-${i}`, fundId: 'fund-a', asOf, mode: 'paper', inputsHash: '', configHash: i < FROM ? before : after, startedAt: `${asOf}T21:00:00.000Z` });
    const factor = (i: number) => (i < FROM ? 1 : 1.2);
    const h = RiskHistoryResponse.parse(await get('/v1/funds/fund-a/risk/history'));
    expect(h.points.map((p) => [p.configHash, p.limits.var])).toEqual(DATES.map((_, i) => [i < FROM ? before : after, factor(i) * limit]));
    expect(h.limits.find((l) => l.measure === 'var')?.limit).toBe(limit);
    // independent: runs of days over that day's limit (03-07 at 1.1× the old limit is under the raised one)
    const runs: [string, string, number, number][] = [];
    let open: [string, string, number, number] | null = null;
    DATES.forEach((d, i) => {
      const x = VAR_X[i] ?? 0;
      if (x > factor(i)) {
        if (!open) runs.push((open = [d, d, 0, factor(i) * limit]));
        open[1] = d;
        open[2] += 1;
      } else open = null;
    });
    expect(runs.map((r) => r[0])).not.toContain('2024-03-07');
    expect(h.breaches.filter((b) => b.measure === 'var').map((b) => [b.from, b.to, b.days, b.limit])).toEqual(runs);
    const a = RiskAsOfResponse.parse(await get('/v1/funds/fund-a/risk/as-of?date=2024-03-12'));
    const v = a.measures.find((m) => m.measure === 'var');
    expect(v?.limit).toBeCloseTo(1.2 * limit, 12);
    expect(v?.utilisation).toBeCloseTo(1.6 / 1.2, 9);
  });
});
