import { dayNumber, type IsoDate } from '../core/index.ts';

/**
 * `dayNumber` of an ISO date, remembered: a review asks for the same few dates (today, the
 * drawdown and trading-state `since` dates, the days of the week) every cycle, and parsing a
 * date string costs more than a lookup. Bounded: cleared past DAYS entries.
 */
const days = new Map<string, number>();
const DAYS = 4096;

export function dayOf(d: IsoDate): number {
  let n = days.get(d);
  if (n === undefined) {
    n = dayNumber(d);
    if (days.size >= DAYS) days.clear();
    days.set(d, n);
  }
  return n;
}
