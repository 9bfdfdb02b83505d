/**
 * The volatility regime adjustment (vol-regime.ts): the market's recent variance over the model's,
 * exponentially weighted, within its bounds, and the overlay's risk model scaled by its square.
 */
import { describe, expect, it } from 'vitest';
import { defaultFundConfigInput, parseFundConfig } from '../contracts/index.ts';
import { viewAt, type Panel } from '../market/index.ts';
import { riskModelFor } from './factor-model-local.ts';
import { syntheticPanel } from './testing/fixture.ts';
import { VRA_MAX, VRA_MIN, volRegimeScale } from './vol-regime.ts';

const CALM = 0.01;
const SPIKE = 0.03;
const START = 150;

/** A panel whose market reference is returns of ±1% a day, then ±3% from row START. */
function spikePanel(): Panel {
  const base = syntheticPanel({ T: 200, U: 8, seed: 4 });
  const market = Float64Array.from({ length: base.dates.length }, (_, t) => (t === 0 ? Number.NaN : (t % 2 === 0 ? 1 : -1) * (t < START ? CALM : SPIKE)));
  return { ...base, reference: new Map([...base.reference].filter(([k]) => k !== 'market')).set('market', market) };
}

/** The same statistic written out: the last 4 half-lives, newest weight 1. */
function expected(t: number, marketVar: number, h: number): number {
  let sw = 0;
  let swr = 0;
  for (let i = 0; i < 4 * h && t - i >= 1; i++) {
    const r = t - i < START ? CALM : SPIKE;
    const w = 0.5 ** (i / h);
    sw += w;
    swr += w * r * r;
  }
  return Math.min(VRA_MAX, Math.max(VRA_MIN, Math.sqrt(swr / sw / marketVar)));
}

describe('the volatility regime adjustment', () => {
  const p = spikePanel();

  it('is 1 when the market moves as the model says, and follows a spike within days', () => {
    expect(volRegimeScale(viewAt(p, START - 1), CALM * CALM, 21)).toBeCloseTo(1, 12);
    for (const t of [START + 2, START + 10, START + 40]) expect(volRegimeScale(viewAt(p, t), CALM * CALM, 21)).toBeCloseTo(expected(t, CALM * CALM, 21), 12);
    expect(volRegimeScale(viewAt(p, START + 5), CALM * CALM, 21)).toBeGreaterThan(1.5);
    expect(volRegimeScale(viewAt(p, START + 40), CALM * CALM, 21)).toBeGreaterThan(2.5);
  });

  it('stays within its bounds, and is 1 when off, without a model variance or with too little history', () => {
    // a calm market does not lower the model's risk
    expect(VRA_MIN).toBe(1);
    expect(volRegimeScale(viewAt(p, START - 1), 100 * CALM * CALM, 21)).toBe(1);
    expect(volRegimeScale(viewAt(p, 199), 0.01 * CALM * CALM, 21)).toBe(VRA_MAX);
    expect(volRegimeScale(viewAt(p, 199), CALM * CALM, 0)).toBe(1);
    expect(volRegimeScale(viewAt(p, 199), 0, 21)).toBe(1);
    expect(volRegimeScale(viewAt(p, 5), 0.25 * CALM * CALM, 21)).toBe(1);
  });

  it('scales the overlay model’s factor covariance by its square and leaves specific risk alone', () => {
    const on = parseFundConfig({ ...defaultFundConfigInput(1_000_000), risk: { riskModel: { volRegimeHalfLifeDays: 21 } } });
    const off = parseFundConfig(defaultFundConfigInput(1_000_000));
    expect(off.risk.riskModel.volRegimeHalfLifeDays).toBe(0);
    const view = viewAt(p, START + 20);
    const symbols = p.symbols.slice(0, 5);
    const a = riskModelFor(view, symbols, on);
    const b = riskModelFor(view, symbols, off);
    const k = volRegimeScale(view, b.F[0] ?? 0, 21);
    expect(k).toBeGreaterThan(1.2);
    for (let i = 0; i < a.F.length; i++) expect(a.F[i] ?? 0).toBeCloseTo((b.F[i] ?? 0) * k * k, 15);
    expect(Array.from(a.D)).toEqual(Array.from(b.D));
    expect(Array.from(a.B)).toEqual(Array.from(b.B));
  });
});
