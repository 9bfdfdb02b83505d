import { z } from 'zod';
import { assertNever, dayNumber, type IsoDate } from '../../core/index.ts';
import type { MarketView } from '../../market/index.ts';

/**
 * When a strategy re-ranks and re-weights its book: every trading day, or on the first trading day
 * of each week (ISO, Monday first), month or quarter. Read from the view's dates, never a clock.
 */
export const RebalanceSchedule = z.enum(['daily', 'weekly', 'monthly', 'quarterly']);
export type RebalanceSchedule = z.infer<typeof RebalanceSchedule>;

/** A number that is the same for two dates exactly when they fall in the same period. */
export function periodOf(d: IsoDate, s: RebalanceSchedule): number {
  switch (s) {
    case 'daily':
      return dayNumber(d);
    case 'weekly':
      return Math.floor((dayNumber(d) + 3) / 7); // day 0 (1970-01-01) was a Thursday
    case 'monthly':
      return Number(d.slice(0, 4)) * 12 + Number(d.slice(5, 7)) - 1;
    case 'quarterly':
      return Number(d.slice(0, 4)) * 4 + Math.floor((Number(d.slice(5, 7)) - 1) / 3);
    default:
      return assertNever(s, 'rebalance schedule');
  }
}

/** The first row of the view's period (the period's first trading day in the panel); 0 at most. */
export function periodStartRow(view: MarketView, s: RebalanceSchedule): number {
  if (s === 'daily') return view.t;
  const here = periodOf(view.asOf, s);
  let row = view.t;
  while (row > 0 && periodOf(view.date(row - 1), s) === here) row--;
  return row;
}
