import { z } from 'zod';
import type { MarketView } from '../../market/index.ts';
import type { AgentBook, AgentContext, AgentReadiness } from '../agent.ts';
import { VIX_SERIES } from '../state/incremental.ts';
import { StrategyAgent, type Draft } from './base.ts';

export const VolatilityPremiumParams = z.strictObject({
  /** A tradable long-volatility instrument (VIX futures ETN or the index); else the first column of sector `Volatility`. */
  volSymbol: z.string().min(1).default('VXX'),
  /** The market proxy (index ETF); else the first column of sector `Index`. */
  marketSymbol: z.string().min(1).default('SPY'),
  /** Short weight in the volatility instrument at full size (× allocated capital). */
  volWeight: z.number().min(0).max(1).default(0.25),
  /** Long market weight at full size: the delta of the short put. */
  marketWeight: z.number().min(0).max(2).default(0.5),
  /** Above this volatility index level, or a spike above `spikeRatio` × its 20-day EMA, size × stressScale. */
  exitVix: z.number().gt(0).default(35),
  spikeRatio: z.number().gt(1).default(1.3),
  stressScale: z.number().min(0).max(1).default(0.25),
  /** Signal σ multiple over the Gaussian one: short volatility has fat left tails. */
  tailMultiple: z.number().min(1).max(10).default(3),
  /** Monthly roll-down of the long-volatility instrument at a full premium (0.05 = 5%). */
  rollYield: z.number().min(0).max(0.5).default(0.05),
  /** Volatility-index shock of the stress estimate (seed scenario vol_spike_vix_40: +167%). */
  stressVixShock: z.number().min(0).default(1.67),
  horizonDays: z.number().int().min(1).max(63).default(21),
});
export type VolatilityPremiumParams = z.infer<typeof VolatilityPremiumParams>;

/**
 * **Volatility premium** (short volatility). Idea: implied volatility (the volatility index)
 * exceeds realised volatility on average, so selling it earns a premium — and loses heavily in
 * a volatility spike. Inputs: the `vix` reference series, the market's realised volatility, a
 * tradable volatility instrument and a market proxy. Holds: short the volatility instrument and
 * long the market (a short put's exposures), cut to `stressScale` when the index is above
 * `exitVix` or spiking, halved when realised exceeds implied.
 *
 * How the overlay sees its tail risk: (1) a negative weight on the volatility instrument, whose
 * return jumps in a crash, so VaR/stress on its returns show the loss; (2) signals whose σ is
 * `tailMultiple` × the Gaussian σ; (3) risk drivers vega/gamma/vol_selling/tail_risk, which the
 * stress scenarios (vol_spike_vix_40: vol_selling −30%) shock; (4) a stress-loss estimate in the reasoning.
 */
export class VolatilityPremiumAgent extends StrategyAgent {
  private readonly p: VolatilityPremiumParams;
  /** The instruments' columns, found once per panel (they depend on its symbols and sectors arrays only). */
  private columns: { symbols: readonly string[]; sectors: readonly string[]; vol: number; market: number } | null = null;
  constructor(ctx: AgentContext, params: VolatilityPremiumParams) {
    super(ctx, [], 'vol-premium@1');
    this.p = params;
  }

  /**
   * Ready when the view lists a volatility instrument (`volSymbol`, else a name of sector
   * `Volatility`) that traded in the last 5 rows and carries the `vix` reference series (without
   * it the agent cannot see a spike to de-risk). The market proxy is optional.
   */
  readiness(view: MarketView): AgentReadiness {
    const { vol } = this.columnsOf(view);
    const missing: string[] = [];
    const load = `import a tradable volatility ETN (e.g. VXX) with keel market import, or set params.volSymbol`;
    if (vol < 0) missing.push(`no volatility instrument: '${this.p.volSymbol}' is not in the market and no name has sector 'Volatility' (${load})`);
    else if (!tradedRecently(view, vol)) missing.push(`the volatility instrument '${view.symbols[vol] ?? vol}' has not been tradable in the last ${RECENT_ROWS} rows (${load})`);
    if (!view.referenceNames().includes(VIX_SERIES)) missing.push(`no '${VIX_SERIES}' reference series to see a spike (keel market import <file> --kind vix)`);
    return missing.length === 0 ? { ok: true } : { ok: false, reason: missing.join('; ') };
  }

