import type { Feature, RowData, StateShape } from './incremental.ts';

/**
 * Market- and sector-residual returns per name, incrementally:
 * eₜ = rₜ − βₜ₋₁·mₜ, then demeaned within the name's sector that day (removes the sector move);
 * β is the EWMA covariance with the market over the EWMA market variance (λ_beta);
 * `spread` is the decayed cumulative residual sₜ = λ_s·sₜ₋₁ + eₜ and `residVar` the EWMA of e².
 * z = s / √(residVar / (1 − λ_s²)) is the residual's standardised displacement.
 */
export class ResidualFeature implements Feature {
  beta = new Float64Array(0);
  spread = new Float64Array(0);
  residVar = new Float64Array(0);
  n = new Int32Array(0);
  private cov = new Float64Array(0);
  private marketVar = Number.NaN;
  private resid = new Float64Array(0);
  private sectorSum = new Float64Array(0);
  private sectorN = new Int32Array(0);
  private sectorOf: Int32Array = new Int32Array(0);

  constructor(
    readonly lambdaBeta = 0.98,
    readonly lambdaSpread = 0.8,
    readonly lambdaVar = 0.97,
  ) {}

  reset(s: StateShape): void {
    this.beta = new Float64Array(s.U).fill(1);
    this.spread = new Float64Array(s.U);
    this.residVar = new Float64Array(s.U).fill(Number.NaN);
    this.n = new Int32Array(s.U);
    this.cov = new Float64Array(s.U).fill(Number.NaN);
    this.marketVar = Number.NaN;
    this.resid = new Float64Array(s.U);
    this.sectorSum = new Float64Array(s.sectorNames.length);
    this.sectorN = new Int32Array(s.sectorNames.length);
    this.sectorOf = s.sectorOf;
  }

  step(d: RowData): void {
    const m = d.marketRet;
    if (m !== m) return;
    const U = this.beta.length;
    this.sectorSum.fill(0);
    this.sectorN.fill(0);
    for (let u = 0; u < U; u++) {
      const r = d.ret[u] as number;
      if (r !== r) {
        this.resid[u] = Number.NaN;
        continue;
      }
      const e = r - (this.beta[u] as number) * m;
      this.resid[u] = e;
      const s = this.sectorOf[u] as number;
      this.sectorSum[s] = (this.sectorSum[s] as number) + e;
      this.sectorN[s] = (this.sectorN[s] as number) + 1;
    }
    const ls = this.lambdaSpread;
    const lv = this.lambdaVar;
    for (let u = 0; u < U; u++) {
      const e0 = this.resid[u] as number;
      if (e0 !== e0) continue;
      const s = this.sectorOf[u] as number;
      const e = e0 - (this.sectorSum[s] as number) / (this.sectorN[s] as number);
      this.spread[u] = ls * (this.spread[u] as number) + e;
      const v = this.residVar[u] as number;
      this.residVar[u] = v === v ? lv * v + (1 - lv) * e * e : e * e;
      this.n[u] = (this.n[u] as number) + 1;
    }
    // β update after use, so the residual of row t uses β from rows < t.
    const lb = this.lambdaBeta;
    this.marketVar = this.marketVar === this.marketVar ? lb * this.marketVar + (1 - lb) * m * m : m * m;
    for (let u = 0; u < U; u++) {
      const r = d.ret[u] as number;
      if (r !== r) continue;
      const c = this.cov[u] as number;
      const nc = c === c ? lb * c + (1 - lb) * r * m : r * m;
      this.cov[u] = nc;
      if (this.marketVar > 0) this.beta[u] = nc / this.marketVar;
    }
  }

  /** Standardised residual displacement after `minObs` residuals, else NaN. */
  z(u: number, minObs = 40): number {
    if ((this.n[u] ?? 0) < minObs) return Number.NaN;
    const v = this.residVar[u] as number;
    if (!(v > 0)) return Number.NaN;
    return (this.spread[u] as number) / Math.sqrt(v / (1 - this.lambdaSpread * this.lambdaSpread));
  }
}
