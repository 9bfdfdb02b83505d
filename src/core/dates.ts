import { ValidationError } from './errors.ts';

/** A calendar date `YYYY-MM-DD` (UTC, no time zone). */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** Parses `YYYY-MM-DD`, rejecting impossible dates such as 2021-02-30. */
export function parseIsoDate(s: string, field = 'date'): IsoDate {
  const m = ISO_DATE.exec(s);
  if (!m) throw new ValidationError(field, `'${s}' is not a date; use YYYY-MM-DD`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) {
    throw new ValidationError(field, `'${s}' is not a real calendar date`);
  }
  return s;
}

export function isIsoDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const dt = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return dt.toISOString().slice(0, 10) === s;
}

/** Days since 1970-01-01 for an ISO date. */
export function dayNumber(d: IsoDate): number {
  return Math.round(Date.parse(`${d}T00:00:00Z`) / DAY_MS);
}

export function fromDayNumber(n: number): IsoDate {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** Unix ms at 00:00 UTC of a date. */
export function dateToMs(d: IsoDate): number {
  return dayNumber(d) * DAY_MS;
}

export function msToDate(ms: number): IsoDate {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Monday..Friday (holidays are not modelled; the stored calendar is the truth for history). */
export function isWeekday(d: IsoDate): boolean {
  const wd = new Date(`${d}T00:00:00Z`).getUTCDay();
  return wd !== 0 && wd !== 6;
}

export function addDays(d: IsoDate, n: number): IsoDate {
  return fromDayNumber(dayNumber(d) + n);
}

/** Weekdays from `from` to `to`, inclusive. */
export function weekdaysBetween(from: IsoDate, to: IsoDate): IsoDate[] {
  const out: IsoDate[] = [];
  for (let n = dayNumber(from), end = dayNumber(to); n <= end; n++) {
    const d = fromDayNumber(n);
    if (isWeekday(d)) out.push(d);
  }
  return out;
}

/** Weekdays in day numbers [0, n): full weeks give 5 each; the partial week starts on Thursday. */
function weekdaysBefore(n: number): number {
  const weeks = Math.floor(n / 7);
  const rest = n - weeks * 7;
  let extra = 0;
  for (let i = 0; i < rest; i++) {
    const wd = (4 + i) % 7; // 0 = Sunday
    if (wd !== 0 && wd !== 6) extra++;
  }
  return weeks * 5 + extra;
}

/** Weekdays in the day-number range (a, b], in O(1). Day 0 (1970-01-01) was a Thursday. */
export function weekdayCount(a: number, b: number): number {
  if (b <= a) return 0;
  return weekdaysBefore(b + 1) - weekdaysBefore(a + 1);
}
