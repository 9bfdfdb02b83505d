import { describe, expect, it } from 'vitest';
import { viewAt, type MarketView } from '../../market/index.ts';
import { emptyBook, unreadyAgents, type Agent, type AgentBook } from '../index.ts';
import { makeAgent, names, noiseTable, panelFromReturns } from '../test-panels.ts';

function weightsOf(p: { targets: readonly { symbol: string; weight: number }[] }): Map<string, number> {
  return new Map(p.targets.map((t) => [t.symbol, t.weight]));
}

const SECTORS4 = ['Tech', 'Energy', 'Health', 'Utilities'];

describe('momentum holds past winners', () => {
  // 20 names: 0-4 rise 0.3%/day (winners), 15-19 fall 0.3%/day (losers), the rest drift; the
  // last month is flat noise for all, so only the 12-1 window separates them.
  const U = 20;
  const T = 300;
  const noise = noiseTable(1, T, U, 0.006);
  const panel = panelFromReturns({
    T,
    symbols: names('M', U),
    sectors: names('M', U).map((_, u) => SECTORS4[u % 4] ?? 'Tech'),
    ret: (t, u) => noise(t, u) + (t > T - 21 ? 0 : u < 5 ? 0.003 + u * 0.0002 : u >= 15 ? -0.003 : 0),
  });
  it('holds only the five winners, long', () => {
    const agent = makeAgent('momentum', { topFraction: 0.25, correlationPenalty: 0.5 });
    const p = agent.propose(viewAt(panel, T - 1), emptyBook('momentum', 1e7));
    const held = [...weightsOf(p).keys()].sort();
    expect(held).toEqual(['M000', 'M001', 'M002', 'M003', 'M004']);
    expect(p.targets.every((x) => x.weight > 0)).toBe(true);
    expect(p.signals.every((s) => s.mu > 0)).toBe(true);
  });
});

describe('short-term reversal holds past losers', () => {
  // 40 names of noise; in the last 5 days names 0-3 fall 2%/day, names 36-39 rise 2%/day.
  const U = 40;
  const T = 80;
  const noise = noiseTable(2, T, U, 0.005);
  const panel = panelFromReturns({
    T,
    symbols: names('R', U),
    sectors: names('R', U).map((_, u) => SECTORS4[u % 4] ?? 'Tech'),
    ret: (t, u) => noise(t, u) + (t > T - 6 ? (u < 4 ? -0.02 : u >= 36 ? 0.02 : 0) : 0),
  });
  it('is long the losers and short the winners', () => {
    const agent = makeAgent('short_term_reversal', { legFraction: 0.1 });
    const p = agent.propose(viewAt(panel, T - 1), emptyBook('reversal', 1e7));
    const w = weightsOf(p);
    expect([...w.entries()].filter(([, x]) => x > 0).map(([s]) => s).sort()).toEqual(['R000', 'R001', 'R002', 'R003']);
    expect([...w.entries()].filter(([, x]) => x < 0).map(([s]) => s).sort()).toEqual(['R036', 'R037', 'R038', 'R039']);
  });
});

describe('trend following goes short in a falling market', () => {
  // 30 names: 120 quiet days, then every name falls 0.4%/day for 150 days.
  const U = 30;
  const T = 270;
  const noise = noiseTable(3, T, U, 0.004);
  const panel = panelFromReturns({
    T,
    symbols: names('F', U),
    sectors: names('F', U).map((_, u) => SECTORS4[u % 4] ?? 'Tech'),
    ret: (t, u) => noise(t, u) + (t >= 120 ? -0.004 : 0),
  });
  it('holds only shorts and is net short', () => {
    const agent = makeAgent('trend_following');
    const p = agent.propose(viewAt(panel, T - 1), emptyBook('trend', 1e7));
    expect(p.targets.length).toBeGreaterThan(20);
    expect(p.targets.every((x) => x.weight < 0)).toBe(true);
    const net = p.targets.reduce((s, x) => s + x.weight, 0);
    expect(net).toBeLessThan(-0.1);
    // stops sit above the price for shorts
    for (const t of p.targets) expect(t.stopLoss ?? 0).toBeGreaterThan(t.takeProfit ?? Number.POSITIVE_INFINITY);
  });
});

