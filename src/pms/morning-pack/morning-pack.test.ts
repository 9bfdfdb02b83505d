import { describe, expect, it } from 'vitest';
import { buildMorningPack, fmtMoney, fmtNumber, fmtPct, narrate, narrativePrompt, oneDayPnl, templateNarrative, type MorningPackInput, type RiskMonitorReport } from '../index.ts';
import { alert, overlayDecision, pendingProposal, signal } from '../test-fixtures.ts';

const fig = (v: number, nav = 10_000_000) => ({ var: v, cvar: v * 1.3, varPct: v / nav, cvarPct: (v * 1.3) / nav });

const risk: RiskMonitorReport = {
  asOf: '2024-01-02',
  nav: 10_000_000,
  gross: 14_500_000,
  net: 3_000_000,
  grossPct: 1.45,
  netPct: 0.3,
  var: [
    { confidence: 0.95, historical: fig(150_000), parametric: fig(140_000), monteCarlo: fig(141_000) },
    { confidence: 0.99, historical: fig(260_000), parametric: fig(198_000), monteCarlo: fig(199_000) },
  ],
  sigma: 85_000,
  observations: 250,
  monteCarloPaths: 10_000,
  missingReturns: [],
  agentVar: { confidence: 0.95, agents: [] },
  stress: [{ scenario: '2008_liquidity_freeze', pnl: -1_234_567 }],
  worstStress: { scenario: '2008_liquidity_freeze', pnl: -1_234_567 },
  limits: [
    { name: 'var99', value: 0.026, limit: 0.025, utilisation: 1.04, status: 'BREACH' },
    { name: 'gross', value: 1.45, limit: 1.75, utilisation: 1.45 / 1.75, status: 'WARNING' },
    { name: 'net', value: 0.3, limit: 1, utilisation: 0.3, status: 'OK' },
  ],
  concentration: { hhi: 0.045, effectiveNames: 22.222, top10Share: 0.55, largest: { symbol: 'AAPL', grossShare: 0.1, navFraction: 0.145 } },
  sectors: [],
  liquidity: { participationRate: 0.1, stressVolumeHaircut: 0.5, names: [], daysToLiquidate: 2.34, stressDaysToLiquidate: 4.68, liquidWithin1d: 0.6, liquidWithin5d: 1, unknown: [] },
};

// 22 closes: 4,000 … then the last six steps chosen for round returns.
const closes = [...Array.from({ length: 16 }, (_, i) => 4000 + i * 10), 4200, 4180, 4190, 4150, 4160, 4180];

const input = (over: Partial<MorningPackInput> = {}): MorningPackInput => ({
  fundId: 'fund-1',
  asOf: '2024-01-02',
  generatedAt: '2024-01-02T13:00:00.000Z',
  market: { indexSymbol: 'SPX', indexCloses: closes, volatilityIndex: { symbol: 'VIX', level: 18.4, previous: 17.2 }, regime: 'BULL_VOLATILE' },
  agents: [
    {
      agentId: 'value',
      strategy: 'quality_value',
      signals: [],
      book: { gross: 0.6, net: 0.6, positions: 8 },
      lastOverlay: null,
    },
    {
      agentId: 'momentum',
      strategy: 'momentum',
      state: 'reduced_50',
      signals: [signal('momentum', 'MSFT', 0.01, 0.02), signal('momentum', 'AAPL', 0.021, 0.0168), signal('momentum', 'TSLA', -0.03, 0.05), signal('momentum', 'NVDA', 0.001, 0.1)],
      book: { gross: 0.85, net: 0.4, positions: 12, pnl1d: -12_345.6 },
      lastOverlay: overlayDecision('momentum', 'SCALE', [['AAPL', 0.04]], { scale: 0.8, codes: ['VAR_BUDGET', 'VAR_BUDGET', 'SECTOR_CAP'] }),
    },
  ],
  proposals: [
    pendingProposal({ id: 'p-late', expiresAt: '2024-01-02T15:00:00.000Z' }),
    pendingProposal({ id: 'p-soon', agentId: 'reversal', symbols: ['TSLA', 'F'], status: 'MODIFIED', expiresAt: '2024-01-02T13:45:30.000Z' }),
    pendingProposal({ id: 'p-gone', expiresAt: '2024-01-02T12:59:00.000Z' }),
    pendingProposal({ id: 'p-done', status: 'APPROVED' }),
    pendingProposal({ id: 'p-other', fundId: 'fund-2' }),
  ],
  risk,
  alerts: [
    alert('a1', 'MEDIUM', 'Data gap in XOM', '2024-01-02T02:00:00.000Z'),
    alert('a2', 'CRITICAL', 'Fund VaR 99 above limit', '2024-01-02T01:00:00.000Z'),
    alert('a3', 'HIGH', 'Momentum drawdown 3.4%', '2024-01-02T05:00:00.000Z'),
    alert('a4', 'CRITICAL', 'Yesterday noon alert', '2024-01-01T12:00:00.000Z'),
    alert('a5', 'HIGH', 'Other fund', '2024-01-02T05:00:00.000Z', 'fund-2'),
    alert('a6', 'LOW', 'Broker heartbeat late', '2024-01-02T06:00:00.000Z', null),
  ],
  alertsSince: '2024-01-01T21:00:00.000Z',
  ...over,
});

