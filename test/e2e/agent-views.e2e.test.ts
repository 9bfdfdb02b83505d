/**
 * Views a PM expects (issue 17), in Chromium over the e2e fixture after one real paper cycle (the
 * kernel's, as `keel run` runs it; reversal has no capital, so the overlay blocks it):
 * - an agent's page, opened from the Agents list, shows its positions, exposures, overlay decisions
 *   (every reason openable) and P&L (stored book and the chosen backtest) with the API's numbers,
 *   and pauses and resumes the agent;
 * - the Journal page shows the overlay's decisions as system entries, filtered from people's.
 * Screenshots: test/e2e/screenshots/agent-views-*.png.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFundConfig } from '../../src/contracts/index.ts';
import { nullLogger, SimClock } from '../../src/core/index.ts';
import { createKernel, readEnv } from '../../src/fund/index.ts';
import { proposalDesk } from '../../src/pms/index.ts';
import { hasChromium, launch, settled, signIn, watch, type Browser, type Watch } from './browser.ts';
import { ADMIN, FUND_ID, VIEWER, startFixture, type Fixture } from './fixture.ts';
import { SHOTS, WEB_DIST } from './kit.ts';


/** The dashboard's money, not compact (web/src/design/format.ts). */
const money = (x: number): string => (x < 0 ? '-$' : '$') + Math.abs(x).toLocaleString('en-US', { maximumFractionDigits: 0 });
const pct = (x: number | null, d = 2): string => (x === null ? '—' : `${(x * 100).toFixed(d)}%`);
const num = (x: number, d = 2): string => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });

interface Series { from: string; to: string; dates: string[]; daily: number[]; cumulative: number[]; total: number }
interface Detail {
  agent: { id: string; isEnabled: boolean };
  positions: { symbol: string; sector: string; qty: number; lastPrice: number; marketValue: number; weight: number | null }[];
  exposures: { gross: number; net: number; long: number; short: number; bySector: { sector: string; gross: number; net: number }[] };
  decisions: { decisionId: string; action: string; reasons: { code: string; message: string }[] }[];
  pnl: { live: Series | null; backtestId: string | null; backtest: Series | null };
}
interface Entry { id: string; kind: string; who: string; role: string; agentId: string | null; rationale: string }

