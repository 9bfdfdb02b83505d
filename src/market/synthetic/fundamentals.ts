import { addDays, type IsoDate, type Rng } from '../../core/index.ts';
import type { Fundamentals } from '../../contracts/index.ts';
import type { Exposures } from './universe.ts';

interface FundamentalsInput {
  readonly dates: readonly IsoDate[];
  readonly symbols: readonly string[];
  readonly close: Float64Array;
  readonly shares: Float64Array;
  readonly exposures: Exposures;
}

/** Days from a quarter's end to its report: 25 + uniform 0..19 (report after the close, 21:00 UTC). */
const MIN_LAG_DAYS = 25;
const LAG_SPREAD_DAYS = 20;

/** Last row whose date is ≤ d, or -1. */
function rowAtOrBefore(dates: readonly IsoDate[], d: IsoDate): number {
  let lo = 0;
  let hi = dates.length - 1;
  let ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((dates[mid] ?? '') <= d) {
      ans = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return ans;
}

/** Quarter ends (Mar 31, Jun 30, Sep 30, Dec 31) from the one before `from` through `to`. */
function quarterEnds(from: IsoDate, to: IsoDate): IsoDate[] {
  const out: IsoDate[] = [];
  const ends = ['03-31', '06-30', '09-30', '12-31'];
  for (let y = Number(from.slice(0, 4)) - 1; y <= Number(to.slice(0, 4)); y++) {
    for (const e of ends) out.push(`${y}-${e}`);
  }
  const firstIdx = Math.max(0, out.findIndex((d) => d >= from) - 1);
  return out.slice(firstIdx).filter((d) => d <= to);
}

/**
 * Quarterly fundamentals consistent with each name's value and quality loadings. Trailing
 * twelve-month EPS, revenue and cash flow in dollars (EPS per share); P/E and P/B at the price of
 * the release day; dividend yield a fraction; `value` and `quality` composite z-scores.
 * Each record becomes visible at `releaseTime`, 25–44 days after the period end.
 */
export function syntheticFundamentals(rng: Rng, input: FundamentalsInput): Map<string, Fundamentals[]> {
  const { dates, symbols, close, shares, exposures } = input;
  const U = symbols.length;
  const first = dates[0] ?? '1970-01-01';
  const last = dates[dates.length - 1] ?? first;
  const periods = quarterEnds(first, last);
  const out = new Map<string, Fundamentals[]>();
  const priceAt = (d: IsoDate, u: number) => {
    const row = Math.max(0, rowAtOrBefore(dates, d));
    return close[row * U + u] ?? Number.NaN;
  };
  for (let u = 0; u < U; u++) {
    const symbol = symbols[u] ?? '';
    const valueZ = 2 * (exposures.value[u] ?? 0);
    const qualityZ = 2 * (exposures.quality[u] ?? 0);
    const n = shares[u] ?? 0;
    const list: Fundamentals[] = [];
    for (const periodEnd of periods) {
      const release = addDays(periodEnd, MIN_LAG_DAYS + rng.int(LAG_SPREAD_DAYS));
      const pEnd = priceAt(periodEnd, u);
      const pRel = priceAt(release, u);
      const earningsYield = 0.055 + 0.02 * valueZ + 0.01 * qualityZ + 0.01 * rng.normal();
      const eps = pEnd * earningsYield;
      const pbAtEnd = Math.exp(0.9 - 0.35 * valueZ + 0.25 * qualityZ + 0.1 * rng.normal());
      const bvps = pEnd / pbAtEnd;
      list.push({
        version: 1,
        symbol,
        periodEnd,
        releaseTime: `${release}T21:00:00.000Z`,
        eps,
        revenue: pEnd * n * Math.exp(-0.2 + 0.4 * valueZ + 0.2 * rng.normal()),
        cashFlow: eps * n * (1 + 0.2 * qualityZ),
        bookValuePerShare: bvps,
        dividendYield: Math.max(0, 0.018 + 0.008 * valueZ + 0.004 * rng.normal()),
        pe: eps > 0 ? pRel / eps : null,
        pb: pRel / bvps,
        quality: qualityZ + 0.3 * rng.normal(),
        value: valueZ + 0.3 * rng.normal(),
        sharesOutstanding: n,
      });
    }
    out.set(symbol, list);
  }
  return out;
}
