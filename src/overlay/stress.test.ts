import { describe, expect, it } from 'vitest';
import { HISTORICAL_SCENARIOS, runStress, SEED_SCENARIOS, worstWindows, type RiskModel } from './index.ts';

/** A two-name model by hand: betas 1 and 2, a market series with a known worst window. */
function model(): RiskModel {
  const m = Float64Array.from([0.01, -0.02, -0.03, 0.01, 0.02, -0.01]);
  const N = 2;
  const T = m.length;
  const residuals = new Float64Array(N * T);
  for (let k = 0; k < T; k++) {
    residuals[k] = 0; // name A moves exactly with the market (β = 1)
    residuals[T + k] = Number.NaN; // name B has no data: replays use β × market
  }
  return {
    symbols: ['A', 'B'], index: new Map([['A', 0], ['B', 1]]), N, K: 1, factorNames: ['market'],
    B: Float64Array.from([1, 2]), F: Float64Array.from([0.0001]), D: Float64Array.from([0, 0]), beta: Float64Array.from([1, 2]),
    proxied: new Uint8Array(2), T, residuals, marketReturns: m, marketNow: m, issues: [],
  };
}

const zero = { momentum: new Float64Array(2), value: new Float64Array(2) };

describe('stress testing (seed §4A)', () => {
  it('has the seed five, the four historical episodes and replays', () => {
    expect(SEED_SCENARIOS.map((s) => s.name)).toEqual(['2008_liquidity_freeze', '2020_covid_crash', 'rate_shock_200bps', 'vol_spike_vix_40', 'correlation_breakdown']);
    expect(HISTORICAL_SCENARIOS.map((s) => s.name)).toEqual(['black_monday_1987', 'gfc_2008', 'covid_2020', 'inflation_2022']);
  });

  it('factor P&L = Σ notional × β × equity shock + gross × driver sensitivities', () => {
    const books = [
      { agentId: 'long', book: { idx: Int32Array.from([0, 1]), val: Float64Array.from([1e6, 5e5]) }, drivers: ['equity_beta' as const] },
      { agentId: 'vol', book: { idx: Int32Array.from([0]), val: Float64Array.from([1e6]) }, drivers: ['vol_selling' as const] },
    ];
    const r = runStress(books, model(), zero, 1e7, []);
    const vix = r.results.find((x) => x.scenario === 'vol_spike_vix_40');
    // long: (1e6·1 + 5e5·2) × −0.15 = −300,000
    expect(vix?.perAgent.long).toBeCloseTo(-300_000, 6);
    // vol seller: 1e6 × −0.15 + gross 1e6 × (1.67 × −0.1 + −0.30 × 1) = −150,000 − 467,000
    expect(vix?.perAgent.vol).toBeCloseTo(-617_000, 6);
    expect(vix?.fundPnlPct).toBeCloseTo(-0.0917, 10);
    expect(r.worst?.scenario).toBe('gfc_2008');
    expect(r.jointLosses[0]?.agents).toEqual(['long', 'vol']);
    expect(r.text).toMatch(/Worst case: gfc_2008/);
  });

  it('replays the worst window of the history with each name’s own returns (β × market where missing)', () => {
    const [w] = worstWindows(model(), [2]);
    expect(w?.start).toBe(1); // −2%, −3%
    const g = 0.98 * 0.97 - 1;
    expect(w?.marketReturn).toBeCloseTo(g, 12);
    expect(w?.nameReturns[0]).toBeCloseTo(g, 12);
    expect(w?.nameReturns[1]).toBeCloseTo((1 - 0.04) * (1 - 0.06) - 1, 12);
    const r = runStress([{ agentId: 'a', book: { idx: Int32Array.from([0]), val: Float64Array.from([1e6]) }, drivers: [] }], model(), zero, 1e7, worstWindows(model(), [2]));
    expect(r.results.at(-1)?.fundPnl).toBeCloseTo(1e6 * g, 6);
  });
});
