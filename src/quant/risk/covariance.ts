/** Covariance estimators on a T×U returns panel; outputs U×U row-major, in return units² per period. */
import { gramAssetMajor, toAssetMajor } from '../linalg/gram.ts';
import { symmetricEigen } from '../linalg/eigen.ts';
import { panelRows } from './panel.ts';

/** Sample covariance (ddof = 1, columns demeaned) of a T×U panel; NaN in an input propagates to its row and column. */
export function sampleCovariance(panel: Float64Array, U: number): Float64Array {
  const T = panelRows(panel, U);
  const x = toAssetMajor(panel, U, true);
  return gramAssetMajor(x, U, T, 1 / (T - 1), new Float64Array(U * U));
}

/** Correlation matrix from a covariance (U×U); a zero-variance name gets NaN off-diagonal and 1 on the diagonal. */
export function correlationFromCovariance(cov: Float64Array, U: number): Float64Array {
  const out = new Float64Array(U * U);
  const s = new Float64Array(U);
  for (let i = 0; i < U; i++) s[i] = Math.sqrt(cov[i * U + i] as number);
  for (let i = 0; i < U; i++) {
    for (let j = 0; j < U; j++) {
      out[i * U + j] = i === j ? 1 : (cov[i * U + j] as number) / ((s[i] as number) * (s[j] as number));
    }
  }
  return out;
}

/**
 * Nearest positive semi-definite matrix in the Frobenius norm (Higham 1988): symmetrise, then
 * clip eigenvalues below `minEigenvalue` (default 0) and rebuild. O(U³).
 */
export function nearestPSD(a: Float64Array, U: number, minEigenvalue = 0): Float64Array {
  const sym = new Float64Array(U * U);
  for (let i = 0; i < U; i++) for (let j = 0; j < U; j++) sym[i * U + j] = 0.5 * ((a[i * U + j] as number) + (a[j * U + i] as number));
  const { values, vectors } = symmetricEigen(sym, U);
  const out = new Float64Array(U * U);
  for (let k = 0; k < U; k++) {
    const lam = Math.max(values[k] as number, minEigenvalue);
    if (lam === 0) continue;
    for (let i = 0; i < U; i++) {
      const vi = (vectors[i * U + k] as number) * lam;
      if (vi === 0) continue;
      for (let j = i; j < U; j++) out[i * U + j] = (out[i * U + j] as number) + vi * (vectors[j * U + k] as number);
    }
  }
  for (let i = 1; i < U; i++) for (let j = 0; j < i; j++) out[i * U + j] = out[j * U + i] as number;
  return out;
}
