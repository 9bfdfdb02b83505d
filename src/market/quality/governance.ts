import { ValidationError } from '../../core/index.ts';
import type { DataQuality, GovernanceThresholds, SymbolState } from '../../contracts/index.ts';
import type { Panel } from '../panel.ts';

/**
 * Symbol governance (seed mini-quant-fund §6), as a rule table read top to bottom:
 * ACTIVE when rows ≥ minHistoryRows and score ≥ minQuality; DEGRADED when rows ≥ degradedMinRows
 * (including a long history of poor quality); QUARANTINED otherwise. Only ACTIVE is tradable.
 */
export function classifySymbol(rows: number, score: number, cfg: GovernanceThresholds): SymbolState {
  if (rows >= cfg.minHistoryRows && score >= cfg.minQuality) return 'ACTIVE';
  if (rows >= cfg.degradedMinRows) return 'DEGRADED';
  return 'QUARANTINED';
}

/** Why a symbol is not ACTIVE: typed reasons with the limit and the actual value. */
export type GovernanceReason =
  | { readonly code: 'SHORT_HISTORY'; readonly limit: number; readonly actual: number }
  | { readonly code: 'LOW_QUALITY'; readonly limit: number; readonly actual: number };

export function governanceReasons(q: Pick<DataQuality, 'rows' | 'score'>, cfg: GovernanceThresholds): GovernanceReason[] {
  const out: GovernanceReason[] = [];
  if (q.rows < cfg.minHistoryRows) out.push({ code: 'SHORT_HISTORY', limit: cfg.minHistoryRows, actual: q.rows });
  if (q.score < cfg.minQuality) out.push({ code: 'LOW_QUALITY', limit: cfg.minQuality, actual: q.score });
  return out;
}

/** 1 for each symbol whose quality state is ACTIVE, 0 otherwise (also 0 when unassessed). */
export function tradableMask(symbols: readonly string[], qualities: Iterable<Pick<DataQuality, 'symbol' | 'state'>>): Uint8Array {
  const state = new Map<string, SymbolState>();
  for (const q of qualities) state.set(q.symbol, q.state);
  return Uint8Array.from(symbols, (s) => (state.get(s) === 'ACTIVE' ? 1 : 0));
}

/** The panel with its tradable mask replaced (arrays shared, nothing copied). */
export function withTradable(panel: Panel, mask: Uint8Array): Panel {
  if (mask.length !== panel.U) throw new ValidationError('tradable', `mask has ${mask.length} entries, expected ${panel.U}`);
  return { ...panel, tradable: mask };
}
