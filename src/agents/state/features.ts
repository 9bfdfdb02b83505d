/**
 * Incremental per-name indicators, one `step` per row, NaN-aware (a name without a bar that day
 * keeps its state). Conventions follow src/quant's batch indicators; these are the O(U)-per-row
 * forms the agents need to stay fast across consecutive as-of rows.
 */
import type { Feature, RowData, StateShape } from './incremental.ts';

const nan = Number.NaN;

/**
 * Average true range (Wilder), price units, as quant's `atr` (TA-Lib): true ranges from the second
 * bar on, seeded with the mean of the first `period` of them; first value after `period` ranges.
 */
export class AtrFeature implements Feature {
  atr = new Float64Array(0);
  private n = new Int32Array(0);
  constructor(readonly period: number) {}
  reset(s: StateShape): void {
    this.atr = new Float64Array(s.U).fill(nan);
    this.n = new Int32Array(s.U);
  }
  step(d: RowData): void {
    const p = this.period;
    for (let u = 0; u < this.atr.length; u++) {
      const h = d.high[u] as number;
      const l = d.low[u] as number;
      const pc = d.prevClose[u] as number;
      if (!(h === h && l === l && pc === pc)) continue;
      const tr = Math.max(h, pc) - Math.min(l, pc);
      const k = (this.n[u] as number) + 1;
      this.n[u] = k;
      const prev = this.atr[u] as number;
      if (k === 1) this.atr[u] = tr;
      else if (k <= p) this.atr[u] = prev + (tr - prev) / k; // running mean = the SMA seed at k = p
      else this.atr[u] = prev + (tr - prev) / p;
    }
  }
  /** ATR once `period` true ranges have been seen, else NaN. */
  value(u: number): number {
    return (this.n[u] ?? 0) >= this.period ? (this.atr[u] as number) : nan;
  }
}

/**
 * Exponential moving average of close, α = 2/(period+1), seeded with the mean of the first
 * `period` closes as quant's `ema` (TA-Lib); before that it holds the running mean.
 */
export class EmaFeature implements Feature {
  ema = new Float64Array(0);
  n = new Int32Array(0);
  private readonly alpha: number;
  constructor(readonly period: number) {
    this.alpha = 2 / (period + 1);
  }
  reset(s: StateShape): void {
    this.ema = new Float64Array(s.U).fill(nan);
    this.n = new Int32Array(s.U);
  }
  step(d: RowData): void {
    const a = this.alpha;
    const p = this.period;
    for (let u = 0; u < this.ema.length; u++) {
      const c = d.close[u] as number;
      if (c !== c) continue;
      const k = (this.n[u] as number) + 1;
      this.n[u] = k;
      const prev = this.ema[u] as number;
      this.ema[u] = k === 1 ? c : k <= p ? prev + (c - prev) / k : prev + a * (c - prev);
    }
  }
}

/** EWMA variance of daily returns (RiskMetrics, zero mean): σ²ₜ = λσ²ₜ₋₁ + (1−λ)r²ₜ. */
export class EwmaVolFeature implements Feature {
  variance = new Float64Array(0);
  n = new Int32Array(0);
  constructor(readonly lambda = 0.94) {}
  reset(s: StateShape): void {
    this.variance = new Float64Array(s.U).fill(nan);
    this.n = new Int32Array(s.U);
  }
  step(d: RowData): void {
    const l = this.lambda;
    for (let u = 0; u < this.variance.length; u++) {
      const r = d.ret[u] as number;
      if (r !== r) continue;
      const prev = this.variance[u] as number;
      this.variance[u] = prev === prev ? l * prev + (1 - l) * r * r : r * r;
      this.n[u] = (this.n[u] as number) + 1;
    }
  }
  /** Daily volatility (not annualised) after `minObs` returns, else NaN. */
  vol(u: number, minObs = 20): number {
    return (this.n[u] ?? 0) >= minObs ? Math.sqrt(this.variance[u] as number) : nan;
  }
}

/** RSI in [0, 100] with Wilder's smoothing seeded by the mean of the first `period` changes. */
export class RsiFeature implements Feature {
  private up = new Float64Array(0);
  private down = new Float64Array(0);
  private n = new Int32Array(0);
  constructor(readonly period = 14) {}
  reset(s: StateShape): void {
    this.up = new Float64Array(s.U);
    this.down = new Float64Array(s.U);
    this.n = new Int32Array(s.U);
  }
  step(d: RowData): void {
    const p = this.period;
    for (let u = 0; u < this.up.length; u++) {
      const c = d.close[u] as number;
      const pc = d.prevClose[u] as number;
      if (!(c === c && pc === pc)) continue;
      const ch = c - pc;
      const g = ch > 0 ? ch : 0;
      const l = ch < 0 ? -ch : 0;
      const k = (this.n[u] as number) + 1;
      this.n[u] = k;
      if (k <= p) {
        this.up[u] = (this.up[u] as number) + g / p;
        this.down[u] = (this.down[u] as number) + l / p;
      } else {
        this.up[u] = ((this.up[u] as number) * (p - 1) + g) / p;
        this.down[u] = ((this.down[u] as number) * (p - 1) + l) / p;
      }
    }
  }
  value(u: number): number {
    if ((this.n[u] ?? 0) < this.period) return nan;
    const up = this.up[u] as number;
    const down = this.down[u] as number;
    if (down === 0) return up === 0 ? 50 : 100;
    return 100 - 100 / (1 + up / down);
  }
}

