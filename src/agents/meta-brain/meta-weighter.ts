import { ensureDefined } from '../../core/index.ts';
import { applyIsotonic, expectedCalibrationError, type IsotonicCalibrator } from '../../quant/index.ts';
import type { Feature, RowData, StateShape } from '../state/incremental.ts';
import { CalibrationWindow } from './calibration-window.ts';

/** One recorded prediction set: made at `row`, resolved at `endRow` (row + horizon). */
interface PendingRecord {
  readonly row: number;
  readonly endRow: number;
  readonly startClose: Float64Array;
  /** μ per source (K arrays of U). */
  readonly mus: readonly Float64Array[];
  readonly ensembleMu: Float64Array;
  readonly ensembleConfidence: Float64Array;
}

/** What the weighter needs from the committee at a recording row. */
export interface Predictor {
  /** Analysts' μ and the ensemble (with the blend weights passed) at the row of `d`. */
  predict(d: RowData, blend: Float64Array): { mus: readonly Float64Array[]; ensembleMu: Float64Array; ensembleConfidence: Float64Array };
}

export interface MetaWeighterOptions {
  readonly sources: readonly string[];
  readonly horizonDays: number;
  /** Record predictions every this many rows. */
  readonly recordEvery?: number;
  /** Rows before the first record (let the indicators warm up). */
  readonly warmupRows?: number;
  /** Pseudo-observations of the equal-weight prior. */
  readonly priorSamples?: number;
  /** Calibration samples kept (most recent). */
  readonly maxSamples?: number;
}

/**
 * The meta-weighter (seed: refactor-plan §2.2), point in time: it records the analysts'
 * predictions every `recordEvery` rows and learns only from those whose horizon has passed
 * (resolved at row + horizon, with that row's close). Blend weights aₖ ∝ max(0, ICₖ), the
 * uncentred correlation of source k's μ with realised returns, shrunk to equal weights by
 * n0/(n+n0) and normalised to mean 1. Calibration: an isotonic map from the ensemble's
 * confidence to the realised hit rate (sign of μ̂ = sign of the return); the expected
 * calibration error is tracked out of sample (each batch scored before it is learned from).
 */
export class MetaWeighter implements Feature {
  private readonly K: number;
  private readonly every: number;
  private readonly warmup: number;
  private readonly n0: number;
  private readonly maxSamples: number;
  private pending: PendingRecord[] = [];
  private sxy = new Float64Array(0);
  private sxx = new Float64Array(0);
  private syy = new Float64Array(0);
  private nObs = 0;
  private blend = new Float64Array(0);
  private calibration: CalibrationWindow;
  private eceP: number[] = [];
  private eceY: number[] = [];
  private fit: IsotonicCalibrator | null = null;
  /** `ece()` until the next resolved batch. */
  private eceValue: number | null = null;
  private predictor: Predictor | null = null;
  /** Rows at which a batch was resolved (for tests: never after the row it was learned at). */
  resolvedBatches = 0;

  constructor(readonly o: MetaWeighterOptions) {
    this.K = o.sources.length;
    this.every = o.recordEvery ?? 5;
    this.warmup = o.warmupRows ?? 60;
    this.n0 = o.priorSamples ?? 2000;
    this.maxSamples = o.maxSamples ?? 4000;
    this.blend = new Float64Array(this.K).fill(1);
    this.calibration = new CalibrationWindow(this.maxSamples);
  }

  bind(p: Predictor): void {
    this.predictor = p;
  }

  reset(_s: StateShape): void {
    this.pending = [];
    this.sxy = new Float64Array(this.K);
    this.sxx = new Float64Array(this.K);
    this.syy = new Float64Array(this.K);
    this.nObs = 0;
    this.blend = new Float64Array(this.K).fill(1);
    this.calibration = new CalibrationWindow(this.maxSamples);
    this.eceP = [];
    this.eceY = [];
    this.fit = null;
    this.eceValue = null;
    this.resolvedBatches = 0;
  }

