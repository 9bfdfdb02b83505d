import { isotonicRegression, type IsotonicCalibrator } from '../../quant/index.ts';

/**
 * The meta-weighter's calibration samples (confidence x, outcome y), the most recent `max` kept,
 * with their order by x maintained as batches arrive, so a refit costs O(n) instead of a sort.
 * `fit()` equals quant's `fitIsotonicCalibrator(x, y)` on the window bit for bit: the samples are
 * visited in the same order (by x, ties oldest first — a stable sort) and ties pooled the same way.
 */
export class CalibrationWindow {
  private xs: number[] = [];
  private ys: number[] = [];
  /** Sequence number of xs[0]; sample i has sequence `first + i`. */
  private first = 0;
  /** Sequence numbers of the window's samples, by x ascending, ties by sequence. */
  private sorted = new Float64Array(0);
  private size = 0;
  private bx = new Float64Array(0);
  private by = new Float64Array(0);
  private bw = new Float64Array(0);

  constructor(readonly max: number) {}

  get length(): number {
    return this.xs.length;
  }

  /** Appends a batch (oldest first) and drops the oldest samples beyond `max`. */
  add(x: readonly number[], y: readonly number[]): void {
    const start = this.first + this.xs.length;
    for (let i = 0; i < x.length; i++) {
      this.xs.push(x[i] as number);
      this.ys.push(y[i] as number);
    }
    const drop = this.xs.length - this.max;
    if (drop > 0) {
      this.xs.splice(0, drop);
      this.ys.splice(0, drop);
      this.first += drop;
    }
    const first = this.first;
    const xs = this.xs;
    const batch: number[] = [];
    for (let s = Math.max(start, first); s < start + x.length; s++) batch.push(s);
    batch.sort((a, b) => (xs[a - first] as number) - (xs[b - first] as number) || a - b);
    // drop the samples that left the window, then merge: among equal x the older sample first
    let kept = 0;
    for (let i = 0; i < this.size; i++) {
      const q = this.sorted[i] as number;
      if (q >= first) this.sorted[kept++] = q;
    }
    const merged = new Float64Array(xs.length);
    let m = 0;
    let i = 0;
    let j = 0;
    while (i < kept && j < batch.length) {
      const old = this.sorted[i] as number;
      const nu = batch[j] as number;
      if ((xs[nu - first] as number) < (xs[old - first] as number)) {
        merged[m++] = nu;
        j++;
      } else {
        merged[m++] = old;
        i++;
      }
    }
    while (i < kept) merged[m++] = this.sorted[i++] as number;
    while (j < batch.length) merged[m++] = batch[j++] as number;
    this.sorted = merged;
    this.size = m;
  }

  /** The isotonic map from x to the outcome frequency (ties pooled), as `fitIsotonicCalibrator`. */
  fit(): IsotonicCalibrator {
    const n = this.size;
    if (this.bx.length < n) {
      this.bx = new Float64Array(this.max);
      this.by = new Float64Array(this.max);
      this.bw = new Float64Array(this.max);
    }
    const { bx, by, bw, xs, ys, first } = this;
    let k = 0;
    for (let i = 0; i < n; i++) {
      const q = (this.sorted[i] as number) - first;
      const s = xs[q] as number;
      const o = ys[q] as number;
      const last = k - 1;
      if (last >= 0 && bx[last] === s) {
        by[last] = ((by[last] as number) * (bw[last] as number) + o) / ((bw[last] as number) + 1);
        bw[last] = (bw[last] as number) + 1;
      } else {
        bx[k] = s;
        by[k] = o;
        bw[k] = 1;
        k++;
      }
    }
    return { x: bx.slice(0, k), y: isotonicRegression(by.subarray(0, k), { weights: bw.subarray(0, k) }) };
  }
}
