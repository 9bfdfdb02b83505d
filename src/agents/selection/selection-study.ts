/**
 * The correlation study of diversified top-K on a close matrix (used by the real-data test and
 * the benchmark report): at each evaluation date, score = 12-1 momentum, candidates all names
 * with history; correlations over the previous `window` days select; the average pairwise
 * correlation of the chosen set is measured in sample and over the next `forward` days.
 */
import { diversifiedTopK, plainTopK } from './diversified-top-k.ts';
import { ReturnCorrelations } from './return-correlations.ts';
import { returnsBlock, type CloseMatrix, type SelectionStudy } from './sp500-fixture.ts';

export function selectionStudy(
  m: CloseMatrix,
  ret: Float64Array,
  o: { k?: number; penalty?: number; window?: number; forward?: number; every?: number } = {},
): SelectionStudy {
  const k = o.k ?? 20;
  const penalty = o.penalty ?? 0.5;
  const window = o.window ?? 120;
  const forward = o.forward ?? 63;
  const every = o.every ?? 63;
  const acc = { pi: 0, di: 0, po: 0, do: 0, pf: 0, df: 0, n: 0 };
  for (let t = 252; t + forward < m.T; t += every) {
    const cands: number[] = [];
    const scores: number[] = [];
    for (let u = 0; u < m.U; u++) {
      const s = (m.close[(t - 21) * m.U + u] ?? Number.NaN) / (m.close[(t - 252) * m.U + u] ?? Number.NaN) - 1;
      const fwdOk = Number.isFinite(m.close[(t + forward) * m.U + u] ?? Number.NaN);
      if (Number.isFinite(s) && fwdOk && Number.isFinite(m.close[(t - window) * m.U + u] ?? Number.NaN)) {
        cands.push(u);
        scores.push(s);
      }
    }
    const inS = new ReturnCorrelations(returnsBlock(ret, m.U, t - window + 1, t, cands), cands.length);
    const outS = new ReturnCorrelations(returnsBlock(ret, m.U, t + 1, t + forward, cands), cands.length);
    const plain = plainTopK(scores, k);
    const div = diversifiedTopK(scores, k, penalty, (i, j) => inS.corr(i, j));
    const fwd = (sel: number[]) =>
      sel.reduce((s, i) => {
        const u = cands[i] ?? 0;
        return s + (m.close[(t + forward) * m.U + u] ?? 0) / (m.close[t * m.U + u] ?? 1) - 1;
      }, 0) / sel.length;
    acc.pi += inS.averagePairwise(plain);
    acc.di += inS.averagePairwise(div);
    acc.po += outS.averagePairwise(plain);
    acc.do += outS.averagePairwise(div);
    acc.pf += fwd(plain);
    acc.df += fwd(div);
    acc.n++;
  }
  const n = acc.n || 1;
  return {
    dates: acc.n,
    k,
    penalty,
    plainInSample: acc.pi / n,
    diversifiedInSample: acc.di / n,
    plainOutOfSample: acc.po / n,
    diversifiedOutOfSample: acc.do / n,
    plainForward: acc.pf / n,
    diversifiedForward: acc.df / n,
  };
}
