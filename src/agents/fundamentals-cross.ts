import type { Fundamentals } from '../contracts/index.ts';
import type { MarketView } from '../market/index.ts';

/**
 * Point-in-time fundamentals of every tradable column as typed arrays (NaN when unknown):
 * what was released by the as-of date, and YoY growth against what was visible `lagRows` earlier.
 */
export interface FundamentalsCross {
  readonly count: number;
  readonly pe: Float64Array;
  readonly pb: Float64Array;
  readonly dividendYield: Float64Array;
  readonly quality: Float64Array;
  readonly value: Float64Array;
  /** YoY growth rates (0.1 = +10%), NaN without both records. */
  readonly epsGrowth: Float64Array;
  readonly revenueGrowth: Float64Array;
  readonly cashFlowGrowth: Float64Array;
}

function num(x: number | null | undefined): number {
  return x === null || x === undefined || !Number.isFinite(x) ? Number.NaN : x;
}

/** Growth from `b` (earlier) to `a`, relative to |b|; NaN when either is missing or b is 0. */
export function growth(a: number | null | undefined, b: number | null | undefined): number {
  const x = num(a);
  const y = num(b);
  return x === x && y === y && y !== 0 ? (x - y) / Math.abs(y) : Number.NaN;
}

export function readFundamentals(view: MarketView, opts: { withGrowth?: boolean; lagRows?: number } = {}): FundamentalsCross {
  const U = view.U;
  const mk = () => new Float64Array(U).fill(Number.NaN);
  const out = {
    count: 0,
    pe: mk(),
    pb: mk(),
    dividendYield: mk(),
    quality: mk(),
    value: mk(),
    epsGrowth: mk(),
    revenueGrowth: mk(),
    cashFlowGrowth: mk(),
  };
  const lag = opts.lagRows ?? 252;
  const past: MarketView | null = opts.withGrowth && view.t >= lag ? view.at(view.t - lag) : null;
  let count = 0;
  for (let u = 0; u < U; u++) {
    if (!view.isTradable(u)) continue;
    const f: Fundamentals | undefined = view.fundamentals(u);
    if (!f) continue;
    count++;
    out.pe[u] = num(f.pe);
    out.pb[u] = num(f.pb);
    out.dividendYield[u] = num(f.dividendYield);
    out.quality[u] = num(f.quality);
    out.value[u] = num(f.value);
    if (past) {
      const g = past.fundamentals(u);
      if (g && g.periodEnd !== f.periodEnd) {
        out.epsGrowth[u] = growth(f.eps, g.eps);
        out.revenueGrowth[u] = growth(f.revenue, g.revenue);
        out.cashFlowGrowth[u] = growth(f.cashFlow, g.cashFlow);
      }
    }
  }
  out.count = count;
  return out;
}
