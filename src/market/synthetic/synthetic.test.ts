import { describe, expect, it } from 'vitest';
import { LookAheadError, isWeekday } from '../../core/index.ts';
import { Bar, Fundamentals } from '../../contracts/index.ts';
import { CRISIS, FACTOR_NAMES, GICS_SECTORS, generateSyntheticMarket, regimePath, syntheticBars, syntheticPanel, viewAt } from '../index.ts';

const m = generateSyntheticMarket({ symbols: 80, years: 6, seed: 11 });
const { T, U } = m;

function returnsOf(u: number): number[] {
  const out: number[] = [];
  for (let t = 1; t < T; t++) out.push((m.close[t * U + u] ?? 0) / (m.close[(t - 1) * U + u] ?? 1) - 1);
  return out;
}

function corr(a: number[], b: number[]): number {
  const n = a.length;
  const ma = a.reduce((s, x) => s + x, 0) / n;
  const mb = b.reduce((s, x) => s + x, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = (a[i] ?? 0) - ma;
    const db = (b[i] ?? 0) - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return sab / Math.sqrt(saa * sbb);
}

/** Average pairwise correlation over the days (return index = day − 1) selected. */
function avgPairwiseCorr(rets: number[][], days: number[]): number {
  const cols = rets.map((r) => days.map((d) => r[d] ?? 0));
  let s = 0;
  let k = 0;
  for (let i = 0; i < cols.length; i++) {
    for (let j = i + 1; j < cols.length; j++) {
      s += corr(cols[i] ?? [], cols[j] ?? []);
      k++;
    }
  }
  return s / k;
}

/** Maximum drawdown (a positive fraction) of a level series. */
function maxDrawdown(levels: number[]): number {
  let peak = -Infinity;
  let dd = 0;
  for (const x of levels) {
    peak = Math.max(peak, x);
    dd = Math.max(dd, 1 - x / peak);
  }
  return dd;
}

/** Contiguous runs of one regime code: [start, endExclusive). */
function runs(code: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let t = 0;
  while (t < T) {
    if (m.regimes[t] === code) {
      const s = t;
      while (t < T && m.regimes[t] === code) t++;
      out.push([s, t]);
    } else t++;
  }
  return out;
}

describe('synthetic market: shape and determinism', () => {
  it('has weekdays, SYN tickers, 11 sectors and positive OHLC that brackets', () => {
    expect(T).toBe(1512);
    expect(m.dates.every(isWeekday)).toBe(true);
    expect(m.symbols[0]).toBe('SYN001');
    expect(new Set(m.sectors).size).toBe(GICS_SECTORS.length);
    for (let i = 0; i < T * U; i++) {
      const o = m.open[i] ?? 0;
      const c = m.close[i] ?? 0;
      expect(o > 0 && c > 0 && (m.low[i] ?? 0) > 0).toBe(true);
      if (!((m.high[i] ?? 0) >= Math.max(o, c) && (m.low[i] ?? 0) <= Math.min(o, c))) throw new Error(`bar ${i} does not bracket`);
    }
    // a sample of bars passes the Bar contract
    for (const b of syntheticBars(m).filter((_, i) => i % 997 === 0)) expect(Bar.safeParse(b).success).toBe(true);
    const f = m.fundamentals.get('SYN001')?.[2];
    expect(Fundamentals.safeParse(f).success).toBe(true);
    expect([...m.factors.keys()]).toEqual([...FACTOR_NAMES]);
  });

  it('gives the same market for the same seed and a different one for another seed', () => {
    const a = generateSyntheticMarket({ symbols: 20, years: 1, seed: 5 });
    const b = generateSyntheticMarket({ symbols: 20, years: 1, seed: 5 });
    const c = generateSyntheticMarket({ symbols: 20, years: 1, seed: 6 });
    expect(Buffer.from(a.close.buffer).equals(Buffer.from(b.close.buffer))).toBe(true);
    expect(Buffer.from(a.volume.buffer).equals(Buffer.from(b.volume.buffer))).toBe(true);
    expect(a.fundamentals).toEqual(b.fundamentals);
    expect(a.vix).toEqual(b.vix);
    expect(Buffer.from(a.close.buffer).equals(Buffer.from(c.close.buffer))).toBe(false);
  });

  it('contains at least one crisis in six years', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const path = regimePath(generateSyntheticMarket({ symbols: 2, years: 6, seed }));
      expect(path).toContain('BEAR_CRISIS');
    }
  });
});

