/**
 * The numbers a risk manager relies on, in Chromium over the e2e fixture (issue 17): the overlay
 * page's risk budgets are the overlay's measure in dollars (the API's /risk-budgets), every reason
 * of a decision can be opened, limit bars show the value and the limit, stored stress runs show
 * when they ran and on which book, and every scenario's definition is shown.
 * Screenshots: test/e2e/screenshots/risk-numbers-*.png.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OverlayDecision } from '../../src/contracts/index.ts';
import { hasChromium, launch, settled, signIn, watch, type Browser, type Watch } from './browser.ts';
import { ADMIN, FUND_ID, startFixture, type Fixture } from './fixture.ts';
import { SHOTS, WEB_DIST } from './kit.ts';


/** The dashboard's compact money (web/src/design/format.ts). */
function money(x: number): string {
  const a = Math.abs(x);
  const s = x < 0 ? '-' : '';
  if (a >= 1e9) return `${s}$${(a / 1e9).toFixed(2)}bn`;
  if (a >= 1e6) return `${s}$${(a / 1e6).toFixed(2)}m`;
  if (a >= 1e3) return `${s}$${(a / 1e3).toFixed(1)}k`;
  return (x < 0 ? '-$' : '$') + a.toLocaleString('en-US', { maximumFractionDigits: 0 });
}
const pct = (x: number, d = 2) => `${(x * 100).toFixed(d)}%`;

describe.skipIf(!hasChromium)('risk numbers in Chromium', () => {
  let fx: Fixture;
  let browser: Browser;
  let page: Page;
  let w: Watch;
  const api = async <T>(p: string, init: RequestInit = {}): Promise<T> =>
    (await (await fetch(fx.url + p, { ...init, headers: { Authorization: `Bearer ${ADMIN.key}`, 'Content-Type': 'application/json' } })).json()) as T;

  async function open(route: string): Promise<void> {
    await page.goto(`${fx.url}/#/${route}`);
    await settled(page);
  }

  beforeAll(async () => {
    fx = await startFixture({ webDist: WEB_DIST });
    const asOf = fx.dates[fx.dates.length - 1] ?? '';
    // the overlay's measure as a cycle stores it (FundRiskSnapshot.budgets), and a decision with six reasons
    await fx.store.risk.addSnapshot({
      fundId: FUND_ID, cycleId: 'cyc-e2e', asOf, var95: 180_000, var99: 250_000, cvar95: 230_000, grossExposure: 1, netExposure: 1,
      metrics: {
        budgets: {
          momentum: { component: 110_000, standalone: 150_000, budget: 500_000, used: 0.3, status: 'OK' },
          trend: { component: 50_000, standalone: 90_000, budget: 200_000, used: 0.45, status: 'OK' },
          reversal: { component: 20_000, standalone: 40_000, budget: 0, used: 0, status: 'OK' },
        },
        buckets: {},
      },
    });
    const reasons = Array.from({ length: 6 }, (_, i) => ({ code: i === 0 ? 'AGENT_PAUSED' : 'SINGLE_NAME_CAP', rule: 'r', message: `reason number ${i + 1}`, limit: 0.05, actual: 0.06, symbol: null, sector: null, bucket: null }));
    const d: OverlayDecision = { version: 1, traceId: 'tr-e2e', decisionId: 'dec-e2e', cycleId: 'cyc-e2e', agentId: 'momentum', asOf, action: 'BLOCK', scale: 0, reasons, checks: [], targets: [], riskActions: [], summary: 'BLOCK momentum' };
    await fx.store.overlayActions.insertMany([d], FUND_ID);
    browser = await launch();
    page = await browser.context.newPage();
    w = watch(page);
    await signIn(page, fx.url, ADMIN);
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await fx?.close();
  });

  it("the overlay page shows each agent's own VaR against its budget in dollars, as the API serves them, and every reason opens", async () => {
    const b = await api<{ agents: { agentId: string; componentVar: number; standaloneVar: number; budget: number; used: number }[] }>(`/v1/funds/${FUND_ID}/risk-budgets`);
    await open('overlay');
    const text = await page.getByTestId('risk-budgets').innerText();
    for (const a of b.agents) {
      if (a.budget > 0) expect(a.used).toBeCloseTo(a.standaloneVar / a.budget, 9);
      if (a.budget > 0) expect(text).toContain(`${money(a.standaloneVar)} of ${money(a.budget)} · ${pct(a.used, 0)}`);
      else expect(text).toContain(`${money(a.componentVar)} component · no budget`);
    }
    expect(text).not.toContain('of 25%');
    const row = page.getByTestId('overlay-decisions').locator('tr', { hasText: 'momentum' });
    expect(await row.locator('.reasons li').count()).toBe(5);
    await row.getByTestId('more-reasons').click();
    expect(await row.locator('.reasons li').count()).toBe(7);
    expect(await row.innerText()).toContain('reason number 6');
    expect(await row.innerText()).toContain('BLOCK');
    await page.screenshot({ path: path.join(SHOTS, 'risk-numbers-overlay.png'), fullPage: true });
    expect(w.errors).toEqual([]);
  });

  it('the risk page: limit bars with the value and the limit; stored stress runs with their time and book; every scenario defined', async () => {
    const run = await api<{ runAt: string }>(`/v1/funds/${FUND_ID}/stress`, { method: 'POST', body: '{}' });
    const risk = await api<{ nav: number; report: { limits: { name: string; value: number; limit: number }[] } }>(`/v1/funds/${FUND_ID}/risk`);
    const defs = await api<{ scenarios: { name: string }[]; replays: { name: string }[] }>('/v1/risk/scenarios');
    await open('risk');
    const body = await page.locator('body').innerText();
    const v = risk.report.limits.find((l) => l.name.startsWith('VaR'));
    expect(v).toBeDefined();
    if (v) expect(body).toContain(`${pct(v.value, 1)} (${money(v.value * risk.nav)}) of ${pct(v.limit, 1)}`);
    const stored = await page.getByTestId('stored-stress').innerText();
    expect(stored).toContain(run.runAt.replace('T', ' ').slice(0, 16));
    expect(stored).toContain('held');
    expect(await page.getByTestId('scenario-defs').locator('tbody tr').count()).toBe(defs.scenarios.length + defs.replays.length);
    expect(await page.getByTestId('scenario-defs').innerText()).toContain('2020_covid_crash');
    await page.screenshot({ path: path.join(SHOTS, 'risk-numbers-risk.png'), fullPage: true });
    expect(w.errors).toEqual([]);
  });
});
