/**
 * Point-in-time fundamentals of every column as typed arrays (NaN when unknown): what was
 * released by the as-of date, and YoY growth against what was visible `lagRows` earlier.
 * Kept up to date by FundamentalsFeature.
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

export function num(x: number | null | undefined): number {
  return x === null || x === undefined || !Number.isFinite(x) ? Number.NaN : x;
}

/** Growth from `b` (earlier) to `a`, relative to |b|; NaN when either is missing or b is 0. */
export function growth(a: number | null | undefined, b: number | null | undefined): number {
  const x = num(a);
  const y = num(b);
  return x === x && y === y && y !== 0 ? (x - y) / Math.abs(y) : Number.NaN;
}
