/**
 * Agents and Attribution read the backtest named in the address (`?backtest=<id>`), picked
 * explicitly: with none named the newest completed one is written into the address, a choice
 * survives a reload, and a backtest completing later does not switch the page. The numbers shown
 * are checked against the API's stored results of the chosen backtest.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launch, settled, signIn, watch, type Browser, type Watch } from './browser.ts';
import { ADMIN, FUND_ID, startFixture, type Fixture } from './fixture.ts';
import { SHOTS, WEB_DIST } from './kit.ts';

const pct2 = (x: number) => `${(x * 100).toFixed(2)}%`;
const num2 = (x: number) => x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

interface Results { from: string; to: string; fund: { equity: number[] }; agents: { id: string; equity: number[]; flows?: number[]; tearSheet: { sharpe: number } }[] }
interface Row { id: string; status: string; createdAt: string; finishedAt: string | null }

describe.skipIf(!hasChromium)('the backtest a page reads is chosen explicitly (skipped when /usr/bin/chromium is absent)', () => {
  let fx: Fixture;
  let browser: Browser;
  let page: Page;
  let w: Watch;
  const auth = () => ({ Authorization: `Bearer ${ADMIN.key}`, 'Content-Type': 'application/json' });
  const get = async <T,>(p: string): Promise<T> => (await (await fetch(`${fx.url}${p}`, { headers: auth() })).json()) as T;
  const results = async (id: string) => (await get<{ backtest: { results: Results } }>(`/v1/funds/${FUND_ID}/backtests/${id}`)).backtest.results;

  /** Starts a backtest over the last `days` market days and waits until it has COMPLETED. */
  async function runBacktest(days: number): Promise<string> {
    const d = fx.dates;
    const r = await fetch(`${fx.url}/v1/funds/${FUND_ID}/backtests`, { method: 'POST', headers: auth(), body: JSON.stringify({ from: d[d.length - days], to: d[d.length - 1] }) });
    expect(r.status).toBe(202);
    const { id } = (await r.json()) as { id: string };
    await expect.poll(async () => (await get<{ backtests: Row[] }>(`/v1/funds/${FUND_ID}/backtests`)).backtests.find((b) => b.id === id)?.status, { timeout: 100_000, interval: 500 }).toBe('COMPLETED');
    return id;
  }

  const hash = () => page.evaluate('window.location.hash') as Promise<string>;

  beforeAll(async () => {
    fx = await startFixture({ webDist: WEB_DIST });
    browser = await launch();
    page = await browser.context.newPage();
    w = watch(page);
    await signIn(page, fx.url, ADMIN);
  });

  afterAll(async () => {
    await browser?.close();
    await fx?.close();
  });

  it('Agents: the newest is pinned into the address, another can be picked, and a later run does not switch the page', async () => {
    const [seeded] = (await get<{ backtests: Row[] }>(`/v1/funds/${FUND_ID}/backtests`)).backtests;
    const older = seeded?.id ?? '';
    const newer = await runBacktest(12);
    const [ro, rn] = [await results(older), await results(newer)];
    expect(ro.from).not.toBe(rn.from); // the two runs are told apart by their windows

    await page.goto(`${fx.url}/#/agents`);
    await settled(page);
    await expect.poll(hash).toBe(`#/agents?backtest=${newer}`);
    const picker = page.getByTestId('backtest-picker');
    await expect(picker.inputValue()).resolves.toBe(newer);
    await expect(page.getByTestId('agents-backtest-window').textContent()).resolves.toBe(`Curves and correlations from backtest ${rn.from} → ${rn.to}`);

    await picker.selectOption(older);
    await expect.poll(hash).toBe(`#/agents?backtest=${older}`);
    const sub = page.getByTestId('agents-backtest-window');
    await expect.poll(() => sub.textContent()).toBe(`Curves and correlations from backtest ${ro.from} → ${ro.to}`);
    // The table's backtest Sharpe is the chosen run's, per agent.
    const table = page.getByTestId('agents-table');
    const heads = await table.locator('thead th').allTextContents();
    const col = heads.indexOf('Sharpe (bt)') + 1;
    expect(col).toBeGreaterThan(0);
    for (const a of ro.agents) await expect(table.locator('tbody tr', { hasText: a.id }).locator(`td:nth-child(${col})`).textContent()).resolves.toBe(num2(a.tearSheet.sharpe));
    expect(ro.agents.some((a, i) => num2(a.tearSheet.sharpe) !== num2(rn.agents[i]?.tearSheet.sharpe ?? Number.NaN))).toBe(true);
    // each book's NAV as GET /agents gives it (the latest stored NAV, beside the configured capital)
    const navCol = heads.indexOf('NAV') + 1;
    expect(navCol).toBeGreaterThan(0);
    for (const a of (await get<{ agents: { id: string; nav: number | null }[] }>(`/v1/funds/${FUND_ID}/agents`)).agents) {
      const shown = (await table.locator('tbody tr', { hasText: a.id }).locator(`td:nth-child(${navCol})`).textContent()) ?? '';
      expect(shown, a.id).toBe(a.nav === null ? '—' : `$${(a.nav / 1e6).toFixed(2)}m`);
    }

    await page.reload();
    await settled(page);
    await expect.poll(() => page.getByTestId('agents-backtest-window').textContent()).toBe(`Curves and correlations from backtest ${ro.from} → ${ro.to}`);

    // A run completing while the page is open is offered, not switched to.
    const newest = await runBacktest(8);
    await page.getByTestId('backtest-newest').waitFor({ timeout: 20_000 });
    expect(await hash()).toBe(`#/agents?backtest=${older}`);
    await expect(page.getByTestId('agents-backtest-window').textContent()).resolves.toBe(`Curves and correlations from backtest ${ro.from} → ${ro.to}`);
    await page.screenshot({ path: path.join(SHOTS, 'backtest-choice-agents.png'), fullPage: true });
    await page.getByTestId('backtest-newest').click();
    await expect.poll(hash).toBe(`#/agents?backtest=${newest}`);
    expect(w.errors).toEqual([]);
  });

  it('Attribution: the contribution comes from the backtest in the address, checked against its stored equity', async () => {
    const rows = (await get<{ backtests: Row[] }>(`/v1/funds/${FUND_ID}/backtests`)).backtests.filter((b) => b.status === 'COMPLETED');
    const seeded = rows.sort((a, b) => (a.finishedAt ?? '').localeCompare(b.finishedAt ?? ''))[0]?.id ?? '';
    const r = await results(seeded);
    await page.goto(`${fx.url}/#/attribution?backtest=${seeded}`);
    await settled(page);
    await expect(page.getByTestId('backtest-picker').inputValue()).resolves.toBe(seeded);
    await expect(page.getByTestId('contribution-window').textContent()).resolves.toBe(`${r.from} → ${r.to}`);
    const f0 = r.fund.equity[0] ?? 0;
    const table = page.getByTestId('contribution-table');
    // the allocation moved capital between the books during the run: that is not a contribution
    expect(r.agents.some((a) => (a.flows ?? []).some((x) => x !== 0))).toBe(true);
    for (const a of r.agents) {
      const e0 = a.equity[0] ?? 0;
      const moved = (a.flows ?? []).slice(1).reduce((s, x) => s + x, 0);
      const expected = pct2(((a.equity[a.equity.length - 1] ?? e0) - e0 - moved) / f0);
      await expect(table.locator('tbody tr', { hasText: a.id }).locator('td:nth-child(2)').textContent()).resolves.toBe(expected);
    }
    await page.screenshot({ path: path.join(SHOTS, 'backtest-choice-attribution.png'), fullPage: true });
    expect(w.errors).toEqual([]);
  });

  it('an address naming no completed backtest says so; the Backtests page puts its selection in the address and links to both views', async () => {
    await page.goto(`${fx.url}/#/agents?backtest=no-such-run`);
    await settled(page);
    await page.getByTestId('backtest-unknown').waitFor();
    await expect(page.getByTestId('backtest-picker').inputValue()).resolves.toBe('');
    expect(await hash()).toBe('#/agents?backtest=no-such-run'); // not silently replaced

    // The page lists runs newest first; pick the oldest (the last row).
    const rows = (await get<{ backtests: Row[] }>(`/v1/funds/${FUND_ID}/backtests`)).backtests.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    const pick = rows[rows.length - 1]?.id ?? '';
    await page.goto(`${fx.url}/#/backtests`);
    await settled(page);
    await page.getByTestId('backtests-table').locator('tbody tr').nth(rows.length - 1).click();
    await expect.poll(hash).toBe(`#/backtests?backtest=${pick}`);
    await page.getByTestId('backtest-open-attribution').click();
    await expect.poll(hash).toBe(`#/attribution?backtest=${pick}`);
    await settled(page);
    await expect(page.getByTestId('backtest-picker').inputValue()).resolves.toBe(pick);
    expect(w.errors).toEqual([]);
  });
});
