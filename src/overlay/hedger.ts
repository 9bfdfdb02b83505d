import type { HedgingConfig } from '../contracts/index.ts';
import type { RiskModel } from './factor-model-local.ts';
import { own } from './table.ts';
import type { HedgePosition } from './types.ts';
import type { Universe } from './universe.ts';

const NOTHING_HELD: ReadonlyMap<string, number> = new Map();

/** A fund-level hedge recommendation (seed fund-overlay-plan §2B, mini-quant §4 hedging overlays). Notional signed, dollars. */
export interface HedgeRecommendation {
  readonly kind: HedgePosition['kind'];
  readonly instrument: string | null;
  readonly notional: number;
  /** The exposure hedged before and after (dollars of beta, or of sector net). */
  readonly exposureBefore: number;
  readonly exposureAfter: number;
  readonly reason: string;
}

/**
 * Beta neutralisation: when |Σ xβ| (plus `existing` index hedges held outside the book) exceeds
 * `betaThreshold` × capital, short (or buy) the index instrument to bring beta dollars to
 * `targetBeta` × capital. Each position is the whole hedge, not a change to the one held.
 *
 * `held` is what the fund's hedge book holds, dollars per instrument (not in `book`). A held beta
 * hedge is kept as it is while the hedged beta (Σ xβ + held) stays within half the threshold of
 * the target, resized to the target when it drifts further, and unwound (no position) once the
 * unhedged beta is back within half the threshold: a band, so that the hedge does not go on and
 * off, or trade every day, as the exposure moves about the threshold.
 *
 * Sector hedges: a sector whose net is above half the sector cap is offset with its hedge
 * instrument from `sectorHedges` (no instrument → a recommendation that cannot be executed).
 * Hedge positions are returned only when `hedging.enabled`.
 */
export function recommendHedges(
  book: Float64Array,
  universe: Universe,
  model: RiskModel,
  capital: number,
  cfg: HedgingConfig,
  maxSectorPct: number,
  sectorHedges: Readonly<Record<string, string>>,
  existing: readonly HedgePosition[],
  held: ReadonlyMap<string, number> = NOTHING_HELD,
): { recommendations: HedgeRecommendation[]; positions: HedgePosition[] } {
  const recs: HedgeRecommendation[] = [];
  let betaDollars = 0;
  const sectorNet = new Float64Array(universe.sectorNames.length);
  for (let u = 0; u < universe.N; u++) {
    const x = book[u] ?? 0;
    if (x === 0) continue;
    betaDollars += x * (model.beta[u] ?? 1);
    const s = universe.sector[u] ?? 0;
    sectorNet[s] = (sectorNet[s] ?? 0) + x;
  }
  for (const h of existing) if (h.kind !== 'sector') betaDollars += h.notional;
  const target = cfg.targetBeta * capital;
  const gap = betaDollars - target;
  const hedged = held.get(cfg.instrument) ?? 0;
  const band = (cfg.betaThreshold * capital) / 2;
  const beta = `aggregate beta ${(betaDollars / capital).toFixed(2)}× capital`;
  if (hedged !== 0 && Math.abs(gap) > band && Math.abs(gap + hedged) <= band) {
    recs.push({ kind: 'beta', instrument: cfg.instrument, notional: hedged, exposureBefore: betaDollars, exposureAfter: betaDollars + hedged, reason: `${beta}, hedged ${((betaDollars + hedged) / capital).toFixed(2)}× within ±${cfg.betaThreshold / 2} of the target: ${cfg.instrument} hedge held` });
  } else if (Math.abs(gap) > (hedged !== 0 ? band : cfg.betaThreshold * capital)) {
    const notional = -gap;
    recs.push({ kind: 'beta', instrument: cfg.instrument, notional, exposureBefore: betaDollars, exposureAfter: target, reason: `${beta} beyond ±${hedged !== 0 ? cfg.betaThreshold / 2 : cfg.betaThreshold}${hedged !== 0 ? ' (hedged)' : ''}: ${notional < 0 ? 'short' : 'buy'} ${cfg.instrument}` });
  }
  const half = (maxSectorPct / 2) * capital;
  universe.sectorNames.forEach((name, s) => {
    const net = sectorNet[s] ?? 0;
    if (Math.abs(net) <= half) return;
    recs.push({ kind: 'sector', instrument: own(sectorHedges, name) ?? null, notional: -(net - Math.sign(net) * half), exposureBefore: net, exposureAfter: Math.sign(net) * half, reason: `${name} net ${((net / capital) * 100).toFixed(1)}% of capital above half the sector cap` });
  });
  const positions: HedgePosition[] = cfg.enabled
    ? recs.filter((r) => r.instrument !== null).map((r) => ({ instrument: r.instrument ?? '', notional: r.notional, kind: r.kind }))
    : [];
  return { recommendations: recs, positions };
}
