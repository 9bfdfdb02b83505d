/**
 * The views a PM expects (issue 17), in Chromium over the e2e fixture, each number checked against
 * the API and, where it can be, against a computation made here: the Risk Monitor's VaR over time
 * with its limit and the breach log (runs recomputed here from the seeded series; the acknowledged
 * one names who; acknowledging the other from the page shows who and when as the API recorded it, and
 * so does acknowledging a morning pack alert), the page as of a past date (the seeded snapshot's VaR), the VaR drill-down (the
 * components sum to the parametric VaR of GET /risk), and a pending proposal's ticket impact
 * (resulting weight recomputed from GET /positions, the ticket and the NAV of GET /risk); last, a
 * limit raised for the last days' cycles steps the limit line and shortens the breach it ends.
 * Screenshots: test/e2e/screenshots/risk-views-*.png.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertsAnswer, ProposalImpactResponse, RiskHistoryResponse, VarDrilldownResponse } from '../../src/api/index.ts';
import type { z } from 'zod';
import { configHash, parseFundConfig } from '../../src/contracts/index.ts';
import { hasChromium, launch, settled, signIn, watch, type Browser, type Watch } from './browser.ts';
import { ADMIN, FUND_ID, startFixture, type Fixture } from './fixture.ts';
import { SHOTS, WEB_DIST } from './kit.ts';

const CAPITAL = 10_000_000;
/** VaR per day in units of its limit over the last 12 market days: breaches on days 2–3 and 7–8. */
const VAR_X = [0.6, 0.8, 1.1, 1.2, 0.7, 0.5, 0.9, 1.3, 1.05, 0.6, 0.7, 0.8];

/** The dashboard's money (web/src/design/format.ts): compact, or whole dollars. */
function money(x: number, compact = false): string {
  const a = Math.abs(x);
  const s = x < 0 ? '-' : '';
  if (compact) {
    if (a >= 1e9) return `${s}$${(a / 1e9).toFixed(2)}bn`;
    if (a >= 1e6) return `${s}$${(a / 1e6).toFixed(2)}m`;
    if (a >= 1e3) return `${s}$${(a / 1e3).toFixed(1)}k`;
  }
  return (x < 0 ? '-$' : '$') + a.toLocaleString('en-US', { maximumFractionDigits: 0 });
}
const pct = (x: number, d = 2) => `${(x * 100).toFixed(d)}%`;

