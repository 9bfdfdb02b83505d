import type { AgentRiskNote, AgentRiskParams, AgentState } from '../../contracts/index.ts';
import type { MarketView } from '../../market/index.ts';
import { ReturnCorrelations } from '../selection/return-correlations.ts';

/**
 * Per-agent risk (seed: fund-overlay-plan "What exists today", refactor-plan 1% per-trade risk),
 * applied to the agent's own target weights before the fund overlay sees them. Order:
 * drawdown state → correlation filter → per-trade risk budget → max position → sector cap →
 * gross/leverage scaling → ATR stops and targets. Every change leaves an AgentRiskNote
 * (code, symbol, limit, actual). Weights are fractions of allocated capital.
 */
export interface AgentRiskInput {
  readonly view: MarketView;
  /** Target weight per column; modified in place. */
  readonly weights: Float64Array;
  /** Signal strength per column (|μ|/σ); the stronger of a correlated pair is kept. */
  readonly strength: Float64Array;
  /** Close per column at the as-of row. */
  readonly close: Float64Array;
  /** ATR per column (price units), NaN when unknown. */
  readonly atr: (u: number) => number;
  /** Sector id per column and the sector names. */
  readonly sectorOf: Int32Array;
  readonly sectorNames: readonly string[];
  readonly params: AgentRiskParams;
  readonly drawdownState: AgentState;
  /** Rows of returns for the correlation filter. */
  readonly correlationWindow?: number;
  /**
   * The largest correlation among some names, already measured by the strategy: when it covers
   * every weighted name over the filter's window and is within the limit, no pair can be dropped
   * and the filter has nothing to compute.
   */
  readonly knownPairCorrelation?: PairCorrelation | null;
}

/** The largest return correlation (`MarketView` returns over the last `window` rows) between two of `cols`. */
export interface PairCorrelation {
  readonly window: number;
  readonly max: number;
  readonly cols: readonly number[];
}

export interface AgentRiskOutput {
  readonly notes: AgentRiskNote[];
  /** Stop and take-profit price per column (NaN when none). */
  readonly stopLoss: Float64Array;
  readonly takeProfit: Float64Array;
}

/** Exposure multiplier per drawdown state (seed: graduated steps 50% / 75% / flat / paused). */
export const DRAWDOWN_MULTIPLIER: Readonly<Record<AgentState, number>> = {
  normal: 1,
  reduced_50: 0.5,
  reduced_75: 0.25,
  flat: 0,
  paused: 0,
};

/** More names than this skip the correlation filter (its cost is O(n²·window)). */
export const CORRELATION_FILTER_MAX_NAMES = 150;

function note(code: string, symbol: string | null, limit: number | null, actual: number | null, message: string): AgentRiskNote {
  return { code, symbol, limit, actual, message };
}

