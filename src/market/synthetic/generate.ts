import { ValidationError, createRng, dayNumber, fromDayNumber, isWeekday, parseIsoDate, type IsoDate, type Rng } from '../../core/index.ts';
import type { Fundamentals, Instrument } from '../../contracts/index.ts';
import { REGIMES, REGIME_PARAMS, simulateRegimes, type Regime } from './regimes.ts';
import { FACTOR_NAMES, drawUniverse, type Exposures, type FactorName } from './universe.ts';
import { syntheticFundamentals } from './fundamentals.ts';

export interface SyntheticOptions {
  /** Number of names U (default 500). */
  readonly symbols?: number;
  /** Years of history at 252 weekdays a year (default 6 → 1512 days). */
  readonly years?: number;
  /** Seed of every random draw: same seed, same market. */
  readonly seed: number;
  /** First date (default 2018-01-01; moved forward to a weekday). */
  readonly start?: IsoDate;
}

/**
 * A synthetic market: T weekdays × U names, row-major by time (`[t * U + u]`). Prices in
 * dollars, volume in shares, factor series as daily returns (fractions), `index` a
 * cap-weighted price index (points, 1000 before day 0), `vix` annualised implied volatility in
 * index points (20 = 20%), sentiment in [-1, 1], regimes as indices into `REGIMES`.
 */
export interface SyntheticMarket {
  readonly seed: number;
  readonly dates: readonly IsoDate[];
  readonly T: number;
  readonly U: number;
  readonly instruments: readonly Instrument[];
  readonly symbols: readonly string[];
  readonly sectors: readonly string[];
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  readonly sharesOutstanding: Float64Array;
  readonly index: Float64Array;
  readonly vix: Float64Array;
  readonly factors: ReadonlyMap<FactorName, Float64Array>;
  readonly regimes: Uint8Array;
  readonly sentiment: Float64Array;
  readonly fundamentals: ReadonlyMap<string, readonly Fundamentals[]>;
  readonly exposures: Exposures;
}

/** Daily mean of each style factor by regime (BULL_QUIET, BULL_VOLATILE, BEAR_QUIET, BEAR_CRISIS). */
const STYLE_MEAN: Readonly<Record<Exclude<FactorName, 'mkt_rf'>, readonly number[]>> = {
  smb: [0.0001, 0, -0.0001, -0.001],
  hml: [0.0001, 0.0001, 0.0002, -0.0003],
  mom: [0.0003, 0.0002, 0.0001, -0.002], // momentum crashes in crises
  qmj: [0, 0.0001, 0.0003, 0.001], // flight to quality
  bab: [0.0001, 0, 0.0002, 0.0008],
};
/** Daily volatility of each style factor in BULL_QUIET (scaled by the regime's factorVolMult). */
const STYLE_VOL: Readonly<Record<Exclude<FactorName, 'mkt_rf'>, number>> = { smb: 0.005, hml: 0.005, mom: 0.006, qmj: 0.004, bab: 0.005 };

/** GARCH(1,1) on unit-variance shocks: g = (1−α−β) + α·g·z² + β·g, so E[g] = 1. */
const MKT_ALPHA = 0.08;
const MKT_BETA = 0.9;
const IDIO_ALPHA = 0.06;
const IDIO_BETA = 0.91;
const T_DF = 5;
const T_SCALE = Math.sqrt((T_DF - 2) / T_DF);
/** Next-day return per unit of sentiment (sentiment carries a small real signal). */
const SENTIMENT_ALPHA = 0.0004;

/** Shocks are clipped at ±8 (unit variance) and GARCH variance at 6× its mean, so no name jumps 150% in a day. */
const MAX_SHOCK = 8;
const MAX_G = 6;

function tShock(rng: Rng): number {
  const z = rng.studentT(T_DF) * T_SCALE;
  return z > MAX_SHOCK ? MAX_SHOCK : z < -MAX_SHOCK ? -MAX_SHOCK : z;
}

function weekdays(start: IsoDate, n: number): IsoDate[] {
  const out: IsoDate[] = [];
  for (let d = dayNumber(start); out.length < n; d++) {
    const iso = fromDayNumber(d);
    if (isWeekday(iso)) out.push(iso);
  }
  return out;
}

