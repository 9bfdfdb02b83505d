import { describe, expect, it } from 'vitest';
import { MacroObservation, Signal } from '../../contracts/index.ts';
import { viewAt } from '../../market/index.ts';
import { CommitteeAgent, emptyBook } from '../index.ts';
import { fundamentalsOf, makeAgent, names, noiseTable, panelFromReturns, weekdays } from '../test-panels.ts';

const U = 20;
const T = 300;
const dates = weekdays(T);
const symbols = names('A', U);
const sectors = symbols.map((_, u) => ['Tech', 'Energy', 'Health', 'Utilities'][u % 4] ?? 'Tech');
const noise = noiseTable(51, T, U, 0.008);
// names 0-4: positive sentiment, cheap, growing; names 15-19: negative, expensive, shrinking
const tilt = (u: number) => (u < 5 ? 1 : u >= 15 ? -1 : 0);
const sentiment = new Float64Array(T * U).map((_, i) => 0.8 * tilt(i % U));
const fundamentals = fundamentalsOf(
  symbols.flatMap((symbol, u) => [
    { symbol, periodEnd: '2019-09-30', released: dates[5] ?? '', fields: { eps: 1, revenue: 100, cashFlow: 1, pe: 15, pb: 2, dividendYield: 0.02 } },
    {
      symbol,
      periodEnd: '2020-09-30',
      released: dates[270] ?? '',
      fields: { eps: 1 + 0.3 * tilt(u), revenue: 100 * (1 + 0.3 * tilt(u)), cashFlow: 1 + 0.3 * tilt(u), pe: 15 - 7 * tilt(u), pb: 2 - tilt(u), dividendYield: 0.02 + 0.01 * tilt(u) },
    },
  ]),
);
// the term spread sits near 0.5 for most of the window, then steepens to 2.5 in the last 20 days
const macro = new Map([
  [
    'T10Y2Y',
    dates.map((d, t) => MacroObservation.parse({ version: 1, series: 'T10Y2Y', date: d, releaseTime: `${d}T21:00:00.000Z`, value: t < T - 20 ? 0.5 + 0.05 * Math.sin(t) : 2.5 })),
  ],
]);
const panel = panelFromReturns({ T, symbols, sectors, ret: (t, u) => noise(t, u), sentiment, fundamentals, macro });
const bare = panelFromReturns({ T, symbols, sectors, ret: (t, u) => noise(t, u) });

function bySource(signals: readonly Signal[], source: string): Map<string, Signal> {
  return new Map(signals.filter((s) => s.agentId === `committee.${source}`).map((s) => [s.symbol, s]));
}

describe('analysts emit signals only, each in the direction its inputs say', () => {
  const agent = makeAgent('committee');
  if (!(agent instanceof CommitteeAgent)) throw new Error('committee agent expected');
  const signals = agent.analystSignals(viewAt(panel, T - 1), emptyBook('committee', 1e7));
  it('every analyst signal validates against the contract', () => {
    for (const s of signals) Signal.parse(s);
    expect(new Set(signals.map((s) => s.agentId))).toEqual(
      new Set(['committee.technical', 'committee.sentiment', 'committee.valuation', 'committee.fundamental', 'committee.macro']),
    );
  });
  for (const source of ['sentiment', 'valuation', 'fundamental']) {
    it(`${source}: bullish on names 0-4, bearish on 15-19`, () => {
      const m = bySource(signals, source);
      for (let u = 0; u < U; u++) {
        const mu = m.get(symbols[u] ?? '')?.mu ?? Number.NaN;
        if (tilt(u) > 0) expect(mu).toBeGreaterThan(0);
        if (tilt(u) < 0) expect(mu).toBeLessThan(0);
      }
    });
  }
  it('macro: a steepening term spread is bullish for every name; no macro series, no macro signals', () => {
    const m = bySource(signals, 'macro');
    expect(m.size).toBe(U);
    for (const s of m.values()) expect(s.mu).toBeGreaterThan(0);
    const other = makeAgent('committee');
    if (!(other instanceof CommitteeAgent)) throw new Error('committee agent expected');
    const none = other.analystSignals(viewAt(bare, T - 1), emptyBook('committee', 1e7));
    expect(none.some((s) => s.agentId === 'committee.macro' || s.agentId === 'committee.sentiment' || s.agentId === 'committee.valuation')).toBe(false);
    expect(none.filter((s) => s.agentId === 'committee.technical').length).toBe(U);
  });
});

describe('the committee book', () => {
  it('buys at most maxNames names, each within 10%, with reasons for every decision', () => {
    const agent = makeAgent('committee', { maxNames: 5, minZ: 0.5 });
    if (!(agent instanceof CommitteeAgent)) throw new Error('committee agent expected');
    const p = agent.propose(viewAt(panel, T - 1), emptyBook('committee', 1e7));
    expect(p.targets.length).toBeGreaterThan(0);
    expect(p.targets.length).toBeLessThanOrEqual(5);
    for (const t of p.targets) expect(t.weight).toBeLessThanOrEqual(0.1 + 1e-12);
    expect(agent.lastDecisions.length).toBeGreaterThanOrEqual(p.targets.length);
    for (const d of agent.lastDecisions) expect(d.decision.reasons.length).toBeGreaterThan(0);
    // every name bought has a positive ensemble μ; names 15-19 (three bearish analysts) never are
    const mu = new Map(p.signals.map((s) => [s.symbol, s.mu]));
    for (const t of p.targets) {
      expect(mu.get(t.symbol) ?? 0).toBeGreaterThan(0);
      expect(symbols.indexOf(t.symbol)).toBeLessThan(15);
    }
    expect(p.reasoning).toMatch(/^committee \(views of \d{4}-\d{2}-\d{2}\): BUY \d+/);
  });
  it('rejects every risk increase while the agent is in a drawdown state', () => {
    const agent = makeAgent('committee', { maxNames: 5, minZ: 0.5 });
    if (!(agent instanceof CommitteeAgent)) throw new Error('committee agent expected');
    const book = { ...emptyBook('committee', 1e7), drawdown: { state: 'reduced_50' as const, drawdownPct: 0.04 } };
    const p = agent.propose(viewAt(panel, T - 1), book);
    expect(p.targets).toEqual([]);
    expect(agent.lastDecisions.every((d) => d.decision.action === 'REJECT' && d.decision.reasons.some((r) => r.code === 'RISK_OVERRIDE'))).toBe(true);
  });
});
