import { LookAheadError, ValidationError, type IsoDate } from '../core/index.ts';
import type { Fundamentals, MacroObservation } from '../contracts/index.ts';
import type { Panel } from './panel.ts';

export type PriceField = 'open' | 'high' | 'low' | 'close' | 'volume' | 'ret' | 'adv20' | 'vol20' | 'marketCap';

/**
 * A point-in-time view of the market, fixed at `asOf` (row `t` of the panel). Every read of a
 * row after `t`, or of fundamentals/macro released after the as-of date, throws LookAheadError.
 * Columns are symbol indices `u` in `symbols` order. Prices in dollars, volumes in shares,
 * returns simple (0.01 = +1%), volatility daily (not annualised).
 */
export interface MarketView {
  readonly asOf: IsoDate;
  /** Row of `asOf` in the panel; rows 0..t are visible. */
  readonly t: number;
  readonly symbols: readonly string[];
  readonly sectors: readonly string[];
  readonly U: number;
  /** Column of a symbol, or -1. */
  column(symbol: string): number;
  /** The date of a visible row. */
  date(row: number): IsoDate;
  /** One value of a field at `row` (default: t). NaN when the symbol has no bar that day. */
  value(field: PriceField, u: number, row?: number): number;
  close(u: number, row?: number): number;
  /** The last `n` rows (ending at `t`, or at `end`) of a field for column u; NaN before history. */
  window(field: PriceField, u: number, n: number, end?: number): Float64Array;
  /**
   * `window` written into `out` at `offset` without allocating: the hot path for risk models that
   * read many names' histories (served from a column-major copy of the field, built once per panel).
   */
  windowInto(field: PriceField, u: number, n: number, out: Float64Array, offset?: number, end?: number): void;
  /** All U columns of a field at `row` (default t). A copy. */
  cross(field: PriceField, row?: number): Float64Array;
  /** `cross` without the copy: the panel's own row, shared by every reader. Read it; never write to it. */
  row(field: PriceField, row?: number): Readonly<Float64Array>;
  /** Returns of the last `n` rows for `cols` (default all), T×C row-major by time. NaN where missing. */
  returnsPanel(n: number, cols?: ArrayLike<number>): Float64Array;
  /** True when the symbol passes data governance and has a bar at `t`. */
  isTradable(u: number): boolean;
  /**
   * Latest fundamentals released at or before `at` (default: the as-of date). Asking for a date
   * after the as-of date throws LookAheadError.
   */
  fundamentals(u: number, at?: IsoDate): Fundamentals | undefined;
  /** Every fundamentals record of column u released by the as-of date, oldest first. */
  fundamentalsHistory(u: number): readonly Fundamentals[];
  /** Latest value of a macro series released at or before `at` (default: the as-of date). */
  macro(series: string, at?: IsoDate): number | undefined;
  /** A reference series (`market`, `vix`, factor names) for the last `n` rows (ending at `end`, default t). */
  reference(name: string, n: number, end?: number): Float64Array;
  /** Names of the reference series available. */
  referenceNames(): readonly string[];
  /** Sentiment in [-1, 1] at `row` (default t), NaN if none. */
  sentiment(u: number, row?: number): number;
  /** A view as of an earlier row (never later). */
  at(row: number): MarketView;
  /**
   * A value derived from this panel, computed once and shared by every view of it (a bounded
   * cache). The key must name everything the value depends on, including the row it was computed
   * at; build it from a view at that row so nothing after it is read.
   */
  memo<T>(key: string, build: () => T): T;
}

/** The end of an as-of day in Unix ms (UTC): records released by then are visible. */
function endOfDayMs(d: IsoDate): number {
  return Date.parse(`${d}T23:59:59.999Z`);
}

/** Release times (Unix ms) of each list sorted by release time, parsed once per list. */
const releaseIndex = new WeakMap<readonly { releaseTime: string }[], Float64Array>();

function releaseTimes(list: readonly { releaseTime: string }[]): Float64Array {
  let ms = releaseIndex.get(list);
  if (!ms) {
    ms = Float64Array.from(list, (x) => Date.parse(x.releaseTime));
    releaseIndex.set(list, ms);
  }
  return ms;
}

/** Latest record of a list sorted by release time whose release is at or before `limitMs` (binary search). */
function latestReleased<T extends { releaseTime: string }>(list: readonly T[], limitMs: number): T | undefined {
  const ms = releaseTimes(list);
  let lo = 0;
  let hi = ms.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((ms[mid] ?? Infinity) <= limitMs) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 ? list[lo - 1] : undefined;
}

/** Column-major (U×T) copies of panel fields, so one name's history is contiguous; panels are immutable. */
const byColumn = new WeakMap<Float64Array, Float64Array>();

