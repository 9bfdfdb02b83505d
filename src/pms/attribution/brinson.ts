/**
 * Brinson attribution against a benchmark by sector, single period. With portfolio and
 * benchmark sector weights w_p, w_b (each summing to 1), sector returns R_p,s, R_b,s and the
 * benchmark total R_b = Σ w_b·R_b,s:
 *   allocation_s  = (w_p − w_b)(R_b,s − R_b)     Brinson–Fachler
 *                 = (w_p − w_b)·R_b,s            Brinson–Hood–Beebower
 *   selection_s   = w_b(R_p,s − R_b,s)
 *   interaction_s = (w_p − w_b)(R_p,s − R_b,s)
 * and Σ_s (allocation + selection + interaction) = R_p − R_b under both (Σ_s (w_p − w_b) = 0, so
 * the two allocations differ per sector but not in total).
 */
import { err, ok, type Result } from '../../core/index.ts';

/** One sector: weights are fractions of each portfolio's value; returns simple period returns. */
export interface BrinsonSector {
  readonly sector: string;
  readonly portfolioWeight: number;
  readonly benchmarkWeight: number;
  readonly portfolioReturn: number;
  readonly benchmarkReturn: number;
}

export interface BrinsonSectorResult extends BrinsonSector {
  readonly allocation: number;
  readonly selection: number;
  readonly interaction: number;
  readonly total: number;
}

export interface BrinsonResult {
  readonly portfolioReturn: number;
  readonly benchmarkReturn: number;
  /** R_p − R_b. */
  readonly activeReturn: number;
  readonly allocation: number;
  readonly selection: number;
  readonly interaction: number;
  readonly sectors: BrinsonSectorResult[];
}

export type BrinsonError = { readonly code: 'WEIGHTS_DO_NOT_SUM_TO_ONE'; readonly side: 'portfolio' | 'benchmark'; readonly sum: number; readonly message: string };

/** Brinson–Fachler by sector. Weights of each side must sum to 1 within `tolerance` (default 1e-6): put cash in its own sector. */
export function brinsonFachler(sectors: readonly BrinsonSector[], tolerance = 1e-6): Result<BrinsonResult, BrinsonError> {
  return brinson(sectors, 'fachler', tolerance);
}

/** Brinson–Hood–Beebower by sector: allocation against the sector's own benchmark return. Same weight rule as `brinsonFachler`. */
export function brinsonHoodBeebower(sectors: readonly BrinsonSector[], tolerance = 1e-6): Result<BrinsonResult, BrinsonError> {
  return brinson(sectors, 'bhb', tolerance);
}

function brinson(sectors: readonly BrinsonSector[], method: 'fachler' | 'bhb', tolerance: number): Result<BrinsonResult, BrinsonError> {
  const sp = sectors.reduce((s, x) => s + x.portfolioWeight, 0);
  const sb = sectors.reduce((s, x) => s + x.benchmarkWeight, 0);
  for (const [side, sum] of [['portfolio', sp], ['benchmark', sb]] as const) {
    if (Math.abs(sum - 1) > tolerance) return err({ code: 'WEIGHTS_DO_NOT_SUM_TO_ONE', side, sum, message: `${side} sector weights sum to ${sum}, not 1` });
  }
  const rp = sectors.reduce((s, x) => s + x.portfolioWeight * x.portfolioReturn, 0);
  const rb = sectors.reduce((s, x) => s + x.benchmarkWeight * x.benchmarkReturn, 0);
  const rows = sectors.map((x) => {
    const dw = x.portfolioWeight - x.benchmarkWeight;
    const allocation = dw * (method === 'fachler' ? x.benchmarkReturn - rb : x.benchmarkReturn);
    const selection = x.benchmarkWeight * (x.portfolioReturn - x.benchmarkReturn);
    const interaction = dw * (x.portfolioReturn - x.benchmarkReturn);
    return { ...x, allocation, selection, interaction, total: allocation + selection + interaction };
  });
  return ok({
    portfolioReturn: rp,
    benchmarkReturn: rb,
    activeReturn: rp - rb,
    allocation: rows.reduce((s, r) => s + r.allocation, 0),
    selection: rows.reduce((s, r) => s + r.selection, 0),
    interaction: rows.reduce((s, r) => s + r.interaction, 0),
    sectors: rows,
  });
}

/** A holding for building sector inputs: weight a fraction of the portfolio (or benchmark), return over the period. */
export interface BrinsonHolding {
  readonly symbol: string;
  readonly sector: string;
  readonly weight: number;
  readonly return: number;
}

/**
 * Sector weights and weighted-average sector returns from holdings. A sector the portfolio does
 * not hold gets R_p,s = R_b,s (no selection or interaction there); one the benchmark lacks gets R_b,s = R_p,s.
 * Sectors sorted by name.
 */
export function brinsonSectorsFromHoldings(portfolio: readonly BrinsonHolding[], benchmark: readonly BrinsonHolding[]): BrinsonSector[] {
  const agg = (hs: readonly BrinsonHolding[]): Map<string, { w: number; wr: number }> => {
    const m = new Map<string, { w: number; wr: number }>();
    for (const h of hs) {
      const a = m.get(h.sector) ?? { w: 0, wr: 0 };
      m.set(h.sector, { w: a.w + h.weight, wr: a.wr + h.weight * h.return });
    }
    return m;
  };
  const p = agg(portfolio);
  const b = agg(benchmark);
  const names = [...new Set([...p.keys(), ...b.keys()])].sort();
  return names.map((sector) => {
    const ps = p.get(sector);
    const bs = b.get(sector);
    const rP = ps && ps.w !== 0 ? ps.wr / ps.w : null;
    const rB = bs && bs.w !== 0 ? bs.wr / bs.w : null;
    return {
      sector,
      portfolioWeight: ps?.w ?? 0,
      benchmarkWeight: bs?.w ?? 0,
      portfolioReturn: rP ?? rB ?? 0,
      benchmarkReturn: rB ?? rP ?? 0,
    };
  });
}
