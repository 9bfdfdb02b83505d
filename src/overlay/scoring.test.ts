import { describe, expect, it } from 'vitest';
import { scoreAgents } from './index.ts';
import { agentState, fundState } from './testing/fixture.ts';

const r = [0.01, -0.02, 0.015, 0.005, -0.01, 0.02, 0.0, -0.005, 0.01, 0.012];

describe('scoring (seed §5A)', () => {
  it('Sharpe, Sortino, Calmar and IR against hand computations', () => {
    const n = r.length;
    const mean = r.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
    const fund = r.map((x, i) => x / 2 + (i % 2 ? 0.001 : -0.001));
    const [s] = scoreAgents(fundState('2024-01-02', 1e8, [agentState('a', 1e7, { returns: r })], { fundReturns: fund }), new Map(), 0);
    expect(s?.sharpe).toBeCloseTo((mean / sd) * Math.sqrt(252), 10);
    const dd = Math.sqrt(r.reduce((a, b) => a + Math.min(0, b) ** 2, 0) / n);
    expect(s?.sortino).toBeCloseTo((mean / dd) * Math.sqrt(252), 10);
    let eq = 1, peak = 1, mdd = 0;
    for (const x of r) {
      eq *= 1 + x;
      peak = Math.max(peak, eq);
      mdd = Math.max(mdd, 1 - eq / peak);
    }
    expect(s?.calmar).toBeCloseTo((Math.pow(eq, 252 / n) - 1) / mdd, 8);
    const active = r.map((x, i) => x - (fund[i] ?? 0));
    const am = active.reduce((a, c) => a + c, 0) / n;
    const asd = Math.sqrt(active.reduce((a, c) => a + (c - am) ** 2, 0) / (n - 1));
    expect(s?.informationRatio).toBeCloseTo((am / asd) * Math.sqrt(252), 10);
  });

  it('a diversifying agent scores above a fund-hugging one', () => {
    const fund = Array.from({ length: 60 }, (_, i) => Math.sin(i) * 0.01);
    const hugger = fund.map((x) => x + 0.0001);
    const diversifier = fund.map((x, i) => -x * 0.5 + (i % 3 === 0 ? 0.004 : 0.001));
    const state = fundState('2024-01-02', 1e8, [agentState('hug', 1e7, { returns: hugger }), agentState('div', 1e7, { returns: diversifier })], { fundReturns: fund });
    const scores = scoreAgents(state, new Map([['hug', 1e5], ['div', 1e5]]), 0);
    const [hug, div] = scores;
    expect(div?.diversification).toBeGreaterThan(1);
    expect(hug?.diversification).toBeLessThan(0.01);
    expect(div?.score).toBeGreaterThan(hug?.score ?? 0);
  });

  it('a book that never had a P&L is unscored, not the worst in the fund (it scored Sharpe −9e16, Sortino −15.9, score −0.5 against a positive risk-free rate)', () => {
    const fund = Array.from({ length: 60 }, (_, i) => Math.sin(i) * 0.01);
    const state = fundState('2024-01-02', 1e8, [agentState('flat', 1e7, { returns: fund.map(() => 0) }), agentState('live', 1e7, { returns: fund })], { fundReturns: fund });
    const [flat, live] = scoreAgents(state, new Map([['live', 1e5]]), 0.04);
    expect(flat?.sharpe).toBeNaN();
    expect(flat?.sortino).toBeNaN();
    expect(flat?.calmar).toBeNaN();
    expect(flat?.informationRatio).toBeNaN();
    expect(flat?.score).toBe(0);
    expect(JSON.parse(JSON.stringify(flat)).sharpe).toBeNull();
    expect(Number.isFinite(live?.sharpe)).toBe(true);
  });
});
