/**
 * A change of an agent's capital reaches the next cycle (found by an exploratory audit): the
 * config's `allocatedCapital` was read only when a book was opened, so `keel agent risk --capital`
 * and `config apply` stored a new version that "the next cycle uses" and nothing moved. Through the
 * real CLI and store, with the fixed allocation (the configured capital) and with the default risk
 * parity: the next cycle moves the difference between the fund's book and the agent's, once.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultFundConfigInput } from '../../../src/contracts/index.ts';
import { barDates, cliHome, ok, withStore } from './harness.ts';

interface Cycle {
  asOf: string;
  nav: { fund: number; agents: Record<string, number> };
}

async function setUp(method: 'fixed' | 'risk_parity'): Promise<{ k: ReturnType<typeof cliHome>; dates: string[] }> {
  const k = cliHome();
  const config = { ...defaultFundConfigInput(10_000_000), data: { minHistoryRows: 100, degradedMinRows: 50, minQuality: 0.5 }, allocation: { method } };
  writeFileSync(path.join(k.home, 'fund.json'), JSON.stringify(config));
  ok(await k.run('market', 'generate', '--symbols', '20', '--years', '1.2', '--seed', '4'));
  ok(await k.run('init'));
  return { k, dates: await barDates(k.home) };
}

describe("an agent's capital changed through the CLI", () => {
  for (const method of ['fixed', 'risk_parity'] as const) {
    it(`moves at the next cycle, once (${method})`, async () => {
      const { k, dates } = await setUp(method);
      const cycle = async (asOf: string): Promise<Cycle> => JSON.parse(ok(await k.run('run', '--once', '--no-fetch', '--as-of', asOf, '--json')).out) as Cycle;
      const [d1, d2, d3] = dates.slice(-3);
      const before = await cycle(d1 ?? '');
      const trend = before.nav.agents.trend ?? 0;
      expect(trend).toBeGreaterThan(500_000);
      ok(await k.run('agent', 'risk', 'trend', '--capital', '200000', '--reason', 'smaller'));
      const after = await cycle(d2 ?? '');
      // the agent's book gave the difference back to the fund's book: its NAV is its new capital plus a day's P&L
      const moved = trend - (after.nav.agents.trend ?? 0);
      expect(Math.abs((after.nav.agents.trend ?? 0) - 200_000)).toBeLessThan(0.02 * trend);
      expect(moved).toBeGreaterThan(0.9 * (trend - 200_000));
      // nothing is created or lost: the fund's NAV moves by a day's P&L, not by the transfer
      expect(Math.abs(after.nav.fund - before.nav.fund)).toBeLessThan(0.05 * before.nav.fund);
      // the stored NAV point's daily return is the day's P&L, net of the move (it read as −80%)
      const points = await withStore(k.home, (s) => s.nav.history('main', { agentId: 'trend' }));
      const d2Point = points.find((p) => p.date === d2);
      expect((after.nav.agents.trend ?? 0) / trend - 1).toBeLessThan(-0.5);
      expect(Math.abs(d2Point?.dailyReturn ?? 1)).toBeLessThan(0.05);
      // once: the next cycle does not move it again
      const third = await cycle(d3 ?? '');
      expect(Math.abs((third.nav.agents.trend ?? 0) - (after.nav.agents.trend ?? 0))).toBeLessThan(0.05 * 200_000);
    }, 240_000);
  }
});
