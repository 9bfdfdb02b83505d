/**
 * Holdings-based factor exposures. Each name's loadings are the OLS betas of its daily returns on
 * the factor returns (with an intercept) over a lookback; a book's exposure to factor k is
 * Σ_i value_i·β_{i,k} in dollars (the P&L of a 1.00 factor return), and that over the book's
 * capital as a fraction (a market exposure of 0.4 moves the book 0.4% when the market moves 1%).
 */
import { err, ok, type Result } from '../../core/index.ts';
import { factorAttribution } from './factor-attribution.ts';

export interface NameLoadings {
  readonly betas: Readonly<Record<string, number>>;
  readonly rSquared: number;
  /** Days used (both the name's and every factor's return finite). */
  readonly observations: number;
}

export type LoadingsError = { readonly code: 'TOO_FEW_OBSERVATIONS' | 'SINGULAR' | 'LENGTH_MISMATCH'; readonly message: string };

/**
 * A name's factor loadings from aligned daily returns (NaN where missing). Days where the name or
 * any factor is missing are dropped; fewer than `minObservations` usable days is an error value.
 */
export function nameLoadings(returns: ArrayLike<number>, factors: Readonly<Record<string, ArrayLike<number>>>, minObservations = 20): Result<NameLoadings, LoadingsError> {
  const names = Object.keys(factors).sort();
  const T = returns.length;
  for (const n of names) {
    const f = factors[n] ?? [];
    if (f.length !== T) return err({ code: 'LENGTH_MISMATCH', message: `factor ${n} has ${f.length} returns, the name ${T}` });
  }
  const keep: number[] = [];
  for (let t = 0; t < T; t++) {
    if (!Number.isFinite(returns[t] as number)) continue;
    if (names.every((n) => Number.isFinite((factors[n] as ArrayLike<number>)[t] as number))) keep.push(t);
  }
  if (keep.length < Math.max(minObservations, names.length + 2)) return err({ code: 'TOO_FEW_OBSERVATIONS', message: `${keep.length} usable days (needs ${Math.max(minObservations, names.length + 2)})` });
  const y = Float64Array.from(keep, (t) => returns[t] as number);
  const x = Object.fromEntries(names.map((n) => [n, Float64Array.from(keep, (t) => (factors[n] as ArrayLike<number>)[t] as number)]));
  const r = factorAttribution({ portfolio: y, factors: x });
  if (!r.ok) return err({ code: r.error.code, message: r.error.message });
  return ok({ betas: Object.fromEntries(r.value.factors.map((f) => [f.factor, f.beta])), rSquared: r.value.rSquared, observations: keep.length });
}

/** A holding marked in dollars (signed). */
export interface ValuedHolding {
  readonly symbol: string;
  readonly value: number;
}

export interface BookExposure {
  /** Factor → Σ value·β, dollars. */
  readonly dollars: Record<string, number>;
  /** Factor → dollars / capital. */
  readonly exposures: Record<string, number>;
  readonly gross: number;
  readonly net: number;
  /** Share of gross value in names with loadings (1 when all have them; 0 for an empty book). */
  readonly coverage: number;
  /** Names held without loadings (too little history): left out of the exposures. */
  readonly missing: string[];
}

/** Exposures of a book to `factors` given each name's loadings; `capital` > 0 scales them to fractions. */
export function bookExposure(holdings: readonly ValuedHolding[], loadings: ReadonlyMap<string, NameLoadings>, factors: readonly string[], capital: number): BookExposure {
  const dollars: Record<string, number> = Object.fromEntries(factors.map((f) => [f, 0]));
  let gross = 0, net = 0, covered = 0;
  const missing = new Set<string>();
  for (const h of holdings) {
    if (h.value === 0) continue;
    gross += Math.abs(h.value);
    net += h.value;
    const l = loadings.get(h.symbol);
    if (!l) {
      missing.add(h.symbol);
      continue;
    }
    covered += Math.abs(h.value);
    for (const f of factors) dollars[f] = (dollars[f] ?? 0) + h.value * (l.betas[f] ?? 0);
  }
  const exposures = Object.fromEntries(factors.map((f) => [f, capital > 0 ? (dollars[f] ?? 0) / capital : Number.NaN]));
  return { dollars, exposures, gross, net, coverage: gross > 0 ? covered / gross : 0, missing: [...missing].sort() };
}
