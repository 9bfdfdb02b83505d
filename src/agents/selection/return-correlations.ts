import type { MarketView } from '../../market/index.ts';

/** Rows between the checkpoints where a sum may stop early (`corrManyAbove`). */
const CHUNK = 16;
/** Slack on the early-stop bound, far above the rounding of a sum of unit-norm products. */
const BOUND_SLACK = 1e-9;

/**
 * Centres column `c` of a column-major block (missing → its mean) and scales it to unit norm, in
 * place; with `tails`, also writes the norm of the column after each checkpoint (K of them).
 */
function standardizeColumn(std: Float64Array, c: number, T: number, tails: Float64Array | null = null, K = 0): void {
  const o = c * T;
  let s = 0;
  let n = 0;
  for (let t = 0; t < T; t++) {
    const v = std[o + t] as number;
    if (v === v) {
      s += v;
      n++;
    }
  }
  const m = n > 0 ? s / n : 0;
  let ss = 0;
  for (let t = 0; t < T; t++) {
    const v = std[o + t] as number;
    const d = v === v ? v - m : 0;
    std[o + t] = d;
    ss += d * d;
  }
  const norm = ss > 0 ? 1 / Math.sqrt(ss) : 0;
  let tail = 0;
  for (let t = T - 1; t >= 0; t--) {
    const v = (std[o + t] as number) * norm;
    std[o + t] = v;
    if (tails && t >= CHUNK) {
      tail += v * v;
      if (t % CHUNK === 0) tails[c * K + t / CHUNK - 1] = Math.sqrt(tail);
    }
  }
}

/** Column-major copy of a T×C returns block (row-major by time), each column standardised. */
function standardize(returns: ArrayLike<number>, C: number): { std: Float64Array; T: number } {
  const T = C > 0 ? Math.floor(returns.length / C) : 0;
  const std = new Float64Array(T * C);
  for (let c = 0; c < C; c++) {
    for (let t = 0; t < T; t++) std[c * T + t] = returns[t * C + c] as number;
    standardizeColumn(std, c, T);
  }
  return { std, T };
}

/**
 * The standardised returns of a panel's columns over a window ending at row `t`: a column is
 * filled on first use (`ready`), with the norms of its tail after each checkpoint (`tails`).
 * One block per returns array and window is reused from row to row (a new row bumps `gen`), so
 * a backtest does not allocate a block per row.
 */
interface SharedBlock {
  t: number;
  gen: number;
  readonly std: Float64Array;
  readonly T: number;
  readonly U: number;
  readonly ready: Uint8Array;
  readonly tails: Float64Array;
}

function newBlock(U: number, T: number): SharedBlock {
  return { t: -1, gen: 0, std: new Float64Array(T * U), T, U, ready: new Uint8Array(U), tails: new Float64Array(U * checkpoints(T)) };
}

/** Blocks by the panel's returns buffer (the data they are computed from), then by window. */
const blocks = new WeakMap<ArrayBufferLike, Map<number, SharedBlock>>();

/** The block of `view`'s panel and `window`, moved to the view's row. */
function blockFor(view: MarketView, window: number): SharedBlock {
  const key = view.row('ret', view.t).buffer;
  let byWindow = blocks.get(key);
  if (!byWindow) {
    byWindow = new Map();
    blocks.set(key, byWindow);
  }
  let z = byWindow.get(window);
  if (!z || z.U !== view.U) {
    z = newBlock(view.U, window);
    byWindow.set(window, z);
  }
  if (z.t !== view.t) {
    z.t = view.t;
    z.gen++;
    z.ready.fill(0);
  }
  return z;
}

function checkpoints(T: number): number {
  return Math.max(0, Math.ceil(T / CHUNK) - 1);
}

/** Fills column c of a shared block: its standardised returns and tail norms. */
function fillColumn(view: MarketView, z: SharedBlock, c: number): void {
  const T = z.T;
  view.windowInto('ret', c, T, z.std, c * T);
  standardizeColumn(z.std, c, T, z.tails, checkpoints(T));
  z.ready[c] = 1;
}

/**
 * Lazy Pearson correlations between the columns of a T×C returns block (row-major by time, as
 * `MarketView.returnsPanel` gives it). Missing returns count as the column mean. Each correlation
 * is one O(T) dot product of pre-standardised columns, summed in time order, so it has the same
 * bits however and whenever it is computed; views share them (see `fromView`).
 */
export class ReturnCorrelations {
  private std: Float64Array;
  readonly T: number;
  /** Column of the standardised block for each candidate (null: the candidates are the columns). */
  private readonly cols: Int32Array | null;
  /** From `fromView`: the shared block, the generation it was at, and the view to rebuild from. */
  private shared: SharedBlock | null = null;
  private gen = 0;
  private view: MarketView | null = null;

  constructor(returns: Float64Array, C: number);
  constructor(returns: { std: Float64Array; T: number }, C: number, cols: Int32Array);
  constructor(
    returns: Float64Array | { std: Float64Array; T: number },
    readonly C: number,
    cols: Int32Array | null = null,
  ) {
    const z = returns instanceof Float64Array ? standardize(returns, C) : returns;
    this.std = z.std;
    this.T = z.T;
    this.cols = cols;
  }

  /**
   * Correlations among the view's columns `cols` over the last `window` rows. The standardised
   * returns of a column are computed once per view row and window, when first asked for, and
   * shared by every agent proposing at that row (a column's standardised returns do not depend on
   * the other columns, so the values are the same whoever asks first). Once the shared block has
   * moved on to another row, this object rebuilds its own columns on next use.
   */
  static fromView(view: MarketView, window: number, cols: readonly number[]): ReturnCorrelations {
    const z = blockFor(view, window);
    for (const c of cols) if (!z.ready[c]) fillColumn(view, z, c);
    const rc = new ReturnCorrelations(z, cols.length, Int32Array.from(cols));
    rc.shared = z;
    rc.gen = z.gen;
    rc.view = view;
    return rc;
  }

