/**
 * Cross-sectional helpers shared by the strategies: z-scores, ranking and the alpha model
 * μ = IC · z · σ_h (Grinold's "alpha = IC × volatility × score"), all NaN-aware.
 */

/** Standardises the finite entries of `x` in place (mean 0, population std 1); returns how many. */
export function zscoreInPlace(x: Float64Array): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (v === v) {
      s += v;
      n++;
    }
  }
  if (n === 0) return 0;
  const m = s / n;
  let ss = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (v === v) ss += (v - m) * (v - m);
  }
  const sd = Math.sqrt(ss / n);
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (v === v) x[i] = sd > 0 ? (v - m) / sd : 0;
  }
  return n;
}

/** Winsorises finite entries to [−lim, lim] in place. */
export function clipInPlace(x: Float64Array, lim: number): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (v > lim) x[i] = lim;
    else if (v < -lim) x[i] = -lim;
  }
}

/** Columns with a finite score, sorted by score descending (ties by column, so deterministic). */
export function rankDescending(score: Float64Array): number[] {
  const idx: number[] = [];
  for (let i = 0; i < score.length; i++) if ((score[i] as number) === (score[i] as number)) idx.push(i);
  idx.sort((a, b) => (score[b] as number) - (score[a] as number) || a - b);
  return idx;
}

/** How many names a quantile of `n` names holds, at least `min` (if available). */
export function quantileCount(n: number, fraction: number, min = 1): number {
  return Math.min(n, Math.max(min, Math.round(n * fraction)));
}

/**
 * Expected return over `horizonDays` from a standardised score: μ = IC · z · σ_daily · √h.
 * `sigma` of the signal is the return's own dispersion over the horizon, σ_daily · √h.
 */
export function alphaFromScore(ic: number, z: number, dailyVol: number, horizonDays: number): { mu: number; sigma: number } {
  const sh = dailyVol * Math.sqrt(horizonDays);
  return { mu: ic * z * sh, sigma: sh };
}

/** Confidence in [0, 1] from a score's strength: |z| / zFull, capped, times a data-coverage factor. */
export function confidenceFromZ(z: number, zFull = 2.5, coverage = 1): number {
  const c = (Math.min(Math.abs(z), zFull) / zFull) * coverage;
  return c > 1 ? 1 : c < 0 ? 0 : c;
}
