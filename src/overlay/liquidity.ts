import type { Universe } from './universe.ts';

/** Liquidity of one position: days to exit at `participation` of ADV, normal and stressed (ADV × (1 − haircut)). */
export interface NameLiquidity {
  readonly symbol: string;
  readonly notional: number;
  readonly advPct: number;
  readonly daysNormal: number;
  readonly daysStressed: number;
}

/** Portfolio liquidity report (seed fund-overlay-plan §4B). Days are trading days; score in [0, 1] (1 = all exitable in a day). */
export interface LiquidityReport {
  readonly daysToLiquidateNormal: number;
  readonly daysToLiquidateStressed: number;
  /** Notional-weighted days at normal volume. */
  readonly weightedDaysNormal: number;
  /** Share of the book's |notional| that can be exited within one day at normal volume. */
  readonly score: number;
  /** Share of |notional| in the 10 least liquid names. */
  readonly illiquidTop10Pct: number;
  readonly names: readonly NameLiquidity[];
}

/** Days to exit |notional| dollars of name u at `participation` × ADV per day; Infinity without ADV. */
export function daysToLiquidate(u: Universe, i: number, notional: number, participation: number, haircut = 0): number {
  const adv = u.adv[i] ?? Number.NaN;
  const px = u.price[i] ?? Number.NaN;
  if (notional === 0) return 0;
  if (!(adv > 0) || !(px > 0) || participation <= 0) return Number.POSITIVE_INFINITY;
  return Math.abs(notional) / (px * adv * participation * (1 - haircut));
}

/** Liquidity report of a dense fund book (dollars per universe name). */
export function liquidityReport(u: Universe, book: Float64Array, participation: number, haircut: number): LiquidityReport {
  const names: NameLiquidity[] = [];
  let total = 0;
  let oneDay = 0;
  let wDays = 0;
  let maxN = 0;
  let maxS = 0;
  for (let i = 0; i < u.N; i++) {
    const x = book[i] ?? 0;
    if (x === 0) continue;
    const dn = daysToLiquidate(u, i, x, participation);
    const ds = daysToLiquidate(u, i, x, participation, haircut);
    const ax = Math.abs(x);
    total += ax;
    oneDay += dn <= 1 ? ax : Number.isFinite(dn) ? ax / dn : 0;
    wDays += Number.isFinite(dn) ? ax * dn : 0;
    maxN = Math.max(maxN, dn);
    maxS = Math.max(maxS, ds);
    const adv = u.adv[i] ?? Number.NaN;
    const px = u.price[i] ?? Number.NaN;
    names.push({ symbol: u.symbols[i] ?? '', notional: x, advPct: ax / (adv * px), daysNormal: dn, daysStressed: ds });
  }
  names.sort((a, b) => b.daysNormal - a.daysNormal || a.symbol.localeCompare(b.symbol));
  let top10 = 0;
  for (let k = 0; k < 10 && k < names.length; k++) top10 += Math.abs(names[k]?.notional ?? 0);
  return {
    daysToLiquidateNormal: maxN,
    daysToLiquidateStressed: maxS,
    weightedDaysNormal: total > 0 ? wDays / total : 0,
    score: total > 0 ? oneDay / total : 1,
    illiquidTop10Pct: total > 0 ? top10 / total : 0,
    names,
  };
}
