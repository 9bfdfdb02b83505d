import { InvariantError, ValidationError, type IsoDate } from '../core/index.ts';
import type { Fundamentals, MacroObservation } from '../contracts/index.ts';

/**
 * A columnar market panel: T dates × U symbols, each field a Float64Array in row-major order
 * by time (element `[t * U + u]`), NaN where a symbol has no bar. Derived fields (returns,
 * 20-day ADV, 20-day realised volatility, market cap) are computed once, causally: the value at
 * row t uses rows ≤ t only, so reading them through a MarketView never leaks the future.
 */
export interface Panel {
  readonly dates: readonly IsoDate[];
  readonly symbols: readonly string[];
  readonly sectors: readonly string[];
  readonly T: number;
  readonly U: number;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  /** Simple close-to-close return; NaN on a symbol's first row or after a gap. */
  readonly ret: Float64Array;
  /** 20-day average daily volume in shares (mean over available rows of the last 20). */
  readonly adv20: Float64Array;
  /** 20-day realised volatility of daily returns (sample std, not annualised). */
  readonly vol20: Float64Array;
  /** Market capitalisation in dollars (close × shares outstanding), NaN if unknown. */
  readonly marketCap: Float64Array;
  /** Optional per-name daily sentiment score in [-1, 1]. */
  readonly sentiment: Float64Array | null;
  /** Reference series (market index, volatility index, factor returns) aligned to `dates`. */
  readonly reference: ReadonlyMap<string, Float64Array>;
  /** Fundamentals per symbol, sorted by releaseTime. */
  readonly fundamentals: ReadonlyMap<string, readonly Fundamentals[]>;
  /** Macro observations per series, sorted by releaseTime. */
  readonly macro: ReadonlyMap<string, readonly MacroObservation[]>;
  /** Symbols tradable under data governance (ACTIVE); all true when governance has not run. */
  readonly tradable: Uint8Array;
  readonly columnOf: ReadonlyMap<string, number>;
  readonly rowOf: ReadonlyMap<IsoDate, number>;
}

export interface PanelInput {
  dates: readonly IsoDate[];
  symbols: readonly string[];
  sectors?: readonly string[];
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  /** Shares outstanding per symbol (constant), for market cap. */
  sharesOutstanding?: Float64Array;
  sentiment?: Float64Array;
  reference?: ReadonlyMap<string, Float64Array>;
  fundamentals?: ReadonlyMap<string, readonly Fundamentals[]>;
  macro?: ReadonlyMap<string, readonly MacroObservation[]>;
  tradable?: Uint8Array;
}

const ADV_WINDOW = 20;
const VOL_WINDOW = 20;

/** Builds a Panel, checking shapes and computing the derived fields in O(T·U). */
export function createPanel(input: PanelInput): Panel {
  const T = input.dates.length;
  const U = input.symbols.length;
  for (const f of ['open', 'high', 'low', 'close', 'volume'] as const) {
    if (input[f].length !== T * U) {
      throw new ValidationError(`panel.${f}`, `has ${input[f].length} values, expected T×U = ${T}×${U} = ${T * U}`);
    }
  }
  for (let i = 1; i < T; i++) {
    if ((input.dates[i] ?? '') <= (input.dates[i - 1] ?? '')) {
      throw new ValidationError('panel.dates', `dates must be strictly increasing (row ${i}: ${input.dates[i]})`);
    }
  }
  const sectors = input.sectors ?? input.symbols.map(() => 'Unknown');
  if (sectors.length !== U) throw new ValidationError('panel.sectors', `expected ${U} sectors, got ${sectors.length}`);
  const { close, volume } = input;
  const ret = new Float64Array(T * U).fill(Number.NaN);
  const adv20 = new Float64Array(T * U).fill(Number.NaN);
  const vol20 = new Float64Array(T * U).fill(Number.NaN);
  const marketCap = new Float64Array(T * U).fill(Number.NaN);
  for (let u = 0; u < U; u++) {
    let volSum = 0;
    let volCount = 0;
    let rSum = 0;
    let rSq = 0;
    let rCount = 0;
    const shares = input.sharesOutstanding?.[u] ?? Number.NaN;
    for (let t = 0; t < T; t++) {
      const i = t * U + u;
      const c = close[i] ?? Number.NaN;
      const pc = t > 0 ? (close[i - U] ?? Number.NaN) : Number.NaN;
      const r = c / pc - 1;
      ret[i] = Number.isFinite(r) ? r : Number.NaN;
      // rolling volume mean over the last ADV_WINDOW rows (ignoring NaN)
      const v = volume[i] ?? Number.NaN;
      if (Number.isFinite(v)) {
        volSum += v;
        volCount++;
      }
      if (t >= ADV_WINDOW) {
        const old = volume[i - ADV_WINDOW * U] ?? Number.NaN;
        if (Number.isFinite(old)) {
          volSum -= old;
          volCount--;
        }
      }
      adv20[i] = volCount > 0 ? volSum / volCount : Number.NaN;
      const rr = ret[i] ?? Number.NaN;
      if (Number.isFinite(rr)) {
        rSum += rr;
        rSq += rr * rr;
        rCount++;
      }
      if (t >= VOL_WINDOW) {
        const old = ret[i - VOL_WINDOW * U] ?? Number.NaN;
        if (Number.isFinite(old)) {
          rSum -= old;
          rSq -= old * old;
          rCount--;
        }
      }
      vol20[i] = rCount >= 2 ? Math.sqrt(Math.max(0, (rSq - (rSum * rSum) / rCount) / (rCount - 1))) : Number.NaN;
      marketCap[i] = c * shares;
    }
  }
  const columnOf = new Map<string, number>();
  input.symbols.forEach((s, u) => {
    if (columnOf.has(s)) throw new ValidationError('panel.symbols', `duplicate symbol ${s}`);
    columnOf.set(s, u);
  });
  const rowOf = new Map<IsoDate, number>();
  input.dates.forEach((d, t) => rowOf.set(d, t));
  for (const [name, series] of input.reference ?? []) {
    if (series.length !== T) throw new InvariantError(`reference series ${name} has ${series.length} rows, expected ${T}`);
  }
  if (input.sentiment && input.sentiment.length !== T * U) {
    throw new ValidationError('panel.sentiment', `has ${input.sentiment.length} values, expected T×U = ${T * U}`);
  }
  if (input.tradable && input.tradable.length !== U) {
    throw new ValidationError('panel.tradable', `has ${input.tradable.length} values, expected U = ${U}`);
  }
  return {
    dates: input.dates,
    symbols: input.symbols,
    sectors,
    T,
    U,
    open: input.open,
    high: input.high,
    low: input.low,
    close,
    volume,
    ret,
    adv20,
    vol20,
    marketCap,
    sentiment: input.sentiment ?? null,
    reference: input.reference ?? new Map(),
    fundamentals: sortByRelease(input.fundamentals),
    macro: sortByRelease(input.macro),
    tradable: input.tradable ?? new Uint8Array(U).fill(1),
    columnOf,
    rowOf,
  };
}

/** Point-in-time reads scan each list in release order, so the lists are sorted once here. */
function sortByRelease<T extends { releaseTime: string }>(
  m: ReadonlyMap<string, readonly T[]> | undefined,
): ReadonlyMap<string, readonly T[]> {
  const out = new Map<string, readonly T[]>();
  for (const [k, list] of m ?? []) {
    out.set(k, list.map((x) => ({ x, ms: Date.parse(x.releaseTime) })).sort((a, b) => a.ms - b.ms).map((e) => e.x));
  }
  return out;
}
