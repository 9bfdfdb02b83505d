/**
 * Brinson–Hood–Beebower by sector over many days: one attribution per day on start-of-day weights,
 * effects summed over the days (arithmetic, no compounding). Weights and returns are fractions of
 * a fixed base (the NAV at the start of the window), so a day's portfolio return is its P&L / base
 * and the window's is total P&L / base. Uninvested NAV sits in a `Cash` sector earning 0 that the
 * benchmark does not hold. The holdings explain close-to-close P&L; what they cannot — fills away
 * from the close, fees, and a sector whose longs and shorts net to (almost) nothing, where a return
 * on net value means nothing — is `trading`. Invariant, each day and over the window:
 *   allocation + selection + interaction + trading = portfolio return − benchmark return.
 */
import { err, ok, type Result } from '../../core/index.ts';
import { brinsonHoodBeebower, type BrinsonError } from './brinson.ts';

/** One sector of the portfolio on one day, dollars. */
export interface PortfolioSectorDay {
  /** Net marked value carried into the day (Σ q_{t−1}·c_{t−1}, signed). */
  readonly netValue: number;
  /** Σ |q_{t−1}·c_{t−1}| over the sector's lines. */
  readonly grossValue: number;
  /** Close-to-close P&L of the holdings carried into the day. */
  readonly holdingPnl: number;
}

/** One sector of the benchmark on one day: weight (Σ over sectors = 1) and return. */
export interface BenchmarkSectorDay {
  readonly weight: number;
  readonly return: number;
}

export interface LinkedBrinsonInput {
  /** Base NAV, dollars (> 0). */
  readonly base: number;
  /** Per day: sector → portfolio holdings. */
  readonly portfolio: readonly ReadonlyMap<string, PortfolioSectorDay>[];
  /** Per day: sector → benchmark weight and return. */
  readonly benchmark: readonly ReadonlyMap<string, BenchmarkSectorDay>[];
  /** Per day: the portfolio's total P&L, dollars (holdings, trades and fees). */
  readonly totalPnl: readonly number[];
  /** A sector whose |net| < this × gross has no meaningful return on net value (default 0.01). */
  readonly nettedBelow?: number;
}

export interface LinkedBrinsonSector {
  readonly sector: string;
  /** Mean start-of-day weights over the days. */
  readonly portfolioWeight: number;
  readonly benchmarkWeight: number;
  /** Σ_t w_p·R_p and Σ_t w_b·R_b: the sector's contribution to each side's return. */
  readonly portfolioContribution: number;
  readonly benchmarkContribution: number;
  readonly allocation: number;
  readonly selection: number;
  readonly interaction: number;
  /** allocation + selection + interaction. */
  readonly total: number;
}

export interface LinkedBrinson {
  readonly days: number;
  /** Σ_t total P&L / base. */
  readonly portfolioReturn: number;
  /** Σ_t Σ_s w_p·R_p: the part the sector holdings explain. */
  readonly holdingsReturn: number;
  readonly benchmarkReturn: number;
  /** portfolioReturn − benchmarkReturn. */
  readonly activeReturn: number;
  readonly allocation: number;
  readonly selection: number;
  readonly interaction: number;
  /** portfolioReturn − holdingsReturn. */
  readonly trading: number;
  /** Sectors by name, `Cash` last. */
  readonly sectors: LinkedBrinsonSector[];
}

export const CASH_SECTOR = 'Cash';

type Acc = { wp: number; wb: number; cp: number; cb: number; a: number; s: number; i: number };

/** Daily BHB summed over the days; an error value when a day's weights do not sum to one. */
export function linkedBrinson(input: LinkedBrinsonInput): Result<LinkedBrinson, BrinsonError | { code: 'BAD_BASE'; message: string }> {
  const { base } = input;
  if (!(base > 0)) return err({ code: 'BAD_BASE', message: `base NAV must be positive, got ${base}` });
  const days = input.totalPnl.length;
  const netted = input.nettedBelow ?? 0.01;
  const acc = new Map<string, Acc>();
  const bump = (k: string, d: Acc): void => {
    const a = acc.get(k) ?? { wp: 0, wb: 0, cp: 0, cb: 0, a: 0, s: 0, i: 0 };
    acc.set(k, { wp: a.wp + d.wp, wb: a.wb + d.wb, cp: a.cp + d.cp, cb: a.cb + d.cb, a: a.a + d.a, s: a.s + d.s, i: a.i + d.i });
  };
  let rp = 0, rh = 0, rb = 0;
  for (let t = 0; t < days; t++) {
    const p = input.portfolio[t] ?? new Map<string, PortfolioSectorDay>();
    const b = input.benchmark[t] ?? new Map<string, BenchmarkSectorDay>();
    const names = [...new Set([...p.keys(), ...b.keys()])].filter((s) => s !== CASH_SECTOR).sort();
    let invested = 0;
    const sectors = names.map((sector) => {
      const ps = p.get(sector);
      const bs = b.get(sector);
      const wp = (ps?.netValue ?? 0) / base;
      invested += wp;
      const meaningful = ps !== undefined && ps.netValue !== 0 && Math.abs(ps.netValue) >= netted * ps.grossValue;
      const rP = meaningful ? ps.holdingPnl / ps.netValue : null;
      const rB = bs && bs.weight !== 0 ? bs.return : null;
      return { sector, portfolioWeight: wp, benchmarkWeight: bs?.weight ?? 0, portfolioReturn: rP ?? rB ?? 0, benchmarkReturn: rB ?? rP ?? 0 };
    });
    sectors.push({ sector: CASH_SECTOR, portfolioWeight: 1 - invested, benchmarkWeight: 0, portfolioReturn: 0, benchmarkReturn: 0 });
    const r = brinsonHoodBeebower(sectors);
    if (!r.ok) return r;
    for (const s of r.value.sectors) {
      bump(s.sector, { wp: s.portfolioWeight, wb: s.benchmarkWeight, cp: s.portfolioWeight * s.portfolioReturn, cb: s.benchmarkWeight * s.benchmarkReturn, a: s.allocation, s: s.selection, i: s.interaction });
    }
    rp += (input.totalPnl[t] ?? 0) / base;
    rh += r.value.portfolioReturn;
    rb += r.value.benchmarkReturn;
  }
  const n = Math.max(1, days);
  const rows = [...acc.entries()]
    .sort(([x], [y]) => (x === CASH_SECTOR ? 1 : y === CASH_SECTOR ? -1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([sector, a]) => ({
      sector, portfolioWeight: a.wp / n, benchmarkWeight: a.wb / n, portfolioContribution: a.cp, benchmarkContribution: a.cb,
      allocation: a.a, selection: a.s, interaction: a.i, total: a.a + a.s + a.i,
    }));
  const sum = (f: (r: LinkedBrinsonSector) => number): number => rows.reduce((s, r) => s + f(r), 0);
  return ok({
    days, portfolioReturn: rp, holdingsReturn: rh, benchmarkReturn: rb, activeReturn: rp - rb,
    allocation: sum((r) => r.allocation), selection: sum((r) => r.selection), interaction: sum((r) => r.interaction), trading: rp - rh, sectors: rows,
  });
}
