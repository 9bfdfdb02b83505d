import { z } from 'zod';
import type { MarketView } from '../../market/index.ts';
import type { AgentBook, AgentContext } from '../agent.ts';
import { confidenceFromZ } from '../scores.ts';
import { ResidualFeature } from '../state/residual-feature.ts';
import { StrategyAgent, type Draft } from './base.ts';

export const StatisticalArbitrageParams = z.strictObject({
  /** |z| of the residual displacement needed to open a position. */
  entryZ: z.number().min(0).max(5).default(1),
  /** A held position stays while its residual is still displaced its way by at least this |z| (never above entryZ). */
  exitZ: z.number().min(0).max(5).default(0.25),
  /** Decay of the cumulative residual (0.8 ≈ a 5-day half-life). */
  spreadDecay: z.number().gt(0).lt(1).default(0.8),
  /** Decay of the EWMA beta to the market. */
  betaDecay: z.number().gt(0).lt(1).default(0.99),
  grossTarget: z.number().gt(0).max(3).default(1),
  horizonDays: z.number().int().min(1).max(63).default(5),
  /** Fraction of the displacement expected to revert over the horizon. */
  reversion: z.number().gt(0).max(1).default(0.3),
});
export type StatisticalArbitrageParams = z.infer<typeof StatisticalArbitrageParams>;

/**
 * **Statistical arbitrage** (residual mean reversion). Idea: a name's return not explained by the
 * market (EWMA beta) and its sector reverts. Inputs: returns, market return, sectors.
 * Signal: z of the decayed cumulative residual. A position opens at |z| ≥ entryZ (long residual
 * losers, short residual winners) and is held (its side read from the agent's book) while the
 * residual is still displaced its way by exitZ; every active name gets the same raw size. The
 * book is then made exactly sector-neutral (weights demeaned within each sector) and beta-neutral
 * (the beta exposure removed along a sector-neutral direction), sized within the per-name caps.
 * Holds: long residual losers, short residual winners, market- and sector-neutral.
 */
export class StatisticalArbitrageAgent extends StrategyAgent {
  private readonly p: StatisticalArbitrageParams;
  private readonly resid: ResidualFeature;
  constructor(ctx: AgentContext, params: StatisticalArbitrageParams) {
    const resid = new ResidualFeature(params.betaDecay, params.spreadDecay);
    super(ctx, [resid], 'stat-arb-residual@1');
    this.p = params;
    this.resid = resid;
  }