/**
 * MACD (fast EMA − slow EMA) and its signal EMA, price units, as quant's `macd` (TA-Lib): the
 * signal line starts once the slow EMA is seeded, itself seeded with the mean of its first
 * `signalPeriod` MACD values.
 */
export class MacdFeature implements Feature {
  readonly fast: EmaFeature;
  readonly slow: EmaFeature;
  signal = new Float64Array(0);
  private k = new Int32Array(0);
  private readonly alpha: number;
  constructor(fast = 12, slow = 26, readonly signalPeriod = 9) {
    this.fast = new EmaFeature(fast);
    this.slow = new EmaFeature(slow);
    this.alpha = 2 / (signalPeriod + 1);
  }
  reset(s: StateShape): void {
    this.fast.reset(s);
    this.slow.reset(s);
    this.signal = new Float64Array(s.U).fill(nan);
    this.k = new Int32Array(s.U);
  }
  step(d: RowData): void {
    this.fast.step(d);
    this.slow.step(d);
    const sp = this.signalPeriod;
    for (let u = 0; u < this.signal.length; u++) {
      if ((d.close[u] as number) !== (d.close[u] as number)) continue;
      if ((this.slow.n[u] as number) < this.slow.period || (this.fast.n[u] as number) < this.fast.period) continue;
      const m = (this.fast.ema[u] as number) - (this.slow.ema[u] as number);
      const k = (this.k[u] as number) + 1;
      this.k[u] = k;
      const prev = this.signal[u] as number;
      this.signal[u] = k === 1 ? m : k <= sp ? prev + (m - prev) / k : prev + this.alpha * (m - prev);
    }
  }
  /** MACD histogram (line − signal) once the signal line is seeded, else NaN. */
  histogram(u: number): number {
    if ((this.k[u] ?? 0) < this.signalPeriod) return nan;
    return (this.fast.ema[u] as number) - (this.slow.ema[u] as number) - (this.signal[u] as number);
  }
}

/**
 * Rolling sums of close over the last `w` rows for several windows at once (ring buffer of the
 * longest): SMA and Bollinger bands. Rows without a bar count as missing.
 */
export class RollingCloseFeature implements Feature {
  private ring = new Float64Array(0);
  private pos = 0;
  private U = 0;
  private readonly size: number;
  sum: Float64Array[] = [];
  sumSq: Float64Array[] = [];
  count: Int32Array[] = [];
  constructor(readonly windows: readonly number[]) {
    this.size = Math.max(...windows);
  }
  reset(s: StateShape): void {
    this.U = s.U;
    this.ring = new Float64Array(this.size * s.U).fill(nan);
    this.pos = 0;
    this.sum = this.windows.map(() => new Float64Array(s.U));
    this.sumSq = this.windows.map(() => new Float64Array(s.U));
    this.count = this.windows.map(() => new Int32Array(s.U));
  }
  step(d: RowData): void {
    const U = this.U;
    const size = this.size;
    for (let k = 0; k < this.windows.length; k++) {
      const w = this.windows[k] as number;
      const sum = this.sum[k] as Float64Array;
      const sq = this.sumSq[k] as Float64Array;
      const cnt = this.count[k] as Int32Array;
      const outSlot = ((this.pos - w + size) % size) * U; // the value leaving this window
      for (let u = 0; u < U; u++) {
        const old = this.ring[outSlot + u] as number;
        if (old === old) {
          sum[u] = (sum[u] as number) - old;
          sq[u] = (sq[u] as number) - old * old;
          cnt[u] = (cnt[u] as number) - 1;
        }
        const c = d.close[u] as number;
        if (c === c) {
          sum[u] = (sum[u] as number) + c;
          sq[u] = (sq[u] as number) + c * c;
          cnt[u] = (cnt[u] as number) + 1;
        }
      }
    }
    const slot = this.pos * U;
    for (let u = 0; u < U; u++) this.ring[slot + u] = d.close[u] as number;
    this.pos = (this.pos + 1) % size;
  }
  /** Mean close of window k when the window is full, else NaN. */
  mean(k: number, u: number): number {
    const w = this.windows[k] as number;
    const n = this.count[k]?.[u] ?? 0;
    return n >= w ? (this.sum[k]?.[u] ?? nan) / n : nan;
  }
  /** Population standard deviation of close over window k (Bollinger convention), else NaN. */
  std(k: number, u: number): number {
    const w = this.windows[k] as number;
    const n = this.count[k]?.[u] ?? 0;
    if (n < w) return nan;
    const m = (this.sum[k]?.[u] ?? nan) / n;
    return Math.sqrt(Math.max(0, (this.sumSq[k]?.[u] ?? nan) / n - m * m));
  }
}
