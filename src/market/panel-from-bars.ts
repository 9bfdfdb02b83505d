import { ValidationError, type IsoDate } from '../core/index.ts';
import type { Bar, Fundamentals, Instrument, MacroObservation } from '../contracts/index.ts';
import { createPanel, type Panel } from './panel.ts';

/** What a panel reads of a bar (a stored row needs no contract version). */
export type BarValues = Pick<Bar, 'symbol' | 'date' | 'open' | 'high' | 'low' | 'close' | 'volume'>;

export interface PanelFromBarsOptions {
  /** The calendar; default the sorted union of the bars' dates. Bars on other dates are ignored. */
  readonly dates?: readonly IsoDate[];
  /** Reference series by name, as closes keyed by date (e.g. `market` from SPX, `vix`); NaN where absent. */
  readonly reference?: ReadonlyMap<string, ReadonlyMap<IsoDate, number>>;
  /** Shares outstanding per symbol, for market caps (else taken from the latest fundamentals, else NaN). */
  readonly sharesOutstanding?: ReadonlyMap<string, number>;
  readonly fundamentals?: ReadonlyMap<string, readonly Fundamentals[]>;
  readonly macro?: ReadonlyMap<string, readonly MacroObservation[]>;
  /** Governance mask per symbol (1 = tradable), in instrument order. */
  readonly tradable?: Uint8Array;
}

/**
 * Builds a Panel from instruments and bars: columns in instrument order, rows on the union
 * calendar of the bars (or `options.dates`), NaN where a symbol has no bar. Bars of symbols not
 * among the instruments are ignored. O(bars + T·U).
 */
export function panelFromBars(instruments: readonly Instrument[], bars: Iterable<BarValues>, options: PanelFromBarsOptions = {}): Panel {
  const symbols = instruments.map((i) => i.symbol);
  const col = new Map<string, number>();
  symbols.forEach((s, u) => {
    if (col.has(s)) throw new ValidationError('instruments', `symbol ${s} appears twice`);
    col.set(s, u);
  });
  const list = Array.isArray(bars) ? (bars as readonly BarValues[]) : [...bars];
  let dates: readonly IsoDate[];
  if (options.dates) dates = options.dates;
  else {
    const set = new Set<IsoDate>();
    for (const b of list) if (col.has(b.symbol)) set.add(b.date);
    dates = [...set].sort();
  }
  const row = new Map<IsoDate, number>();
  dates.forEach((d, t) => row.set(d, t));
  const T = dates.length;
  const U = symbols.length;
  const n = T * U;
  const open = new Float64Array(n).fill(Number.NaN);
  const high = new Float64Array(n).fill(Number.NaN);
  const low = new Float64Array(n).fill(Number.NaN);
  const close = new Float64Array(n).fill(Number.NaN);
  const volume = new Float64Array(n).fill(Number.NaN);
  for (const b of list) {
    const u = col.get(b.symbol);
    const t = row.get(b.date);
    if (u === undefined || t === undefined) continue;
    const i = t * U + u;
    open[i] = b.open;
    high[i] = b.high;
    low[i] = b.low;
    close[i] = b.close;
    volume[i] = b.volume;
  }
  const reference = new Map<string, Float64Array>();
  for (const [name, byDate] of options.reference ?? []) {
    reference.set(name, Float64Array.from(dates, (d) => byDate.get(d) ?? Number.NaN));
  }
  const shares = Float64Array.from(symbols, (s) => {
    const given = options.sharesOutstanding?.get(s);
    if (given !== undefined) return given;
    const f = options.fundamentals?.get(s);
    return f?.[f.length - 1]?.sharesOutstanding ?? Number.NaN;
  });
  return createPanel({
    dates,
    symbols,
    sectors: instruments.map((i) => i.sector ?? 'Unknown'),
    open,
    high,
    low,
    close,
    volume,
    sharesOutstanding: shares,
    reference,
    ...(options.fundamentals ? { fundamentals: options.fundamentals } : {}),
    ...(options.macro ? { macro: options.macro } : {}),
    ...(options.tradable ? { tradable: options.tradable } : {}),
  });
}
