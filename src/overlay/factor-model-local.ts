import type { FundConfig } from '../contracts/index.ts';
import { sectorIds, type MarketView } from '../market/index.ts';
import { ensureDefined } from '../core/index.ts';
import { dayOf } from './days.ts';
import { marketReturns } from './market-tape.ts';
import { volRegimeScale } from './vol-regime.ts';

/**
 * The overlay's risk model: a structured factor model Σ = B F Bᵀ + diag(D) over the names held or
 * proposed only. Factors: the market (reference series `market`, else the equal-weighted mean of
 * the names) and one residual factor per sector. Each name loads β on the market (time-series
 * regression) and γ on its own sector's residual factor. Returns are simple daily returns; F and
 * D are in daily return units². With `riskModel.kind = 'ewma'` every moment is EWMA-weighted
 * (λ = riskModel.ewmaLambda); with 'factor' or 'sample' observations are equally weighted.
 * A private stand-in for the quant factor model (listed in the overlay report).
 */
export interface RiskModel {
  readonly symbols: readonly string[];
  readonly index: ReadonlyMap<string, number>;
  /** Names N and factors K. */
  readonly N: number;
  readonly K: number;
  readonly factorNames: readonly string[];
  /** N×K exposures, row-major. */
  readonly B: Float64Array;
  /** K×K factor covariance, row-major, daily. */
  readonly F: Float64Array;
  /** Specific variance per name, daily. */
  readonly D: Float64Array;
  /** Market beta per name (= B[u*K]). */
  readonly beta: Float64Array;
  /** 1 when the name had too little history and got a conservative proxy (β = 1, σ = max(vol20, 3%)). */
  readonly proxied: Uint8Array;
  /**
   * Rows used (T) and each name's market residuals e = r − β·m, N×T column-major
   * (`residuals[u * T + k]`, NaN where the name has no return): r = e + β·m rebuilds the returns
   * for historical replays.
   */
  readonly T: number;
  readonly residuals: Float64Array;
  readonly marketReturns: Float64Array;
  /**
   * The market's returns over the T rows ending at the review's as-of date (regime, agents' factor
   * loadings). Equal to `marketReturns` when the model was estimated that day.
   */
  readonly marketNow: Float64Array;
  /** Problems that make the model unusable (fail safe): empty when the model is sound. */
  readonly issues: readonly string[];
}

const MIN_OBS = 20;
const PROXY_VOL = 0.03;

/**
 * The risk model for `symbols` from the view's last `riskModel.lookbackDays` rows. It is estimated
 * over every name of the view (the estimation universe: a sector factor is the mean market
 * residual of all the sector's names), then the rows of `symbols` are taken; a symbol the view
 * does not know gets the conservative proxy.
 */
export function buildRiskModel(view: MarketView, symbols: readonly string[], config: FundConfig): RiskModel {
  return selectRows(estimateMarketModel(view, config), symbols);
}

/** The first row of the refresh period (day, ISO week or month) that `view`'s as-of date is in. */
export function modelRow(view: MarketView, refresh: 'daily' | 'weekly' | 'monthly'): number {
  if (refresh === 'daily') return view.t;
  const here = periodOf(view.asOf, refresh);
  let row = view.t;
  while (row > 0 && periodOf(view.date(row - 1), refresh) === here) row--;
  return row;
}

/** The ISO week number (Monday first) or the month of a date. */
function periodOf(d: string, refresh: 'weekly' | 'monthly'): string | number {
  return refresh === 'weekly' ? Math.floor((dayOf(d) + 3) / 7) : d.slice(0, 7);
}

/** The refresh the config asks for: daily for EWMA models, weekly otherwise, unless set. */
export function refreshOf(config: FundConfig): 'daily' | 'weekly' | 'monthly' {
  const rm = config.risk.riskModel;
  return rm.refresh ?? (rm.kind === 'ewma' ? 'daily' : 'weekly');
}

/**
 * The overlay's risk model for a review: estimated over the whole market at the first row of the
 * refresh period (`riskModel.refresh`), shared by every review of that period through the view's
 * memo, with the rows of `symbols` taken out. Pure: a function of the view, the symbols and the config.
 * `symbolIndex` (symbol → position in `symbols`), when the caller has one, becomes the model's index.
 */
