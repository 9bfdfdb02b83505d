import { z } from 'zod';
import type { MarketView } from '../../market/index.ts';
import type { AgentBook } from '../agent.ts';
import { topRanked } from '../scores.ts';
import { periodStartRow, type RebalanceSchedule } from './schedule.ts';

/** When held names are checked against their exit band: every day, or on rebalance days only. */
export const ExitCheck = z.enum(['daily', 'rebalance']);
export type ExitCheck = z.infer<typeof ExitCheck>;

/** Where a scheduled book stands today: the period's first row, and whether today re-ranks and checks the bands. */
export interface HoldingDay {
  /** The first row of the rebalance period (the row weights are sized at). */
  readonly start: number;
  readonly isRebalanceRow: boolean;
  /** Held names are checked against their exit band today. */
  readonly checksBand: boolean;
}

export function holdingDay(view: MarketView, rebalance: RebalanceSchedule, exitCheck: ExitCheck): HoldingDay {
  const start = periodStartRow(view, rebalance);
  const isRebalanceRow = start === view.t;
  return { start, isRebalanceRow, checksBand: isRebalanceRow || exitCheck === 'daily' };
}

/** 1 for the best k columns by score (the worst k `fromBottom`). */
export function bandMask(score: Float64Array, k: number, fromBottom = false): Uint8Array {
  const mask = new Uint8Array(score.length);
  for (const u of topRanked(score, k, fromBottom)) mask[u] = 1;
  return mask;
}

/**
 * The columns of one side of `book` (longs `side` 1, shorts −1) that stay today: those inside
 * `band`, or, on a day that does not check the band, every scored one. Best first (by score,
 * descending for longs, ascending for shorts; ties by column).
 */
export function keptColumns(view: MarketView, book: AgentBook, side: 1 | -1, band: Uint8Array, score: Float64Array, day: HoldingDay): number[] {
  const kept: number[] = [];
  for (const p of book.positions) {
    const u = view.column(p.symbol);
    if (u < 0 || Math.sign(p.qty) !== side) continue;
    const s = score[u] as number;
    if (band[u] || (!day.checksBand && s === s)) kept.push(u);
  }
  return kept.sort((a, b) => side * ((score[b] as number) - (score[a] as number)) || a - b);
}

/** `kept` then the best names of `order` (a ranking) that are not taken, up to n. */
export function fillUp(kept: readonly number[], order: readonly number[], n: number, taken: Uint8Array): number[] {
  const out = kept.slice(0, n);
  for (const u of out) taken[u] = 1;
  for (const u of order) {
    if (out.length >= n) break;
    if (taken[u]) continue;
    taken[u] = 1;
    out.push(u);
  }
  return out;
}
