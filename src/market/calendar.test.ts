// Invariant: the computed NYSE calendar is exactly the set of days the S&P 500 traded, 1990–2023.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { easterSunday, isTradingDay, lastCompletedSession, newYorkTime, nextTradingDay, nyseHolidays, previousTradingDay, sessionCloseMs, tradingDaysBetween } from './index.ts';
import { ShiftedClock, SimClock } from '../core/index.ts';

const DATA = path.resolve(import.meta.dirname, '../../../shared/data');

describe('NYSE trading calendar', () => {
  it.skipIf(!existsSync(path.join(DATA, 'spx_daily.csv')))('matches every trading day of the S&P 500 from 1990 to 2023 (spx_daily.csv; skipped when ../shared/data is absent), no more, no fewer', () => {
    const rows = readFileSync(path.join(DATA, 'spx_daily.csv'), 'utf8').trim().split('\n').slice(1);
    const traded = rows.map((r) => r.slice(0, 10));
    const first = traded[0] ?? '';
    const last = traded[traded.length - 1] ?? '';
    expect(traded).toHaveLength(8564);
    const computed = tradingDaysBetween(first, last);
    const tradedSet = new Set(traded);
    const computedSet = new Set(computed);
    expect(computed.filter((d) => !tradedSet.has(d))).toEqual([]);
    expect(traded.filter((d) => !computedSet.has(d))).toEqual([]);
  });

  it('has the holidays of a year with observed dates (2021: New Year on a Friday, Independence Day on a Sunday)', () => {
    expect(nyseHolidays(2021)).toEqual([
      '2021-01-01', '2021-01-18', '2021-02-15', '2021-04-02', '2021-05-31', '2021-07-05', '2021-09-06', '2021-11-25', '2021-12-24',
    ]);
    expect(nyseHolidays(2022)).toContain('2022-06-20'); // Juneteenth on a Sunday, observed Monday
    expect(nyseHolidays(2022)).not.toContain('2021-12-31'); // New Year 2022 was a Saturday: not observed
    expect(easterSunday(2024)).toBe('2024-03-31');
    expect(isTradingDay('2024-03-29')).toBe(false); // Good Friday
    expect(isTradingDay('2025-01-09')).toBe(false); // national day of mourning
  });

  it('steps over weekends and holidays', () => {
    expect(previousTradingDay('2024-07-05')).toBe('2024-07-03');
    expect(nextTradingDay('2024-07-03')).toBe('2024-07-05');
    expect(previousTradingDay('2024-01-02')).toBe('2023-12-29');
  });

  it('a session is complete from 16:00 New York time, in winter and in summer time', () => {
    expect(newYorkTime(Date.parse('2024-01-03T21:00:00Z'))).toEqual({ date: '2024-01-03', minutes: 16 * 60 });
    expect(lastCompletedSession(Date.parse('2024-01-03T20:59:00Z'))).toBe('2024-01-02'); // 15:59 EST
    expect(lastCompletedSession(Date.parse('2024-01-03T21:00:00Z'))).toBe('2024-01-03'); // 16:00 EST
    expect(lastCompletedSession(Date.parse('2024-07-03T19:59:00Z'))).toBe('2024-07-02'); // 15:59 EDT
    expect(lastCompletedSession(Date.parse('2024-07-03T20:00:00Z'))).toBe('2024-07-03');
    expect(lastCompletedSession(Date.parse('2024-07-04T23:00:00Z'))).toBe('2024-07-03'); // holiday
    expect(lastCompletedSession(Date.parse('2024-01-08T03:00:00Z'))).toBe('2024-01-05'); // Sunday night in New York
  });

  it("a session's close is 16:00 New York time, and a shifted clock runs from it at the base clock's pace", () => {
    expect(new Date(sessionCloseMs('2024-01-03')).toISOString()).toBe('2024-01-03T21:00:00.000Z'); // EST
    expect(new Date(sessionCloseMs('2024-07-03')).toISOString()).toBe('2024-07-03T20:00:00.000Z'); // EDT
    expect(new Date(sessionCloseMs('2024-03-11')).toISOString()).toBe('2024-03-11T20:00:00.000Z'); // the Monday after the change
    const wall = new SimClock(Date.parse('2026-12-07T15:00:00Z'));
    const shifted = new ShiftedClock(wall, sessionCloseMs('2024-07-03'));
    expect(new Date(shifted.now()).toISOString()).toBe('2024-07-03T20:00:00.000Z');
    wall.advance(1_500);
    expect(new Date(shifted.now()).toISOString()).toBe('2024-07-03T20:00:01.500Z');
  });
});