export function riskModelFor(view: MarketView, symbols: readonly string[], config: FundConfig, symbolIndex: ReadonlyMap<string, number> | null = null): RiskModel {
  const rm = config.risk.riskModel;
  const row = modelRow(view, refreshOf(config));
  const full = view.memo(`overlay.riskModel:${rm.kind}:${rm.lookbackDays}:${rm.ewmaLambda}:${row}`, () => estimateMarketModel(row === view.t ? view : view.at(row), config));
  // the volatility regime adjustment of the day: the factor covariance × k² (1: none)
  const k = volRegimeScale(view, full.F[0] ?? 0, rm.volRegimeHalfLifeDays);
  if (row === view.t) return selectRows(full, symbols, full.marketNow, symbolIndex, k * k);
  return selectRows(full, symbols, view, symbolIndex, k * k);
}

/** The rows of `symbols` of a full model: the part of a RiskModel that does not change within a refresh period. */
interface Rows {
  readonly full: RiskModel;
  readonly index: ReadonlyMap<string, number>;
  readonly B: Float64Array;
  readonly D: Float64Array;
  readonly beta: Float64Array;
  readonly proxied: Uint8Array;
  readonly issues: readonly string[];
  residuals: Float64Array | null;
  /** The model with the full model's own market returns (a review on the estimation day). */
  atEstimate: RiskModel | null;
}

/**
 * Rows taken out of a full model, per symbols array: the universe hands every review of the same
 * names the same array, so the reviews of a refresh period share their rows (read-only).
 */
const rowsCache = new WeakMap<readonly string[], Rows>();

function rowsOf(full: RiskModel, symbols: readonly string[], symbolIndex: ReadonlyMap<string, number> | null): Rows {
  const known = rowsCache.get(symbols);
  if (known && known.full === full) return known;
  const { K } = full;
  const N = symbols.length;
  // B, D and beta in one buffer
  const data = new Float64Array(N * K + 2 * N);
  const B = data.subarray(0, N * K);
  const D = data.subarray(N * K, N * K + N);
  const beta = data.subarray(N * K + N, N * K + 2 * N);
  const proxied = new Uint8Array(N);
  const index = symbolIndex ?? new Map(symbols.map((s, u) => [s, u]));
  const issues: string[] = full.issues.filter((i) => !i.startsWith('risk model is not finite for '));
  for (let u = 0; u < N; u++) {
    const sym = symbols[u] ?? '';
    const f = full.index.get(sym);
    if (f === undefined) {
      B[u * K] = 1;
      beta[u] = 1;
      D[u] = PROXY_VOL * PROXY_VOL;
      proxied[u] = 1;
      continue;
    }
    B.set(full.B.subarray(f * K, f * K + K), u * K);
    D[u] = full.D[f] as number;
    beta[u] = full.beta[f] as number;
    proxied[u] = full.proxied[f] as number;
    if (!Number.isFinite(D[u] as number) || !Number.isFinite(beta[u] as number)) issues.push(`risk model is not finite for ${sym}`);
  }
  const rows: Rows = { full, index, B, D, beta, proxied, issues, residuals: null, atEstimate: null };
  rowsCache.set(symbols, rows);
  return rows;
}

/** The residual histories (N×T) of the rows, only read by historical stress replays: gathered on first read. */
function residualsOf(rows: Rows, symbols: readonly string[]): Float64Array {
  if (rows.residuals === null) {
    const { full } = rows;
    const T = full.T;
    const out = new Float64Array(symbols.length * T).fill(Number.NaN);
    for (let u = 0; u < symbols.length; u++) {
      const f = full.index.get(symbols[u] ?? '');
      if (f !== undefined) out.set(full.residuals.subarray(f * T, f * T + T), u * T);
    }
    rows.residuals = out;
  }
  return rows.residuals;
}

/** A model of some rows of a full model, as of a day (its market returns up to that day). */
class RowsModel implements RiskModel {
  readonly N: number;
  readonly K: number;
  readonly index: ReadonlyMap<string, number>;
  readonly B: Float64Array;
  readonly F: Float64Array;
  readonly D: Float64Array;
  readonly beta: Float64Array;
  readonly proxied: Uint8Array;
  readonly T: number;
  readonly issues: readonly string[];
  readonly factorNames: readonly string[];
  readonly marketReturns: Float64Array;

  /** Today's market returns: given, or read from the market tape when first asked for (regime detection reads the tape's tail directly). */
  private now: Float64Array | null;
  private readonly view: MarketView | null;

