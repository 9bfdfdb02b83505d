import type { MarketView } from '../market/index.ts';

/**
 * The market's daily series row by row, read once per row and shared by every review of a panel:
 * the `market` reference (its value, and its return when it is a level), else the equal-weighted
 * mean return of every name. Whether the reference holds levels is decided per window (every
 * finite value above 1), from prefix counts. A row is read by a view at or after it and never
 * changes, so what a view at row t is handed depends on rows ≤ t only, whichever view read them.
 */
interface Tape {
  readonly reference: boolean;
  /** Rows read so far: [0, upTo). */
  upTo: number;
  raw: Float64Array;
  /** raw[row] / raw[row − 1] − 1 (NaN at row 0). */
  level: Float64Array;
  /** Prefix counts over rows < r: finite values, and finite values above 1. */
  finite: Int32Array;
  above1: Int32Array;
}

function newTape(view: MarketView): Tape {
  return { reference: view.referenceNames().includes('market'), upTo: 0, raw: new Float64Array(0), level: new Float64Array(0), finite: new Int32Array(1), above1: new Int32Array(1) };
}

function grow(tape: Tape, rows: number): void {
  if (tape.raw.length >= rows) return;
  const n = Math.max(rows, 2 * tape.raw.length);
  const raw = new Float64Array(n);
  raw.set(tape.raw.subarray(0, tape.upTo));
  const level = new Float64Array(n);
  level.set(tape.level.subarray(0, tape.upTo));
  const finite = new Int32Array(n + 1);
  finite.set(tape.finite.subarray(0, tape.upTo + 1));
  const above1 = new Int32Array(n + 1);
  above1.set(tape.above1.subarray(0, tape.upTo + 1));
  tape.raw = raw;
  tape.level = level;
  tape.finite = finite;
  tape.above1 = above1;
}

/** Reads the rows [upTo, view.t] through the view. */
function extend(tape: Tape, view: MarketView): void {
  const from = tape.upTo;
  const n = view.t - from + 1;
  if (n <= 0) return;
  grow(tape, view.t + 1);
  const { raw, level, finite, above1 } = tape;
  if (tape.reference) {
    const s = view.reference('market', n, view.t);
    for (let i = 0; i < n; i++) raw[from + i] = s[i] ?? Number.NaN;
  } else {
    const U = view.U;
    const panel = view.returnsPanel(n);
    for (let i = 0; i < n; i++) {
      let sum = 0;
      let m = 0;
      for (let u = 0; u < U; u++) {
        const r = panel[i * U + u] as number;
        if (r === r) {
          sum += r;
          m++;
        }
      }
      raw[from + i] = m > 0 ? sum / m : Number.NaN;
    }
  }
  for (let row = from; row <= view.t; row++) {
    const v = raw[row] as number;
    level[row] = v / (row > 0 ? (raw[row - 1] as number) : Number.NaN) - 1;
    const isFinite = Number.isFinite(v);
    finite[row + 1] = (finite[row] as number) + (isFinite ? 1 : 0);
    above1[row + 1] = (above1[row] as number) + (isFinite && v > 1 ? 1 : 0);
  }
  tape.upTo = view.t + 1;
}

/** The tape read up to the view's row, and the series of the T-row window ending there: levels' returns or the values. */
function seriesFor(view: MarketView, T: number): Float64Array {
  const tape = view.memo('overlay.marketTape', () => newTape(view));
  if (tape.upTo <= view.t) extend(tape, view);
  if (!tape.reference) return tape.raw;
  // the window of T + 1 values: rows t − T … t (those before row 0 are not finite)
  const t = view.t;
  const lo = Math.max(0, t - T);
  const finite = (tape.finite[t + 1] as number) - (tape.finite[lo] as number);
  const positive = (tape.above1[t + 1] as number) - (tape.above1[lo] as number);
  return finite > 0 && positive === finite ? tape.level : tape.raw;
}

/**
 * Daily market returns of the last T rows ending at the view's row: the `market` reference
 * (levels when every finite value of the T + 1 rows is above 1, else already returns), else the
 * equal-weighted mean of every name. NaN before the history starts. A fresh array.
 */
export function marketReturns(view: MarketView, T: number): Float64Array {
  const src = seriesFor(view, T);
  const t = view.t;
  const out = new Float64Array(T);
  // rows t − T + 1 … t; those before row 0 are NaN
  const first = t - T + 1;
  const lead = first < 0 ? Math.min(T, -first) : 0;
  if (lead > 0) out.fill(Number.NaN, 0, lead);
  if (lead < T) out.set(src.subarray(first + lead, t + 1), lead);
  return out;
}

/**
 * The last min(n, T) values of `marketReturns(view, T)`, without the rows before the history
 * starts: a read-only view into the tape (no copy), for readers of the recent tail (the regime).
 */
export function marketTail(view: MarketView, T: number, n: number): Float64Array {
  const src = seriesFor(view, T);
  const t = view.t;
  return src.subarray(Math.max(0, t - Math.min(n, T) + 1), t + 1);
}
