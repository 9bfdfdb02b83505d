import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, dayNumber } from '../../core/index.ts';
import { syntheticPanel, viewAt, type Panel } from '../../market/index.ts';
import { bookFromTargets, emptyBook, momentumScores, type Agent, type AgentBook } from '../index.ts';
import { makeAgent, names, noiseTable, panelFromReturns } from '../test-panels.ts';
import { periodOf, periodStartRow } from './schedule.ts';

const weightsOf = (p: { targets: readonly { symbol: string; weight: number }[] }): Map<string, number> => new Map(p.targets.map((t) => [t.symbol, t.weight]));

/**
 * Rolls an agent forward from an empty book, its targets executed at each close: the weights
 * proposed per row, and the one-way turnover per unit of gross a year (Σ|Δw|/2 over the rows
 * after the first, ÷ mean gross, × 252 / rows).
 */
function roll(agent: Agent, panel: Panel, from: number, to: number): { weights: Map<string, number>[]; turnover: number } {
  let book: AgentBook = emptyBook(agent.id, 1e7);
  const weights: Map<string, number>[] = [];
  let traded = 0;
  let gross = 0;
  for (let t = from; t <= to; t++) {
    const view = viewAt(panel, t);
    const p = agent.propose(view, book);
    const w = weightsOf(p);
    const prev = weights[weights.length - 1];
    if (prev) for (const s of new Set([...w.keys(), ...prev.keys()])) traded += Math.abs((w.get(s) ?? 0) - (prev.get(s) ?? 0));
    for (const x of w.values()) gross += Math.abs(x);
    weights.push(w);
    book = bookFromTargets(view, book, p.targets, { cycleId: `c${t}`, traceId: `t${t}` });
  }
  const rows = to - from + 1;
  return { weights, turnover: gross > 0 ? (traded / 2 / (gross / rows)) * (252 / (rows - 1)) : 0 };
}

describe('rebalance schedules read the view s dates', () => {
  // Invariant: a row starts its period exactly when the previous row lies in another period.
  it('a period starts on the first trading day of its week, month or quarter', () => {
    const panel = syntheticPanel({ symbols: 3, years: 2, seed: 5 });
    for (const s of ['daily', 'weekly', 'monthly', 'quarterly'] as const) {
      let starts = 0;
      for (let t = 1; t < panel.T; t++) {
        const view = viewAt(panel, t);
        const start = periodStartRow(view, s);
        const isStart = periodOf(panel.dates[t - 1] ?? '', s) !== periodOf(view.asOf, s);
        expect(start === t).toBe(isStart);
        expect(periodOf(panel.dates[start] ?? '', s)).toBe(periodOf(view.asOf, s));
        if (start === t) starts++;
      }
      // 504 weekdays from 2018-01-01: 503 days, 100 Mondays, 23 month and 7 quarter starts after the first row
      expect(starts).toBe({ daily: 503, weekly: 100, monthly: 23, quarterly: 7 }[s]);
    }
  });
  it('weeks start on Monday, months and quarters on their first day', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20_000 }), (n) => {
        const d = addDays('1990-01-01', n);
        const next = addDays(d, 1);
        const dow = new Date(`${next}T00:00:00Z`).getUTCDay();
        expect(periodOf(next, 'weekly') !== periodOf(d, 'weekly')).toBe(dow === 1);
        expect(periodOf(next, 'monthly') !== periodOf(d, 'monthly')).toBe(next.endsWith('-01'));
        expect(periodOf(next, 'quarterly') !== periodOf(d, 'quarterly')).toBe(/-(01|04|07|10)-01$/.test(next));
        expect(periodOf(next, 'daily')).toBe(dayNumber(next));
      }),
      { numRuns: 300 },
    );
  });
});