  step(d: RowData): void {
    while (this.pending.length > 0 && (this.pending[0] as PendingRecord).endRow <= d.row) {
      this.resolve(ensureDefined(this.pending.shift(), 'pending prediction'), d.close);
    }
    if (this.predictor && d.row >= this.warmup && d.row % this.every === 0) {
      const p = this.predictor.predict(d, this.blend);
      this.pending.push({
        row: d.row,
        endRow: d.row + this.o.horizonDays,
        startClose: d.close,
        mus: p.mus.map((m) => m.slice()),
        ensembleMu: p.ensembleMu.slice(),
        ensembleConfidence: p.ensembleConfidence.slice(),
      });
    }
  }

  private resolve(r: PendingRecord, endClose: Float64Array): void {
    const U = endClose.length;
    const batchP: number[] = [];
    const batchY: number[] = [];
    for (let u = 0; u < U; u++) {
      const ret = (endClose[u] as number) / (r.startClose[u] as number) - 1;
      if (ret !== ret) continue;
      for (let k = 0; k < this.K; k++) {
        const m = (r.mus[k] as Float64Array)[u] as number;
        if (m !== m) continue;
        this.sxy[k] = (this.sxy[k] as number) + m * ret;
        this.sxx[k] = (this.sxx[k] as number) + m * m;
        this.syy[k] = (this.syy[k] as number) + ret * ret;
      }
      this.nObs++;
      const em = r.ensembleMu[u] as number;
      const ec = r.ensembleConfidence[u] as number;
      if (em === em && em !== 0 && ec === ec && ret !== 0) {
        batchP.push(ec);
        batchY.push(Math.sign(em) === Math.sign(ret) ? 1 : 0);
      }
    }
    // out-of-sample: score the batch with the calibrator fitted before it
    for (let i = 0; i < batchP.length; i++) {
      this.eceP.push(this.calibrate(batchP[i] as number));
      this.eceY.push(batchY[i] as number);
    }
    this.calibration.add(batchP, batchY);
    trim(this.eceP, this.eceY, this.maxSamples);
    this.eceValue = null;
    if (this.calibration.length >= 50) this.fit = this.calibration.fit();
    this.updateBlend();
    this.resolvedBatches++;
  }

  private updateBlend(): void {
    const ic = new Float64Array(this.K);
    let total = 0;
    for (let k = 0; k < this.K; k++) {
      const den = Math.sqrt((this.sxx[k] as number) * (this.syy[k] as number));
      const v = den > 0 ? (this.sxy[k] as number) / den : 0;
      ic[k] = v > 0 ? v : 0;
      total += ic[k] as number;
    }
    const shrink = this.nObs / (this.nObs + this.n0);
    for (let k = 0; k < this.K; k++) {
      const learned = total > 0 ? ((ic[k] as number) / total) * this.K : 1;
      this.blend[k] = shrink * learned + (1 - shrink);
    }
  }

  /** Blend weights aₖ (mean 1) in `sources` order. A copy. */
  weights(): Float64Array {
    return this.blend.slice();
  }

  /** Calibrated confidence: the isotonic hit rate for raw confidence c (c itself before 50 samples). */
  calibrate(c: number): number {
    return this.fit ? applyIsotonic(this.fit, c) : c;
  }

  /** Out-of-sample expected calibration error (10 bins); NaN before any resolved prediction. */
  ece(): number {
    this.eceValue ??= expectedCalibrationError(this.eceP, this.eceY, 10);
    return this.eceValue;
  }

  /** Resolved (name, date) observations used for learning. */
  get observations(): number {
    return this.nObs;
  }

  /** The first row of a prediction that is recorded but not yet resolved (Infinity if none). */
  get oldestPendingRow(): number {
    return this.pending[0]?.row ?? Number.POSITIVE_INFINITY;
  }
}

function trim(a: number[], b: number[], max: number): void {
  if (a.length > max) {
    a.splice(0, a.length - max);
    b.splice(0, b.length - max);
  }
}