function columnMajor(src: Float64Array, T: number, U: number): Float64Array {
  let out = byColumn.get(src);
  if (!out) {
    out = new Float64Array(T * U);
    for (let t = 0; t < T; t++) {
      const base = t * U;
      for (let u = 0; u < U; u++) out[u * T + t] = src[base + u] as number;
    }
    byColumn.set(src, out);
  }
  return out;
}

/** Derived values per panel (see MarketView.memo), the least recently used evicted first. */
const memos = new WeakMap<Panel, Map<string, unknown>>();
const MEMO_ENTRIES = 8;

class PanelView implements MarketView {
  /** The panel a view reads (for the shell's agent workers, which send it once per run; agents never see it). */
  static panelOf(view: MarketView): Panel | null {
    return view instanceof PanelView ? view.p : null;
  }

  readonly asOf: IsoDate;
  readonly symbols: readonly string[];
  readonly sectors: readonly string[];
  readonly U: number;

  constructor(
    private readonly p: Panel,
    readonly t: number,
  ) {
    this.asOf = p.dates[t] ?? '';
    this.symbols = p.symbols;
    this.sectors = p.sectors;
    this.U = p.U;
  }

  private guard(row: number, what: string): void {
    if (!Number.isInteger(row)) throw new ValidationError('row', `must be an integer, got ${row}`);
    if (row > this.t) throw new LookAheadError(what, this.asOf, this.p.dates[row] ?? `row ${row}`);
  }

  /** A column outside [0, U) would address another row of the flat array (possibly a future one). */
  private col(u: number): number {
    if (!Number.isInteger(u) || u < 0 || u >= this.p.U) {
      throw new ValidationError('column', `must be an integer in [0, ${this.p.U}), got ${u}`);
    }
    return u;
  }

  private endMs = Number.NaN;

  private guardDate(at: IsoDate, what: string): number {
    if (at > this.asOf) throw new LookAheadError(what, this.asOf, at);
    if (at !== this.asOf) return endOfDayMs(at);
    if (Number.isNaN(this.endMs)) this.endMs = endOfDayMs(at);
    return this.endMs;
  }

  column(symbol: string): number {
    return this.p.columnOf.get(symbol) ?? -1;
  }

  date(row: number): IsoDate {
    this.guard(row, 'calendar');
    if (row < 0) throw new ValidationError('row', `must be ≥ 0, got ${row}`);
    return this.p.dates[row] ?? '';
  }

  value(field: PriceField, u: number, row = this.t): number {
    this.guard(row, field);
    this.col(u);
    if (row < 0) return Number.NaN;
    return this.p[field][row * this.p.U + u] ?? Number.NaN;
  }

  close(u: number, row = this.t): number {
    return this.value('close', u, row);
  }

  window(field: PriceField, u: number, n: number, end = this.t): Float64Array {
    this.guard(end, field);
    this.col(u);
    const out = new Float64Array(n);
    const src = this.p[field];
    const U = this.p.U;
    for (let k = 0; k < n; k++) {
      const row = end - n + 1 + k;
      out[k] = row >= 0 ? (src[row * U + u] ?? Number.NaN) : Number.NaN;
    }
    return out;
  }

  windowInto(field: PriceField, u: number, n: number, out: Float64Array, offset = 0, end = this.t): void {
    this.guard(end, field);
    this.col(u);
    if (offset < 0 || offset + n > out.length) throw new ValidationError('offset', `window of ${n} at ${offset} does not fit a buffer of ${out.length}`);
    const first = end - n + 1;
    const lead = first < 0 ? Math.min(n, -first) : 0;
    if (lead > 0) out.fill(Number.NaN, offset, offset + lead);
    if (lead === n) return;
    const T = this.p.T;
    const src = columnMajor(this.p[field], T, this.p.U);
    out.set(src.subarray(u * T + first + lead, u * T + end + 1), offset + lead);
  }

  cross(field: PriceField, row = this.t): Float64Array {
    this.guard(row, field);
    const U = this.p.U;
    if (row < 0) return new Float64Array(U).fill(Number.NaN);
    return this.p[field].slice(row * U, row * U + U);
  }

  row(field: PriceField, row = this.t): Readonly<Float64Array> {
    this.guard(row, field);
    const U = this.p.U;
    if (row < 0) return new Float64Array(U).fill(Number.NaN);
    return this.p[field].subarray(row * U, row * U + U);
  }