describe('a ranked book holds what still ranks well', () => {
  // 40 names, 300 rows. Names 0-3 win steadily (the top 10%) and names 4-7 a little less; from
  // row 200 name 0's lead fades, so at the end it ranks 5th-10th: inside the top 25%, outside the top 10%.
  const U = 40;
  const T = 300;
  const noise = noiseTable(8, T, U, 0.002);
  const drift = (t: number, u: number): number => (u < 4 ? (u === 0 && t >= 200 ? 0.0009 : 0.0016) : u < 8 ? 0.0012 : 0);
  const panel = panelFromReturns({ T, symbols: names('H', U), sectors: names('H', U).map((_, u) => ['A', 'B', 'C', 'D'][u % 4] ?? 'A'), ret: (t, u) => noise(t, u) + drift(t, u) });
  const params = { lookbackDays: 120, skipDays: 0, topFraction: 0.1, maxNames: 4, minNames: 4, correlationPenalty: 0 };
  const risk = { maxPositionPct: 1, maxSectorPct: 1, perTradeRiskPct: 1 };
  const rankOf = (t: number, symbol: string): number => {
    const s = momentumScores(viewAt(panel, t), 120, 0);
    const u = panel.columnOf.get(symbol) ?? -1;
    return [...s].filter((x) => x > (s[u] as number)).length + 1;
  };

  it('keeps a held name that slips out of the entry band but stays in the exit band', () => {
    const view = viewAt(panel, T - 1);
    expect(rankOf(T - 1, 'H000')).toBeGreaterThan(4);
    expect(rankOf(T - 1, 'H000')).toBeLessThanOrEqual(10);
    const fresh = weightsOf(makeAgent('momentum', params, risk).propose(view, emptyBook('momentum', 1e7)));
    expect(fresh.has('H000')).toBe(false); // a new book would not buy it
    const heldBook = bookFromTargets(view, emptyBook('momentum', 1e7), ['H000', 'H001', 'H002', 'H003'].map((symbol) => ({ symbol, weight: 0.25 })), { cycleId: 'c', traceId: 't' });
    const buffered = weightsOf(makeAgent('momentum', { ...params, rebalance: 'daily', exitFraction: 0.25 }, risk).propose(view, heldBook));
    expect([...buffered.keys()].sort()).toEqual(['H000', 'H001', 'H002', 'H003']);
    const noBuffer = weightsOf(makeAgent('momentum', { ...params, rebalance: 'daily', exitFraction: 0.1 }, risk).propose(view, heldBook));
    expect(noBuffer.has('H000')).toBe(false);
  });

  it('changes neither names nor weights between rebalance days, and re-ranks on the first trading day of the month', () => {
    const agent = makeAgent('momentum', { ...params, exitFraction: 0.1 }, risk);
    const from = 130;
    const { weights } = roll(agent, panel, from, T - 1);
    let changes = 0;
    for (let k = 1; k < weights.length; k++) {
      const t = from + k;
      const isMonthStart = (panel.dates[t] ?? '').slice(0, 7) !== (panel.dates[t - 1] ?? '').slice(0, 7);
      const same = JSON.stringify([...(weights[k] ?? [])]) === JSON.stringify([...(weights[k - 1] ?? [])]);
      if (!isMonthStart) expect(same).toBe(true);
      else if (!same) changes++;
    }
    expect(changes).toBeGreaterThan(0);
    // name 0 is out of the top 10% at the end: gone at the last month start
    expect(weights[weights.length - 1]?.has('H000')).toBe(false);
  });

  it('with exitCheck daily, a name leaves between rebalance days exactly when it ranks below the exit band', () => {
    const agent = makeAgent('momentum', { ...params, exitFraction: 0.1, exitCheck: 'daily' }, risk);
    const from = 130;
    const { weights } = roll(agent, panel, from, T - 1);
    let exits = 0;
    for (let k = 1; k < weights.length; k++) {
      const t = from + k;
      if ((panel.dates[t] ?? '').slice(0, 7) !== (panel.dates[t - 1] ?? '').slice(0, 7)) continue;
      for (const s of weights[k - 1]?.keys() ?? []) {
        const stays = weights[k]?.has(s) ?? false;
        expect(stays).toBe(rankOf(t, s) <= 4);
        if (!stays) exits++;
      }
      for (const s of weights[k]?.keys() ?? []) expect(weights[k - 1]?.has(s)).toBe(true); // no entries
    }
    expect(exits).toBeGreaterThan(0);
  });

  it('rejects an unknown schedule, naming the field', () => {
    expect(() => makeAgent('momentum', { rebalance: 'hourly' })).toThrow(/agents\.momentum\.params\.rebalance/);
    expect(() => makeAgent('quality_value', { exitCheck: 'sometimes' })).toThrow(/agents\.quality-value\.params\.exitCheck/);
  });
});

describe('turnover of the ranked strategies on the synthetic market', () => {
  // One-way turnover per unit of gross, a year, over the last 252 rows of a 3-year market; the
  // defaults against a daily full re-rank with no buffer (the agents before the schedules).
  const panel = syntheticPanel({ symbols: 200, years: 3, seed: 21 });
  const from = panel.T - 252;
  const churn = { rebalance: 'daily', exitFraction: 0.1, exitCheck: 'daily' };
  it.each([
    ['momentum', 6],
    ['quality_value', 3],
    ['quality_momentum', 6],
    ['dividend_growth', 3],
  ] as const)('%s turns over at most %d× a year by default, a third or less of a daily re-rank', (strategy, limit) => {
    const held = roll(makeAgent(strategy), panel, from, panel.T - 1).turnover;
    const daily = roll(makeAgent(strategy, churn), panel, from, panel.T - 1).turnover;
    expect(held).toBeLessThanOrEqual(limit);
    expect(held).toBeLessThan(daily / 3);
  });
});

