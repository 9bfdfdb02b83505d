import { describe, expect, it } from 'vitest';
import { LookAheadError, ValidationError, createRng, weekdaysBetween } from '../core/index.ts';
import type { Fundamentals, MacroObservation } from '../contracts/index.ts';
import { createPanel, viewAt, type Panel } from './index.ts';

const T = 60;
const U = 3;

function fund(symbol: string, periodEnd: string, releaseTime: string, eps: number): Fundamentals {
  return {
    version: 1, symbol, periodEnd, releaseTime, eps, revenue: null, cashFlow: null, bookValuePerShare: null,
    dividendYield: null, pe: null, pb: null, quality: null, value: null, sharesOutstanding: null,
  };
}

function macro(series: string, date: string, releaseTime: string, value: number): MacroObservation {
  return { version: 1, series, date, releaseTime, value };
}

/** A small panel with a gap in column 2 (rows 30..32) and random walks elsewhere. */
function makePanel(): Panel {
  const dates = weekdaysBetween('2024-01-01', '2024-12-31').slice(0, T);
  const rng = createRng(7);
  const n = T * U;
  const close = new Float64Array(n);
  const volume = new Float64Array(n);
  for (let u = 0; u < U; u++) {
    let p = 50 + 10 * u;
    for (let t = 0; t < T; t++) {
      p *= 1 + 0.02 * rng.normal();
      close[t * U + u] = p;
      volume[t * U + u] = 1e6 * (1 + rng.next());
    }
  }
  for (let t = 30; t <= 32; t++) {
    close[t * U + 2] = Number.NaN;
    volume[t * U + 2] = Number.NaN;
  }
  const d = (i: number) => dates[i] ?? '';
  return createPanel({
    dates, symbols: ['AAA', 'BBB', 'CCC'], sectors: ['Tech', 'Energy', 'Tech'],
    open: close.slice(), high: close.map((c) => c * 1.01), low: close.map((c) => c * 0.99), close, volume,
    sharesOutstanding: Float64Array.from([1e6, 2e6, 3e6]),
    sentiment: new Float64Array(n).fill(0.25),
    reference: new Map([['market', Float64Array.from({ length: T }, (_, t) => 1000 + t)]]),
    // deliberately unsorted, and one release written with a non-UTC offset
    fundamentals: new Map([['AAA', [fund('AAA', d(20), `${d(40)}T21:00:00.000Z`, 2), fund('AAA', d(0), `${d(10)}T21:00:00+02:00`, 1)]]]),
    macro: new Map([['DGS10', [macro('DGS10', d(5), `${d(6)}T12:00:00.000Z`, 4.1), macro('DGS10', d(25), `${d(26)}T12:00:00.000Z`, 4.3)]]]),
  });
}