describe.skipIf(!hasChromium)('agent page and system journal entries in Chromium', () => {
  let fx: Fixture;
  let browser: Browser;
  let page: Page;
  let w: Watch;
  let backtestId = '';
  const api = async <T>(p: string, init: RequestInit = {}): Promise<T> => {
    const r = await fetch(fx.url + p, { ...init, headers: { Authorization: `Bearer ${ADMIN.key}`, 'Content-Type': 'application/json' } });
    expect(r.status, p).toBeLessThan(300);
    return (await r.json()) as T;
  };

  beforeAll(async () => {
    fx = await startFixture({ webDist: WEB_DIST });
    // one real paper cycle on the last market date, reversal without capital (the overlay blocks it)
    const asOf = fx.dates[fx.dates.length - 1] ?? '';
    const config = parseFundConfig({ ...fx.config, agents: fx.config.agents.map((a) => (a.id === 'reversal' ? { ...a, allocatedCapital: 0 } : a)) });
    const kernel = createKernel({ env: readEnv({ KEEL_HOME: mkdtempSync(path.join(tmpdir(), 'keel-e2e-views-')) }, '/'), store: fx.store, clock: new SimClock(Date.parse(`${asOf}T21:00:00.000Z`)), logger: nullLogger, desk: proposalDesk });
    const out = await kernel.runCycle({ config, mode: 'paper', asOf });
    expect(out.status, out.status === 'COMPLETED' ? '' : out.reason).toBe('COMPLETED');
    // and an earlier decision of momentum with seven reasons (more than a row shows before "+3 more")
    const reasons = Array.from({ length: 7 }, (_, i) => ({ code: 'SINGLE_NAME_CAP', rule: 'r', message: `earlier reason number ${i + 1}`, limit: 0.05, actual: 0.06, symbol: null, sector: null, bucket: null }));
    const earlier = fx.dates[fx.dates.length - 2] ?? '';
    await fx.store.overlayActions.insertMany([{ version: 1, traceId: 'tr-e2e-earlier', decisionId: 'dec-e2e-earlier', cycleId: 'cyc-e2e-earlier', agentId: 'momentum', asOf: earlier, action: 'MODIFY', scale: 1, reasons, checks: [], targets: [], riskActions: [], summary: 'MODIFY momentum' }], FUND_ID);
    backtestId = (await api<{ backtests: { id: string; status: string }[] }>(`/v1/funds/${FUND_ID}/backtests`)).backtests.find((b) => b.status === 'COMPLETED')?.id ?? '';
    expect(backtestId).not.toBe('');
    browser = await launch();
    page = await browser.context.newPage();
    w = watch(page);
    await signIn(page, fx.url, ADMIN);
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await fx?.close();
  });

  it("an agent's page, opened from the Agents list, shows the API's positions, exposures, decisions and P&L", async () => {
    await page.goto(`${fx.url}/#/agents?backtest=${backtestId}`);
    await settled(page);
    await page.getByTestId('agent-link-momentum').click();
    await page.getByTestId('agent-positions-box').waitFor();
    await settled(page);
    expect(page.url()).toContain(`#/agents/momentum?backtest=${backtestId}`);
    const d = await api<Detail>(`/v1/funds/${FUND_ID}/agents/momentum?backtest=${backtestId}`);
    expect(d.positions.length).toBeGreaterThan(0);

    // positions: every row's quantity, price, market value and weight
    const rows = page.getByTestId('agent-positions').locator('tbody tr');
    expect(await rows.count()).toBe(Math.min(25, d.positions.length));
    for (const p of d.positions.slice(0, 25)) {
      const text = await page.getByTestId('agent-positions').locator('tr', { hasText: p.symbol }).first().innerText();
      for (const s of [p.sector, num(p.qty, 0), num(p.lastPrice), money(p.marketValue), pct(p.weight)]) expect(text).toContain(s);
    }
    // exposures and the sector table
    for (const k of ['gross', 'net', 'long', 'short'] as const) expect(await page.getByTestId(`agent-${k}`).innerText()).toBe(money(d.exposures[k]));
    for (const s of d.exposures.bySector) {
      const text = await page.getByTestId('agent-sectors').locator('tr', { hasText: s.sector }).first().innerText();
      expect(text).toContain(money(s.gross));
      expect(text).toContain(money(s.net));
    }
    // P&L: the stored book's and the chosen backtest's totals and newest days
    for (const [id, s] of [['agent-pnl-live', d.pnl.live], ['agent-pnl-bt', d.pnl.backtest]] as const) {
      expect(s, id).not.toBeNull();
      if (!s) continue;
      expect(await page.getByTestId(`${id}-total`).innerText()).toBe(money(s.total));
      const first = await page.getByTestId(`${id}-table`).locator('tbody tr').first().innerText();
      const last = s.dates.length - 1;
      expect(first).toContain(s.dates[last] ?? '?');
      expect(first).toContain(money(s.daily[last] ?? Number.NaN));
      expect(first).toContain(money(s.cumulative[last] ?? Number.NaN));
    }
    expect(d.pnl.backtestId).toBe(backtestId);

    // decisions: the cycle's and the earlier one with seven reasons, newest first, every reason readable
    expect(d.decisions.map((x) => x.decisionId)).toEqual([expect.stringContaining('momentum'), 'dec-e2e-earlier']);
    await expectEveryReason(d.decisions);
    await page.screenshot({ path: path.join(SHOTS, 'agent-views-agent.png'), fullPage: true });
    expect(w.errors).toEqual([]);
  });

  it("a blocked agent's page shows the block and its reasons", async () => {
    await page.goto(`${fx.url}/#/agents/reversal`);
    await page.getByTestId('agent-decisions-box').waitFor();
    await settled(page);
    const d = await api<Detail>(`/v1/funds/${FUND_ID}/agents/reversal`);
    expect(d.decisions[0]?.action).toBe('BLOCK');
    expect(d.decisions[0]?.reasons.map((r) => r.code)).toContain('NO_CAPITAL');
    await expectEveryReason(d.decisions);
    expect(w.errors).toEqual([]);
  });

  /** Each decision's row, in the API's order, shows its action and, opened, every one of its reasons. */
  async function expectEveryReason(decisions: Detail['decisions']): Promise<void> {
    const rows = page.getByTestId('agent-decisions').locator('tbody tr');
    expect(await rows.count()).toBe(decisions.length);
    for (const [i, x] of decisions.entries()) {
      const row = rows.nth(i);
      expect(await row.innerText()).toContain(x.action);
      const isLong = x.reasons.length > 4;
      if (isLong) await row.getByTestId('more-reasons').click();
      expect(await row.locator('.reasons li').count()).toBe(x.reasons.length + (isLong ? 1 : 0));
      for (const r of x.reasons) expect(await row.innerText()).toContain(r.message);
    }
  }

  it('pauses and resumes the agent from its page (a new config version each, as the API answers)', async () => {
    await page.goto(`${fx.url}/#/agents/trend`);
    await settled(page);
    expect(await page.getByTestId('agent-enabled').innerText()).toBe('Trading');
    await page.getByTestId('agent-pause').click();
    await page.locator('textarea[name=reason]').fill('e2e: review its signals');
    await page.getByTestId('confirm-button').click();
    await expect.poll(() => page.getByTestId('agent-enabled').innerText(), { timeout: 10_000 }).toBe('Paused');
    expect((await api<Detail>(`/v1/funds/${FUND_ID}/agents/trend`)).agent.isEnabled).toBe(false);
    await page.getByTestId('agent-resume').click();
    await page.locator('textarea[name=reason]').fill('e2e: reviewed');
    await page.getByTestId('confirm-button').click();
    await expect.poll(() => page.getByTestId('agent-enabled').innerText(), { timeout: 10_000 }).toBe('Trading');
    expect((await api<Detail>(`/v1/funds/${FUND_ID}/agents/trend`)).agent.isEnabled).toBe(true);
    expect(w.errors).toEqual([]);
  });

  it('a viewer sees the agent page with pause disabled (the API allows risk and admin only)', async () => {
    const other = await launch();
    try {
      const p = await other.context.newPage();
      await p.goto(`${fx.url}/#/agents/momentum`);
      await p.locator('input[name=name]').fill(VIEWER.name);
      await p.locator('input[name=key]').fill(VIEWER.key);
      await p.getByRole('button', { name: 'Sign in' }).click();
      await p.getByTestId('agent-pause').waitFor();
      expect(await p.getByTestId('agent-pause').isDisabled()).toBe(true);
      expect(await p.getByTestId('agent-state').innerText()).toContain('Only risk and admin may pause or resume an agent.');
    } finally {
      await other.close();
    }
  });

  it("the Journal page shows the overlay's decisions as the system's entries, apart from people's", async () => {
    const system = (await api<{ entries: Entry[] }>(`/v1/funds/${FUND_ID}/journal?actor=system&limit=200`)).entries;
    const overlay = system.filter((e) => e.kind === 'OVERLAY_DECISION');
    expect(overlay.map((e) => e.agentId)).toContain('reversal');
    const human = (await api<{ entries: Entry[] }>(`/v1/funds/${FUND_ID}/journal?actor=human&limit=200`)).entries;
    expect(human.length).toBeGreaterThan(0); // the pause and resume above

    await page.goto(`${fx.url}/#/journal`);
    await settled(page);
    await page.getByTestId('journal-actor').selectOption('system');
    await page.getByTestId('journal-search').click();
    await expect.poll(() => page.getByTestId('journal-table').locator('tbody tr').count(), { timeout: 10_000 }).toBe(Math.min(25, system.length));
    const text = await page.getByTestId('journal-table').innerText();
    const blocked = overlay.find((e) => e.agentId === 'reversal');
    expect(text).toContain('OVERLAY_DECISION');
    expect(text).toContain('system:overlay');
    expect(text).toContain(blocked?.rationale.slice(0, 60) ?? '?');
    expect(text).not.toContain('e2e: reviewed');
    await page.screenshot({ path: path.join(SHOTS, 'agent-views-journal.png'), fullPage: true });

    await page.getByTestId('journal-actor').selectOption('human');
    await page.getByTestId('journal-search').click();
    await expect.poll(() => page.getByTestId('journal-table').locator('tbody tr').count(), { timeout: 10_000 }).toBe(Math.min(25, human.length));
    const people = await page.getByTestId('journal-table').innerText();
    expect(people).not.toContain('OVERLAY_DECISION');
    expect(people).toContain('e2e: reviewed');
    expect(w.errors).toEqual([]);
  });
});