  protected decide(view: MarketView, book: AgentBook, d: Draft): void {
    const p = this.p;
    d.horizonDays = p.horizonDays;
    const U = view.U;
    const w = d.weights;
    const active = new Uint8Array(U);
    // the side each name is held on (1 long, −1 short): a held position exits only once its residual has come back
    const heldSide = new Int8Array(U);
    for (const pos of book.positions) {
      const u = view.column(pos.symbol);
      if (u >= 0) heldSide[u] = Math.sign(pos.qty);
    }
    let n = 0;
    for (let u = 0; u < U; u++) {
      const zu = this.resid.z(u);
      const v = this.dailyVol(view, u);
      if (zu !== zu || !(v > 0) || !this.eligible(view, u)) continue;
      const sh = v * Math.sqrt(p.horizonDays);
      const residSd = Math.sqrt((this.resid.residVar[u] as number) / (1 - p.spreadDecay * p.spreadDecay));
      d.mu[u] = -p.reversion * zu * residSd;
      d.sigma[u] = sh;
      d.confidence[u] = confidenceFromZ(zu, 3);
      const side = heldSide[u] as number;
      if (Math.abs(zu) >= p.entryZ || (side !== 0 && -side * zu >= Math.min(p.exitZ, p.entryZ))) {
        w[u] = -Math.sign(zu); // one raw size per name: the weights move when names come and go, not with z
        active[u] = 1;
        n++;
      }
    }
    if (n < 4) {
      w.fill(0);
      d.reasoning = `stat-arb: ${n} displaced names, too few for a neutral book`;
      return;
    }
    const { sectorOf, sectorNames } = this.state.shape;
    const cap = this.ctx.risk.maxPositionPct;
    // Alternate neutralisation and per-name caps so the risk layer finds little to change.
    for (let round = 0; round < 6; round++) {
      neutralise(w, active, sectorOf, sectorNames.length, this.resid.beta);
      scaleGross(w, p.grossTarget);
      for (let u = 0; u < U; u++) {
        const lim = Math.min(cap, this.tradeRiskCap(u));
        if (Math.abs(w[u] as number) > lim) w[u] = Math.sign(w[u] as number) * lim;
      }
    }
    neutralise(w, active, sectorOf, sectorNames.length, this.resid.beta);
    // A uniform scale keeps both neutralities exactly: fit every per-name and sector limit.
    let f = 1;
    const sectorGross = new Float64Array(sectorNames.length);
    for (let u = 0; u < U; u++) {
      const a = Math.abs(w[u] as number);
      if (a === 0) continue;
      f = Math.min(f, Math.min(cap, this.tradeRiskCap(u)) / a);
      const s = sectorOf[u] as number;
      sectorGross[s] = (sectorGross[s] as number) + a;
    }
    for (const g of sectorGross) if (g > 0) f = Math.min(f, this.ctx.risk.maxSectorPct / g);
    if (f < 1) for (let u = 0; u < U; u++) w[u] = (w[u] as number) * f * (1 - 1e-9);
    let longs = 0;
    for (let u = 0; u < U; u++) if ((w[u] as number) > 0) longs++;
    d.reasoning = `stat-arb: ${n} displaced names (|z| ≥ ${p.entryZ}), ${longs} long / ${n - longs} short, sector- and beta-neutral`;
  }

  /** Largest |weight| the 1%-per-trade budget allows for column u (∞ without an ATR). */
  private tradeRiskCap(u: number): number {
    const atr = this.atr.value(u);
    const px = this.state.close[u] as number;
    const r = this.ctx.risk;
    if (!(atr > 0 && px > 0)) return Number.POSITIVE_INFINITY;
    return (r.perTradeRiskPct * px) / (r.atrStopMultiple * atr);
  }
}

/**
 * Makes `w` (over the active columns) sum to zero within every sector and have zero beta
 * exposure Σ w·β: demean per sector, then subtract k·b where b = β demeaned per sector.
 */
export function neutralise(w: Float64Array, active: Uint8Array, sectorOf: Int32Array, S: number, beta: Float64Array): void {
  const U = w.length;
  const sum = new Float64Array(S);
  const bsum = new Float64Array(S);
  const cnt = new Int32Array(S);
  for (let u = 0; u < U; u++) {
    if (!active[u]) continue;
    const s = sectorOf[u] as number;
    sum[s] = (sum[s] as number) + (w[u] as number);
    bsum[s] = (bsum[s] as number) + (beta[u] as number);
    cnt[s] = (cnt[s] as number) + 1;
  }
  let wb = 0;
  let bb = 0;
  const b = new Float64Array(U);
  for (let u = 0; u < U; u++) {
    if (!active[u]) continue;
    const s = sectorOf[u] as number;
    const c = cnt[s] as number;
    w[u] = (w[u] as number) - (sum[s] as number) / c;
    b[u] = (beta[u] as number) - (bsum[s] as number) / c;
    wb += (w[u] as number) * (beta[u] as number);
    bb += (b[u] as number) * (beta[u] as number);
  }
  if (bb > 1e-12) {
    const k = wb / bb;
    for (let u = 0; u < U; u++) if (active[u]) w[u] = (w[u] as number) - k * (b[u] as number);
  }
}

function scaleGross(w: Float64Array, target: number): void {
  let g = 0;
  for (let u = 0; u < w.length; u++) g += Math.abs(w[u] as number);
  if (g > 0) for (let u = 0; u < w.length; u++) w[u] = ((w[u] as number) / g) * target;
}