export function applyAgentRisk(x: AgentRiskInput): AgentRiskOutput {
  const { weights: w, params: p, view } = x;
  const U = w.length;
  const notes: AgentRiskNote[] = [];

  const mult = DRAWDOWN_MULTIPLIER[x.drawdownState];
  if (mult < 1) {
    let any = false;
    for (let u = 0; u < U; u++) {
      if (w[u] !== 0) {
        w[u] = (w[u] as number) * mult;
        any = true;
      }
    }
    if (any) notes.push(note('DRAWDOWN_STATE', null, mult, null, `drawdown state ${x.drawdownState}: exposure × ${mult}`));
  }

  correlationFilter(x, notes);

  const stopMult = p.atrStopMultiple;
  for (let u = 0; u < U; u++) {
    const wu = w[u] as number;
    if (wu === 0) continue;
    const atr = x.atr(u);
    const px = x.close[u] as number;
    if (!(atr > 0 && px > 0)) continue;
    const stopDist = (stopMult * atr) / px;
    const risk = Math.abs(wu) * stopDist;
    if (risk > p.perTradeRiskPct) {
      w[u] = Math.sign(wu) * (p.perTradeRiskPct / stopDist);
      notes.push(note('PER_TRADE_RISK', sym(view, u), p.perTradeRiskPct, risk, `stop ${(stopDist * 100).toFixed(2)}% away: size cut to risk ${p.perTradeRiskPct}`));
    }
  }

  for (let u = 0; u < U; u++) {
    const wu = w[u] as number;
    if (Math.abs(wu) > p.maxPositionPct) {
      w[u] = Math.sign(wu) * p.maxPositionPct;
      notes.push(note('POSITION_CAP', sym(view, u), p.maxPositionPct, Math.abs(wu), 'position capped'));
    }
  }

  const S = x.sectorNames.length;
  const gross = new Float64Array(S);
  for (let u = 0; u < U; u++) {
    const s = x.sectorOf[u] as number;
    gross[s] = (gross[s] as number) + Math.abs(w[u] as number);
  }
  for (let s = 0; s < S; s++) {
    const g = gross[s] as number;
    if (g > p.maxSectorPct + 1e-12) {
      const f = p.maxSectorPct / g;
      for (let u = 0; u < U; u++) if (x.sectorOf[u] === s) w[u] = (w[u] as number) * f;
      notes.push(note('SECTOR_CAP', null, p.maxSectorPct, g, `sector ${x.sectorNames[s] ?? s} gross scaled × ${f.toFixed(4)}`));
    }
  }

  let total = 0;
  for (let u = 0; u < U; u++) total += Math.abs(w[u] as number);
  const cap = Math.min(p.grossExposureCap, p.leverageLimit);
  if (total > cap + 1e-12) {
    const f = cap / total;
    for (let u = 0; u < U; u++) w[u] = (w[u] as number) * f;
    const code = p.leverageLimit < p.grossExposureCap ? 'LEVERAGE_SCALE' : 'GROSS_SCALE';
    notes.push(note(code, null, cap, total, `gross ${total.toFixed(4)} scaled to ${cap}`));
  }

  const stopLoss = new Float64Array(U).fill(Number.NaN);
  const takeProfit = new Float64Array(U).fill(Number.NaN);
  for (let u = 0; u < U; u++) {
    const wu = w[u] as number;
    if (wu === 0) continue;
    const atr = x.atr(u);
    const px = x.close[u] as number;
    if (!(atr > 0 && px > 0)) continue;
    const sgn = wu > 0 ? 1 : -1;
    stopLoss[u] = Math.max(0, px - sgn * p.atrStopMultiple * atr);
    takeProfit[u] = Math.max(0, px + sgn * p.atrTargetMultiple * atr);
  }
  return { notes, stopLoss, takeProfit };
}

/**
 * Of two same-direction names correlated above the limit, drop the weaker signal. Opposite
 * directions are a hedge (a pair trade), not a concentration, and are left alone.
 */
/** True when every column of `held` is one of `cols`. */
function covers(cols: readonly number[], held: readonly number[], U: number): boolean {
  const mark = new Uint8Array(U);
  for (const c of cols) mark[c] = 1;
  for (const u of held) if (!mark[u]) return false;
  return true;
}

function sym(view: MarketView, u: number): string {
  return view.symbols[u] ?? `#${u}`;
}

function correlationFilter(x: AgentRiskInput, notes: AgentRiskNote[]): void {
  const w = x.weights;
  const limit = x.params.maxPairCorrelation;
  if (limit >= 1) return;
  const held: number[] = [];
  for (let u = 0; u < w.length; u++) if (w[u] !== 0) held.push(u);
  if (held.length < 2 || held.length > CORRELATION_FILTER_MAX_NAMES) return;
  const window = Math.min(x.correlationWindow ?? 60, x.view.t);
  if (window < 20) return;
  const known = x.knownPairCorrelation;
  if (known && known.window === window && known.max <= limit && covers(known.cols, held, w.length)) return;
  held.sort((a, b) => (x.strength[b] as number) - (x.strength[a] as number) || a - b);
  const corr = ReturnCorrelations.fromView(x.view, window, held);
  // names kept so far, by direction, in order: a name is compared with those of its own direction
  const keptLong = new Int32Array(held.length);
  const keptShort = new Int32Array(held.length);
  let nLong = 0;
  let nShort = 0;
  const rho = new Float64Array(held.length);
  for (let i = 0; i < held.length; i++) {
    const u = held[i] as number;
    const wu = w[u] as number;
    const same = wu > 0 ? keptLong : keptShort;
    const nSame = wu > 0 ? nLong : wu < 0 ? nShort : 0;
    // only correlations above the limit matter: the others may stop early (written as −∞)
    corr.corrManyAbove(i, same, 0, nSame, limit, rho);
    let worst = -1;
    let worstRho = Number.NEGATIVE_INFINITY;
    for (let q = 0; q < nSame; q++) {
      const r = rho[q] as number;
      if (r > worstRho) {
        worstRho = r;
        worst = held[same[q] as number] as number;
      }
    }
    if (worst >= 0 && worstRho > limit) {
      w[u] = 0;
      notes.push(note('CORRELATION_FILTER', sym(x.view, u), limit, worstRho, `dropped: correlated with stronger ${sym(x.view, worst)}`));
    } else if (wu > 0) {
      keptLong[nLong++] = i;
    } else if (wu < 0) {
      keptShort[nShort++] = i;
    }
  }
}