describe.skipIf(!hasChromium)('risk views in Chromium', () => {
  let fx: Fixture;
  let browser: Browser;
  let page: Page;
  let w: Watch;
  let days: string[];
  const api = async <T>(p: string, init: RequestInit = {}): Promise<T> => {
    const r = await fetch(fx.url + p, { ...init, headers: { Authorization: `Bearer ${ADMIN.key}`, 'Content-Type': 'application/json', ...(init.headers as Record<string, string> | undefined) } });
    expect(r.status, `${p}: ${r.status}`).toBeLessThan(300);
    return (await r.json()) as T;
  };
  async function open(route: string): Promise<void> {
    await page.goto(`${fx.url}/#/${route}`);
    await settled(page);
  }

  beforeAll(async () => {
    fx = await startFixture({ webDist: WEB_DIST });
    days = fx.dates.slice(-VAR_X.length);
    const limit = fx.config.risk.varLimitPct;
    for (const [i, asOf] of days.entries()) {
      const v = (VAR_X[i] ?? 0) * limit;
      await fx.store.risk.addSnapshot({
        fundId: FUND_ID, cycleId: `cyc-rv-${i}`, asOf, var95: v * CAPITAL, var99: v * 1.4 * CAPITAL, cvar95: v * 1.25 * CAPITAL, grossExposure: 0.8, netExposure: 0.4,
        metrics: { capital: CAPITAL, var95Pct: v, var99Pct: v * 1.4, gross: 0.8, net: 0.4, largestSingleName: { symbol: 'X', pct: 0.03 }, top10Pct: 0.25, hhi: 0.1, netBySector: { Tech: 0.3 }, budgets: {}, buckets: {} },
      });
    }
    await fx.store.alerts.insert({ version: 1, id: 'al-rv-1', traceId: 'cyc-rv-2', fundId: FUND_ID, severity: 'HIGH', category: 'RISK', title: 'Fund VaR over its limit', message: 'e2e', dedupKey: 'e2e:var', timestamp: `${days[2] ?? ''}T21:00:00.000Z`, context: {} });
    await fx.store.alerts.acknowledge('al-rv-1', 'e2e-risk', `${days[3] ?? ''}T08:00:00.000Z`);
    // raised by the second breach's first cycle, not acknowledged: the page acknowledges it
    await fx.store.alerts.insert({ version: 1, id: 'al-rv-2', traceId: 'cyc-rv-7', fundId: FUND_ID, severity: 'HIGH', category: 'RISK', title: 'Fund VaR over its limit again', message: 'e2e', dedupKey: 'e2e:var2', timestamp: `${days[7] ?? ''}T21:00:00.000Z`, context: {} });
    browser = await launch();
    page = await browser.context.newPage();
    w = watch(page);
    await signIn(page, fx.url, ADMIN);
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await fx?.close();
  });

  it('risk over time: the VaR series against its limit, and a breach log matching the runs recomputed from the seeded series', async () => {
    const h = await api<RiskHistoryResponse>(`/v1/funds/${FUND_ID}/risk/history`);
    const limit = fx.config.risk.varLimitPct;
    // independent: runs of consecutive days over the limit in the seeded series
    const runs: [string, string, number][] = [];
    let open0: [string, string, number] | null = null;
    days.forEach((d, i) => {
      if ((VAR_X[i] ?? 0) > 1) {
        if (!open0) runs.push((open0 = [d, d, 0]));
        open0[1] = d;
        open0[2] += 1;
      } else open0 = null;
    });
    const varBreaches = h.breaches.filter((b) => b.measure === 'var');
    expect(varBreaches.map((b) => [b.from, b.to, b.days])).toEqual(runs);
    await open('risk');
    await page.getByTestId('risk-series-var').waitFor();
    const summary = await page.getByTestId('risk-series-summary').innerText();
    expect(summary).toContain(`${days.length} days · last ${pct((VAR_X.at(-1) ?? 0) * limit)} · limit ${pct(limit)}`);
    const log = page.getByTestId('breach-log');
    expect(await log.locator('tbody tr').count()).toBe(h.breaches.length);
    const first = log.locator('tr', { hasText: runs[0]?.[0] ?? '?' }).filter({ hasText: 'VaR' });
    expect(await first.innerText()).toContain(`e2e-risk at ${days[3] ?? ''} 08:00`);
    expect(await first.innerText()).toContain(pct(1.2 * limit));
    const second = log.locator('tr', { hasText: runs[1]?.[0] ?? '?' }).filter({ hasText: 'VaR' });
    expect(await second.innerText()).toContain('not acknowledged');
    expect(await second.innerText()).toContain(pct(1.3 * limit));
    await page.getByTestId('risk-over-time').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, 'risk-views-over-time.png'), fullPage: true });
    expect(w.errors).toEqual([]);
  });

  it('acknowledges a breach from the breach log: the row then shows who and when, as the API recorded it', async () => {
    await open('risk');
    const log = page.getByTestId('breach-log');
    const row = log.locator('tr', { hasText: days[7] ?? '?' }).filter({ hasText: 'VaR' });
    expect(await row.innerText()).toContain('not acknowledged');
    // the acknowledged breach offers no button
    expect(await log.locator('tr', { hasText: days[2] ?? '?' }).filter({ hasText: 'VaR' }).getByTestId('breach-acknowledge').count()).toBe(0);
    await row.getByTestId('breach-acknowledge').click();
    await row.getByTestId('breach-acknowledged').waitFor();
    const stored = (await api<z.output<typeof AlertsAnswer>>(`/v1/funds/${FUND_ID}/alerts?category=RISK`)).alerts.find((a) => a.id === 'al-rv-2');
    expect(stored?.acknowledgedBy).toBe(ADMIN.name);
    const at = stored?.acknowledgedAt ?? '';
    expect(at).not.toBe('');
    expect(await row.getByTestId('breach-acknowledged').innerText()).toBe(`${ADMIN.name} at ${at.replace('T', ' ').slice(0, 16)}`);
    const h = await api<RiskHistoryResponse>(`/v1/funds/${FUND_ID}/risk/history`);
    expect(h.breaches.find((b) => b.measure === 'var' && b.from === days[7])).toMatchObject({ acknowledgedBy: ADMIN.name, acknowledgedAt: at });
    // a second acknowledgement is refused
    const again = await fetch(`${fx.url}/v1/funds/${FUND_ID}/alerts/al-rv-2/acknowledge`, { method: 'POST', headers: { Authorization: `Bearer ${ADMIN.key}`, 'Content-Type': 'application/json' }, body: '{}' });
    expect(again.status).toBe(409);
    await page.screenshot({ path: path.join(SHOTS, 'risk-views-acknowledged.png'), fullPage: true });
    expect(w.errors).toEqual([]);
  });

  it("the morning pack's overnight alerts: acknowledging one shows who and when, as the API recorded it", async () => {
    await fx.store.alerts.insert({ version: 1, id: 'al-mp-1', traceId: 'cyc-mp', fundId: FUND_ID, severity: 'MEDIUM', category: 'TRADING', title: 'Overnight e2e alert', message: 'e2e', dedupKey: 'e2e:mp', timestamp: `${days.at(-1) ?? ''}T21:00:00.000Z`, context: {} });
    await open('morning-pack');
    const row = page.getByTestId('pack-alerts').locator('tr', { hasText: 'Overnight e2e alert' });
    expect(await row.innerText()).toContain('not acknowledged');
    await row.getByTestId('alert-acknowledge').click();
    await row.locator('td', { hasText: `${ADMIN.name} at` }).waitFor();
    const stored = (await api<z.output<typeof AlertsAnswer>>(`/v1/funds/${FUND_ID}/alerts?category=TRADING`)).alerts.find((a) => a.id === 'al-mp-1');
    expect(stored?.acknowledgedBy).toBe(ADMIN.name);
    expect(await row.innerText()).toContain(`${ADMIN.name} at ${(stored?.acknowledgedAt ?? '?').replace('T', ' ').slice(0, 16)}`);
    expect(await row.getByTestId('alert-acknowledge').count()).toBe(0);
    expect(w.errors).toEqual([]);
  });

  it('VaR drill-down: components by position and by sector, summing to the parametric VaR of GET /risk', async () => {
    const d = await api<VarDrilldownResponse>(`/v1/funds/${FUND_ID}/risk/var-drilldown`);
    const risk = await api<{ nav: number; report: { var: { confidence: number; parametric: { var: number } }[] } }>(`/v1/funds/${FUND_ID}/risk`);
    const fundVar = risk.report.var.find((l) => Math.abs(l.confidence - d.confidence) < 1e-12)?.parametric.var ?? Number.NaN;
    expect(d.positions.reduce((a, p) => a + p.componentVar, 0)).toBeCloseTo(fundVar, 4);
    expect(d.sectors.reduce((a, s) => a + s.componentVar, 0)).toBeCloseTo(fundVar, 4);
    await open('risk');
    const rows = page.getByTestId('var-positions').locator('tbody tr');
    expect(await rows.count()).toBe(d.positions.length);
    for (const p of d.positions.slice(0, 5)) expect(await page.getByTestId('var-positions').locator('tr', { hasText: p.symbol }).innerText()).toContain(money(p.componentVar));
    expect(await page.getByTestId('var-positions-total').innerText()).toBe(`Σ components ${money(fundVar)} = fund VaR ${money(fundVar)}`);
    expect(await page.getByTestId('var-sectors').locator('tbody tr').count()).toBe(d.sectors.length);
    await page.getByTestId('var-by-position').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, 'risk-views-drilldown.png'), fullPage: true });
    expect(w.errors).toEqual([]);
  });

  it("the as-of picker shows the risk page as recorded on a past date: that day's VaR and its limit bar", async () => {
    const limit = fx.config.risk.varLimitPct;
    const day = days[3] ?? '';
    const v = (VAR_X[3] ?? 0) * limit;
    await open('risk');
    await page.getByTestId('risk-asof').fill(day);
    await page.getByTestId('risk-as-of').waitFor();
    await settled(page);
    const card = await page.getByTestId('risk-as-of').innerText();
    expect(card).toContain(`Recorded as of ${day}`);
    expect(card).toContain(money(v * CAPITAL, true));
    expect(card).toContain(`${pct(v)} of ${pct(limit)} (${day})`);
    // the live report is not shown for a past date; the breach log runs up to it
    expect(await page.getByTestId('var-table').count()).toBe(0);
    const h = await api<RiskHistoryResponse>(`/v1/funds/${FUND_ID}/risk/history?to=${day}`);
    expect(await page.getByTestId('breach-log').locator('tbody tr').count()).toBe(h.breaches.length);
    await page.screenshot({ path: path.join(SHOTS, 'risk-views-as-of.png'), fullPage: true });
    await page.getByTestId('risk-asof-now').click();
    await settled(page);
    await page.getByTestId('var-table').waitFor();
    expect(w.errors).toEqual([]);
  });

  it("a pending ticket's impact before approval: price, notional, resulting weight (recomputed here), VaR change and headroom", async () => {
    const pos = await api<{ positions: { symbol: string; qty: number }[] }>(`/v1/funds/${FUND_ID}/positions`);
    const held = pos.positions[0]?.symbol ?? '';
    const made = await api<{ proposal: { id: string; status: string } }>(`/v1/funds/${FUND_ID}/trades`, {
      method: 'POST',
      headers: { 'Idempotency-Key': 'e2e-risk-views-ticket' },
      body: JSON.stringify({ symbol: held, side: 'BUY', qty: 500, rationale: 'e2e: add to a held name' }),
    });
    expect(['PENDING_APPROVAL', 'MODIFIED']).toContain(made.proposal.status);
    const im = await api<ProposalImpactResponse>(`/v1/funds/${FUND_ID}/proposals/${made.proposal.id}/impact`);
    const risk = await api<{ nav: number }>(`/v1/funds/${FUND_ID}/risk`);
    const t = im.tickets[0];
    expect(t).toBeDefined();
    if (!t) return;
    const qty = pos.positions.filter((p) => p.symbol === held).reduce((a, p) => a + p.qty, 0);
    const weight = ((qty + 500) * t.price) / risk.nav;
    expect(t.resultingWeight).toBeCloseTo(weight, 12);
    expect(im.headroomAfter).toBeCloseTo(fx.config.risk.varLimitPct * risk.nav - im.varAfter, 6);
    await open('proposals');
    await page.getByTestId('proposals-table').locator('tr', { hasText: `BUY ${held}` }).first().click();
    const box = page.getByTestId('proposal-impact');
    await box.getByTestId('impact-tickets').waitFor();
    const text = await box.innerText();
    expect(text).toContain(`BUY 500 ${held}`);
    expect(text).toContain(money(500 * t.price));
    expect(text).toContain(`${pct((qty * t.price) / risk.nav)} → ${pct(weight)}`);
    expect(text).toContain(`${money(im.varBefore, true)} → ${money(im.varAfter, true)}`);
    expect(text).toContain(money(im.headroomAfter, true));
    await box.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, 'risk-views-ticket-impact.png'), fullPage: true });
    expect(w.errors).toEqual([]);
  });
  it("a limit raised for the last days' cycles: the chart's limit steps up that day and the breach it ends is shorter", async () => {
    const limit = fx.config.risk.varLimitPct;
    const raised = parseFundConfig({ ...fx.config, risk: { ...fx.config.risk, varLimitPct: limit * 1.1 } });
    await fx.store.configVersions.save({ hash: configHash(raised), fundId: FUND_ID, config: raised, createdAt: new Date().toISOString(), createdBy: 'e2e' });
    // from day 8 on (VaR 1.05× the old limit: under the raised one) the cycles ran with the raised limit
    const FROM = 8;
    for (const [i, asOf] of days.entries()) await fx.store.cycles.start({ id: `cyc-rv-${i}`, fundId: FUND_ID, asOf, mode: 'paper', inputsHash: '', configHash: i < FROM ? configHash(fx.config) : configHash(raised), startedAt: `${asOf}T21:00:00.000Z` });
    const h = await api<RiskHistoryResponse>(`/v1/funds/${FUND_ID}/risk/history`);
    expect(h.points.filter((p) => p.values.var !== null).map((p) => p.limits.var)).toEqual(days.map((_, i) => (i < FROM ? limit : limit * 1.1)));
    const ended = h.breaches.find((b) => b.measure === 'var' && b.from === days[7]);
    expect(ended).toMatchObject({ to: days[7], days: 1 });
    await open('risk');
    await page.getByTestId('risk-series-var').waitFor();
    expect(await page.getByTestId('risk-series-summary').innerText()).toContain(`limit ${pct(limit * 1.1)} · the limit changed 1 time · now ${pct(limit)}`);
    const row = page.getByTestId('breach-log').locator('tr', { hasText: days[7] ?? '?' }).filter({ hasText: 'VaR' });
    const cells = await row.locator('td').allInnerTexts();
    expect(cells.slice(1, 4)).toEqual([days[7], days[7], '1']);
    await page.getByTestId('risk-over-time').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, 'risk-views-limit-step.png'), fullPage: true });
    expect(w.errors).toEqual([]);
  });
});
