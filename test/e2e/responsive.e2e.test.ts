/**
 * The dashboard at a phone's width (390×844), a tablet's (820×1180), a small laptop's (1024×768)
 * and a desktop's (1440×900): every page in the navigation, an agent's page (live and with a chosen
 * backtest) and a chosen backtest open without horizontal scrolling of the page (wide tables scroll
 * inside their own container), with their content drawn: the risk history's chart and breach log
 * (seeded snapshots), a journal note and a proposal; no table cell wraps its text past 8 lines (long
 * free text stacks on a phone); every list with a row per name sorts, searches, pages and exports;
 * and at 390 px the kill switch is on screen. Screenshots go to
 * test/e2e/screenshots/responsive-<width>-<page>.png.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launch, settled, signIn, watch, type Browser, type Watch } from './browser.ts';
import { ADMIN, FUND_ID, startFixture, type Fixture } from './fixture.ts';
import { SHOTS, WEB_DIST } from './kit.ts';

const VIEWPORTS = [
  { width: 390, height: 844 },
  { width: 1440, height: 900 },
  { width: 820, height: 1180 },
  { width: 1024, height: 768 },
] as const;

describe.skipIf(!hasChromium)('dashboard layout from 390 px to 1440 px (skipped when /usr/bin/chromium is absent)', () => {
  let fx: Fixture;
  let browser: Browser;
  let page: Page;
  let w: Watch;

  beforeAll(async () => {
    fx = await startFixture({ webDist: WEB_DIST });
    await seedContent(fx);
    browser = await launch();
    page = await browser.context.newPage();
    w = watch(page);
    await signIn(page, fx.url, ADMIN, { state: 'attached' });
  });

  /** What the pages draw beyond the fixture's book: a risk history with a breach, a journal note, a proposal. */
  async function seedContent(f: Fixture): Promise<void> {
    const limit = f.config.risk.varLimitPct;
    const capital = f.config.fund.totalCapital;
    for (const [i, asOf] of f.dates.slice(-8).entries()) {
      const v = [0.4, 0.6, 0.9, 1.2, 1.1, 0.8, 0.7, 0.5][i] ?? 0.5;
      await f.store.risk.addSnapshot({
        fundId: FUND_ID, cycleId: `cyc-resp-${i}`, asOf, var95: v * limit * capital, var99: v * limit * 1.4 * capital, cvar95: v * limit * 1.25 * capital, grossExposure: 0.8, netExposure: 0.4,
        metrics: { capital, var95Pct: v * limit, var99Pct: v * limit * 1.4, gross: 0.8, net: 0.4, largestSingleName: { symbol: 'X', pct: 0.03 }, top10Pct: 0.25, hhi: 0.1, netBySector: { Tech: 0.3 }, budgets: {}, buckets: {} },
      });
    }
    const post = async (url: string, body: unknown, key: string) => {
      const r = await fetch(`${f.url}${url}`, { method: 'POST', headers: { Authorization: `Bearer ${ADMIN.key}`, 'Content-Type': 'application/json', 'Idempotency-Key': key }, body: JSON.stringify(body) });
      expect(r.status, url).toBe(201);
    };
    await post(`/v1/funds/${FUND_ID}/journal`, { rationale: 'e2e: a note long enough to wrap on a phone, naming a reason why the book is cut before the close' }, 'resp-note');
    const inst = (await (await fetch(`${f.url}/v1/market/instruments`, { headers: { Authorization: `Bearer ${ADMIN.key}` } })).json()) as { instruments: { symbol: string }[] };
    await post(`/v1/funds/${FUND_ID}/trades`, { symbol: inst.instruments[20]?.symbol, side: 'SELL', qty: 25, rationale: 'e2e: a ticket on every page width' }, 'resp-ticket');
  }

  /** Lists with a row per held or traded name, by the route that shows them: a fund of thousands of names needs them searchable, sortable, paged and exported. */
  const NAME_LISTS: Readonly<Record<string, readonly string[]>> = {
    positions: ['positions-momentum'],
    blotter: ['orders-table'],
    risk: ['var-positions'],
    attribution: ['attribution-by-name'],
    'agents/momentum': ['agent-positions'],
  };

  afterAll(async () => {
    await browser?.close();
    await fx?.close();
  });

  /** The page's own routes, read from the navigation (so a new page is covered without editing this test). */
  async function routes(): Promise<string[]> {
    const hrefs = await page.locator('nav.nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    return hrefs.filter((h) => h.startsWith('#/')).map((h) => h.slice(2));
  }

  // Browser-side snippets are strings: the test's tsconfig has no DOM library.
  const overflow = async () => (await page.evaluate('({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })')) as { scrollWidth: number; innerWidth: number };

  /** The outermost elements reaching past the right edge, or whose content does (not inside a scroll container), to say what overflows. */
  const culprits = async () =>
    (await page.evaluate(`(() => {
      const out = [];
      const name = (el) => el.tagName.toLowerCase() + '.' + [...el.classList].join('.') + '[data-testid=' + (el.getAttribute('data-testid') ?? '') + ']';
      // an element's own box past the edge; or, when no child's is, its own content (nowrap text) spilling out
      const walk = (el) => {
        const r = el.getBoundingClientRect();
        if (r.right > window.innerWidth + 0.5) {
          out.push(name(el) + ' right=' + Math.round(r.right));
          return true;
        }
        if (['auto', 'hidden', 'scroll'].includes(getComputedStyle(el).overflowX)) return false;
        let found = false;
        for (const c of el.children) found = walk(c) || found;
        if (!found && r.left + el.scrollWidth > window.innerWidth + 0.5) {
          out.push(name(el) + ' content right=' + Math.round(r.left + el.scrollWidth));
          return true;
        }
        return found;
      };
      walk(document.body);
      return out.slice(0, 8);
    })()`)) as string[];

  /** Table cells whose text wraps past 8 lines: a column squeezed to a few words a line (long free text wants a stacked layout on a phone). */
  const cramped = async () =>
    (await page.evaluate(`[...document.querySelectorAll('table.t td')].flatMap((td) => {
      const range = document.createRange();
      range.selectNodeContents(td);
      const lines = range.getBoundingClientRect().height / (parseFloat(getComputedStyle(td).lineHeight) || 20);
      return lines > 8 ? [(td.closest('table').getAttribute('data-testid') ?? 'table') + ' ' + Math.round(lines) + ' lines: ' + td.innerText.slice(0, 40)] : [];
    }).slice(0, 5)`)) as string[];

  for (const vp of VIEWPORTS) {
    it(`every page fits ${vp.width} px without horizontal scrolling`, async () => {
      await page.setViewportSize(vp);
      const nav = await routes();
      expect(nav.length).toBeGreaterThanOrEqual(10);
      // and the pages reached from a list rather than the navigation: an agent's (live, and with a chosen backtest), a chosen backtest
      const bt = ((await (await fetch(`${fx.url}/v1/funds/${FUND_ID}/backtests`, { headers: { Authorization: `Bearer ${ADMIN.key}` } })).json()) as { backtests: { id: string }[] }).backtests[0]?.id ?? '';
      const all = [...nav, 'agents/momentum', `agents/momentum?backtest=${bt}`, `backtests?backtest=${bt}`];
      const wide: string[] = [];
      const missing: string[] = [];
      const crampedCells: string[] = [];
      for (const route of all) {
        await page.goto(`${fx.url}/#/${route}`);
        await settled(page);
        await page.waitForTimeout(200); // charts resize on the next frame
        await page.screenshot({ path: path.join(SHOTS, `responsive-${vp.width}-${route.replace(/[/?=]/g, '-')}.png`), fullPage: true });
        const o = await overflow();
        expect(o.innerWidth).toBe(vp.width);
        if (o.scrollWidth > o.innerWidth) wide.push(`${route}: ${o.scrollWidth} px wide; ${(await culprits()).join(', ')}`);
        for (const cell of await cramped()) crampedCells.push(`${route}: ${cell}`);
        for (const id of NAME_LISTS[route] ?? []) {
          const sortable = await page.getByTestId(id).locator('th[aria-sort]').count();
          if ((await page.getByTestId(`${id}-csv`).count()) !== 1 || sortable === 0) missing.push(`${route}: ${id} has no Export CSV or no sortable header`);
        }
      }
      expect(wide).toEqual([]);
      expect(missing).toEqual([]);
      expect(crampedCells).toEqual([]);
      // the content seeded above is drawn at this width, not only the layout around it
      await page.goto(`${fx.url}/#/risk`);
      await settled(page);
      await expect(page.getByTestId('risk-series-summary').count()).resolves.toBe(1);
      await expect(page.getByTestId('breach-log').locator('tbody tr').count()).resolves.toBeGreaterThan(0);
      expect(w.errors).toEqual([]);
    });
  }

  it('at 390 px tapping a proposal brings its detail (below the list) into view, clear of the top bar', async () => {
    const inst = (await (await fetch(`${fx.url}/v1/market/instruments`, { headers: { Authorization: `Bearer ${ADMIN.key}` } })).json()) as { instruments: { symbol: string }[] };
    // enough tickets that the list is taller than the screen, so the detail starts off it
    for (let i = 0; i < 14; i++) {
      const r = await fetch(`${fx.url}/v1/funds/${FUND_ID}/trades`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${ADMIN.key}`, 'Content-Type': 'application/json', 'Idempotency-Key': `e2e-responsive-${i}` },
        body: JSON.stringify({ symbol: inst.instruments[i]?.symbol, side: 'BUY', qty: 10, rationale: 'e2e: a ticket to look at on a phone' }),
      });
      expect(r.status).toBe(201);
    }
    await page.setViewportSize(VIEWPORTS[0]);
    await page.goto(`${fx.url}/#/proposals`);
    await settled(page);
    const placeholder = await page.getByText('Select a proposal').boundingBox();
    expect(placeholder?.y ?? 0).toBeGreaterThan(VIEWPORTS[0].height); // off screen before the tap
    await page.getByTestId('proposals-table').locator('tbody tr').first().click();
    const detail = page.getByTestId('proposal-detail');
    await detail.waitFor();
    // wholly on screen, below the top bar
    await expect.poll(async () => JSON.stringify(await detail.boundingBox())).toSatisfy((j: string) => {
      const b = JSON.parse(j) as { y: number; height: number } | null;
      return b !== null && b.y >= 48 && b.y + b.height <= VIEWPORTS[0].height;
    });
    await page.screenshot({ path: path.join(SHOTS, 'responsive-390-proposal-detail.png') });
    expect(w.errors).toEqual([]);
  });

  it('at 390 px the navigation collapses behind a menu button and the kill switch is on screen', async () => {
    await page.setViewportSize(VIEWPORTS[0]);
    await page.goto(`${fx.url}/#/morning-pack`);
    await settled(page);
    const nav = page.locator('nav.nav');
    await expect(nav.isVisible()).resolves.toBe(false);
    await page.evaluate('window.scrollTo(0, 1200)'); // reading further down when the menu is opened
    await page.getByTestId('menu-toggle').click();
    await expect(nav.isVisible()).resolves.toBe(true);
    await page.screenshot({ path: path.join(SHOTS, 'responsive-390-menu-open.png') });
    await nav.getByText('Fund Overlay').click();
    await settled(page);
    await expect(nav.isVisible()).resolves.toBe(false); // choosing a page closes the menu
    const ks = page.getByTestId('kill-switch');
    await ks.waitFor({ state: 'visible' }); // the click only changes the hash: wait for the page, not the old one's calm
    const box = await ks.boundingBox();
    expect(box).not.toBeNull();
    expect(box?.x ?? -1).toBeGreaterThanOrEqual(0);
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(VIEWPORTS[0].width);
    expect(box?.y ?? -1).toBeGreaterThanOrEqual(48); // the new page opens at its top (it mounts short, loading), the switch below the top bar
    expect((box?.y ?? 0) + (box?.height ?? 0)).toBeLessThanOrEqual(VIEWPORTS[0].height);
    // …and from every other page it is one tap away in the top bar.
    await page.goto(`${fx.url}/#/positions`);
    await settled(page);
    await page.getByTestId('topbar-kill-switch').click();
    await settled(page);
    await expect(page.getByTestId('kill-switch').isVisible()).resolves.toBe(true);
    expect(await overflow()).toSatisfy((o: { scrollWidth: number; innerWidth: number }) => o.scrollWidth <= o.innerWidth);
    // Its confirmation and the new-trade form fit the phone's screen, their buttons on it.
    for (const [route, opener] of [['overlay', 'kill-switch'], ['proposals', 'new-trade']] as const) {
      await page.goto(`${fx.url}/#/${route}`);
      await settled(page);
      await page.getByTestId(opener).click();
      const dialog = page.getByTestId('confirm-dialog');
      await dialog.waitFor();
      await page.screenshot({ path: path.join(SHOTS, `responsive-390-dialog-${opener}.png`) });
      const box = await dialog.getByTestId('confirm-button').boundingBox();
      expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= VIEWPORTS[0].width, `${opener} dialog's confirm button on screen`).toBe(true);
      expect((await overflow()).scrollWidth).toBeLessThanOrEqual(VIEWPORTS[0].width);
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });
    }
    expect(w.errors).toEqual([]);
  });
  it('the sign-in page fits 390 px (run last: it signs out)', async () => {
    await page.context().clearCookies();
    await page.setViewportSize(VIEWPORTS[0]);
    await page.goto('about:blank'); // a fresh load, not a same-document hash change
    await page.goto(`${fx.url}/#/morning-pack`);
    await page.locator('input[name=key]').waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'responsive-390-login.png') });
    const o = await overflow();
    expect(o.scrollWidth, (await culprits()).join(', ')).toBeLessThanOrEqual(o.innerWidth);
    const box = await page.getByRole('button', { name: 'Sign in' }).boundingBox();
    expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= VIEWPORTS[0].width).toBe(true);
  });
});
