/**
 * The risk views' pure parts. Invariants: the drill-down's components (by name and by sector) sum to
 * the risk monitor's parametric VaR of the same book; a breach is a maximal run of recorded days over
 * the limit; a ticket's resulting weight is (fund shares + ticket shares) × price / NAV.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../core/index.ts';
import { syntheticPanel } from '../../quant/index.ts';
import { breachLog, proposalTickets, riskMonitor, ticketImpact, varDrilldown, type RiskHistoryPoint, type TradeProposal } from '../index.ts';

const SYMBOLS = ['AAA', 'BBB', 'CCC', 'DDD'];
const returns = { panel: syntheticPanel(300, 4, 2, 7).panel, symbols: SYMBOLS };

describe('varDrilldown', () => {
  const positions = [
    { symbol: 'AAA', exposure: 400_000, agentId: 'a', sector: 'Tech' },
    { symbol: 'BBB', exposure: -150_000, agentId: 'a', sector: 'Tech' },
    { symbol: 'CCC', exposure: 250_000, agentId: 'b', sector: 'Energy' },
    { symbol: 'AAA', exposure: 100_000, agentId: 'b', sector: 'Tech' },
    { symbol: 'ZZZ', exposure: 5_000, agentId: 'b', sector: null },
  ];
  it("sums to the risk monitor's parametric VaR by name and by sector, netting names across agents", () => {
    const d = varDrilldown({ positions, returns, confidence: 0.95 });
    const m = riskMonitor({ asOf: '2024-01-02', nav: 10_000_000, positions, returns, monteCarlo: { rng: createRng(1), paths: 200 } });
    const p95 = m.var.find((l) => l.confidence === 0.95)?.parametric.var ?? Number.NaN;
    expect(d.fundVar).toBeCloseTo(p95, 8);
    expect(d.positions.reduce((a, p) => a + p.componentVar, 0)).toBeCloseTo(p95, 8);
    expect(d.sectors.reduce((a, s) => a + s.componentVar, 0)).toBeCloseTo(p95, 8);
    expect(d.positions.find((p) => p.symbol === 'AAA')?.exposure).toBe(500_000);
    expect(d.sectors.find((s) => s.sector === 'Tech')).toMatchObject({ net: 350_000, gross: 650_000, names: 2 });
    expect(d.missingReturns).toEqual(['ZZZ']);
  });
  it('is zero for a flat book', () => {
    const d = varDrilldown({ positions: [], returns, confidence: 0.99 });
    expect(d).toMatchObject({ fundVar: 0, positions: [], sectors: [] });
  });
});

describe('breachLog', () => {
  const point = (date: string, v: number | null, cycleId: string | null = `c-${date}`): RiskHistoryPoint => ({ date, cycleId, values: { var: v, cvar: null, var99: null, gross: null, drawdown: null } });
  const pts = [point('d1', 0.5), point('d2', 1.5), point('d3', null), point('d4', 1.2), point('d5', 0.9), point('d6', 2)];
  it('finds maximal runs over the limit (a day without a value neither breaks nor extends one), the open one ongoing', () => {
    const b = breachLog(pts, [{ measure: 'var', label: 'VaR', limit: 1 }]);
    expect(b.map((x) => [x.from, x.to, x.days, x.peak, x.isOngoing])).toEqual([['d2', 'd4', 2, 1.5, false], ['d6', 'd6', 1, 2, true]]);
    expect(b[0]?.cycleIds).toEqual(['c-d2', 'c-d4']);
  });
  it("compares each day with the limit in force that day, and reports the peak day's limit", () => {
    const limited = (date: string, v: number, limit?: number): RiskHistoryPoint => ({ ...point(date, v), ...(limit === undefined ? {} : { limits: { var: limit, cvar: 1, var99: 1, gross: 1, drawdown: 1 } }) });
    // 1.5 is over the default 1 but not over 2 (raised on d2); 1.8 is over 1.6 (lowered on d4)
    const days = [limited('d1', 1.5), limited('d2', 1.5, 2), limited('d3', 1.8, 2), limited('d4', 1.8, 1.6), limited('d5', 1.7, 1.6)];
    const b = breachLog(days, [{ measure: 'var', label: 'VaR', limit: 1 }]);
    expect(b.map((x) => [x.from, x.to, x.days, x.peak, x.limit, x.isOngoing])).toEqual([['d1', 'd1', 1, 1.5, 1, false], ['d4', 'd5', 2, 1.8, 1.6, true]]);
  });
  it("takes the first acknowledgement of the alerts raised during a run (by cycle, or dated within it)", () => {
    const days = [point('2024-01-01', 2, 'c1'), point('2024-01-02', 2, 'c2'), point('2024-01-03', 0), point('2024-01-04', 2, 'c4')];
    const alerts = [
      { id: 'x', traceId: 'c2', title: 't', timestamp: '2030-01-01T00:00:00.000Z', acknowledgedAt: '2030-01-02T00:00:00.000Z', acknowledgedBy: 'late' },
      { id: 'y', traceId: 'n/a', title: 't', timestamp: '2024-01-01T21:00:00.000Z', acknowledgedAt: '2024-01-01T22:00:00.000Z', acknowledgedBy: 'early' },
      { id: 'z', traceId: 'n/a', title: 't', timestamp: '2024-01-04T21:00:00.000Z', acknowledgedAt: null, acknowledgedBy: null },
    ];
    const b = breachLog(days, [{ measure: 'var', label: 'VaR', limit: 1 }], alerts);
    expect(b[0]).toMatchObject({ acknowledgedBy: 'early', acknowledgedAt: '2024-01-01T22:00:00.000Z' });
    expect(b[0]?.alerts.map((a) => a.id)).toEqual(['x', 'y']);
    expect(b[1]).toMatchObject({ acknowledgedBy: null, acknowledgedAt: null });
    expect(b[1]?.alerts.map((a) => a.id)).toEqual(['z']);
  });
});

describe('ticketImpact and proposalTickets', () => {
  const prices = new Map([['AAA', 50], ['BBB', 20], ['CCC', 10], ['DDD', 40]]);
  const fundQty = new Map([['AAA', 1000], ['BBB', -500]]);
  it('resulting weight = (fund shares + ticket shares) × price / NAV; VaR change and headroom are consistent', () => {
    const im = ticketImpact({ nav: 1_000_000, fundQty, prices, tickets: [{ symbol: 'AAA', side: 'SELL', qty: 400, price: 50 }, { symbol: 'CCC', side: 'BUY', qty: 3000, price: 10 }], returns, confidence: 0.95, varLimitPct: 0.01 });
    expect(im.tickets.map((t) => [t.symbol, t.resultingQty, t.resultingWeight, t.notional])).toEqual([['AAA', 600, 0.03, 20_000], ['CCC', 3000, 0.03, 30_000]]);
    expect(im.varChange).toBeCloseTo(im.varAfter - im.varBefore, 12);
    expect(im.headroomAfter).toBeCloseTo(10_000 - im.varAfter, 9);
    const before = varDrilldown({ positions: [{ symbol: 'AAA', exposure: 50_000 }, { symbol: 'BBB', exposure: -10_000 }], returns, confidence: 0.95 });
    expect(im.varBefore).toBeCloseTo(before.fundVar, 8);
  });
  const proposal = (p: Partial<TradeProposal>): TradeProposal => ({
    id: 'p', fundId: 'f', agentId: 'a', cycleId: null, decisionId: null, traceId: null, symbols: [], targets: [], ticket: null, size: 1, limitPrice: null,
    status: 'PENDING_APPROVAL', createdBy: 'x', createdAt: '2024-01-01T00:00:00.000Z', expiresAt: '2024-01-02T00:00:00.000Z', rationale: 'r', history: [], orderIds: [], fillIds: [], ...p,
  });
  it('turns a ticket into shares at its size, and plans a book: target − held, names not targeted sold out', () => {
    const t = proposalTickets(proposal({ ticket: { symbol: 'DDD', side: 'BUY', qty: null, notional: 8_000 }, size: 0.5 }), { agentCapital: null, held: new Map(), prices, minNotional: 100, maxTurnoverPct: 1 });
    expect(t.tickets).toEqual([{ symbol: 'DDD', side: 'BUY', qty: 100, price: 40 }]);
    const b = proposalTickets(proposal({ targets: [{ symbol: 'CCC', weight: 0.1 }], symbols: ['CCC'] }), { agentCapital: 100_000, held: new Map([['AAA', 10]]), prices, minNotional: 100, maxTurnoverPct: 1 });
    expect(b.tickets.map((x) => [x.symbol, x.side, x.qty])).toEqual(expect.arrayContaining([['CCC', 'BUY', 1000], ['AAA', 'SELL', 10]]));
    expect(b.tickets).toHaveLength(2);
  });
});