  returnsPanel(n: number, cols?: ArrayLike<number>): Float64Array {
    const U = this.p.U;
    const ids = cols ?? Array.from({ length: U }, (_, i) => i);
    const C = ids.length;
    for (let c = 0; c < C; c++) this.col(ids[c] ?? -1);
    const out = new Float64Array(n * C);
    const ret = this.p.ret;
    for (let k = 0; k < n; k++) {
      const row = this.t - n + 1 + k;
      const base = row * U;
      for (let c = 0; c < C; c++) out[k * C + c] = row >= 0 ? (ret[base + (ids[c] ?? 0)] ?? Number.NaN) : Number.NaN;
    }
    return out;
  }

  isTradable(u: number): boolean {
    this.col(u);
    return this.p.tradable[u] === 1 && Number.isFinite(this.p.close[this.t * this.p.U + u]);
  }

  fundamentals(u: number, at: IsoDate = this.asOf): Fundamentals | undefined {
    const limit = this.guardDate(at, 'fundamentals');
    const list = this.p.fundamentals.get(this.p.symbols[this.col(u)] ?? '');
    return list ? latestReleased(list, limit) : undefined;
  }

  fundamentalsHistory(u: number): readonly Fundamentals[] {
    const limit = endOfDayMs(this.asOf);
    const list = this.p.fundamentals.get(this.p.symbols[this.col(u)] ?? '') ?? [];
    const ms = releaseTimes(list);
    return list.filter((_, i) => (ms[i] ?? Infinity) <= limit);
  }

  macro(series: string, at: IsoDate = this.asOf): number | undefined {
    const limit = this.guardDate(at, `macro ${series}`);
    const list: readonly MacroObservation[] | undefined = this.p.macro.get(series);
    return list ? latestReleased(list, limit)?.value : undefined;
  }

  reference(name: string, n: number, end = this.t): Float64Array {
    this.guard(end, `reference ${name}`);
    const s = this.p.reference.get(name);
    if (!s) throw new ValidationError('reference', `no reference series '${name}' (have: ${[...this.p.reference.keys()].join(', ') || 'none'})`);
    const out = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const row = end - n + 1 + k;
      out[k] = row >= 0 ? (s[row] ?? Number.NaN) : Number.NaN;
    }
    return out;
  }

  referenceNames(): readonly string[] {
    return [...this.p.reference.keys()];
  }

  sentiment(u: number, row = this.t): number {
    this.guard(row, 'sentiment');
    this.col(u);
    if (row < 0) return Number.NaN;
    return this.p.sentiment?.[row * this.p.U + u] ?? Number.NaN;
  }

  memo<T>(key: string, build: () => T): T {
    let m = memos.get(this.p);
    if (!m) {
      m = new Map();
      memos.set(this.p, m);
    }
    if (m.has(key)) {
      const hit = m.get(key) as T;
      // least recently used first: a value read every day (the market tape) is never evicted by newer ones
      m.delete(key);
      m.set(key, hit);
      return hit;
    }
    const v = build();
    if (m.size >= MEMO_ENTRIES) m.delete(m.keys().next().value as string);
    m.set(key, v);
    return v;
  }

  at(row: number): MarketView {
    this.guard(row, 'view');
    if (row < 0) throw new ValidationError('row', `must be ≥ 0, got ${row}`);
    return new PanelView(this.p, row);
  }
}

/** The panel behind a view made by `viewAt`, else null: for the shell (agent workers), never for agents. */
export function panelOf(view: MarketView): Panel | null {
  return PanelView.panelOf(view);
}

/** A view of `panel` as of `asOf` (a date in the panel) or a row index. */
export function viewAt(panel: Panel, asOf: IsoDate | number): MarketView {
  const t = typeof asOf === 'number' ? asOf : panel.rowOf.get(asOf);
  if (t === undefined || !Number.isInteger(t) || t < 0 || t >= panel.T) {
    const first = panel.dates[0];
    const last = panel.dates[panel.T - 1];
    if (first === undefined || last === undefined) throw new ValidationError('asOf', `no market data on or before ${String(asOf)}: pick a later date, or import bars (keel market import)`);
    const day = typeof asOf === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(asOf) ? new Date(`${asOf}T00:00:00Z`).getUTCDay() : -1;
    if (day === 0 || day === 6) throw new ValidationError('asOf', `${String(asOf)} is a ${day === 0 ? 'Sunday' : 'Saturday'}, not a trading day; the data covers ${first} … ${last}`);
    if (typeof asOf === 'string' && asOf > first && asOf < last) throw new ValidationError('asOf', `${asOf} is not a trading day of the data (a holiday, or a day without bars); the data covers ${first} … ${last}`);
    throw new ValidationError('asOf', `${String(asOf)} is not a date of the data (${first} … ${last})`);
  }
  return new PanelView(panel, t);
}
