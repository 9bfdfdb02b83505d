import { addDays, isWeekday, weekdaysBetween, type IsoDate } from '../core/index.ts';

/**
 * The US equity (NYSE) trading calendar: weekdays less the exchange's regular holidays and its
 * unscheduled closures since 1990. Early closes (13:00 on some eves) count as full sessions: a
 * session is complete once 16:00 New York time has passed, which is later than any close.
 */

/** Days the NYSE closed outside its holiday rules (national days of mourning, 9/11, Sandy). */
const UNSCHEDULED_CLOSURES: ReadonlySet<IsoDate> = new Set([
  '1994-04-27', // President Nixon's funeral
  '2001-09-11', '2001-09-12', '2001-09-13', '2001-09-14',
  '2004-06-11', // President Reagan's funeral
  '2007-01-02', // President Ford's day of mourning
  '2012-10-29', '2012-10-30', // Hurricane Sandy
  '2018-12-05', // President G. H. W. Bush's day of mourning
  '2025-01-09', // President Carter's day of mourning
]);

const iso = (y: number, m: number, d: number): IsoDate => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/** 0 = Sunday … 6 = Saturday. */
function weekday(d: IsoDate): number {
  return new Date(`${d}T00:00:00Z`).getUTCDay();
}

/** The n-th (1-based) given weekday of a month; n = -1 for the last one. */
function nthWeekday(y: number, m: number, wd: number, n: number): IsoDate {
  if (n > 0) {
    const first = weekday(iso(y, m, 1));
    return iso(y, m, 1 + ((wd - first + 7) % 7) + 7 * (n - 1));
  }
  const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const last = weekday(iso(y, m, lastDay));
  return iso(y, m, lastDay - ((last - wd + 7) % 7));
}

/** Easter Sunday (Gregorian; the anonymous algorithm of Meeus/Jones/Butcher). */
export function easterSunday(y: number): IsoDate {
  const a = y % 19;
  const b = Math.floor(y / 100);
  const c = y % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return iso(y, month, day);
}

/** A fixed-date holiday moved to Friday when it falls on Saturday, to Monday on Sunday. */
function observed(d: IsoDate): IsoDate {
  const wd = weekday(d);
  return wd === 6 ? addDays(d, -1) : wd === 0 ? addDays(d, 1) : d;
}

/** The NYSE's regular holidays of a year (observed dates), sorted. */
export function nyseHolidays(y: number): IsoDate[] {
  const out: IsoDate[] = [];
  // New Year's Day on a Saturday is not observed on the Friday before (NYSE rule 7.2).
  const newYear = iso(y, 1, 1);
  if (weekday(newYear) !== 6) out.push(observed(newYear));
  if (y >= 1998) out.push(nthWeekday(y, 1, 1, 3)); // Martin Luther King Jr. Day
  out.push(nthWeekday(y, 2, 1, 3)); // Washington's Birthday
  out.push(addDays(easterSunday(y), -2)); // Good Friday
  out.push(nthWeekday(y, 5, 1, -1)); // Memorial Day
  if (y >= 2022) out.push(observed(iso(y, 6, 19))); // Juneteenth
  out.push(observed(iso(y, 7, 4))); // Independence Day
  out.push(nthWeekday(y, 9, 1, 1)); // Labor Day
  out.push(nthWeekday(y, 11, 4, 4)); // Thanksgiving
  out.push(observed(iso(y, 12, 25))); // Christmas
  return out.sort();
}

/** True when the NYSE holds a session on this date. */
export function isTradingDay(d: IsoDate): boolean {
  return isWeekday(d) && !UNSCHEDULED_CLOSURES.has(d) && !nyseHolidays(Number(d.slice(0, 4))).includes(d);
}

/** Trading days from `from` to `to`, inclusive. */
export function tradingDaysBetween(from: IsoDate, to: IsoDate): IsoDate[] {
  return weekdaysBetween(from, to).filter(isTradingDay);
}

/** The last trading day strictly before `d`. */
export function previousTradingDay(d: IsoDate): IsoDate {
  let x = addDays(d, -1);
  while (!isTradingDay(x)) x = addDays(x, -1);
  return x;
}

/** The first trading day strictly after `d`. */
export function nextTradingDay(d: IsoDate): IsoDate {
  let x = addDays(d, 1);
  while (!isTradingDay(x)) x = addDays(x, 1);
  return x;
}

const NEW_YORK = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/New_York',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** The New York calendar date and minutes after midnight of an instant. */
export function newYorkTime(ms: number): { readonly date: IsoDate; readonly minutes: number } {
  const parts: Record<string, string> = {};
  for (const p of NEW_YORK.formatToParts(ms)) parts[p.type] = p.value;
  return { date: `${parts.year}-${parts.month}-${parts.day}`, minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

/** Minutes after midnight, New York time, from which a day's session counts as complete. */
export const SESSION_COMPLETE_MINUTES = 16 * 60;

/** The instant (Unix ms) a day's session closes: 16:00 New York time on `d`, daylight saving or not. */
export function sessionCloseMs(d: IsoDate): number {
  const [y, m, day] = d.split('-').map(Number) as [number, number, number];
  for (const utcHour of [20, 21]) {
    const ms = Date.UTC(y, m - 1, day, utcHour, 0);
    if (newYorkTime(ms).minutes === SESSION_COMPLETE_MINUTES) return ms;
  }
  return Date.UTC(y, m - 1, day, 21, 0);
}

/**
 * The latest trading day whose session had closed at `ms` (Unix ms): today once it is 16:00 in
 * New York on a trading day, else the trading day before. Daily bars exist up to this date.
 */
export function lastCompletedSession(ms: number): IsoDate {
  const { date, minutes } = newYorkTime(ms);
  if (isTradingDay(date) && minutes >= SESSION_COMPLETE_MINUTES) return date;
  return previousTradingDay(date);
}
