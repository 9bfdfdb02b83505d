/** VaR and ES of a P&L (or portfolio return) sample, as positive losses. */
import type { Series } from '../stats/descriptive.ts';
import { dropNaN, quantileSorted } from '../stats/descriptive.ts';

/** VaR and expected shortfall as positive losses (same units as the input). */
export interface TailRisk {
  /** −quantile(pnl, 1 − confidence), numpy-linear. Positive = a loss. */
  readonly var: number;
  /** −mean of the outcomes at or below that quantile. */
  readonly es: number;
}

/** Historical VaR/ES of an outcome sample (NaNs ignored): VaR = −q_{1−c} (numpy linear), ES = −mean(x ≤ q_{1−c}). */
export function tailRiskFromSample(pnl: Series, confidence = 0.95): TailRisk {
  const s = dropNaN(pnl).sort();
  return tailRiskFromSorted(s, confidence);
}

/** `tailRiskFromSample` for an already ascending-sorted NaN-free sample. */
export function tailRiskFromSorted(sorted: Float64Array, confidence: number): TailRisk {
  if (sorted.length === 0) return { var: Number.NaN, es: Number.NaN };
  const q = quantileSorted(sorted, 1 - confidence);
  let s = 0;
  let n = 0;
  for (let i = 0; i < sorted.length && (sorted[i] as number) <= q; i++) {
    s += sorted[i] as number;
    n++;
  }
  return { var: -q, es: n === 0 ? -q : -s / n };
}

/**
 * `tailRiskFromSample` in O(n) by quickselect instead of a sort; reorders `work` (a scratch copy of
 * the outcomes without NaNs). Same numbers as the sorted version: numpy-linear quantile, mean of x ≤ q.
 */
export function tailRiskSelect(work: Float64Array, confidence: number): TailRisk {
  const n = work.length;
  if (n === 0) return { var: Number.NaN, es: Number.NaN };
  const pos = (n - 1) * (1 - confidence);
  const k = Math.floor(pos);
  select(work, k);
  const lo = work[k] as number;
  let hi = lo;
  if (k + 1 < n) {
    hi = Number.POSITIVE_INFINITY;
    for (let i = k + 1; i < n; i++) hi = Math.min(hi, work[i] as number);
  }
  const q = lo + (hi - lo) * (pos - k);
  let s = 0;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const v = work[i] as number;
    if (v <= q) {
      s += v;
      c++;
    }
  }
  return { var: -q, es: -s / c };
}

/** Hoare quickselect: afterwards a[k] is the k-th smallest, a[0..k) ≤ a[k] ≤ a(k..n). Median-of-three pivots. */
function select(a: Float64Array, k: number): void {
  let left = 0;
  let right = a.length - 1;
  while (right > left) {
    const mid = (left + right) >> 1;
    const x = a[left] as number;
    const y = a[mid] as number;
    const z = a[right] as number;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = left;
    let j = right;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        const t = a[i] as number;
        a[i] = a[j] as number;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return;
  }
}
