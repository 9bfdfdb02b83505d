/**
 * The dashboard in a real browser: the API in-process over a seeded in-memory store, Debian's
 * Chromium driven by playwright-core. Log in, open every page without console errors (screenshots
 * in test/e2e/screenshots/), approve a proposal and see its new order in the blotter, trip and re-arm the
 * kill switch, run a short backtest and see its chart, and check a viewer cannot act.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launch, settled, signIn, watch, type Browser, type Watch } from './browser.ts';
import { ADMIN, FUND_ID, VIEWER, startFixture, type Fixture } from './fixture.ts';
import { SHOTS, WEB_DIST } from './kit.ts';

const PAGES = [
  ['morning-pack', 'Morning Pack'],
  ['positions', 'Position Book'],
  ['blotter', 'Trade Blotter'],
  ['proposals', 'Proposals'],
  ['risk', 'Risk Monitor'],
  ['overlay', 'Fund Overlay'],
  ['agents', 'Agents'],
  ['attribution', 'Attribution'],
  ['journal', 'Decision Journal'],
  ['backtests', 'Backtests'],
] as const;

describe.skipIf(!hasChromium)('dashboard in Chromium (skipped when /usr/bin/chromium is absent: apt-get install -y chromium)', () => {
  let fx: Fixture;
  let browser: Browser;
  let page: Page;
  let w: Watch;
  const missing = new Set<string>();

  /** Whether the API serves `method path` (a 404 "no route" means not yet). */
  async function served(method: string, p: string, body?: unknown): Promise<boolean> {
    const r = await fetch(fx.url + p, { method, headers: { Authorization: `Bearer ${ADMIN.key}`, 'Content-Type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await r.text();
    const ok = !(r.status === 404 && text.includes('no route'));
    if (!ok) missing.add(`${method} ${p}`);
    return ok;
  }

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
  });

  afterAll(async () => {
    writeFileSync(path.join(SHOTS, 'report.json'), JSON.stringify({ missingEndpoints: [...missing].sort(), httpErrors: w ? [...new Set(w.httpErrors)].sort() : [] }, null, 2));
    await browser?.close();
    await fx?.close();
  });

  it('shows the login page, refuses a bad key, then signs in', async () => {
    await page.goto(`${fx.url}/`);
    await page.locator('input[name=name]').fill(ADMIN.name);
    await page.locator('input[name=key]').fill('wrong-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(SHOTS, '00-login.png') });
    await page.locator('input[name=key]').fill(ADMIN.key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('whoami').textContent()).resolves.toContain('admin');
    expect(w.errors).toEqual([]);
  });

  it('approves a discretionary proposal: it executes on the paper broker and its NEW order shows in the blotter', async (ctx) => {
    if (!(await served('GET', `/v1/funds/${FUND_ID}/proposals`)) || !(await served('POST', `/v1/funds/${FUND_ID}/trades`, {}))) ctx.skip();
    const api = async <T,>(p: string): Promise<T> => (await (await fetch(`${fx.url}${p}`, { headers: { Authorization: `Bearer ${ADMIN.key}` } })).json()) as T;
    const inst = await api<{ instruments: { symbol: string; assetClass: string }[] }>('/v1/market/instruments');
    // a name the seeded book never traded, so the blotter row can only come from this approval
    const seeded = new Set((await api<{ orders: { symbol: string }[] }>(`/v1/funds/${FUND_ID}/orders?limit=500`)).orders.map((o) => o.symbol));
    const symbol = inst.instruments.find((i) => i.assetClass === 'equity' && !seeded.has(i.symbol))?.symbol ?? '';
    expect(symbol).not.toBe('');
    await open('proposals');
    await page.getByTestId('new-trade').click();
    const dialog = page.getByTestId('confirm-dialog');
    await dialog.locator('input[name=symbol]').fill(symbol);
    await dialog.locator('input[name=qty]').fill('50');
    await expect(dialog.getByTestId('confirm-button').isDisabled()).resolves.toBe(true); // a rationale is required
    await dialog.locator('textarea[name=reason]').fill('e2e: small starter position');
    await dialog.getByTestId('confirm-button').click();
    await dialog.waitFor({ state: 'detached' });
    const detail = page.getByTestId('proposal-detail');
    await detail.waitFor();
    await expect(detail.textContent()).resolves.toContain('PENDING APPROVAL');
    await detail.getByTestId('proposal-approve').click();
    await page.getByTestId('confirm-dialog').locator('textarea[name=reason]').fill('e2e: fits the book');
    await page.getByTestId('confirm-dialog').getByTestId('confirm-button').click();
    await expect.poll(() => detail.textContent(), { timeout: 10_000 }).toContain('EXECUTED');
    const proposal = (await api<{ proposals: { id: string; status: string; ticket: { symbol: string } | null; orderIds: string[]; fillIds: string[] }[] }>(`/v1/funds/${FUND_ID}/proposals?status=EXECUTED`)).proposals.find(
      (p) => p.ticket?.symbol === symbol,
    );
    expect(proposal?.orderIds).toEqual([`${proposal?.id ?? ''}:${symbol}`]);
    await expect(detail.getByTestId('proposal-orders').textContent()).resolves.toContain(proposal?.orderIds[0] ?? 'none');
    const { order, fills } = await api<{ order: { id: string; traceId: string; qty: number; status: string; allocations: { agentId: string }[] }; fills: { id: string }[] }>(
      `/v1/funds/${FUND_ID}/orders/${encodeURIComponent(proposal?.orderIds[0] ?? '')}`,
    );
    expect(order).toMatchObject({ traceId: `${proposal?.id ?? ''}:${symbol}`, qty: 50, status: 'FILLED', allocations: [{ agentId: 'discretionary' }] });
    expect(fills.map((f) => f.id)).toEqual(proposal?.fillIds);
    await page.screenshot({ path: path.join(SHOTS, 'flow-1-proposal-approved.png'), fullPage: true });
    await open('blotter');
    const orders = page.getByTestId('orders-table');
    await orders.waitFor();
    await expect.poll(() => orders.textContent(), { timeout: 10_000 }).toContain(symbol);
    await page.screenshot({ path: path.join(SHOTS, 'flow-2-blotter-approved.png'), fullPage: true });
    expect(w.errors).toEqual([]);
  });

  it('a ticket below the minimum notional: approved, it shows NOT EXECUTED with MIN_NOTIONAL and the numbers', async (ctx) => {
    if (!(await served('POST', `/v1/funds/${FUND_ID}/trades`, {}))) ctx.skip();
    const api = async <T,>(p: string): Promise<T> => (await (await fetch(`${fx.url}${p}`, { headers: { Authorization: `Bearer ${ADMIN.key}` } })).json()) as T;
    const symbol = (await api<{ instruments: { symbol: string; assetClass: string }[] }>('/v1/market/instruments')).instruments.find((i) => i.assetClass === 'equity')?.symbol ?? '';
    await open('proposals');
    await page.getByTestId('new-trade').click();
    const dialog = page.getByTestId('confirm-dialog');
    await dialog.locator('input[name=symbol]').fill(symbol);
    await dialog.locator('input[name=qty]').fill('0.01');
    await dialog.locator('textarea[name=reason]').fill('e2e: a crumb');
    await dialog.getByTestId('confirm-button').click();
    await dialog.waitFor({ state: 'detached' });
    const detail = page.getByTestId('proposal-detail');
    await expect.poll(() => detail.textContent(), { timeout: 10_000 }).toContain('PENDING APPROVAL');
    await detail.getByTestId('proposal-approve').click();
    await page.getByTestId('confirm-dialog').locator('textarea[name=reason]').fill('e2e: try it');
    await page.getByTestId('confirm-dialog').getByTestId('confirm-button').click();
    await expect.poll(() => detail.textContent(), { timeout: 10_000 }).toContain('NOT EXECUTED');
    const why = await detail.getByTestId('not-executed').textContent();
    expect(why).toContain(`${symbol}: MIN_NOTIONAL`);
    expect(why).toMatch(/limit 100\.00, actual \d/);
    const stored = (await api<{ proposals: { status: string; ticket: { symbol: string; qty: number } | null }[] }>(`/v1/funds/${FUND_ID}/proposals?status=NOT_EXECUTED`)).proposals;
    expect(stored.filter((p) => p.ticket?.symbol === symbol && p.ticket.qty === 0.01)).toHaveLength(1);
    await page.screenshot({ path: path.join(SHOTS, 'flow-1b-proposal-not-executed.png'), fullPage: true });
    expect(w.errors).toEqual([]);
  });

  it('modifies a proposal (size and reason) and then rejects it', async () => {
    const inst = (await (await fetch(`${fx.url}/v1/market/instruments`, { headers: { Authorization: `Bearer ${ADMIN.key}` } })).json()) as { instruments: { symbol: string }[] };
    await open('proposals');
    await page.getByTestId('new-trade').click();
    const dialog = page.getByTestId('confirm-dialog');
    await dialog.locator('input[name=symbol]').fill(inst.instruments[1]?.symbol ?? '');
    await dialog.locator('select[name=side]').selectOption('SELL');
    await dialog.locator('textarea[name=reason]').fill('e2e: trim');
    await dialog.getByTestId('confirm-button').click();
    const detail = page.getByTestId('proposal-detail');
    await expect.poll(() => detail.textContent(), { timeout: 10_000 }).toContain('PENDING APPROVAL');
    await detail.getByTestId('proposal-modify').click();
    await page.getByTestId('confirm-dialog').locator('input[name=size]').fill('0.5');
    await page.getByTestId('confirm-dialog').locator('textarea[name=reason]').fill('e2e: half size');
    await page.getByTestId('confirm-dialog').getByTestId('confirm-button').click();
    await expect.poll(() => detail.textContent(), { timeout: 10_000 }).toContain('MODIFIED');
    // the modified ticket comes with the overlay's preview of what approving it would do
    await expect.poll(() => detail.getByTestId('proposal-review').textContent(), { timeout: 10_000 }).toContain('preview at the');
    await page.screenshot({ path: path.join(SHOTS, 'flow-2b-proposal-modified.png'), fullPage: true });
    await detail.getByTestId('proposal-reject').click();
    await page.getByTestId('confirm-dialog').locator('textarea[name=reason]').fill('e2e: changed my mind');
    await page.getByTestId('confirm-dialog').getByTestId('confirm-button').click();
    await expect.poll(() => detail.textContent(), { timeout: 10_000 }).toContain('REJECTED');
    await expect(detail.textContent()).resolves.toContain('e2e: half size');
    expect(w.errors).toEqual([]);
  });

  it('trips the kill switch with a reason and re-arms it', async (ctx) => {
    if (!(await served('GET', `/v1/funds/${FUND_ID}/kill-switch`))) ctx.skip();
    await open('overlay');
    const state = page.getByTestId('trading-state-value');
    await expect(state.textContent()).resolves.toBe('ACTIVE');
    await page.getByTestId('kill-switch').click();
    const dialog = page.getByTestId('confirm-dialog');
    await expect(dialog.getByTestId('confirm-button').isDisabled()).resolves.toBe(true);
    await dialog.locator('textarea[name=reason]').fill('e2e: drill');
    await dialog.getByTestId('confirm-button').click();
    await expect.poll(() => state.textContent(), { timeout: 10_000 }).toBe('HALTED');
    await page.screenshot({ path: path.join(SHOTS, 'flow-3-kill-switch-halted.png'), fullPage: true });
    expect((await fx.store.funds.get(FUND_ID))?.tradingState).toBe('HALTED');
    // Re-arming goes one step at a time: HALTED → REDUCING → ACTIVE.
    for (const next of ['REDUCING', 'ACTIVE']) {
      await page.getByTestId('rearm').click();
      await page.getByTestId('confirm-dialog').locator('textarea[name=reason]').fill(`e2e: drill over, to ${next}`);
      await page.getByTestId('confirm-dialog').getByTestId('confirm-button').click();
      await expect.poll(() => state.textContent(), { timeout: 10_000 }).toBe(next);
    }
    expect((await fx.store.funds.get(FUND_ID))?.tradingState).toBe('ACTIVE');
    // The journal finds the drill by text: the trip and both re-arms, and not the approval.
    await open('journal');
    await page.locator('input[name=text]').fill('drill');
    await page.getByTestId('journal-search').click();
    await expect.poll(() => page.getByTestId('journal-table').locator('tbody tr').count(), { timeout: 10_000 }).toBe(3);
    await expect(page.getByTestId('journal-table').textContent()).resolves.toContain('KILL_SWITCH_TRIP');
    expect(w.errors).toEqual([]);
  });

  it("re-arms an agent its drawdown ladder paused from the overlay's ladder", async (ctx) => {
    if (!(await served('GET', `/v1/funds/${FUND_ID}/agents`))) ctx.skip();
    // as a cycle leaves an agent its ladder's last step paused (the cycle's side: test/integration/cli/agent-rearm.test.ts)
    const agent = (await fx.store.funds.agents(FUND_ID))[0];
    if (!agent) throw new Error('the fixture fund has no agent');
    await fx.store.funds.setAgentDrawdown(FUND_ID, agent.id, { state: 'paused', highWaterMark: agent.highWaterMark ?? 1, hwmDate: agent.hwmDate ?? fx.dates[fx.dates.length - 1] ?? '' });
    await open('overlay');
    await page.getByTestId(`agent-rearm-${agent.id}`).click();
    const dialog = page.getByTestId('confirm-dialog');
    await expect(dialog.getByTestId('confirm-button').isDisabled()).resolves.toBe(true);
    await dialog.locator('textarea[name=reason]').fill('e2e: signals reviewed');
    await dialog.getByTestId('confirm-button').click();
    await page.getByTestId(`agent-rearmed-${agent.id}`).waitFor({ timeout: 10_000 });
    const journal = await fx.store.journal.list(FUND_ID, { tag: `agent:${agent.id}` });
    expect(journal.find((e) => e.kind === 'REARM')?.body).toBe('e2e: signals reviewed');
    expect((await fx.store.audit.list({ entity: 'agent', entityId: `${FUND_ID}/${agent.id}` })).map((a) => a.action)).toContain('AgentRearmed');
    await fx.store.funds.setAgentDrawdown(FUND_ID, agent.id, { state: agent.drawdownState, highWaterMark: agent.highWaterMark ?? 1, hwmDate: agent.hwmDate ?? fx.dates[fx.dates.length - 1] ?? '' });
    expect(w.errors).toEqual([]);
  });

  it('runs a short backtest with the overlay-off comparison and shows its equity chart, tear sheet, binding constraints and comparison', async (ctx) => {
    if (!(await served('GET', `/v1/funds/${FUND_ID}/backtests`))) ctx.skip();
    const d = fx.dates;
    await open('backtests');
    await page.locator('input[name=from]').fill(d[d.length - 6] ?? '');
    await page.locator('input[name=to]').fill(d[d.length - 1] ?? '');
    await page.locator('input[name=compare]').check();
    await page.getByTestId('start-backtest').click();
    const chart = page.getByTestId('backtest-equity-chart');
    await chart.locator('canvas').waitFor({ timeout: 110_000 });
    await expect(page.getByTestId('tear-sheet').textContent()).resolves.toContain('Sharpe');
    // The binding-constraints card shows what the stored result holds: each rule that removed a
    // dollar or more, or, when none did on this short window, says so.
    const get = async <T,>(p: string): Promise<T> => (await (await fetch(`${fx.url}${p}`, { headers: { Authorization: `Bearer ${ADMIN.key}` } })).json()) as T;
    const [latest] = (await get<{ backtests: { id: string }[] }>(`/v1/funds/${FUND_ID}/backtests`)).backtests;
    const stored = (await get<{ backtest: { results: { binding: { rules: { rule: string }[] } } } }>(`/v1/funds/${FUND_ID}/backtests/${latest?.id ?? ''}`)).backtest.results.binding;
    const card = (await page.getByTestId('binding-constraints').textContent()) ?? '';
    expect(card).toContain('per day: proposed gross');
    if (stored.rules.length === 0) expect(card).toContain('No rule removed anything');
    else for (const r of stored.rules) expect(card).toContain(r.rule);
    await expect(page.getByTestId('backtest-comparison').textContent()).resolves.toContain('overlay-off');
    await page.getByTestId('backtest-comparison-chart').locator('canvas').waitFor({ timeout: 10_000 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SHOTS, 'flow-4-backtest-done.png'), fullPage: true });
    expect(w.errors).toEqual([]);
  });

  it('runs the stress tests from the risk monitor', async (ctx) => {
    if (!(await served('GET', `/v1/funds/${FUND_ID}/stress`))) ctx.skip();
    await open('risk');
    await page.getByRole('button', { name: 'Run stress tests' }).click();
    await expect.poll(() => page.getByText('No stored stress runs').count(), { timeout: 60_000 }).toBe(0);
    expect(w.errors).toEqual([]);
  });

  it('updates live over server-sent events when someone else trips the kill switch', async () => {
    await open('overlay');
    await expect.poll(() => page.locator('.live').textContent(), { timeout: 10_000 }).toBe('live');
    const state = page.getByTestId('trading-state-value');
    await expect(state.textContent()).resolves.toBe('ACTIVE');
    const call = async (action: string, reason: string) => {
      const r = await fetch(`${fx.url}/v1/funds/${FUND_ID}/kill-switch/${action}`, { method: 'POST', headers: { Authorization: `Bearer ${ADMIN.key}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ reason }) });
      expect(r.status).toBe(200);
    };
    // No page action: the change arrives as `trading-state.changed` (polling would take 15 s).
    await call('trip', 'e2e: another desk halts');
    await expect.poll(() => state.textContent(), { timeout: 5_000 }).toBe('HALTED');
    await call('rearm', 'e2e: back to reducing');
    await call('rearm', 'e2e: back to active');
    await expect.poll(() => state.textContent(), { timeout: 5_000 }).toBe('ACTIVE');
    expect(w.errors).toEqual([]);
  });

  it('opens every page without console errors or server errors', async () => {
    for (const [i, [route, title]] of PAGES.entries()) {
      await open(route);
      await expect(page.locator('h1').first().textContent()).resolves.toBe(title);
      await page.screenshot({ path: path.join(SHOTS, `${String(i + 1).padStart(2, '0')}-${route}.png`), fullPage: true });
      expect(w.errors, `console errors on ${route}`).toEqual([]);
    }
    // The second tabs: positions netted by name (with a chart) and the fills.
    for (const [route, tab, shot] of [['positions', 'By name', '02b-positions-by-name'], ['blotter', 'Fills', '03b-blotter-fills']] as const) {
      await open(route);
      await page.getByRole('tab', { name: tab }).click();
      await settled(page);
      await page.screenshot({ path: path.join(SHOTS, `${shot}.png`), fullPage: true });
    }
    await page.getByText('SYN001').first().waitFor();
    expect(w.errors).toEqual([]);
    expect(w.httpErrors.filter((e) => /^5\d\d /.test(e))).toEqual([]);
    for (const e of w.httpErrors) if (e.startsWith('404 ')) missing.add(e.slice(4));
  });

  it('falls back to polling without the event stream, and shows an error state with Retry', async () => {
    await page.route('**/v1/events**', (r) => r.abort());
    await page.route('**/v1/funds/*/risk', (r) => r.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ code: 'KEEL_E_STORE', message: 'database unavailable', details: {} }) }));
    await page.goto(`${fx.url}/#/risk`);
    await page.reload();
    await expect.poll(() => page.locator('.live').textContent(), { timeout: 15_000 }).toBe('polling every 15 s');
    const error = page.getByTestId('error-state').first();
    await error.waitFor();
    await expect(error.textContent()).resolves.toContain('database unavailable');
    await page.screenshot({ path: path.join(SHOTS, 'flow-5-error-state.png'), fullPage: true });
    await page.unroute('**/v1/funds/*/risk');
    await error.getByRole('button', { name: 'Retry' }).click();
    await page.getByTestId('var-table').waitFor();
    await page.unroute('**/v1/events**');
    expect(w.errors).toEqual([]);
  });

  it('a viewer sees proposals and the kill switch but cannot act', async () => {
    const inst = (await (await fetch(`${fx.url}/v1/market/instruments`, { headers: { Authorization: `Bearer ${ADMIN.key}` } })).json()) as { instruments: { symbol: string }[] };
    const r = await fetch(`${fx.url}/v1/funds/${FUND_ID}/trades`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN.key}`, 'Content-Type': 'application/json', 'Idempotency-Key': 'e2e-viewer-1' },
      body: JSON.stringify({ symbol: inst.instruments[2]?.symbol, side: 'BUY', qty: 10, rationale: 'e2e: for the viewer to look at' }),
    });
    expect(r.status).toBe(201);
    await page.context().clearCookies();
    await login(VIEWER.name, VIEWER.key);
    await open('proposals');
    await expect(page.getByTestId('new-trade').count()).resolves.toBe(0);
    await page.getByTestId('proposals-table').locator('tbody tr').first().click();
    for (const a of ['approve', 'modify', 'reject']) await expect(page.getByTestId(`proposal-${a}`).isDisabled()).resolves.toBe(true);
    await open('overlay');
    await expect(page.getByTestId('kill-switch').isDisabled()).resolves.toBe(true);
    await open('backtests');
    await expect(page.getByTestId('start-backtest').count()).resolves.toBe(0);
    expect(w.errors).toEqual([]);
  });
});