describe('MarketView point in time', () => {
  const panel = makePanel();
  const view = viewAt(panel, 35);
  const future = 36;

  it('throws LookAheadError on every row read past the as-of row', () => {
    const reads: Array<() => unknown> = [
      () => view.value('close', 0, future),
      () => view.close(1, future),
      () => view.window('ret', 0, 5, future),
      () => view.cross('volume', future),
      () => view.row('close', future),
      () => view.windowInto('ret', 0, 5, new Float64Array(5), 0, future),
      () => view.date(future),
      () => view.at(future),
      () => view.reference('market', 3, future),
      () => view.sentiment(0, future),
      () => view.fundamentals(0, panel.dates[future]),
      () => view.macro('DGS10', panel.dates[future]),
    ];
    for (const read of reads) expect(read).toThrow(LookAheadError);
  });

  it('refuses column indices that would address another (future) row of the flat array', () => {
    expect(() => view.value('close', U)).toThrow(ValidationError);
    expect(() => view.window('close', -1, 3)).toThrow(ValidationError);
    expect(() => view.returnsPanel(3, [0, U])).toThrow(ValidationError);
  });

  it('shows only fundamentals and macro values released by the as-of date', () => {
    expect(view.fundamentals(0)?.eps).toBe(1); // the second report is released at row 40
    expect(viewAt(panel, 40).fundamentals(0)?.eps).toBe(2);
    expect(viewAt(panel, 9).fundamentals(0)).toBeUndefined();
    // 21:00+02:00 is 19:00Z on day 10: visible on day 10
    expect(viewAt(panel, 10).fundamentals(0)?.eps).toBe(1);
    expect(view.fundamentalsHistory(0)).toHaveLength(1);
    expect(viewAt(panel, 25).macro('DGS10')).toBe(4.1);
    expect(viewAt(panel, 26).macro('DGS10')).toBe(4.3);
    expect(viewAt(panel, 5).macro('DGS10')).toBeUndefined();
    expect(view.macro('DGS10', panel.dates[10])).toBe(4.1);
  });

  it('computes returns, ADV20 and vol20 as a direct computation does', () => {
    for (let u = 0; u < U; u++) {
      for (let t = 0; t < T; t++) {
        const c = panel.close[t * U + u] ?? Number.NaN;
        const pc = t > 0 ? (panel.close[(t - 1) * U + u] ?? Number.NaN) : Number.NaN;
        const r = c / pc - 1;
        if (t <= 35) {
          const got = view.value('ret', u, t);
          if (Number.isFinite(r)) expect(got).toBeCloseTo(r, 12);
          else expect(Number.isNaN(got)).toBe(true);
        }
        // direct ADV: mean of the finite volumes in rows t-19..t
        const vols: number[] = [];
        const rets: number[] = [];
        for (let k = Math.max(0, t - 19); k <= t; k++) {
          const v = panel.volume[k * U + u] ?? Number.NaN;
          if (Number.isFinite(v)) vols.push(v);
          const rr = panel.ret[k * U + u] ?? Number.NaN;
          if (Number.isFinite(rr)) rets.push(rr);
        }
        const adv = vols.reduce((a, b) => a + b, 0) / vols.length;
        expect(panel.adv20[t * U + u]).toBeCloseTo(adv, 4);
        if (rets.length >= 2) {
          const m = rets.reduce((a, b) => a + b, 0) / rets.length;
          const sd = Math.sqrt(rets.reduce((a, b) => a + (b - m) ** 2, 0) / (rets.length - 1));
          expect(panel.vol20[t * U + u]).toBeCloseTo(sd, 10);
        }
      }
    }
    // the gap: no return on the gap rows nor on the first row after it
    expect(Number.isNaN(view.value('ret', 2, 33))).toBe(true);
    expect(view.value('marketCap', 1)).toBeCloseTo((panel.close[35 * U + 1] ?? 0) * 2e6, 6);
  });

  it('windows, cross sections and the returns panel read the visible rows', () => {
    const w = view.window('close', 1, 4);
    expect(Array.from(w)).toEqual([32, 33, 34, 35].map((t) => panel.close[t * U + 1]));
    const early = viewAt(panel, 1).window('close', 0, 3);
    expect(Number.isNaN(early[0] ?? 0)).toBe(true);
    expect(Array.from(view.cross('close'))).toEqual([0, 1, 2].map((u) => panel.close[35 * U + u]));
    expect(Array.from(view.row('close', 34))).toEqual(Array.from(view.cross('close', 34)));
    // windowInto: the same values as window, written at an offset, NaN before history
    const buf = new Float64Array(10).fill(7);
    view.windowInto('close', 1, 4, buf, 3);
    expect(Array.from(buf.subarray(3, 7))).toEqual(Array.from(w));
    expect([buf[2], buf[7]]).toEqual([7, 7]);
    viewAt(panel, 1).windowInto('close', 0, 3, buf, 0);
    expect(Number.isNaN(buf[0] ?? 0)).toBe(true);
    expect(Array.from(buf.subarray(1, 3))).toEqual([panel.close[0], panel.close[U]]);
    expect(() => view.windowInto('close', 1, 4, buf, 8)).toThrow(ValidationError);
    // memo: one computation per key, shared by every view of the panel
    let built = 0;
    const a = view.memo('k:35', () => ++built);
    const b = viewAt(panel, 20).memo('k:35', () => ++built);
    expect([a, b, built]).toEqual([1, 1, 1]);
    // bounded, least recently used out first: a key read between insertions outlives 20 newer keys
    let other = 0;
    for (let i = 0; i < 20; i++) {
      view.memo(`n:${i}`, () => ++other);
      expect(view.memo('k:35', () => ++built)).toBe(1);
    }
    expect([built, other]).toEqual([1, 20]);
    expect(view.memo('n:0', () => ++other)).toBe(21); // the oldest unread key was evicted and is rebuilt
    const rp = view.returnsPanel(2, [2, 0]);
    expect(rp[3]).toBe(panel.ret[35 * U + 0]);
    expect(view.reference('market', 2)[1]).toBe(1035);
    expect(view.isTradable(2)).toBe(true);
    expect(viewAt(panel, 31).isTradable(2)).toBe(false);
    expect(view.sentiment(1)).toBe(0.25);
    expect(view.column('BBB')).toBe(1);
    expect(view.column('ZZZ')).toBe(-1);
    expect(view.at(3).asOf).toBe(panel.dates[3]);
  });

  it('rejects an as-of date outside the panel', () => {
    expect(() => viewAt(panel, '1999-01-01')).toThrow(ValidationError);
    expect(() => viewAt(panel, T)).toThrow(ValidationError);
  });
});

describe('createPanel validation', () => {
  it('names the field of a mis-shaped input', () => {
    const f = new Float64Array(4);
    expect(() => createPanel({ dates: ['2024-01-01', '2024-01-02'], symbols: ['A', 'B'], open: f, high: f, low: f, close: new Float64Array(3), volume: f })).toThrow(/panel.close/);
    expect(() => createPanel({ dates: ['2024-01-02', '2024-01-01'], symbols: ['A', 'B'], open: f, high: f, low: f, close: f, volume: f })).toThrow(/strictly increasing/);
  });
});

describe('viewAt names what is wrong with a date', () => {
  it('a weekend, a date outside the data', () => {
    const panel = makePanel();
    const [first, last] = [panel.dates[0], panel.dates[panel.T - 1]];
    expect(() => viewAt(panel, '2024-01-06')).toThrow(`2024-01-06 is a Saturday, not a trading day; the data covers ${first} … ${last}`);
    expect(() => viewAt(panel, '2024-06-03')).toThrow(`2024-06-03 is not a date of the data (${first} … ${last})`);
  });
});
