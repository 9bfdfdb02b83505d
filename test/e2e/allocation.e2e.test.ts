/**
 * The Risk Monitor shows the capital the overlay allocated across the agents (issue 15: "reallocation
 * is recorded, shown and replayable"; before, only the API and the clients served it). In Chromium
 * over the e2e fixture: with nothing stored the card says why; then two allocations made by the
 * real allocator (`allocateCapital` on the e2e fund's config and agents with a year of returns: an
 * agent that cannot trade given nothing, then a scheduled rebalance by risk) are stored as a cycle
 * stores them, and each number on the card is read back, parsed and compared with the stored
 * allocation and with sums made here (the change per agent, the dollars moved, the history).
 * Screenshot: test/e2e/screenshots/allocation.png.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/index.ts';
import { allocateCapital, type Allocation } from '../../src/overlay/index.ts';
import { agentState, fundState } from '../../src/overlay/testing/fixture.ts';
import { hasChromium, settled, signedInPage, type Browser, type Watch } from './browser.ts';
import { ADMIN, FUND_ID, startFixture, type Fixture } from './fixture.ts';
import { SHOTS, WEB_DIST } from './kit.ts';

/** The dashboard's compact dollars ($12.35m, -$1.2k, $0) back to a number, and its rounding. */
function dollars(text: string): { value: number; step: number } {
  const m = /^(-?)\$([\d,.]+)(bn|m|k)?$/.exec(text.trim());
  if (!m) throw new Error(`not dollars: '${text}'`);
  const unit = m[3] === 'bn' ? 1e9 : m[3] === 'm' ? 1e6 : m[3] === 'k' ? 1e3 : 1;
  const digits = (m[2] ?? '').split('.')[1]?.length ?? 0;
  return { value: (m[1] === '-' ? -1 : 1) * Number((m[2] ?? '').replace(/,/g, '')) * unit, step: unit * 10 ** -digits };
}
function expectDollars(text: string, x: number): void {
  const d = dollars(text);
  expect(Math.abs(d.value - x), `${text} vs ${x}`).toBeLessThanOrEqual(d.step / 2 + 1e-6);
}

/** A year of daily returns per dollar at an annual vol and Sharpe ratio. */
function returns(vol: number, sharpe: number, seed: number): number[] {
  const rng = createRng(seed);
  return Array.from({ length: 252 }, () => (sharpe * vol) / 252 + (vol / Math.sqrt(252)) * rng.normal());
}

