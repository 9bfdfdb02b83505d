/**
 * The model's bias per agent (forecast-bias.ts): recovers a known ratio of realised to forecast
 * vol, waits for a quarter of record, stays within its bounds, and divides the agent's VaR budget
 * share. The fund cycle's wiring: src/fund/backtest/forecast-bias.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { budgetShare } from './budget-share.ts';
import { BIAS_HALF_LIFE_DAYS, BIAS_MAX, BIAS_MIN, BIAS_MIN_DAYS, modelBias, recordForecast, scoreForecast, type ForecastTrack } from './forecast-bias.ts';

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