describe('number formatting', () => {
  it('formats numbers, percentages and money deterministically', () => {
    expect(fmtNumber(1234567.891)).toBe('1,234,567.89');
    expect(fmtNumber(-0.001)).toBe('0.00');
    expect(fmtNumber(-1234.5, 1)).toBe('−1,234.5');
    expect(fmtPct(0.012345)).toBe('+1.23%');
    expect(fmtPct(-0.0048)).toBe('−0.48%');
    expect(fmtPct(0)).toBe('0.00%');
    expect(fmtPct(1.45, 1, false)).toBe('145.0%');
    expect(fmtMoney(-1_234_567)).toBe('−$1,234,567');
    expect(fmtMoney(999.5)).toBe('$1,000');
    expect(fmtNumber(Number.NaN)).toBe('n/a');
  });
});

describe('buildMorningPack', () => {
  const pack = buildMorningPack(input());
  it('market snapshot: level and 1/5/21-day returns from the closes', () => {
    expect(pack.market.indexLevel).toBe(4180);
    expect(pack.market.return1d).toBeCloseTo(4180 / 4160 - 1, 15);
    expect(pack.market.return5d).toBeCloseTo(4180 / 4200 - 1, 15); // closes[16] = 4200
    expect(pack.market.return21d).toBeCloseTo(4180 / 4000 - 1, 15); // closes[0] = 4000
    expect(pack.market.volatilityIndex).toEqual({ symbol: 'VIX', level: 18.4, change1d: 18.4 - 17.2 });
    expect(buildMorningPack(input({ market: { indexSymbol: 'SPX', indexCloses: [100, 125], regime: 'BULL_QUIET' } })).market).toMatchObject({ return1d: 0.25, return5d: null, return21d: null, volatilityIndex: null });
  });
  it('agent views: sorted by id, top signals by |conviction|, last overlay action with unique reason codes', () => {
    expect(pack.agents.map((a) => a.agentId)).toEqual(['momentum', 'value']);
    const m = pack.agents[0];
    expect(m?.topSignals.map((s) => s.symbol)).toEqual(['AAPL', 'TSLA', 'MSFT']);
    expect(m?.topSignals[0]?.conviction).toBeCloseTo(1.25, 12);
    expect(m?.lastOverlay).toMatchObject({ action: 'SCALE', scale: 0.8, reasonCodes: ['VAR_BUDGET', 'SECTOR_CAP'] });
    expect(pack.agents[1]?.state).toBe('normal');
    expect([m?.signalsAsOf, pack.agents[1]?.signalsAsOf]).toEqual(['2024-01-02', null]);
  });
  it("1-day P&L: the latest stored NAV minus the one before, to the cent; null with fewer than two", () => {
    expect(oneDayPnl([{ date: '2024-01-05', nav: 1_000_123.456 }, { date: '2024-01-02', nav: 1_000_000 }])).toEqual({ pnl1d: 123.46, pnl1dDate: '2024-01-05' });
    expect(oneDayPnl([{ date: '2024-01-05', nav: 99 }])).toEqual({ pnl1d: null, pnl1dDate: '2024-01-05' });
    // a day the allocation moved $5M into the book: its P&L is its return net of the move, not the NAV change
    expect(oneDayPnl([{ date: '2024-01-05', nav: 15_010_000, dailyReturn: 0.001 }, { date: '2024-01-04', nav: 10_000_000 }])).toEqual({ pnl1d: 10_000, pnl1dDate: '2024-01-05' });
    expect(oneDayPnl([])).toEqual({ pnl1d: null, pnl1dDate: null });
    expect(() => oneDayPnl([{ date: '2024-01-02', nav: 1 }, { date: '2024-01-05', nav: 2 }])).toThrow(/newest first/);
  });
  it('proposals awaiting approval: this fund, open, not expired, soonest first', () => {
    expect(pack.awaitingApproval.map((p) => [p.id, p.minutesToExpiry])).toEqual([['p-soon', 45], ['p-late', 120]]);
  });
  it('overnight alerts: this fund or fund-wide, since the cut-off, most severe first', () => {
    expect(pack.alerts.map((a) => a.id)).toEqual(['a2', 'a3', 'a1', 'a6']);
    expect(pack.alertCounts).toEqual({ CRITICAL: 1, HIGH: 1, MEDIUM: 1, LOW: 1 });
  });
  it('risk summary: worst VaR of the three methods, limits split into breaches and warnings', () => {
    expect(pack.risk).toMatchObject({ var95: 150_000, var99: 260_000, cvar99: 338_000, hhi: 0.045, daysToLiquidate: 2.34 });
    expect(pack.risk?.breaches).toEqual([{ name: 'var99', utilisation: 1.04 }]);
    expect(pack.risk?.warnings.map((w) => w.name)).toEqual(['gross']);
  });
});

