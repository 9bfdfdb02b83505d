/**
 * The Attribution and Agents pages in Chromium over the e2e fixture: the numbers the pages show
 * (book P&L, factor P&L, Brinson effects, exposures) are the API's, the charts draw, a window can
 * be chosen and a bad one is refused with the field named, and a viewer may read both pages.
 * Screenshots: test/e2e/screenshots/attribution-*.png and agents-exposures.png.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launch, settled, signIn, watch, type Browser, type Watch } from './browser.ts';
import { ADMIN, FUND_ID, VIEWER, startFixture, type Fixture } from './fixture.ts';
import { SHOTS, WEB_DIST } from './kit.ts';


/** The dashboard's formats (web/src/design/format.ts). */
const money = (x: number) => (x < 0 ? '-$' : '$') + Math.abs(x).toLocaleString('en-US', { maximumFractionDigits: 0 });
const signedPct = (x: number, d = 2) => `${x > 0 ? '+' : ''}${(x * 100).toFixed(d)}%`;
const num = (x: number, d = 2) => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });

interface Attribution {
  from: string; to: string; days: number; total: { pnl: number };
  factors: { factors: { factor: string; pnl: number; beta: number }[]; alphaPnl: number } | null;
  brinson: { activeReturn: number; allocation: number; selection: number; sectors: { sector: string }[] } | null;
}
interface Exposures { factors: string[]; agents: { agentId: string; gross: number; exposures: Record<string, number> }[] }

describe.skipIf(!hasChromium)('attribution and exposures in Chromium', () => {
  let fx: Fixture;
  let browser: Browser;
  let page: Page;
  let w: Watch;
  const api = async <T>(p: string): Promise<T> => (await (await fetch(fx.url + p, { headers: { Authorization: `Bearer ${ADMIN.key}` } })).json()) as T;

  async function login(name: string, key: string): Promise<void> {
    await signIn(page, fx.url, { name, key });
  }
  async function open(route: string): Promise<void> {
    await page.goto(`${fx.url}/#/${route}`);
    await settled(page);
  }

  beforeAll(async () => {
    fx = await startFixture({ webDist: WEB_DIST });
    browser = await launch();
    page = await browser.context.newPage();
    w = watch(page);
    await login(ADMIN.name, ADMIN.key);
  });
  afterAll(async () => {
    await browser?.close();
    await fx?.close();
  });

  it('the Attribution page shows the API’s book P&L, factor P&L and Brinson effects, with charts', async () => {
    const a = await api<Attribution>(`/v1/funds/${FUND_ID}/attribution`);
    if (!a.factors || !a.brinson) throw new Error('the fixture should give factor and Brinson attribution');
    await open('attribution');
    await expect(page.locator('.page-head .sub').textContent()).resolves.toContain(`${a.from} → ${a.to} · 63 trading days`);
    await expect(page.getByTestId('attribution-stats').textContent()).resolves.toContain(money(a.total.pnl));
    const factors = page.getByTestId('factor-table');
    const market = a.factors.factors.find((f) => f.factor === 'mkt_rf');
    await expect(factors.locator('tr', { hasText: 'Market' }).textContent()).resolves.toContain(money(market?.pnl ?? NaN));
    await expect(factors.locator('tr', { hasText: 'Market' }).textContent()).resolves.toContain(num(market?.beta ?? NaN, 3));
    await expect(factors.locator('tr', { hasText: 'Alpha' }).textContent()).resolves.toContain(money(a.factors.alphaPnl));
    const summary = page.getByTestId('brinson-summary');
    await expect(summary.locator('tr', { hasText: 'Active return' }).textContent()).resolves.toContain(signedPct(a.brinson.activeReturn, 3));
    await expect(summary.locator('tr', { hasText: 'Allocation' }).textContent()).resolves.toContain(signedPct(a.brinson.allocation, 3));
    await expect(page.getByTestId('brinson-table').locator('tbody tr').count()).resolves.toBe(a.brinson.sectors.length);
    for (const id of ['pnl-by-agent-chart', 'factor-chart', 'brinson-chart']) await page.getByTestId(id).locator('canvas').first().waitFor();
    await expect(page.getByTestId('attribution-by-agent').locator('tbody tr').count()).resolves.toBe(3);
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SHOTS, 'attribution-1-page.png'), fullPage: true });
    expect(w.errors).toEqual([]);
  });

  it('narrows the window, and refuses a window that ends before it starts, naming the field', async () => {
    const d = fx.dates;
    const from = d[d.length - 10] ?? '';
    const to = d[d.length - 3] ?? '';
    await open('attribution');
    await page.locator('input[name=from]').fill(from);
    await page.locator('input[name=to]').fill(to);
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => page.locator('.page-head .sub').textContent(), { timeout: 10_000 }).toContain(`${from} → ${to} · 8 trading days`);
    const narrow = await api<Attribution>(`/v1/funds/${FUND_ID}/attribution?from=${from}&to=${to}`);
    await expect(page.getByTestId('attribution-stats').textContent()).resolves.toContain(money(narrow.total.pnl));
    await page.locator('input[name=from]').fill(to);
    await page.locator('input[name=to]').fill(from);
    await page.getByRole('button', { name: 'Apply' }).click();
    const error = page.getByTestId('error-state').first();
    await error.waitFor();
    await expect(error.textContent()).resolves.toContain('query.from');
    await page.screenshot({ path: path.join(SHOTS, 'attribution-2-bad-window.png'), fullPage: true });
    await page.getByRole('button', { name: 'Last 63 days' }).click();
    await page.getByTestId('factor-table').waitFor();
    expect(w.errors).toEqual([]);
  });

  it('the Agents page shows each agent’s factor exposures next to the curves and correlations', async () => {
    const e = await api<Exposures>(`/v1/funds/${FUND_ID}/exposures`);
    const held = e.agents.filter((a) => a.gross > 0);
    expect(held.length).toBe(3);
    await open('agents');
    await page.getByTestId('agents-exposures-heatmap').locator('canvas').first().waitFor();
    const table = page.getByTestId('agents-exposures-table');
    await expect(table.locator('tbody tr').count()).resolves.toBe(held.length);
    for (const a of held) await expect(table.locator('tr', { hasText: a.agentId }).textContent()).resolves.toContain(num(a.exposures['mkt_rf'] ?? NaN));
    await page.getByTestId('agents-equity-chart').locator('canvas').first().waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SHOTS, 'agents-exposures.png'), fullPage: true });
    expect(w.errors).toEqual([]);
  });

  it('a viewer reads both pages', async () => {
    await page.context().clearCookies();
    await login(VIEWER.name, VIEWER.key);
    for (const [route, id] of [['attribution', 'brinson-table'], ['agents', 'agents-exposures-table']] as const) {
      await open(route);
      await page.getByTestId(id).waitFor();
      await expect(page.getByTestId('error-state').count()).resolves.toBe(0);
    }
    expect(w.errors).toEqual([]);
    expect(w.httpErrors.filter((x) => /^5\d\d /.test(x))).toEqual([]);
  });
});