  protected decide(view: MarketView, _book: AgentBook, d: Draft): void {
    const p = this.p;
    d.horizonDays = p.horizonDays;
    const { vol: volCol, market: mktCol } = this.columnsOf(view);
    const vix = this.market.vix;
    const iv = vix / 100;
    const rv = this.market.annualVol();
    const vrp = iv - rv;
    const premium = vrp === vrp ? Math.max(0, Math.min(1, vrp / iv)) : 0.25;
    const isSpike = vix === vix && (vix > p.exitVix || vix > p.spikeRatio * this.market.vixEma);
    const scale = isSpike ? p.stressScale : vrp < 0 ? 0.5 : 1;
    const h = p.horizonDays;
    const conf = vrp === vrp ? Math.min(0.8, 0.3 + premium) : 0.2;
    if (volCol >= 0 && view.isTradable(volCol)) {
      const v = this.dailyVol(view, volCol);
      d.mu[volCol] = (-premium * p.rollYield * h) / 21;
      d.sigma[volCol] = v > 0 ? v * Math.sqrt(h) * p.tailMultiple : 0.5 * p.tailMultiple;
      d.confidence[volCol] = conf;
      if (hasHistory(view) && scale > 0) d.weights[volCol] = -p.volWeight * scale;
    }
    if (mktCol >= 0 && view.isTradable(mktCol)) {
      const v = this.dailyVol(view, mktCol);
      d.mu[mktCol] = (0.06 * h) / 252 + (premium * p.rollYield * h) / 63;
      d.sigma[mktCol] = v > 0 ? v * Math.sqrt(h) * p.tailMultiple : 0.1 * p.tailMultiple;
      d.confidence[mktCol] = conf;
      if (hasHistory(view) && scale > 0) d.weights[mktCol] = p.marketWeight * scale;
    }
    const wv = volCol >= 0 ? (d.weights[volCol] as number) : 0;
    const wm = mktCol >= 0 ? (d.weights[mktCol] as number) : 0;
    // stress: the vol instrument moves about half the index shock; the market falls 15%
    const stressLoss = Math.abs(wv) * 0.5 * p.stressVixShock + wm * 0.15;
    const where = volCol < 0 && mktCol < 0 ? 'no volatility or market instrument in the view; flat' : `short vol ${wv.toFixed(3)}, long market ${wm.toFixed(3)}`;
    d.reasoning =
      `short volatility premium: VIX ${Number.isFinite(vix) ? vix.toFixed(1) : 'n/a'}, realised ${Number.isFinite(rv) ? (rv * 100).toFixed(1) : 'n/a'}%` +
      `${isSpike ? ', SPIKE: de-risked' : ''}; ${where}; TAIL RISK: loses in a volatility spike, stress loss ≈ ${(stressLoss * 100).toFixed(1)}% of capital before risk caps`;
  }

  private columnsOf(view: MarketView): { vol: number; market: number } {
    if (this.columns?.symbols !== view.symbols || this.columns.sectors !== view.sectors) {
      this.columns = {
        symbols: view.symbols,
        sectors: view.sectors,
        vol: findColumn(view, this.p.volSymbol, 'volatility'),
        market: findColumn(view, this.p.marketSymbol, 'index'),
      };
    }
    return this.columns;
  }
}

const RECENT_ROWS = 5;

/** Column u passed governance with a bar on one of the last RECENT_ROWS rows. */
function tradedRecently(view: MarketView, u: number): boolean {
  for (let row = view.t; row >= 0 && row > view.t - RECENT_ROWS; row--) if ((row === view.t ? view : view.at(row)).isTradable(u)) return true;
  return false;
}

/** Trades only once 20 rows of history exist. */
function hasHistory(view: MarketView): boolean {
  return view.t >= 20;
}

function findColumn(view: MarketView, symbol: string, sector: string): number {
  const u = view.column(symbol);
  if (u >= 0) return u;
  for (let i = 0; i < view.U; i++) if ((view.sectors[i] ?? '').toLowerCase() === sector) return i;
  return -1;
}