  /** Keeps this object's columns valid when the shared block has moved to another row. */
  private current(): void {
    const z = this.shared;
    if (z === null || z.gen === this.gen || this.view === null) return;
    const own = newBlock(z.U, this.T);
    own.t = this.view.t;
    own.gen = 1;
    for (let i = 0; i < this.C; i++) if (!own.ready[this.col(i)]) fillColumn(this.view, own, this.col(i));
    this.shared = own;
    this.gen = own.gen;
    this.std = own.std;
  }

  private col(i: number): number {
    return this.cols ? (this.cols[i] as number) : i;
  }

  /** ρ(i, j) in [−1, 1]; 0 when a column has no variance. */
  corr(i: number, j: number): number {
    if (i === j) return 1;
    this.current();
    const T = this.T;
    const std = this.std;
    let s = 0;
    const oa = this.col(i) * T;
    const ob = this.col(j) * T;
    for (let t = 0; t < T; t++) s += (std[oa + t] as number) * (std[ob + t] as number);
    return s;
  }

  /** `out[h] = corr(i, js[h])` for h in [from, to). */
  corrMany(i: number, js: ArrayLike<number>, from: number, to: number, out: Float64Array): void {
    this.many(i, js, from, to, out, Number.POSITIVE_INFINITY);
  }

  /**
   * As `corrMany`, except that a correlation shown to be ≤ `limit` before its sum is complete is
   * written as −∞: for filters that only need the values above a limit (those are exact).
   */
  corrManyAbove(i: number, js: ArrayLike<number>, from: number, to: number, limit: number, out: Float64Array): void {
    this.many(i, js, from, to, out, limit);
  }

  /**
   * The dot products of column i with columns js[from..to), four per pass over column i
   * (independent accumulators, so each sum keeps its order and its bits). With a finite limit and
   * the tail norms, a group stops at a checkpoint once Cauchy–Schwarz shows each of its sums ends
   * at or below the limit; those are written as −∞.
   */
  private many(i: number, js: ArrayLike<number>, from: number, to: number, out: Float64Array, limit: number): void {
    this.current();
    const T = this.T;
    const std = this.std;
    const ci = this.col(i);
    const oa = ci * T;
    const sh = this.shared;
    const K = checkpoints(T);
    const tails = limit < Number.POSITIVE_INFINITY && sh && K > 0 ? sh.tails : null;
    const ta = ci * K;
    let h = from;
    for (; h + 4 <= to; h += 4) {
      const c0 = this.col(js[h] as number);
      const c1 = this.col(js[h + 1] as number);
      const c2 = this.col(js[h + 2] as number);
      const c3 = this.col(js[h + 3] as number);
      const o0 = c0 * T;
      const o1 = c1 * T;
      const o2 = c2 * T;
      const o3 = c3 * T;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let below = false;
      for (let t0 = 0; t0 < T; t0 += CHUNK) {
        const t1 = Math.min(T, t0 + CHUNK);
        for (let t = t0; t < t1; t++) {
          const a = std[oa + t] as number;
          s0 += a * (std[o0 + t] as number);
          s1 += a * (std[o1 + t] as number);
          s2 += a * (std[o2 + t] as number);
          s3 += a * (std[o3 + t] as number);
        }
        if (tails && t1 < T) {
          const k = t1 / CHUNK - 1;
          const na = tails[ta + k] as number;
          if (
            s0 + na * (tails[c0 * K + k] as number) + BOUND_SLACK <= limit &&
            s1 + na * (tails[c1 * K + k] as number) + BOUND_SLACK <= limit &&
            s2 + na * (tails[c2 * K + k] as number) + BOUND_SLACK <= limit &&
            s3 + na * (tails[c3 * K + k] as number) + BOUND_SLACK <= limit
          ) {
            below = true;
            break;
          }
        }
      }
      out[h] = below ? Number.NEGATIVE_INFINITY : s0;
      out[h + 1] = below ? Number.NEGATIVE_INFINITY : s1;
      out[h + 2] = below ? Number.NEGATIVE_INFINITY : s2;
      out[h + 3] = below ? Number.NEGATIVE_INFINITY : s3;
    }
    for (; h < to; h++) {
      const c = this.col(js[h] as number);
      const ob = c * T;
      let s = 0;
      let below = false;
      for (let t0 = 0; t0 < T; t0 += CHUNK) {
        const t1 = Math.min(T, t0 + CHUNK);
        for (let t = t0; t < t1; t++) s += (std[oa + t] as number) * (std[ob + t] as number);
        if (tails && t1 < T) {
          const k = t1 / CHUNK - 1;
          if (s + (tails[ta + k] as number) * (tails[c * K + k] as number) + BOUND_SLACK <= limit) {
            below = true;
            break;
          }
        }
      }
      out[h] = below ? Number.NEGATIVE_INFINITY : s;
    }
    for (h = from; h < to; h++) if (js[h] === i) out[h] = 1;
  }

  /** Mean pairwise correlation of a set of columns (NaN for fewer than two). */
  averagePairwise(cols: readonly number[]): number {
    let s = 0;
    let n = 0;
    for (let x = 0; x < cols.length; x++) {
      for (let y = x + 1; y < cols.length; y++) {
        s += this.corr(cols[x] as number, cols[y] as number);
        n++;
      }
    }
    return n > 0 ? s / n : Number.NaN;
  }
}
