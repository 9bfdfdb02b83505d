import { sectorIds, type MarketView } from '../../market/index.ts';

/**
 * One row of market data handed to every incremental feature, read through the view (so a row
 * past the as-of time can never be read). Arrays are length U in column order.
 */
export interface RowData {
  readonly row: number;
  /** The row this sync brings the state to (= row when stepping online; the as-of row in a replay). */
  readonly target: number;
  /** A view as of `row` (for point-in-time reads of sentiment, fundamentals and macro). */
  readonly view: MarketView;
  /** The panel's own rows (no copies): read them, never write to them. */
  readonly close: Readonly<Float64Array>;
  /** Close of the previous row (NaN on row 0). */
  readonly prevClose: Readonly<Float64Array>;
  readonly high: Readonly<Float64Array>;
  readonly low: Readonly<Float64Array>;
  /** Simple close-to-close returns of the row (NaN after a gap). */
  readonly ret: Readonly<Float64Array>;
  /** Market return of the row: the `market` reference series if present, else the equal-weighted mean. */
  readonly marketRet: number;
  /** Volatility index level (`vix` reference, in vol points, 20 = 20%), NaN when absent. */
  readonly vix: number;
}

/** Static shape of the panel the state was built on. */
export interface StateShape {
  readonly U: number;
  /** Sector id per column (index into `sectorNames`). */
  readonly sectorOf: Int32Array;
  readonly sectorNames: readonly string[];
}

/** A piece of per-agent state updated one row at a time. */
export interface Feature {
  reset(shape: StateShape): void;
  step(d: RowData): void;
}

export const MARKET_SERIES = 'market';
export const VIX_SERIES = 'vix';

/** Sector ids for a view's columns, in first-seen order. */
export function sectorShape(view: MarketView): StateShape {
  const { sectorOf, names } = sectorIds(Array.from({ length: view.U }, (_, u) => view.sectors[u]));
  return { U: view.U, sectorOf, sectorNames: names };
}

function sameArray(a: Readonly<Float64Array>, b: Readonly<Float64Array>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (x !== y && !(x !== x && y !== y)) return false;
  }
  return true;
}

function equalWeightMean(ret: Readonly<Float64Array>): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < ret.length; i++) {
    const r = ret[i] as number;
    if (r === r) {
      s += r;
      n++;
    }
  }
  return n > 0 ? s / n : Number.NaN;
}

/**
 * Per-agent incremental state: the fold of each feature's `step` over rows 0..t of one panel.
 * Keyed by panel identity (the view's `symbols` array, the date and the close row last seen).
 * When the view advances by one row the state takes one step, by k rows k steps; otherwise (a
 * jump back, another panel) it replays from row 0. Every path applies the same steps to the same
 * rows, so the state is identical either way.
 */
export class IncrementalState {
  private key: readonly string[] | null = null;
  private t = -1;
  private lastDate = '';
  private lastClose: Readonly<Float64Array> = new Float64Array(0);
  private refRet = false;
  private refVix = false;
  private shapeValue: StateShape = { U: 0, sectorOf: new Int32Array(0), sectorNames: [] };
  /** Counters for tests and benchmarks. */
  rebuilds = 0;
  steps = 0;

  constructor(private readonly features: readonly Feature[]) {}

  get shape(): StateShape {
    return this.shapeValue;
  }

  /** Close prices at the current row (do not mutate). */
  get close(): Readonly<Float64Array> {
    return this.lastClose;
  }

  /** Brings the state to `view.t`. */
  sync(view: MarketView): void {
    if (this.key === view.symbols && this.t >= 0 && this.t <= view.t && view.date(this.t) === this.lastDate) {
      if (sameArray(view.row('close', this.t), this.lastClose)) {
        if (this.t === view.t) return;
        if (this.t === view.t - 1) {
          this.stepOnline(view);
          return;
        }
        this.catchUp(view);
        return;
      }
    }
    this.rebuild(view);
  }

  /** A jump forward (an agent worker asked every few rows) steps through the rows skipped, as a replay would. */
  private catchUp(view: MarketView): void {
    for (let row = this.t + 1; row <= view.t; row++) {
      let mret = Number.NaN;
      if (this.refRet) {
        const m = view.reference(MARKET_SERIES, 2, row);
        mret = (m[1] as number) / (m[0] as number) - 1;
      }
      const vix = this.refVix ? (view.reference(VIX_SERIES, 1, row)[0] as number) : Number.NaN;
      this.apply(view, row, view.row('close', row), this.lastClose, mret, vix, view.t);
    }
  }

  private begin(view: MarketView): void {
    this.key = view.symbols;
    const names = view.referenceNames();
    this.refRet = names.includes(MARKET_SERIES);
    this.refVix = names.includes(VIX_SERIES);
    this.shapeValue = sectorShape(view);
    for (const f of this.features) f.reset(this.shapeValue);
  }

  private rebuild(view: MarketView): void {
    this.rebuilds++;
    this.begin(view);
    const T = view.t + 1;
    const market = this.refRet ? view.reference(MARKET_SERIES, T) : null;
    const vix = this.refVix ? view.reference(VIX_SERIES, T) : null;
    let prev: Readonly<Float64Array> = new Float64Array(view.U).fill(Number.NaN);
    for (let row = 0; row < T; row++) {
      const m1 = market ? (market[row] as number) : Number.NaN;
      const m0 = market && row > 0 ? (market[row - 1] as number) : Number.NaN;
      const close = view.row('close', row);
      this.apply(view, row, close, prev, market ? m1 / m0 - 1 : Number.NaN, vix ? (vix[row] as number) : Number.NaN, view.t);
      prev = close;
    }
  }

  private stepOnline(view: MarketView): void {
    const row = view.t;
    let mret = Number.NaN;
    if (this.refRet) {
      const m = view.reference(MARKET_SERIES, 2);
      mret = (m[1] as number) / (m[0] as number) - 1;
    }
    const vix = this.refVix ? (view.reference(VIX_SERIES, 1)[0] as number) : Number.NaN;
    this.apply(view, row, view.row('close', row), this.lastClose, mret, vix, row);
  }

  private apply(view: MarketView, row: number, close: Readonly<Float64Array>, prevClose: Readonly<Float64Array>, refRet: number, vix: number, target: number): void {
    const ret = view.row('ret', row);
    const d: RowData = {
      row,
      target,
      view: row === view.t ? view : view.at(row),
      close,
      prevClose,
      high: view.row('high', row),
      low: view.row('low', row),
      ret,
      marketRet: Number.isFinite(refRet) ? refRet : equalWeightMean(ret),
      vix,
    };
    for (const f of this.features) f.step(d);
    this.steps++;
    this.t = row;
    this.lastDate = view.date(row);
    this.lastClose = close;
  }
}