  constructor(
    private readonly rows: Rows,
    readonly symbols: readonly string[],
    now: Float64Array | MarketView,
    factorScale = 1,
  ) {
    this.now = now instanceof Float64Array ? now : null;
    this.view = now instanceof Float64Array ? null : now;
    const full = rows.full;
    this.N = symbols.length;
    this.K = full.K;
    this.index = rows.index;
    this.B = rows.B;
    this.F = factorScale === 1 ? full.F : full.F.map((v) => v * factorScale);
    this.D = rows.D;
    this.beta = rows.beta;
    this.proxied = rows.proxied;
    this.T = full.T;
    this.issues = rows.issues;
    this.factorNames = full.factorNames;
    this.marketReturns = full.marketReturns;
  }

  /** The residual histories are only read by historical stress replays: gathered on first read. */
  get residuals(): Float64Array {
    return residualsOf(this.rows, this.symbols);
  }

  get marketNow(): Float64Array {
    if (this.now === null) this.now = marketReturns(ensureDefined(this.view, 'view of a lazy market series'), this.T);
    return this.now;
  }
}

/**
 * The rows of `symbols` (in that order) of a model estimated over a larger universe, with the
 * market's returns up to `now`: the full model's own, or those of a later view (read when asked for),
 * and the factor covariance × `factorScale` (the volatility regime adjustment).
 */
function selectRows(full: RiskModel, symbols: readonly string[], now: Float64Array | MarketView = full.marketNow, symbolIndex: ReadonlyMap<string, number> | null = null, factorScale = 1): RiskModel {
  const rows = rowsOf(full, symbols, symbolIndex);
  if (now === full.marketNow && factorScale === 1) return (rows.atEstimate ??= new RowsModel(rows, symbols, now));
  return new RowsModel(rows, symbols, now, factorScale);
}

/**
 * Each name's market beta (weighted OLS over the days both have a return) and, in place of its
 * returns in `col`, its market residuals (NaN where missing; all NaN for a proxied name), summed
 * per sector and day into `secSum`/`secCnt` (S×T, day-contiguous).
 */
function marketBetas(col: Float64Array, mkt: Float64Array, mOk: Uint8Array, w: Float64Array, sectorOf: Int32Array, N: number, T: number, secSum: Float64Array, secCnt: Float64Array, unitAllOk: boolean): { beta: Float64Array; proxied: Uint8Array } {
  const beta = new Float64Array(N);
  const proxied = new Uint8Array(N);
  for (let u = 0; u < N; u++) {
    const o = u * T;
    let sw = 0, sx = 0, sy = 0, sxx0 = 0, sxy0 = 0, n = 0;
    if (unitAllOk) {
      // unit weights on every row: the same sums without multiplying by 1 (1 · x = x exactly)
      for (let k = 0; k < T; k++) {
        const r = col[o + k] as number;
        if (r !== r) continue;
        const m = mkt[k] as number;
        sw += 1; sx += m; sy += r; sxx0 += m * m; sxy0 += m * r; n++;
      }
    } else {
      for (let k = 0; k < T; k++) {
        const r = col[o + k] as number;
        if (mOk[k] !== 1 || r !== r) continue;
        const wk = w[k] as number;
        const m = mkt[k] as number;
        const wm = wk * m;
        sw += wk; sx += wm; sy += wk * r; sxx0 += wm * m; sxy0 += wm * r; n++;
      }
    }
    if (n < MIN_OBS || sw <= 0) {
      proxied[u] = 1;
      beta[u] = 1;
      col.fill(Number.NaN, o, o + T);
      continue;
    }
    const sxx = sxx0 - (sx * sx) / sw;
    const sxy = sxy0 - (sx * sy) / sw;
    const b = sxx > 0 ? sxy / sxx : 1;
    beta[u] = b;
    const so = (sectorOf[u] as number) * T;
    for (let k = 0; k < T; k++) {
      const r = col[o + k] as number;
      if (mOk[k] !== 1 || r !== r) {
        col[o + k] = Number.NaN;
        continue;
      }
      const e = r - b * (mkt[k] as number);
      col[o + k] = e;
      secSum[so + k] = (secSum[so + k] as number) + e;
      secCnt[so + k] = (secCnt[so + k] as number) + 1;
    }
  }
  return { beta, proxied };
}

/** Factor returns K×T (day-contiguous) into `fac`: the market, then each sector's mean residual (0 on a day with none). */
function factorReturns(mkt: Float64Array, mOk: Uint8Array, secSum: Float64Array, secCnt: Float64Array, T: number, S: number, fac: Float64Array): Float64Array {
  for (let k = 0; k < T; k++) fac[k] = mOk[k] === 1 ? (mkt[k] as number) : Number.NaN;
  for (let s = 0; s < S; s++) {
    const o = (1 + s) * T;
    const so = s * T;
    for (let k = 0; k < T; k++) {
      const c = secCnt[so + k] as number;
      fac[o + k] = c > 0 ? (secSum[so + k] as number) / c : 0;
    }
  }
  return fac;
}

