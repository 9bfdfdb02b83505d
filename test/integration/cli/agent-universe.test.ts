/**
 * The agents propose within the universe the fund is configured with (`risk.minMarketCap`),
 * through the real CLI and store. The overlay only lets a position below the minimum market cap
 * shrink (MIN_MARKET_CAP); before the agents knew the minimum, they ranked and sized the small
 * names anyway and the overlay cut them out of the books every cycle (the demo's trend agent was
 * MODIFIED on every day, and on this market every agent was). Now no decision carries
 * MIN_MARKET_CAP and no book holds a name below the minimum.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultFundConfigInput } from '../../../src/contracts/index.ts';
import { syntheticPanel, viewAt } from '../../../src/market/index.ts';
import { barDates, cliHome, ok, withStore } from './harness.ts';

let k: ReturnType<typeof cliHome>;
let dates: string[] = [];
/** Each synthetic name's market cap on the last day (the market `keel market generate` writes for these options). */
const caps = new Map<string, number>();
let minCap = 0;

interface Cycle {
  decisions: { agentId: string; reasons: { code: string; symbol: string | null }[] }[];
}

beforeAll(async () => {
  k = cliHome();
  const panel = syntheticPanel({ symbols: 30, years: 1.2, seed: 4 });
  const view = viewAt(panel, panel.T - 1);
  view.symbols.forEach((s, u) => caps.set(s, view.value('marketCap', u)));
  // the median: half the names are outside the fund's universe
  minCap = [...caps.values()].sort((a, b) => a - b)[15] ?? 0;
  const config = { ...defaultFundConfigInput(10_000_000), data: { minHistoryRows: 100, degradedMinRows: 50, minQuality: 0.5 }, risk: { minMarketCap: minCap } };
  writeFileSync(path.join(k.home, 'fund.json'), JSON.stringify(config));
  ok(await k.run('market', 'generate', '--symbols', '30', '--years', '1.2', '--seed', '4'));
  ok(await k.run('init'));
  dates = await barDates(k.home);
}, 180_000);

describe('agents and the fund universe (risk.minMarketCap)', () => {
  it('keel run: no agent proposes new exposure below the minimum market cap, so the overlay cuts nothing for it and no book holds such a name', async () => {
    const small = [...caps].filter(([, c]) => c < minCap).map(([s]) => s);
    expect(small.length).toBe(15);
    for (const asOf of dates.slice(-3)) {
      const c = JSON.parse(ok(await k.run('run', '--once', '--no-fetch', '--as-of', asOf, '--json')).out) as Cycle;
      expect(c.decisions.length).toBeGreaterThan(0);
      const cut = c.decisions.flatMap((d) => d.reasons.filter((r) => r.code === 'MIN_MARKET_CAP').map((r) => `${d.agentId} ${r.symbol ?? ''}`));
      expect(cut, asOf).toEqual([]);
    }
    const held = await withStore(k.home, (s) => s.positions.list('main', { openOnly: true }));
    expect(held.length).toBeGreaterThan(10);
    expect(held.filter((p) => small.includes(p.symbol)).map((p) => `${p.agentId} ${p.symbol}`)).toEqual([]);
  });
});
