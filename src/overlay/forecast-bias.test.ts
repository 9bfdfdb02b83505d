/**
 * The model's bias per agent (forecast-bias.ts): recovers a known ratio of realised to forecast
 * vol, waits for a quarter of record, stays within its bounds, and divides the agent's VaR budget
 * share. The fund cycle's wiring: src/fund/backtest/forecast-bias.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { agentVarBudget, budgetShare } from './budget-share.ts';
import { BIAS_HALF_LIFE_DAYS, BIAS_MAX, BIAS_MIN, BIAS_MIN_DAYS, modelBias, PROPOSED_MIN_DAYS, recordForecast, recordProposal, scoreForecast, type ForecastTrack } from './forecast-bias.ts';

/** Deterministic standard normals (mulberry32 + Box–Muller). */
function normals(seed: number): () => number {
  let a = seed >>> 0;
  const u = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

/** A track after `days` returns drawn with `ratio` × the forecast vol, the forecast varying day to day. */
function simulate(ratio: number, days: number, seed = 7): ForecastTrack {
  const z = normals(seed);
  let track = recordForecast(undefined, 0.01);
  for (let d = 0; d < days; d++) {
    const f = 0.005 + 0.01 * ((d * 37) % 11) / 11;
    track = recordForecast(track, f);
    track = scoreForecast(track, ratio * f * z());
  }
  return track;
}

describe('the model bias of an agent’s books', () => {
  it('recovers the ratio of realised to forecast vol', () => {
    for (const ratio of [0.6, 1, 1.7]) expect(modelBias(simulate(ratio, 750))).toBeCloseTo(ratio, 0);
    expect(Math.abs(modelBias(simulate(1.7, 1500, 11)) - 1.7) / 1.7).toBeLessThan(0.15);
  });

  it('is 1 until a quarter of returns is scored, then within its bounds', () => {
    expect(modelBias(undefined)).toBe(1);
    expect(modelBias(simulate(1.7, BIAS_MIN_DAYS - 1))).toBe(1);
    expect(modelBias(simulate(1.7, BIAS_MIN_DAYS))).not.toBe(1);
    expect(modelBias(simulate(10, 500))).toBe(BIAS_MAX);
    expect(modelBias(simulate(0.05, 500))).toBe(BIAS_MIN);
  });

  it('forgets: a model that was right and then is off by 1.7× reads mostly 1.7 two half-lives later', () => {
    const z = normals(3);
    let track = recordForecast(undefined, 0.01);
    for (let d = 0; d < 500; d++) track = scoreForecast(track, 0.01 * z());
    for (let d = 0; d < 2 * BIAS_HALF_LIFE_DAYS; d++) track = scoreForecast(track, 0.017 * z());
    // three quarters of the weight on the new days: √(0.25 + 0.75 × 1.7²) ≈ 1.56
    expect(modelBias(track)).toBeGreaterThan(1.35);
    expect(modelBias(track)).toBeLessThan(1.7);
  });

  it('scores nothing without a forecast (no book) or a finite return, and caps one day at 6σ', () => {
    const none = recordForecast(undefined, 0);
    expect(scoreForecast(none, 0.05)).toEqual(none);
    const t = recordForecast(undefined, Number.NaN);
    expect(t.vol).toBe(0);
    const f = recordForecast(undefined, 0.01);
    expect(scoreForecast(f, Number.NaN)).toEqual(f);
    expect(scoreForecast(f, 1).bias2).toBeCloseTo(scoreForecast(f, 0.06).bias2, 12);
  });

  it('divides the allocated budget share; the configured share before any allocation is kept', () => {
    const forecast = { vol: 0.01, bias2: 4 * (1 - 0.5 ** (100 / BIAS_HALF_LIFE_DAYS)), days: 100 };
    expect(modelBias(forecast)).toBeCloseTo(2, 12);
    expect(budgetShare({ riskBudgetPct: 0.2 }, { standaloneRisk: 0.1, forecast })).toBeCloseTo(0.075, 12);
    expect(budgetShare({ riskBudgetPct: 0.2 }, { standaloneRisk: 0.1 })).toBeCloseTo(0.15, 12);
    expect(budgetShare({ riskBudgetPct: 0.2 }, { forecast })).toBe(0.2);
  });
});

describe('the floor of an agent’s VaR budget: half the budget of its usual proposal', () => {
  const fund = { varBudget: 1_000_000, z: 1.645, limitFactor: 1 };
  const proposals = (vols: readonly number[]) => vols.reduce<ForecastTrack | undefined>((t, v) => recordProposal(t, v), undefined);

  it('is the mean of the proposals with a book, then exponentially weighted; a flat proposal is not counted', () => {
    const t = proposals([0.01, 0, 0.02, Number.NaN, 0.03]);
    expect(t?.proposedDays).toBe(3);
    expect(t?.proposed).toBeCloseTo(0.02, 15);
    const long = proposals(Array.from({ length: 400 }, (_, i) => (i < 200 ? 0.01 : 0.02)));
    // 200 days after a step from 1% to 2%, the old level weighs 0.5^(200/63)
    expect(long?.proposed).toBeCloseTo(0.02 - 0.01 * 0.5 ** (200 / BIAS_HALF_LIFE_DAYS), 6);
  });

  it('lifts a budget sized from a record the fund held small, and leaves a healthy one alone', () => {
    const usual = proposals(Array.from({ length: PROPOSED_MIN_DAYS }, () => 0.01));
    // the floor: 0.5 × 1.5 × z × 1% × $10M = $123,375
    const floor = 0.5 * 1.5 * 1.645 * 0.01 * 10_000_000;
    const small = { standaloneRisk: 0.01, allocatedCapital: 10_000_000, ...(usual ? { forecast: usual } : {}) };
    expect(budgetShare({ riskBudgetPct: 0.2 }, small) * fund.varBudget).toBeCloseTo(15_000, 6);
    expect(agentVarBudget({ riskBudgetPct: 0.2 }, small, fund)).toBeCloseTo(floor, 6);
    const healthy = { ...small, standaloneRisk: 0.2 };
    expect(agentVarBudget({ riskBudgetPct: 0.2 }, healthy, fund)).toBeCloseTo(300_000, 6);
    expect(agentVarBudget({ riskBudgetPct: 0.2 }, healthy, { ...fund, limitFactor: 0.5 })).toBeCloseTo(150_000, 6);
  });

  it('waits for PROPOSED_MIN_DAYS proposals', () => {
    const few = proposals(Array.from({ length: PROPOSED_MIN_DAYS - 1 }, () => 0.01));
    const st = { standaloneRisk: 0.01, allocatedCapital: 10_000_000, ...(few ? { forecast: few } : {}) };
    expect(agentVarBudget({ riskBudgetPct: 0.2 }, st, fund)).toBeCloseTo(15_000, 6);
  });
});