describe('the other strategies hold for their horizon', () => {
  const panel = syntheticPanel({ symbols: 200, years: 3, seed: 21 });
  const from = panel.T - 252;
  const weekStart = (t: number): boolean => periodOf(panel.dates[t] ?? '', 'weekly') !== periodOf(panel.dates[t - 1] ?? '', 'weekly');

  it('short-term reversal re-ranks its legs weekly: the same book between Mondays, dollar-neutral on them', () => {
    const { weights } = roll(makeAgent('short_term_reversal'), panel, from, panel.T - 1);
    for (let k = 1; k < weights.length; k++) {
      const w = weights[k] ?? new Map<string, number>();
      if (!weekStart(from + k)) expect([...w]).toEqual([...(weights[k - 1] ?? [])]);
      else expect(Math.abs([...w.values()].reduce((a, b) => a + b, 0))).toBeLessThan(1e-9);
    }
  });

  it('statistical arbitrage holds a position while its residual is still displaced its way, and opens only at entryZ', () => {
    const agent = makeAgent('statistical_arbitrage', { exitZ: 0 });
    const t = panel.T - 1;
    const view = viewAt(panel, t);
    const entries = new Set(makeAgent('statistical_arbitrage', { exitZ: 0 }).propose(view, emptyBook('sa', 1e7)).targets.map((x) => x.symbol));
    // a book holding 40 names that are not entries, long and short alternately
    const held = panel.symbols.filter((s) => !entries.has(s)).slice(0, 40).map((symbol, i) => ({ symbol, weight: i % 2 === 0 ? 0.02 : -0.02 }));
    const book = bookFromTargets(view, emptyBook('sa', 1e7), held, { cycleId: 'c', traceId: 't' });
    const p = agent.propose(view, book);
    const mu = new Map(p.signals.map((x) => [x.symbol, x.mu]));
    const targets = new Set(p.targets.map((x) => x.symbol));
    let stayed = 0;
    for (const h of held) {
      // μ has the sign of the expected reversion: a long stays while μ > 0, a short while μ < 0
      const displacedItsWay = Math.sign(mu.get(h.symbol) ?? 0) === Math.sign(h.weight);
      expect(targets.has(h.symbol)).toBe(displacedItsWay);
      if (displacedItsWay) stayed++;
    }
    expect(stayed).toBeGreaterThan(5);
    for (const s of targets) expect(entries.has(s) || held.some((h) => h.symbol === s)).toBe(true);
  });

  it('the committee decides from its weekly meeting: between meetings only a per-trade risk cap moves a weight', () => {
    const agent = makeAgent('committee');
    let book = emptyBook('committee', 1e7);
    let prev: { w: Map<string, number>; capped: Set<string> } | null = null;
    let meetings = 0;
    for (let t = panel.T - 60; t < panel.T; t++) {
      const view = viewAt(panel, t);
      const p = agent.propose(view, book);
      expect(p.targets.reduce((a, x) => a + Math.abs(x.weight), 0)).toBeLessThanOrEqual(1 + 1e-9);
      const w = weightsOf(p);
      const capped = new Set(p.agentRisk.filter((n) => n.code === 'PER_TRADE_RISK').map((n) => n.symbol ?? ''));
      if (weekStart(t)) meetings++;
      else if (prev) {
        for (const s of new Set([...w.keys(), ...prev.w.keys()])) {
          if ((w.get(s) ?? 0) !== (prev.w.get(s) ?? 0)) expect(capped.has(s) || prev.capped.has(s), `${view.asOf} ${s}`).toBe(true);
        }
      }
      prev = { w, capped };
      book = bookFromTargets(view, book, p.targets, { cycleId: `c${t}`, traceId: `t${t}` });
    }
    expect(meetings).toBeGreaterThanOrEqual(11);
  });

  it('a committee in a reduced drawdown state keeps its intended weights: the state scale is not compounded day after day', () => {
    const agent = makeAgent('committee', { rebalance: 'daily' });
    const t = panel.T - 1;
    const full = agent.propose(viewAt(panel, t - 1), emptyBook('committee', 1e7));
    const halfBook = { ...bookFromTargets(viewAt(panel, t - 1), emptyBook('committee', 1e7), full.targets.map((x) => ({ symbol: x.symbol, weight: x.weight * 0.5 })), { cycleId: 'c', traceId: 't' }), drawdown: { state: 'reduced_50' as const, drawdownPct: 0.035 } };
    const p = agent.propose(viewAt(panel, t), halfBook);
    // increases are refused in a reduced state, so every weight is at most the held one: held ÷ 0.5 × 0.5
    for (const x of p.targets) {
      const heldW = (full.targets.find((y) => y.symbol === x.symbol)?.weight ?? 0) * 0.5;
      expect(x.weight).toBeLessThanOrEqual(heldW + 1e-6);
    }
    const kept = p.targets.filter((x) => Math.abs(x.weight - (full.targets.find((y) => y.symbol === x.symbol)?.weight ?? 0) * 0.5) < 2e-3);
    expect(kept.length).toBeGreaterThan(0);
  });

  it.each([
    ['short_term_reversal', 45, { rebalance: 'daily', exitFraction: 0.1, exitCheck: 'daily' }, 0.5],
    ['statistical_arbitrage', 65, { exitZ: 1 }, 0.6],
    ['committee', 20, { rebalance: 'daily' }, 0.7],
  ] as const)('%s turns over at most %d× a year, under the given share of its daily-churn form', (strategy, limit, churn, share) => {
    const held = roll(makeAgent(strategy), panel, from, panel.T - 1).turnover;
    const daily = roll(makeAgent(strategy, churn), panel, from, panel.T - 1).turnover;
    expect(held).toBeLessThanOrEqual(limit);
    expect(held).toBeLessThan(daily * share);
  });
});