describe('synthetic market: statistics', () => {
  const rets = Array.from({ length: U }, (_, u) => returnsOf(u));
  const crisisDays: number[] = [];
  const calmDays: number[] = [];
  for (let t = 1; t < T; t++) {
    if (m.regimes[t] === CRISIS) crisisDays.push(t - 1);
    if (m.regimes[t] === 0) calmDays.push(t - 1);
  }

  it('has higher average pairwise correlation in crises than in calm (bull quiet) days', () => {
    expect(crisisDays.length).toBeGreaterThan(20);
    const crisis = avgPairwiseCorr(rets, crisisDays);
    const calm = avgPairwiseCorr(rets, calmDays);
    expect(crisis).toBeGreaterThan(calm + 0.1);
  });

  it('has fat tails: excess kurtosis > 0 for most names', () => {
    let positive = 0;
    for (const r of rets) {
      const n = r.length;
      const mu = r.reduce((s, x) => s + x, 0) / n;
      const m2 = r.reduce((s, x) => s + (x - mu) ** 2, 0) / n;
      const m4 = r.reduce((s, x) => s + (x - mu) ** 4, 0) / n;
      if (m4 / (m2 * m2) - 3 > 0) positive++;
    }
    expect(positive / U).toBeGreaterThan(0.95);
  });

  it('clusters volatility: lag-1 autocorrelation of |r| > 0 on average', () => {
    let s = 0;
    for (const r of rets) {
      const a = r.map(Math.abs);
      s += corr(a.slice(1), a.slice(0, -1));
    }
    expect(s / U).toBeGreaterThan(0.05);
  });

  it('draws down deeper in crises than in calm periods', () => {
    const levels = Array.from(m.index);
    const crisisDd = Math.max(...runs(CRISIS).map(([s, e]) => maxDrawdown(levels.slice(Math.max(0, s - 1), e))));
    const calmDd = Math.max(...runs(0).map(([s, e]) => maxDrawdown(levels.slice(Math.max(0, s - 1), e))));
    expect(crisisDd).toBeGreaterThan(calmDd);
  });

  it('raises the volatility index in crises', () => {
    const avg = (days: number[]) => days.reduce((s, d) => s + (m.vix[d + 1] ?? 0), 0) / days.length;
    expect(avg(crisisDays)).toBeGreaterThan(1.5 * avg(calmDays));
  });
});

describe('synthetic panel', () => {
  const panel = syntheticPanel(m);
  it('carries reference series, fundamentals released with a lag, and sentiment', () => {
    expect(panel.reference.get('market')).toBe(m.index);
    expect([...panel.reference.keys()]).toEqual(['market', 'vix', ...FACTOR_NAMES]);
    const view = viewAt(panel, 100);
    const f = view.fundamentals(0);
    expect(f).toBeDefined();
    expect(Date.parse(f?.releaseTime ?? '')).toBeLessThanOrEqual(Date.parse(`${view.asOf}T23:59:59.999Z`));
    expect(Date.parse(f?.releaseTime ?? '') - Date.parse(f?.periodEnd ?? '')).toBeGreaterThanOrEqual(25 * 86_400_000);
    expect(() => view.fundamentals(0, panel.dates[101])).toThrow(LookAheadError);
    const s = view.sentiment(3);
    expect(s).toBeGreaterThanOrEqual(-1);
    expect(s).toBeLessThanOrEqual(1);
    expect(view.value('marketCap', 0)).toBeCloseTo((m.close[100 * U] ?? 0) * (m.sharesOutstanding[0] ?? 0), 0);
  });
});