/**
 * Generates the synthetic market. Returns follow a factor model
 * r = β·m + γ·s_sector + Σ b_k·f_k + ε + α_sent·sentiment(t−1), with the market shock and each ε
 * Student-t (5 df) scaled by GARCH(1,1) variance and by the regime's volatility, so tails are
 * fat, volatility clusters and correlations rise in crises (market variance rises more than
 * idiosyncratic variance). O(T·U); 500 × 1512 takes a few hundred ms.
 */
export function generateSyntheticMarket(options: SyntheticOptions): SyntheticMarket {
  const U = options.symbols ?? 500;
  const years = options.years ?? 6;
  if (!Number.isInteger(U) || U < 1 || U > 10_000) throw new ValidationError('symbols', `must be an integer in 1..10000, got ${U}`);
  if (!(years > 0 && years <= 50)) throw new ValidationError('years', `must be in (0, 50], got ${years}`);
  if (!Number.isInteger(options.seed)) throw new ValidationError('seed', `must be an integer, got ${options.seed}`);
  const T = Math.max(2, Math.round(years * 252));
  const dates = weekdays(parseIsoDate(options.start ?? '2018-01-01', 'start'), T);
  const root = createRng(options.seed);
  const regimeRng = root.fork();
  const universeRng = root.fork();
  const factorRng = root.fork();
  const stockRng = root.fork();
  const barRng = root.fork();
  const fundRng = root.fork();

  const regimes = simulateRegimes(regimeRng, T);
  const uni = drawUniverse(universeRng, U);
  const ex = uni.exposures;
  const n = T * U;
  const open = new Float64Array(n);
  const high = new Float64Array(n);
  const low = new Float64Array(n);
  const close = new Float64Array(n);
  const volume = new Float64Array(n);
  const sentiment = new Float64Array(n);
  const index = new Float64Array(T);
  const vix = new Float64Array(T);
  const factors = new Map<FactorName, Float64Array>(FACTOR_NAMES.map((f) => [f, new Float64Array(T)]));
  const fac = (f: FactorName) => factors.get(f) ?? new Float64Array(T);
  const [fMkt, fSmb, fHml, fMom, fQmj, fBab] = FACTOR_NAMES.map(fac) as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];

  const prevClose = Float64Array.from(uni.initialPrice);
  const g = new Float64Array(U).fill(1);
  const z2 = new Float64Array(U).fill(1);
  const sentX = new Float64Array(U);
  const sectorRet = new Float64Array(11);
  let gM = 1;
  let zM2 = 1;
  let level = 1000;
  let vixNoise = 0;

  for (let t = 0; t < T; t++) {
    const reg = regimes[t] ?? 0;
    const p = REGIME_PARAMS[REGIMES[reg] ?? 'BULL_QUIET'];
    gM = Math.min(MAX_G, 1 - MKT_ALPHA - MKT_BETA + MKT_ALPHA * gM * zM2 + MKT_BETA * gM);
    const zM = tShock(factorRng);
    zM2 = zM * zM;
    const sigM = p.marketVol * Math.sqrt(gM);
    const m = p.marketMu + sigM * zM;
    fMkt[t] = m;
    for (let k = 0; k < sectorRet.length; k++) sectorRet[k] = p.sectorVol * factorRng.normal();
    const fv = p.factorVolMult;
    const smb = (STYLE_MEAN.smb[reg] ?? 0) + STYLE_VOL.smb * fv * factorRng.normal();
    const hml = (STYLE_MEAN.hml[reg] ?? 0) + STYLE_VOL.hml * fv * factorRng.normal();
    const mom = (STYLE_MEAN.mom[reg] ?? 0) + STYLE_VOL.mom * fv * factorRng.normal();
    const qmj = (STYLE_MEAN.qmj[reg] ?? 0) + STYLE_VOL.qmj * fv * factorRng.normal();
    const bab = (STYLE_MEAN.bab[reg] ?? 0) + STYLE_VOL.bab * fv * factorRng.normal();
    fSmb[t] = smb;
    fHml[t] = hml;
    fMom[t] = mom;
    fQmj[t] = qmj;
    fBab[t] = bab;
    vixNoise = 0.8 * vixNoise + 0.04 * factorRng.normal();
    vix[t] = Math.max(9, 100 * Math.sqrt(252) * sigM * 1.15 * Math.exp(vixNoise));
    const vixLoad = 0.6 + (0.4 * (vix[t] ?? 15)) / 15;

    let capPrev = 0;
    let capRet = 0;
    const base = t * U;
    for (let u = 0; u < U; u++) {
      const gi = Math.min(MAX_G, 1 - IDIO_ALPHA - IDIO_BETA + IDIO_ALPHA * (g[u] ?? 1) * (z2[u] ?? 1) + IDIO_BETA * (g[u] ?? 1));
      g[u] = gi;
      const z = tShock(stockRng);
      z2[u] = z * z;
      const idioSig = (ex.idioVol[u] ?? 0.01) * p.idioMult * Math.sqrt(gi);
      const beta = ex.beta[u] ?? 1;
      const prevSent = Math.tanh((sentX[u] ?? 0) / 2);
      let r =
        beta * m +
        (ex.sectorLoading[u] ?? 1) * (sectorRet[uni.sectorIndex[u] ?? 0] ?? 0) +
        (ex.size[u] ?? 0) * smb +
        (ex.value[u] ?? 0) * hml +
        (ex.momentum[u] ?? 0) * mom +
        (ex.quality[u] ?? 0) * qmj +
        (ex.lowVol[u] ?? 0) * bab +
        idioSig * z +
        SENTIMENT_ALPHA * (t > 0 ? prevSent : 0);
      if (r < -0.9) r = -0.9;
      const pc = prevClose[u] ?? 1;
      const c = pc * (1 + r);
      const sigTot = Math.sqrt(beta * beta * sigM * sigM + idioSig * idioSig);
      const o = pc * (1 + 0.35 * r + 0.2 * sigTot * barRng.normal());
      const hi = Math.max(o, c) * (1 + 0.6 * sigTot * Math.abs(barRng.normal()));
      const lo = Math.min(o, c) * Math.max(0.05, 1 - 0.6 * sigTot * Math.abs(barRng.normal()));
      const i = base + u;
      open[i] = o;
      high[i] = hi;
      low[i] = lo;
      close[i] = c;
      const shares = uni.shares[u] ?? 0;
      const surprise = Math.min(6, Math.abs(r) / Math.max(1e-6, sigTot));
      volume[i] = Math.round(shares * (uni.turnover[u] ?? 0.005) * Math.exp(0.35 * barRng.normal() - 0.06) * (0.7 + 0.3 * surprise) * vixLoad);
      const x = 0.92 * (sentX[u] ?? 0) + 0.25 * Math.max(-4, Math.min(4, r / Math.max(1e-6, sigTot))) + 0.35 * barRng.normal();
      sentX[u] = x;
      sentiment[i] = Math.tanh(x / 2);
      const capBefore = pc * shares;
      capPrev += capBefore;
      capRet += capBefore * r;
      prevClose[u] = c;
    }
    level *= 1 + (capPrev > 0 ? capRet / capPrev : 0);
    index[t] = level;
  }

  const fundamentals = syntheticFundamentals(fundRng, { dates, symbols: uni.symbols, close, shares: uni.shares, exposures: ex });
  return {
    seed: options.seed,
    dates,
    T,
    U,
    instruments: uni.instruments,
    symbols: uni.symbols,
    sectors: uni.sectors,
    open,
    high,
    low,
    close,
    volume,
    sharesOutstanding: uni.shares,
    index,
    vix,
    factors,
    regimes,
    sentiment,
    fundamentals,
    exposures: ex,
  };
}

/** The regime of each day, as names. */
export function regimePath(market: Pick<SyntheticMarket, 'regimes'>): Regime[] {
  return Array.from(market.regimes, (k) => REGIMES[k] ?? 'BULL_QUIET');
}