/** Each unproxied name's loading γ on its sector factor and its specific variance D (weighted). */
function sectorLoadings(resid: Float64Array, fac: Float64Array, w: Float64Array, sectorOf: Int32Array, proxied: Uint8Array, B: Float64Array, D: Float64Array, N: number, T: number, K: number, unit: boolean): void {
  for (let u = 0; u < N; u++) {
    if (proxied[u] === 1) continue;
    const s = sectorOf[u] as number;
    const o = u * T;
    const fo = (1 + s) * T;
    let sw = 0, see = 0, sef = 0, sff = 0;
    if (unit) {
      for (let k = 0; k < T; k++) {
        const e = resid[o + k] as number;
        if (e !== e) continue;
        const f = fac[fo + k] as number;
        sw += 1; sef += e * f; sff += f * f; see += e * e;
      }
    } else {
      for (let k = 0; k < T; k++) {
        const e = resid[o + k] as number;
        if (e !== e) continue;
        const f = fac[fo + k] as number;
        const wk = w[k] as number;
        sw += wk; sef += wk * e * f; sff += wk * f * f; see += wk * e * e;
      }
    }
    const g = sff > 0 ? sef / sff : 0;
    B[u * K + 1 + s] = g;
    // Σw(e − g f)² = Σw e² − 2g Σw e f + g² Σw f²
    D[u] = sw > 0 ? Math.max(0, see - 2 * g * sef + g * g * sff) / sw : PROXY_VOL * PROXY_VOL;
  }
}

/**
 * Σ a[oa+k]·b[ob+k] and Σ a[oa+k]·c[oc+k] for k < n, each in four independent partial sums (a
 * single running sum waits on each add); the two share the loads of `a`.
 */
function dot2(a: Float64Array, oa: number, b: Float64Array, ob: number, c: Float64Array, oc: number, n: number, out: Float64Array): void {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let t0 = 0, t1 = 0, t2 = 0, t3 = 0;
  let k = 0;
  for (; k + 3 < n; k += 4) {
    const a0 = a[oa + k] as number, a1 = a[oa + k + 1] as number, a2 = a[oa + k + 2] as number, a3 = a[oa + k + 3] as number;
    s0 += a0 * (b[ob + k] as number);
    s1 += a1 * (b[ob + k + 1] as number);
    s2 += a2 * (b[ob + k + 2] as number);
    s3 += a3 * (b[ob + k + 3] as number);
    t0 += a0 * (c[oc + k] as number);
    t1 += a1 * (c[oc + k + 1] as number);
    t2 += a2 * (c[oc + k + 2] as number);
    t3 += a3 * (c[oc + k + 3] as number);
  }
  for (; k < n; k++) {
    const ak = a[oa + k] as number;
    s0 += ak * (b[ob + k] as number);
    t0 += ak * (c[oc + k] as number);
  }
  out[0] = s0 + s1 + (s2 + s3);
  out[1] = t0 + t1 + (t2 + t3);
}

/**
 * Weighted covariance (K×K) of the factor returns (K×T, day-contiguous) over the rows where the
 * market is known. Centres `fac` in place (zero where the market is missing).
 */
function factorCovariance(fac: Float64Array, mOk: Uint8Array, w: Float64Array, T: number, K: number, unitAllOk: boolean): Float64Array {
  const F = new Float64Array(K * K);
  let sw = 0;
  for (let k = 0; k < T; k++) if (mOk[k] === 1) sw += w[k] as number;
  // centred columns, and the same weighted: one register accumulator per entry in the dot products.
  // With unit weights on every row, the weighted columns are the centred ones (1 · v = v exactly).
  const wdc = unitAllOk ? fac : new Float64Array(K * T);
  for (let i = 0; i < K; i++) {
    const o = i * T;
    if (unitAllOk) {
      let mean = 0;
      for (let k = 0; k < T; k++) mean += fac[o + k] as number;
      if (sw > 0) mean /= sw;
      for (let k = 0; k < T; k++) fac[o + k] = (fac[o + k] as number) - mean;
      continue;
    }
    let mean = 0;
    for (let k = 0; k < T; k++) if (mOk[k] === 1) mean += (w[k] as number) * (fac[o + k] as number);
    if (sw > 0) mean /= sw;
    for (let k = 0; k < T; k++) {
      if (mOk[k] !== 1) {
        fac[o + k] = 0;
        continue;
      }
      const v = (fac[o + k] as number) - mean;
      fac[o + k] = v;
      wdc[o + k] = (w[k] as number) * v;
    }
  }
  const pair = new Float64Array(2);
  for (let i = 0; i < K; i++) {
    for (let j = i; j < K; j += 2) {
      const j2 = j + 1 < K ? j + 1 : j;
      dot2(wdc, i * T, fac, j * T, fac, j2 * T, T, pair);
      const v = sw > 0 ? (pair[0] as number) / sw : 0;
      F[i * K + j] = v;
      F[j * K + i] = v;
      if (j2 === j) continue;
      const v2 = sw > 0 ? (pair[1] as number) / sw : 0;
      F[i * K + j2] = v2;
      F[j2 * K + i] = v2;
    }
  }
  return F;
}

