import type { FundConfig } from '../contracts/index.ts';
import { componentAt, largestScale, type CandidateRisk } from './budget-math.ts';
import { reason, type FundContext } from './context.ts';
import type { RiskModel } from './factor-model-local.ts';
import type { FundLedger } from './ledger.ts';
import { addSparse, dotSparse, portfolioVariance, type RiskScratch } from './risk-math.ts';
import type { Reviewed } from './review-fund.ts';
import { workF64 } from './work.ts';

/**
 * After every agent is reviewed, a bucket's aggregated component VaR can have moved (components
 * depend on the whole fund). Each breaching bucket's reviewed agents are scaled down together until
 * the bucket fits again; scaling toward zero keeps every per-name, sector and top-5 limit.
 */
export function settleBuckets(reviewed: Reviewed[], ledger: FundLedger, config: FundConfig, fund: FundContext, model: RiskModel, scratch: RiskScratch, N: number): void {
  const buckets = new Set(fund.bucketOf.values());
  for (let round = 0; round < 2 * buckets.size + 2; round++) {
    const x = workF64('settle.x', N, false);
    x.set(ledger.net);
    const sigma = Math.sqrt(portfolioVariance(model, x, scratch, true));
    if (sigma === 0) return;
    let worst: { bucket: string; used: number; cap: number } | null = null;
    for (const b of buckets) {
      const cfg = config.buckets[b];
      if (!cfg) continue;
      let acc = 0;
      for (const [id, book] of ledger.books) if (fund.bucketOf.get(id) === b) acc += dotSparse(book, scratch.sx);
      const comp = (fund.z * acc) / sigma;
      const cap = cfg.maxRiskAllocationPct * fund.varBudget * fund.limitFactor;
      const used = cap > 0 ? comp / cap : comp > 1e-9 ? Number.POSITIVE_INFINITY : 0;
      if (comp > cap + 1e-6 && (!worst || used > worst.used)) worst = { bucket: b, used, cap };
    }
    if (!worst) return;
    const mine = reviewed.filter((r) => fund.bucketOf.get(r.original.agentId) === worst.bucket && r.postScale > 0);
    if (mine.length === 0) return;
    const R = new Float64Array(N);
    const O = new Float64Array(N);
    const mineIds = new Set(mine.map((r) => r.original.agentId));
    for (const [id, book] of ledger.books) {
      if (fund.bucketOf.get(id) !== worst.bucket) continue;
      addSparse(mineIds.has(id) ? R : O, book, 1);
    }
    const X0 = new Float64Array(N);
    for (let u = 0; u < N; u++) X0[u] = (x[u] ?? 0) - (R[u] ?? 0);
    const a = portfolioVariance(model, X0, scratch, true);
    const sx0 = scratch.sx.slice();
    const rr = portfolioVariance(model, R, scratch, true);
    const sr = scratch.sx;
    let b = 0, oX0 = 0, oR = 0;
    for (let u = 0; u < N; u++) {
      b += (R[u] ?? 0) * (sx0[u] ?? 0);
      oX0 += (O[u] ?? 0) * (sx0[u] ?? 0);
      oR += (O[u] ?? 0) * (sr[u] ?? 0);
    }
    const cr: CandidateRisk = { a, b, cc: rr, sx0, ffc: new Float64Array(0), cDense: R };
    const s = largestScale((t) => componentAt(fund.z, cr, t, { pX0: oX0, pc: oR }), worst.cap * (1 - 1e-9));
    for (const r of mine) {
      const before = r.postScale;
      r.postScale = before * s;
      r.postSteps.push({ rule: 'strategy_buckets', scale: s });
      const val = new Float64Array(r.baseFinal.length);
      for (let i = 0; i < val.length; i++) val[i] = (r.baseFinal[i] ?? 0) * r.postScale * r.effective.capital;
      ledger.remove(r.original.agentId);
      ledger.add(r.original.agentId, { idx: r.effective.idx, val });
      r.postReasons.push(reason('strategy_buckets', 'BUCKET_SETTLE', `bucket ${worst.bucket} over its cap once every agent was reviewed: its books × ${s.toFixed(3)}`, { bucket: worst.bucket, limit: worst.cap, actual: worst.used * worst.cap }));
    }
  }
}