describe('narrative template', () => {
  const text = templateNarrative(buildMorningPack(input()));
  it('dates the P&L when the pack knows its day', () => {
    const dated = input();
    const agents = dated.agents.map((a) => (a.agentId === 'momentum' ? { ...a, book: { ...a.book, pnl1dDate: '2024-01-02' } } : a));
    expect(templateNarrative(buildMorningPack({ ...dated, agents }))).toContain('across 12 names, P&L −$12,346 on 2024-01-02; top signal AAPL');
  });
  it('contains the key numbers, formatted', () => {
    for (const s of [
      'Morning pack for fund-1, 2024-01-02',
      'SPX closed at 4,180.00 (+0.48% on the day, −0.48% over 5 days, +4.50% over 21 days).',
      'VIX is at 18.40 (+1.20 pts).',
      'momentum (momentum) [reduced_50]: gross 85.0%, net +40.0% across 12 names, P&L −$12,346 yesterday; top signal AAPL (μ +2.10%, conviction 1.25); last overlay action SCALE ×0.80 (VAR_BUDGET, SECTOR_CAP).',
      'value (quality_value): gross 60.0%, net +60.0% across 8 names; no signals; no overlay action yet.',
      '2 proposals await approval; the first to expire is p-soon from reversal (TSLA, F), in 45 minutes.',
      'Risk: 1-day VaR 95% $150,000 (1.50% of NAV), VaR 99% $260,000 (2.60%), CVaR 99% $338,000 (3.38%).',
      'Gross 145.0%, net +30.0%; HHI 0.045 (22.2 effective names), top 10 55.0% of gross.',
      'Days to liquidate 2.3 (4.7 under stress).',
      'Worst stress scenario: 2008_liquidity_freeze at −$1,234,567.',
      'LIMIT BREACH: var99 at 104% of limit.',
      'Warnings: gross at 83% of limit.',
      'Overnight alerts: 1 critical, 1 high, 1 medium, 1 low. CRITICAL: Fund VaR 99 above limit; HIGH: Momentum drawdown 3.4%; MEDIUM: Data gap in XOM; LOW: Broker heartbeat late.',
    ]) {
      expect(text).toContain(s);
    }
  });
  it('wording follows the regime', () => {
    expect(text).toContain('volatile bull regime');
    const crisis = templateNarrative(buildMorningPack(input({ market: { ...input().market, regime: 'BEAR_CRISIS' } })));
    expect(crisis).toContain('crisis regime');
    expect(crisis).toContain('any limit warning deserves action today');
    expect(crisis).not.toContain('volatile bull');
  });
  it('quiet days read quietly', () => {
    const calm = templateNarrative(buildMorningPack(input({ proposals: [], alerts: [], risk: { ...risk, limits: [] }, agents: [] })));
    expect(calm).toContain('No proposals await approval.');
    expect(calm).toContain('No overnight alerts.');
    expect(calm).toContain('All limits are within bounds.');
    expect(calm).toContain('No agents reported a view.');
    expect(templateNarrative(buildMorningPack(input({ risk: null })))).toContain('No risk snapshot is available.');
  });
  it('is deterministic', () => {
    expect(templateNarrative(buildMorningPack(input()))).toBe(text);
  });
});

describe('narrate', () => {
  const pack = buildMorningPack(input());
  it('defaults to the template', async () => {
    expect(await narrate(pack)).toEqual({ text: templateNarrative(pack), source: 'template', fallbackReason: null });
  });
  it('uses the LLM answer, given a prompt holding the template draft and the data', async () => {
    let seen = '';
    const n = await narrate(pack, {
      llm: async (prompt) => {
        seen = prompt;
        return '  Markets are choppy.  ';
      },
    });
    expect(n).toEqual({ text: 'Markets are choppy.', source: 'llm', fallbackReason: null });
    expect(seen).toBe(narrativePrompt(pack));
    expect(seen).toContain(templateNarrative(pack));
    expect(seen).toContain('"fundId":"fund-1"');
  });
  it('falls back to the template when the LLM fails or returns nothing', async () => {
    const failed = await narrate(pack, { llm: () => Promise.reject(new Error('timeout')) });
    expect(failed).toMatchObject({ source: 'template', fallbackReason: 'the LLM call failed: timeout', text: templateNarrative(pack) });
    expect((await narrate(pack, { llm: async () => '' })).fallbackReason).toBe('the LLM returned an empty text');
  });
});