/** Observation weights λ^(T−1−k) (all 1 for λ = 1), shared read-only by every estimate with the same (λ, T). */
let weights: { lambda: number; w: Float64Array } = { lambda: Number.NaN, w: new Float64Array(0) };

function observationWeights(lambda: number, T: number): Float64Array {
  if (weights.lambda !== lambda || weights.w.length !== T) {
    const w = new Float64Array(T);
    for (let k = 0; k < T; k++) w[k] = lambda === 1 ? 1 : Math.pow(lambda, T - 1 - k);
    weights = { lambda, w };
  }
  return weights.w;
}

/** The factor model over every name of the view (small kernels above, so each is optimised). */
function estimateMarketModel(view: MarketView, config: FundConfig): RiskModel {
  const rm = config.risk.riskModel;
  const symbols = view.symbols;
  const N = symbols.length;
  const T = Math.max(2, Math.min(rm.lookbackDays, view.t));
  // column-major (N×T) so each name's series is contiguous; becomes the residuals
  const col = new Float64Array(N * T);
  for (let u = 0; u < N; u++) view.windowInto('ret', u, T, col, u * T);
  const mkt = marketReturns(view, T);
  const issues: string[] = [];
  const w = observationWeights(rm.kind === 'ewma' ? rm.ewmaLambda : 1, T);
  const { sectorOf, names: sectorNames } = sectorIds(view.sectors);
  const S = sectorNames.length;
  const K = 1 + S;
  const mOk = new Uint8Array(T);
  let mktObs = 0;
  for (let k = 0; k < T; k++) {
    if (Number.isFinite(mkt[k] as number)) {
      mOk[k] = 1;
      mktObs++;
    }
  }
  if (mktObs < MIN_OBS) issues.push(`market factor has ${mktObs} observations in ${T} rows (need ${MIN_OBS})`);
  const secSum = new Float64Array(T * S);
  const secCnt = new Float64Array(T * S);
  const unitAllOk = rm.kind !== 'ewma' && mktObs === T;
  const { beta, proxied } = marketBetas(col, mkt, mOk, w, sectorOf, N, T, secSum, secCnt, unitAllOk);
  const fac = factorReturns(mkt, mOk, secSum, secCnt, T, S, new Float64Array(T * K));
  const B = new Float64Array(N * K);
  const D = new Float64Array(N);
  for (let u = 0; u < N; u++) {
    B[u * K] = beta[u] as number;
    if (proxied[u] !== 1) continue;
    const v = view.value('vol20', u);
    const vol = Number.isFinite(v) ? Math.max(v, PROXY_VOL) : PROXY_VOL;
    D[u] = vol * vol;
  }
  sectorLoadings(col, fac, w, sectorOf, proxied, B, D, N, T, K, rm.kind !== 'ewma');
  const F = factorCovariance(fac, mOk, w, T, K, unitAllOk);
  for (let i = 0; i < F.length; i++) if (!Number.isFinite(F[i] ?? Number.NaN)) issues.push('factor covariance has a non-finite entry');
  for (let u = 0; u < N; u++) {
    if (!Number.isFinite(D[u] ?? Number.NaN) || !Number.isFinite(B[u * K] ?? Number.NaN)) issues.push(`risk model is not finite for ${symbols[u]}`);
  }
  const index = new Map<string, number>();
  symbols.forEach((s, u) => index.set(s, u));
  return {
    symbols,
    index,
    N,
    K,
    factorNames: ['market', ...sectorNames.map((s) => `sector:${s}`)],
    B,
    F,
    D,
    beta,
    proxied,
    T,
    residuals: col,
    marketReturns: mkt,
    marketNow: mkt,
    issues: [...new Set(issues)],
  };
}
