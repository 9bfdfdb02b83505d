import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MetaBrainConfig } from '../../contracts/index.ts';
import { conviction, decide, ensemble, kellyFraction, positionCvar, robustZScores, type AnalystView, type Ensemble } from '../index.ts';

const cfg = MetaBrainConfig.parse({}); // seed defaults: β 0.5, γ 0.3, min confidence 0.3, max 10%, CVaR 5%
const v = (source: string, mu: number, sigma: number, confidence: number, blend?: number): AnalystView =>
  blend === undefined ? { source, mu, sigma, confidence } : { source, mu, sigma, confidence, blend };

describe('meta-brain formulas against hand-worked cases', () => {
  // A: μ 2%, σ 5%, c 0.8; B: μ −1%, σ 4%, c 0.4.
  // w = (2/3, 1/3); μ̂_raw = 2/3·0.02 − 1/3·0.01 = 0.01
  // Var(μ) = ((0.02−0.005)² + (−0.01−0.005)²)/2 = 0.000225; penalty = exp(−0.5·0.000225)
  // σ̂² = 2/3(0.05² + 0.01²) + 1/3(0.04² + 0.02²) = 0.0024
  const e = ensemble([v('A', 0.02, 0.05, 0.8), v('B', -0.01, 0.04, 0.4)], { beta: cfg.beta });
  it('confidence-weighted ensemble, disagreement penalty and mixture σ', () => {
    expect(e.muRaw).toBeCloseTo(0.01, 15);
    expect(e.disagreement).toBeCloseTo(0.000225, 15);
    expect(e.penalty).toBeCloseTo(Math.exp(-0.0001125), 15);
    expect(e.mu).toBeCloseTo(0.01 * 0.99988750632794, 14);
    expect(e.sigma).toBeCloseTo(Math.sqrt(0.0024), 14);
    expect(e.confidence).toBeCloseTo(2 / 3, 14); // 2/3·0.8 + 1/3·0.4
    expect(e.consensus).toBeCloseTo(2 / 3, 14);
    expect(e.direction).toBe(1);
    expect(e.isConflict).toBe(false);
  });
  it('a strong disagreement penalty shrinks μ̂ (β = 1000: exp(−0.225))', () => {
    const strong = ensemble([v('A', 0.02, 0.05, 0.8), v('B', -0.01, 0.04, 0.4)], { beta: 1000 });
    expect(strong.mu).toBeCloseTo(0.01 * Math.exp(-0.225), 14);
  });
  it('learned blend weights multiply the confidences', () => {
    // a = (1, 3): w ∝ (0.8, 1.2) = (0.4, 0.6); μ̂_raw = 0.4·0.02 − 0.6·0.01 = 0.002
    const b = ensemble([v('A', 0.02, 0.05, 0.8, 1), v('B', -0.01, 0.04, 0.4, 3)], { beta: 0 });
    expect(b.muRaw).toBeCloseTo(0.002, 15);
  });
  it('conviction μ̂/σ̂ and fractional Kelly γμ̂/σ̂²', () => {
    expect(conviction(e.mu, e.sigma)).toBeCloseTo(0.0099988750632794 / Math.sqrt(0.0024), 12);
    expect(kellyFraction(e.mu, e.sigma, cfg.gamma)).toBeCloseTo((0.3 * 0.0099988750632794) / 0.0024, 12); // 1.24986
    expect(kellyFraction(0.01, 0.1, 0.3)).toBeCloseTo(0.3, 14);
    expect(kellyFraction(0.01, 0, 0.3)).toBe(0);
  });
  it('robust z-score (x − median)/MAD', () => {
    // median 3, |x − 3| = (2, 1, 0, 1, 97) → MAD 1
    expect(Array.from(robustZScores([1, 2, 3, 4, 100]))).toEqual([-2, -1, 0, 1, 97]);
    // even count: median 2.5, deviations (1.5, .5, .5, 1.5) → MAD 1
    expect(Array.from(robustZScores([1, 2, 3, 4]))).toEqual([-1.5, -0.5, 0.5, 1.5]);
    const withNaN = robustZScores([Number.NaN, 5, 5, 5]);
    expect(Number.isNaN(withNaN[0])).toBe(true);
    expect(withNaN[1]).toBe(0);
  });
  it('robust z-scores equal the comparator-sort formulation bit for bit, signed zeros included', () => {
    const median = (v: number[]) => {
      const s = v.slice().sort((a, b) => a - b);
      const m = s.length >> 1;
      return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
    };
    const reference = (x: number[]) => {
      const finite = x.filter((v) => Number.isFinite(v));
      if (finite.length === 0) return x.map(() => Number.NaN);
      const med = median(finite);
      const mad = median(finite.map((v) => Math.abs(v - med)));
      return x.map((v) => (Number.isFinite(v) ? (mad > 0 ? (v - med) / mad : 0) : Number.NaN));
    };
    const value = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(-0, 0, -0, Number.NaN, 0.25));
    fc.assert(
      fc.property(fc.array(value, { maxLength: 15 }), (x) => {
        const got = Array.from(robustZScores(x));
        const want = reference(x);
        for (let i = 0; i < x.length; i++) expect(Object.is(got[i], want[i]), `at ${i} of ${x.join(',')}`).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
  it('normal position CVaR: |f|(σφ(Φ⁻¹(α))/(1−α) − sign(f)μ)', () => {
    // φ(1.6448536) = 0.10313564; /0.05 = 2.0627128
    expect(positionCvar(0.1, 0.01, 0.05)).toBeCloseTo(0.1 * (0.05 * 2.0627128 - 0.01), 7);
    expect(positionCvar(-0.1, 0.01, 0.05)).toBeCloseTo(0.1 * (0.05 * 2.0627128 + 0.01), 7);
  });
  it('directional consensus and conflict: strong views on both sides without a 60% majority', () => {
    // c 0.7 vs 0.6: w = (0.538, 0.462), μ̂ > 0, consensus 0.538 < 0.6
    const c = ensemble([v('A', 0.02, 0.05, 0.7), v('B', -0.02, 0.05, 0.6)], { beta: 0.5 });
    expect(c.consensus).toBeCloseTo(0.7 / 1.3, 14);
    expect(c.isConflict).toBe(true);
    const unanimous = ensemble([v('A', 0.02, 0.05, 0.7), v('B', 0.01, 0.05, 0.6)], { beta: 0.5 });
    expect(unanimous.consensus).toBe(1);
    expect(unanimous.isConflict).toBe(false);
  });
  it('ignores views with no confidence or a NaN μ', () => {
    const x = ensemble([v('A', 0.02, 0.05, 0.8), v('B', Number.NaN, 0.04, 0.9), v('C', 0.5, 0.1, 0)], { beta: 0.5 });
    expect(x.n).toBe(1);
    expect(x.muRaw).toBeCloseTo(0.02, 15);
  });
});

describe('CVaR-first decision rules', () => {
  const base = { currentWeight: 0, grossElsewhere: 0, leverageLimit: 1, riskOverride: null, longOnly: true } as const;
  const e = ensemble([v('A', 0.02, 0.05, 0.8), v('B', -0.01, 0.04, 0.4)], { beta: cfg.beta });
  it('buys the Kelly fraction capped at 10% (CVaR 0.1·(0.04899·2.0627 − 0.01) = 0.91% < 5%)', () => {
    const d = decide({ ...base, ensemble: e }, cfg);
    expect(d.action).toBe('EXECUTE_BUY');
    expect(d.targetWeight).toBe(0.1);
    expect(d.reasons.map((r) => r.code)).toEqual(['POSITION_CAP', 'INCREASE']);
  });
  it('rejects when the marginal CVaR is above the 5% limit', () => {
    // Kelly 0.3·0.05/0.09 = 0.167 → 0.1; CVaR = 0.1·(0.3·2.0627 − 0.05) = 5.69%
    const risky = ensemble([v('A', 0.05, 0.3, 0.9)], { beta: 0.5 });
    const d = decide({ ...base, ensemble: risky }, cfg);
    expect(d.action).toBe('REJECT');
    expect(d.targetWeight).toBe(0);
    const r = d.reasons.find((x) => x.code === 'CVAR_LIMIT');
    expect(r?.limit).toBe(0.05);
    expect(r?.actual).toBeCloseTo(0.1 * (0.3 * 2.0627128 - 0.05), 6);
  });
  it('rejects when the leverage limit would be exceeded', () => {
    const d = decide({ ...base, ensemble: e, grossElsewhere: 0.95 }, cfg);
    expect(d.action).toBe('REJECT');
    expect(d.reasons.at(-1)).toEqual({ code: 'LEVERAGE_LIMIT', limit: 1, actual: 1.05 });
  });
  it('rejects any risk increase under a risk override, but still lets a position be cut', () => {
    expect(decide({ ...base, ensemble: e, riskOverride: 'drawdown' }, cfg).action).toBe('REJECT');
    const weak = ensemble([v('A', 0.02, 0.05, 0.2)], { beta: 0.5 });
    const cut = decide({ ...base, ensemble: weak, currentWeight: 0.05, riskOverride: 'drawdown' }, cfg);
    expect(cut.action).toBe('EXECUTE_SELL');
    expect(cut.targetWeight).toBe(0);
  });
  it('rejects a weak (confidence 0.2 < 0.3) or conflicted view on a flat name', () => {
    const weak = ensemble([v('A', 0.02, 0.05, 0.2)], { beta: 0.5 });
    const d = decide({ ...base, ensemble: weak }, cfg);
    expect(d.action).toBe('REJECT');
    expect(d.reasons.find((r) => r.code === 'LOW_CONFIDENCE')).toEqual({ code: 'LOW_CONFIDENCE', limit: 0.3, actual: 0.2 });
    const conflict = ensemble([v('A', 0.02, 0.05, 0.7), v('B', -0.02, 0.05, 0.6)], { beta: 0.5 });
    expect(decide({ ...base, ensemble: conflict }, cfg).reasons.map((r) => r.code)).toContain('SIGNAL_CONFLICT');
  });
  it('sells when the target is below the current weight and holds when it equals it', () => {
    const small = ensemble([v('A', 0.004, 0.1, 0.9)], { beta: 0.5 }); // Kelly 0.3·0.004/0.01 = 0.12 → 0.1
    expect(decide({ ...base, ensemble: small, currentWeight: 0.1 }, cfg).action).toBe('HOLD');
    const neg = ensemble([v('A', -0.004, 0.1, 0.9)], { beta: 0.5 });
    const d = decide({ ...base, ensemble: neg, currentWeight: 0.1 }, cfg);
    expect(d.action).toBe('EXECUTE_SELL');
    expect(d.targetWeight).toBe(0); // long-only
    const short = decide({ ...base, ensemble: neg, longOnly: false }, cfg);
    expect(short.action).toBe('EXECUTE_SELL');
    expect(short.targetWeight).toBe(-0.1);
  });
  it('says NO_SIGNAL when no analyst has a view', () => {
    const none: Ensemble = ensemble([], { beta: 0.5 });
    expect(decide({ ...base, ensemble: none }, cfg).reasons[0]?.code).toBe('NO_SIGNAL');
  });
});