describe('statistical arbitrage is market- and sector-neutral', () => {
  // 60 names in 3 sectors: r = β·m + sector factor + mean-reverting residual (AR(1), φ = −0.3).
  const U = 60;
  const T = 400;
  const sectors = names('S', U).map((_, u) => ['Tech', 'Energy', 'Health'][u % 3] ?? 'Tech');
  const beta = Array.from({ length: U }, (_, u) => 0.6 + (u % 7) * 0.15);
  const mkt = noiseTable(4, T, 1, 0.01);
  const sec = noiseTable(5, T, 3, 0.006);
  const eps = noiseTable(6, T, U, 0.012);
  const resid = new Float64Array(T * U);
  for (let t = 1; t < T; t++) for (let u = 0; u < U; u++) resid[t * U + u] = -0.3 * (resid[(t - 1) * U + u] ?? 0) + eps(t, u);
  const panel = panelFromReturns({
    T,
    symbols: names('S', U),
    sectors,
    ret: (t, u) => (beta[u] ?? 1) * mkt(t, 0) + sec(t, u % 3) + (resid[t * U + u] ?? 0),
  });
  it('has near-zero net, sector-net and beta exposure on every one of 20 days', () => {
    const agent = makeAgent('statistical_arbitrage');
    for (let t = T - 20; t < T; t++) {
      const p = agent.propose(viewAt(panel, t), emptyBook('stat-arb', 1e7));
      const gross = p.targets.reduce((s, x) => s + Math.abs(x.weight), 0);
      expect(gross).toBeGreaterThan(0.2);
      const net = p.targets.reduce((s, x) => s + x.weight, 0);
      expect(Math.abs(net) / gross).toBeLessThan(0.05);
      for (const name of ['Tech', 'Energy', 'Health']) {
        const sn = p.targets.filter((x) => sectors[panel.columnOf.get(x.symbol) ?? 0] === name).reduce((s, x) => s + x.weight, 0);
        expect(Math.abs(sn) / gross).toBeLessThan(0.05);
      }
      // against the true betas: the agent neutralises its EWMA estimates of them (0.10 at worst over these days)
      const b = p.targets.reduce((s, x) => s + x.weight * (beta[panel.columnOf.get(x.symbol) ?? 0] ?? 1), 0);
      expect(Math.abs(b) / gross).toBeLessThan(0.12);
      expect(p.targets.some((x) => x.weight > 0) && p.targets.some((x) => x.weight < 0)).toBe(true);
    }
  });
});

describe('the volatility premium agent loses in a volatility spike', () => {
  // SPY drifts up with 0.7% vol, VIX at 15 and VXX bleeding; on day 200 VIX jumps to 45 over
  // three days, VXX gains 60%/25%/10% and SPY falls 7%/3%/2%.
  const T = 230;
  const spike = 200;
  const symbols = ['SPY', 'VXX', 'AAA', 'BBB'];
  const sectors = ['Index', 'Volatility', 'Tech', 'Energy'];
  const noise = noiseTable(7, T, 4, 0.007);
  const shock: Record<number, [number, number]> = { [spike]: [-0.07, 0.6], [spike + 1]: [-0.03, 0.25], [spike + 2]: [-0.02, 0.1] };
  const ret = (t: number, u: number): number => {
    const s = shock[t];
    if (s && u < 2) return s[u] ?? 0;
    if (u === 1) return -0.002 + noise(t, u) * 2;
    return 0.0004 + noise(t, u);
  };
  const vix = new Float64Array(T).map((_, t) => (t < spike ? 15 : t === spike ? 32 : t === spike + 1 ? 40 : 45));
  const panel = panelFromReturns({ T, symbols, sectors, ret, reference: new Map([['vix', vix]]) });
  it('is short VXX and long SPY before the spike, with fat-tailed signals and a visible stress estimate', () => {
    const agent = makeAgent('volatility_premium', {}, { maxPositionPct: 0.5, perTradeRiskPct: 0.05 });
    const p = agent.propose(viewAt(panel, spike - 1), emptyBook('vol-premium', 1e7));
    const w = weightsOf(p);
    expect(w.get('VXX') ?? 0).toBeLessThan(0);
    expect(w.get('SPY') ?? 0).toBeGreaterThan(0);
    const sv = p.signals.find((s) => s.symbol === 'VXX');
    const vxxVol = panel.vol20[(spike - 1) * 4 + 1] ?? 0;
    expect(sv?.sigma ?? 0).toBeGreaterThan(2 * vxxVol * Math.sqrt(21));
    expect(p.reasoning).toMatch(/TAIL RISK/);
    expect(agent.riskDrivers).toContain('tail_risk');
  });
  it('loses money over the spike when rebalanced daily to its targets', () => {
    const agent = makeAgent('volatility_premium', {}, { maxPositionPct: 0.5, perTradeRiskPct: 0.05 });
    let pnl = 0;
    let book: AgentBook = emptyBook('vol-premium', 1e7);
    let prev = new Map<string, number>();
    for (let t = spike - 5; t <= spike + 3; t++) {
      const view = viewAt(panel, t);
      // P&L of day t on the weights set at the close of t−1
      for (const [s, wt] of prev) pnl += wt * (view.value('ret', view.column(s)) || 0);
      const p = agent.propose(view, book);
      prev = weightsOf(p);
      book = { ...book, cycleId: `c${t}` };
    }
    expect(pnl).toBeLessThan(-0.03);
    // it de-risks once the spike is visible
    const after = weightsOf(agent.propose(viewAt(panel, spike + 1), book));
    expect(Math.abs(after.get('VXX') ?? 0)).toBeLessThan(0.1);
  });
});

