import { describe, expect, it } from 'vitest';
import { parseFundConfig, StrategyType } from '../contracts/index.ts';
import { syntheticPanel, viewAt, type Panel } from '../market/index.ts';
import { bookFromTargets, emptyBook, type AgentBook } from './agent.ts';
import { createAgent } from './registry.ts';

/**
 * Agents propose within the fund's universe (`risk.minMarketCap`, AgentUniverse): a name whose
 * market cap is below the minimum gets no new exposure from any built-in strategy, and a held one
 * may only shrink — the overlay's MIN_MARKET_CAP rule, which before cut the trend and stat-arb
 * books on every day of the demo.
 */
/** Every built-in strategy (a user's agent, `custom`, is loaded by the kernel, not the registry). */
const STRATEGIES = StrategyType.options.filter((s): s is Exclude<StrategyType, 'custom'> => s !== 'custom');
const CAPITAL = 10_000_000;
const panel = syntheticPanel({ symbols: 60, years: 2, seed: 7 });
const FROM = 300;
const TO = 380;

/** The median market cap of the panel's names at row `t`: half the universe is below it. */
function medianCap(p: Panel, t: number): number {
  const view = viewAt(p, t);
  const caps = view.symbols.map((_, u) => view.value('marketCap', u)).filter((c) => c > 0);
  caps.sort((a, b) => a - b);
  return caps[Math.floor(caps.length / 2)] ?? 0;
}
const MIN_CAP = medianCap(panel, FROM);

interface Breach {
  strategy: StrategyType;
  date: string;
  symbol: string;
  held: number;
  weight: number;
}

/** Rolls the agent over rows FROM..TO, its targets filled at each close; the targets that add exposure to a name below MIN_CAP. */
function rollAndCheck(strategy: StrategyType, minMarketCap: number): { breaches: Breach[]; names: number } {
  const fund = parseFundConfig({
    fund: { totalCapital: 100_000_000 },
    risk: { minMarketCap },
    agents: [{ id: 'a', strategy, allocatedCapital: CAPITAL }],
  });
  const agent = createAgent(fund.agents[0] ?? (undefined as never), fund);
  let book: AgentBook = emptyBook('a', CAPITAL);
  const breaches: Breach[] = [];
  let names = 0;
  for (let t = FROM; t <= TO; t++) {
    const view = viewAt(panel, t);
    const p = agent.propose(view, book);
    for (const target of p.targets) {
      const u = view.column(target.symbol);
      names++;
      if (!(view.value('marketCap', u) < MIN_CAP)) continue;
      const pos = book.positions.find((x) => x.symbol === target.symbol);
      const held = pos ? (pos.qty * view.close(u)) / CAPITAL : 0;
      const adds = held * target.weight <= 0 || Math.abs(target.weight) > Math.abs(held) * (1 + 1e-9) + 1e-12;
      if (adds) breaches.push({ strategy, date: view.asOf, symbol: target.symbol, held, weight: target.weight });
    }
    book = bookFromTargets(view, book, p.targets, { cycleId: `c${t}`, traceId: `t${t}` });
  }
  return { breaches, names };
}

describe('agents propose within the fund universe (risk.minMarketCap)', () => {
  it('no built-in strategy adds exposure to a name below the minimum market cap', () => {
    expect(MIN_CAP).toBeGreaterThan(0);
    for (const s of STRATEGIES) {
      const r = rollAndCheck(s, MIN_CAP);
      expect(r.breaches, `${s}: ${JSON.stringify(r.breaches.slice(0, 3))}`).toEqual([]);
    }
  });

  it('without the minimum, the same agents do hold those names (the rule above is binding)', () => {
    const binding = STRATEGIES.filter((s) => rollAndCheck(s, 0).breaches.length > 0);
    // every strategy that trades this market picks small names when it may
    expect(binding).toEqual(expect.arrayContaining(['momentum', 'trend_following', 'short_term_reversal', 'statistical_arbitrage']));
  });

  it('a ranked book still fills its slots: it ranks among the eligible names instead of leaving holes', () => {
    const all = rollAndCheck('momentum', 0).names;
    const within = rollAndCheck('momentum', MIN_CAP).names;
    expect(within).toBeGreaterThan(0.8 * all);
  });
});
