/** The config in force on a day is its cycle's; a day without one keeps the previous day's, leading days take the first known. */
import { describe, expect, it } from 'vitest';
import { configPerDay, type SeriesPoint } from './risk-series.ts';

const day = (date: string, cycleId: string | null): SeriesPoint => ({ date, cycleId, capital: 1, nav: 1, varDollars: null, values: { var: null, cvar: null, var99: null, gross: null, drawdown: 0 } });

describe('configPerDay', () => {
  it("takes each day's cycle's config and carries it over days without one", () => {
    const days = [day('d1', null), day('d2', 'c2'), day('d3', null), day('d4', 'c4'), day('d5', 'c5'), day('d6', null)];
    const ran = new Map([['c2', 'A'], ['c4', 'B']]);
    expect(configPerDay(days, ran, 'NOW')).toEqual(['A', 'A', 'A', 'B', 'B', 'B']);
  });
  it('is the current config when no cycle recorded one', () => {
    expect(configPerDay([day('d1', 'c1'), day('d2', null)], new Map(), 'NOW')).toEqual(['NOW', 'NOW']);
  });
});