describe.skipIf(!hasChromium)('the capital allocation on the Risk Monitor, in Chromium', () => {
  let fx: Fixture;
  let browser: Browser;
  let page: Page;
  let w: Watch;
  const stored: Allocation[] = [];

  async function openRisk(): Promise<void> {
    await page.goto(`${fx.url}/#/risk`);
    await settled(page);
    await page.getByTestId('allocation-card').scrollIntoViewIfNeeded();
  }
  const cells = async (row: ReturnType<Page['locator']>): Promise<string[]> => (await row.locator('td').allInnerTexts()).map((t) => t.trim());

  beforeAll(async () => {
    fx = await startFixture({ webDist: WEB_DIST });
    ({ browser, page, w } = await signedInPage(fx.url, ADMIN));
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await fx?.close();
  });

  it('before any reallocation the card says why the agents keep their capital', async () => {
    await openRisk();
    const card = page.getByTestId('allocation-card');
    await card.getByTestId('empty-state').waitFor();
    expect(await card.innerText()).toContain('No reallocation yet');
    expect(w.errors).toEqual([]);
  });

  it('shows the latest allocation per agent and the ones before it, as stored and as summed here', async () => {
    const cfg = fx.config;
    const nav = cfg.fund.totalCapital;
    const ids = cfg.agents.map((a) => a.id);
    const vols = [0.18, 0.12, 0.06];
    const agents = ids.map((id, k) => agentState(id, nav / ids.length / 2, { returns: returns(vols[k % 3] ?? 0.1, 0.6 - 0.2 * k, 31 + k) }));
    const [d1, d2] = fx.dates.slice(-25, -1).filter((d, i, a) => i === 0 || d.slice(0, 7) !== a[i - 1]?.slice(0, 7)).slice(-2);
    // the first: an agent that cannot trade is given nothing (on any day); its capital goes to the others
    const first = allocateCapital({ state: fundState(d1 ?? '', nav, agents, { allocatedOn: d1 ?? '' }), config: cfg, asOf: d1 ?? '', unready: new Set([ids[2] ?? '']) });
    // the second: a scheduled rebalance by risk, from the first one's capital
    const after = new Map(first?.agents.map((a) => [a.agentId, a.to]));
    const second = allocateCapital({ state: fundState(d2 ?? '', nav, agents.map((a) => ({ ...a, allocatedCapital: after.get(a.agentId) ?? 0, equity: after.get(a.agentId) ?? 0 })), { allocatedOn: d1 ?? '' }), config: cfg, asOf: d2 ?? '' });
    for (const [i, a] of [first, second].entries()) {
      expect(a, `allocation ${i}`).not.toBeNull();
      if (!a) return;
      stored.push(a);
      await fx.store.risk.addSnapshot({ fundId: FUND_ID, cycleId: `cyc-alloc-${i}`, asOf: a.asOf, var95: 1, var99: 1, cvar95: 1, grossExposure: 0, netExposure: 0, metrics: { capital: nav, allocation: a } });
    }
    const [a1, a2] = stored;
    expect(a1?.rebalanced).toBe(false);
    expect(a1?.agents.find((x) => x.agentId === ids[2])?.to).toBe(0);
    expect(a2?.rebalanced).toBe(true);
    expect(a2?.agents.some((x) => x.to !== x.from)).toBe(true);

    await openRisk();
    await page.reload(); // the page read the empty list before the cycles stored theirs
    await settled(page);
    const card = page.getByTestId('allocation-card');
    await card.getByTestId('allocation-agents').waitFor();
    const stats = await card.locator('.stat').allInnerTexts();
    expect(stats[0]).toContain(a2?.asOf ?? '?');
    expect(stats[0]).toContain('scheduled rebalance');
    expect(stats[1]).toContain(a2?.method ?? '?');
    expect(stats[2]).toContain(`${((a2?.exAnteVol ?? 0) * 100).toFixed(1)}%`);
    const moved = (a2?.agents ?? []).reduce((s, x) => s + Math.abs(x.to - x.from), 0) / 2;
    expectDollars((stats[3] ?? '').split('\n')[1] ?? '', moved);
    // one row per agent: before, after, change, target, risk share, vol, Sharpe, why
    const rows = card.getByTestId('allocation-agents').locator('tbody tr');
    expect(await rows.count()).toBe(ids.length);
    let shares = 0;
    for (const x of a2?.agents ?? []) {
      const c = await cells(rows.filter({ hasText: x.agentId }).first());
      expectDollars(c[1] ?? '', x.from);
      expectDollars(c[2] ?? '', x.to);
      expectDollars(c[3] ?? '', x.to - x.from);
      expectDollars(c[4] ?? '', x.target);
      if (x.riskShare === null) expect(c[5]).toBe('—');
      else {
        expect(c[5]).toBe(`${(x.riskShare * 100).toFixed(1)}%`);
        shares += x.riskShare;
      }
      expect(c[8]).toBe(x.why);
    }
    expect(shares).toBeCloseTo(1, 6);
    // the history, newest first: the rebalance, then the readiness move with the unready agent's capital
    const hist = card.getByTestId('allocation-history').locator('tbody tr');
    expect(await hist.count()).toBe(2);
    const h1 = await cells(hist.nth(0));
    const h2 = await cells(hist.nth(1));
    expect(h1.slice(0, 2)).toEqual([a2?.asOf, 'rebalance']);
    expect(h2.slice(0, 2)).toEqual([a1?.asOf, 'readiness']);
    expectDollars(h2[3] ?? '', (a1?.agents ?? []).reduce((s, x) => s + Math.abs(x.to - x.from), 0) / 2);
    await page.screenshot({ path: path.join(SHOTS, 'allocation.png'), fullPage: true });
    expect(w.errors).toEqual([]);
  });
});