describe('the volatility premium agent says when it cannot trade the market', () => {
  const T = 60;
  const vix = new Map([['vix', new Float64Array(T).fill(15)]]);
  const build = (symbols: string[], sectors: string[], reference?: Map<string, Float64Array>) =>
    panelFromReturns({ T, symbols, sectors, ret: () => 0.001, ...(reference ? { reference } : {}) });
  const agent = () => makeAgent('volatility_premium');
  it('is ready with a volatility instrument and the vix series, by symbol or by sector', () => {
    expect(agent().readiness?.(viewAt(build(['SPY', 'VXX', 'AAA'], ['Index', 'Volatility', 'Tech'], vix), T - 1))).toEqual({ ok: true });
    expect(agent().readiness?.(viewAt(build(['UVXY', 'AAA'], ['Volatility', 'Tech'], vix), T - 1))).toEqual({ ok: true });
  });
  it('is not ready without the instrument or without the vix series, and says which and what to load', () => {
    const none = agent().readiness?.(viewAt(build(['SPY', 'AAA'], ['Index', 'Tech'], vix), T - 1));
    expect(none?.ok).toBe(false);
    if (none && !none.ok) expect(none.reason).toBe("no volatility instrument: 'VXX' is not in the market and no name has sector 'Volatility' (import a tradable volatility ETN (e.g. VXX) with keel market import, or set params.volSymbol)");
    const noVix = agent().readiness?.(viewAt(build(['SPY', 'VXX'], ['Index', 'Volatility']), T - 1));
    if (noVix && !noVix.ok) expect(noVix.reason).toBe("no 'vix' reference series to see a spike (keel market import <file> --kind vix)");
    else expect.unreachable('ready without a vix series');
  });
  it('lists the unready agents of a roster; a readiness check that throws is unready with its error', () => {
    const view = viewAt(build(['SPY', 'AAA'], ['Index', 'Tech'], vix), T - 1);
    const broken: Agent = { ...makeAgent('momentum'), id: 'broken', propose: () => { throw new Error('unused'); }, readiness: () => { throw new Error('no data source'); } };
    const list = unreadyAgents([makeAgent('momentum'), agent(), broken], view);
    expect(list.map((u) => u.agentId)).toEqual(['volatility-premium', 'broken']);
    expect(list[1]?.reason).toBe('readiness check failed: no data source');
  });
});

describe('sma crossover holds names above their slow average', () => {
  const T = 60;
  const panel = panelFromReturns({
    T,
    symbols: ['UP', 'DN'],
    sectors: ['A', 'B'],
    ret: (t, u) => (u === 0 ? 0.003 : -0.003) + (t % 2 === 0 ? 0.001 : -0.001),
  });
  it('is long the rising series only', () => {
    const agent: Agent = makeAgent('sma_crossover', {}, { maxPositionPct: 1, maxSectorPct: 1, perTradeRiskPct: 1 });
    const view: MarketView = viewAt(panel, T - 1);
    const p = agent.propose(view, emptyBook('sma-crossover', 1e7));
    expect(p.targets.map((x) => x.symbol)).toEqual(['UP']);
    expect(p.targets[0]?.weight).toBeCloseTo(1, 10);
  });
});
