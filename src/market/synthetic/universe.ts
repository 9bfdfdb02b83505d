import type { Rng } from '../../core/index.ts';
import type { Instrument } from '../../contracts/index.ts';

/** The 11 GICS sectors used by the synthetic market. */
export const GICS_SECTORS = [
  'Communication Services',
  'Consumer Discretionary',
  'Consumer Staples',
  'Energy',
  'Financials',
  'Health Care',
  'Industrials',
  'Information Technology',
  'Materials',
  'Real Estate',
  'Utilities',
] as const;

/**
 * Style factors of the synthetic market, as daily returns (fractions):
 * `mkt_rf` market excess return, `smb` size (small minus big), `hml` value (cheap minus dear),
 * `mom` momentum (winners minus losers), `qmj` quality (quality minus junk), `bab` low
 * volatility (betting against beta). The first four share the names of the Fama/French files.
 */
export const FACTOR_NAMES = ['mkt_rf', 'smb', 'hml', 'mom', 'qmj', 'bab'] as const;
export type FactorName = (typeof FACTOR_NAMES)[number];

/**
 * Static exposures of each name (length U). `beta` to the market; `sectorLoading` to its sector
 * factor; `size`, `value`, `momentum`, `quality`, `lowVol` loadings on smb, hml, mom, qmj, bab
 * (cross-sectional z-scores × 0.5); `idioVol` daily idiosyncratic volatility (fraction).
 */
export interface Exposures {
  readonly beta: Float64Array;
  readonly sectorLoading: Float64Array;
  readonly size: Float64Array;
  readonly value: Float64Array;
  readonly momentum: Float64Array;
  readonly quality: Float64Array;
  readonly lowVol: Float64Array;
  readonly idioVol: Float64Array;
}

export interface Universe {
  readonly instruments: Instrument[];
  readonly symbols: string[];
  readonly sectors: string[];
  readonly sectorIndex: Int32Array;
  /** Shares outstanding (constant over the history). */
  readonly shares: Float64Array;
  /** First close, dollars. */
  readonly initialPrice: Float64Array;
  /** Daily turnover as a fraction of shares outstanding. */
  readonly turnover: Float64Array;
  readonly exposures: Exposures;
}

function zscore(x: Float64Array): Float64Array {
  const n = x.length;
  let m = 0;
  for (const v of x) m += v;
  m /= Math.max(1, n);
  let ss = 0;
  for (const v of x) ss += (v - m) ** 2;
  const sd = Math.sqrt(ss / Math.max(1, n - 1)) || 1;
  return x.map((v) => (v - m) / sd);
}

/** Symbols `SYN001`… (4 digits past 999 names). */
export function syntheticSymbol(i: number, U: number): string {
  return `SYN${String(i + 1).padStart(U > 999 ? 4 : 3, '0')}`;
}

/** Draws U names: sectors (every sector used when U ≥ 11), caps, prices and exposures. */
export function drawUniverse(rng: Rng, U: number): Universe {
  const symbols: string[] = [];
  const sectors: string[] = [];
  const sectorIndex = new Int32Array(U);
  const shares = new Float64Array(U);
  const initialPrice = new Float64Array(U);
  const turnover = new Float64Array(U);
  const logCap = new Float64Array(U);
  const idioVol = new Float64Array(U);
  const beta = new Float64Array(U);
  const sectorLoading = new Float64Array(U);
  const rawValue = new Float64Array(U);
  const rawMom = new Float64Array(U);
  const rawQuality = new Float64Array(U);
  for (let u = 0; u < U; u++) {
    const k = u < GICS_SECTORS.length ? u : rng.int(GICS_SECTORS.length);
    sectorIndex[u] = k;
    sectors.push(GICS_SECTORS[k] ?? 'Unknown');
    symbols.push(syntheticSymbol(u, U));
    // market caps log-normal around $15bn, between roughly $1bn and $1tn
    const cap = Math.min(1e12, Math.max(1e9, Math.exp(Math.log(15e9) + 1.1 * rng.normal())));
    logCap[u] = Math.log(cap);
    initialPrice[u] = Math.exp(Math.log(60) + 0.7 * rng.normal());
    shares[u] = Math.round(cap / (initialPrice[u] ?? 1));
    // smaller names are more volatile: annual idio vol ~ 15%..60%
    const annIdio = Math.min(0.6, Math.max(0.12, 0.28 - 0.04 * (Math.log(cap) - Math.log(15e9)) + 0.07 * rng.normal()));
    idioVol[u] = annIdio / Math.sqrt(252);
    beta[u] = Math.min(1.8, Math.max(0.4, 0.6 + 1.5 * annIdio + 0.2 * rng.normal()));
    sectorLoading[u] = 0.8 + 0.4 * rng.next();
    turnover[u] = 0.003 + 0.009 * rng.next();
    rawValue[u] = rng.normal();
    rawMom[u] = rng.normal();
    rawQuality[u] = 0.5 * rng.normal() - 0.5 * (annIdio - 0.28) / 0.1;
  }
  const half = (x: Float64Array) => zscore(x).map((v) => 0.5 * v);
  const exposures: Exposures = {
    beta,
    sectorLoading,
    size: half(logCap.map((v) => -v)),
    value: half(rawValue),
    momentum: half(rawMom),
    quality: half(rawQuality),
    lowVol: half(idioVol.map((v) => -v)),
    idioVol,
  };
  const instruments: Instrument[] = symbols.map((symbol, u) => ({
    version: 1,
    symbol,
    name: `Synthetic ${sectors[u] ?? ''} ${u + 1}`,
    assetClass: 'equity',
    sector: sectors[u] ?? null,
    currency: 'USD',
    lotSize: 0,
    isTradable: true,
  }));
  return { instruments, symbols, sectors, sectorIndex, shares, initialPrice, turnover, exposures };
}
