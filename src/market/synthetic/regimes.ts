import type { Rng } from '../../core/index.ts';

/** Market regimes of the synthetic market, simulated as a daily Markov chain. */
export const REGIMES = ['BULL_QUIET', 'BULL_VOLATILE', 'BEAR_QUIET', 'BEAR_CRISIS'] as const;
export type Regime = (typeof REGIMES)[number];

/** Code of BEAR_CRISIS in a regime path (`Uint8Array` of indices into REGIMES). */
export const CRISIS = 3;

/**
 * Per-regime parameters, all daily and in fractions: `marketMu` mean market return,
 * `marketVol` market volatility, `sectorVol` volatility of each sector factor, `idioMult`
 * multiplier of each name's idiosyncratic volatility, `factorVolMult` multiplier of the style
 * factors' volatility. Market volatility rises 4× into a crisis while idiosyncratic volatility
 * rises only 1.4×, so pairwise correlations rise in crises.
 */
export interface RegimeParams {
  readonly marketMu: number;
  readonly marketVol: number;
  readonly sectorVol: number;
  readonly idioMult: number;
  readonly factorVolMult: number;
}

export const REGIME_PARAMS: Readonly<Record<Regime, RegimeParams>> = {
  BULL_QUIET: { marketMu: 0.0007, marketVol: 0.007, sectorVol: 0.004, idioMult: 1.0, factorVolMult: 1.0 },
  BULL_VOLATILE: { marketMu: 0.0003, marketVol: 0.012, sectorVol: 0.006, idioMult: 1.1, factorVolMult: 1.3 },
  BEAR_QUIET: { marketMu: -0.0004, marketVol: 0.01, sectorVol: 0.005, idioMult: 1.05, factorVolMult: 1.2 },
  BEAR_CRISIS: { marketMu: -0.003, marketVol: 0.028, sectorVol: 0.01, idioMult: 1.4, factorVolMult: 2.0 },
};

/**
 * Daily transition probabilities, row = from, column = to (rows sum to 1). Expected durations
 * 1/(1−p_ii): bull quiet 100 days, bull volatile 25, bear quiet 33, crisis 25.
 */
export const REGIME_TRANSITIONS: readonly (readonly number[])[] = [
  [0.99, 0.006, 0.003, 0.001],
  [0.02, 0.96, 0.012, 0.008],
  [0.012, 0.01, 0.97, 0.008],
  [0.005, 0.02, 0.015, 0.96],
];

/**
 * Simulates T days of regimes starting in BULL_QUIET. When the chain produced no crisis and T is
 * at least 250 days, a crisis of 30–59 days is placed in the middle half, so every multi-year
 * synthetic history contains at least one crisis.
 */
export function simulateRegimes(rng: Rng, T: number): Uint8Array {
  const path = new Uint8Array(T);
  let s = 0;
  for (let t = 0; t < T; t++) {
    if (t > 0) {
      const row = REGIME_TRANSITIONS[s] ?? [1];
      const u = rng.next();
      let acc = 0;
      let next = row.length - 1;
      for (let k = 0; k < row.length; k++) {
        acc += row[k] ?? 0;
        if (u < acc) {
          next = k;
          break;
        }
      }
      s = next;
    }
    path[t] = s;
  }
  if (T >= 250 && !path.includes(CRISIS)) {
    const len = 30 + rng.int(30);
    const start = Math.floor(T / 4) + rng.int(Math.max(1, Math.floor(T / 2) - len));
    path.fill(CRISIS, start, Math.min(T, start + len));
  }
  return path;
}
