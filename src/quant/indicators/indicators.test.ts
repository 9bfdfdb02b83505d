import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  sma,
  ema,
  smma,
  wma,
  rsi,
  macd,
  roc,
  momentum,
  trueRange,
  atr,
  bollinger,
  stochastic,
  williamsR,
  adx,
  rollingStd,
  zscore,
  rollingCorrelation,
} from '../index.ts';

const dataDir = path.resolve(process.cwd(), '../shared/data');
const csv = path.join(dataDir, 'backtrader-2006-day-001.csv');

describe('indicators on hand-worked series', () => {
  const x = [1, 2, 3, 4, 5];
  it('sma, ema (SMA seed), smma, wma', () => {
    expect(Array.from(sma(x, 3))).toEqual([NaN, NaN, 2, 3, 4]);
    expect(Array.from(ema(x, 3))).toEqual([NaN, NaN, 2, 3, 4]);
    // SMMA(3): seed 2, then 2 + (4−2)/3, then that + (5 − it)/3
    const s = smma(x, 3);
    expect(s[3]).toBeCloseTo(8 / 3, 14);
    expect(s[4]).toBeCloseTo(8 / 3 + (5 - 8 / 3) / 3, 14);
    expect(wma([1, 2, 3], 3)[2]).toBeCloseTo(14 / 6, 14);
  });
  it('rsi: Wilder averages seeded by the simple mean of the first changes', () => {
    const c = [10, 11, 10, 12, 13];
    // changes +1 −1 +2 +1; period 2: up=(1+0)/2, down=(0+1)/2 → 50 at bar 2
    const r = rsi(c, 2);
    expect(r[1]).toBeNaN();
    expect(r[2]).toBeCloseTo(50, 12);
    // bar 3: up=(0.5+2)/2=1.25, down=(0.5)/2=0.25 → 100 − 100/(1+5)
    expect(r[3]).toBeCloseTo(100 - 100 / 6, 12);
  });
  it('roc is a fraction and momentum a difference', () => {
    expect(roc([100, 105, 110], 1)[1]).toBeCloseTo(0.05, 14);
    expect(momentum([100, 105, 110], 2)[2]).toBe(10);
  });
  it('true range needs a previous close', () => {
    const tr = trueRange([10, 12], [9, 11], [9.5, 11.5]);
    expect(tr[0]).toBeNaN();
    expect(tr[1]).toBe(2.5);
  });
  it('rolling std, z-score and correlation', () => {
    expect(rollingStd([1, 2, 3, 4], 3)[3]).toBeCloseTo(1, 14);
    expect(zscore([1, 2, 3, 4], 3)[3]).toBeCloseTo(1, 14);
    expect(rollingCorrelation([1, 2, 3, 4], [2, 4, 6, 7], 3)[2]).toBeCloseTo(1, 14);
  });
});

interface Bars {
  high: number[];
  low: number[];
  close: number[];
}

function load(): Bars {
  const lines = readFileSync(csv, 'utf8').trim().split('\n').slice(1);
  const b: Bars = { high: [], low: [], close: [] };
  for (const line of lines) {
    const f = line.split(',');
    b.high.push(Number(f[2]));
    b.low.push(Number(f[3]));
    b.close.push(Number(f[4]));
  }
  return b;
}

/** backtrader's checkpoints: last bar, first full bar (minperiod−1) and the floor-midpoint between. */
function points(n: number, minPeriod: number): number[] {
  const a = -n + minPeriod;
  return [n - 1, n - 1 + a, n - 1 + Math.floor(a / 2)];
}

/** `ownMinPeriod`: the line's own first valid bar + 1 (a multi-line indicator is checked at its slowest line's). */
function check(line: Float64Array, minPeriod: number, expected: readonly string[], ownMinPeriod = minPeriod): void {
  const pts = points(line.length, minPeriod);
  expect(pts.map((p) => (line[p] ?? Number.NaN).toFixed(6))).toEqual(expected);
  expect(line[ownMinPeriod - 2]).toBeNaN();
  expect(line[ownMinPeriod - 1]).not.toBeNaN();
}

describe.skipIf(!existsSync(csv))('backtrader 2006 daily series (published indicator checkpoints; skipped when ../shared/data is absent)', () => {
  const b = existsSync(csv) ? load() : { high: [], low: [], close: [] };
  it('has the 255 bars of 2006', () => expect(b.close.length).toBe(255));
  it('SMA(30), EMA(30), SMMA(30), WMA(30)', () => {
    check(sma(b.close, 30), 30, ['4063.463000', '3644.444667', '3554.693333']);
    check(ema(b.close, 30), 30, ['4070.115719', '3644.444667', '3581.728712']);
    check(smma(b.close, 30), 30, ['4021.569725', '3644.444667', '3616.427648']);
    check(wma(b.close, 30), 30, ['4076.212366', '3655.193634', '3576.228000']);
  });
  it('RSI(14) and ATR(14) with Wilder smoothing', () => {
    check(rsi(b.close, 14), 15, ['57.644284', '41.630968', '53.352553']);
    check(atr(b.high, b.low, b.close, 14), 15, ['35.866308', '34.264286', '54.329064']);
  });
  it('MACD(12, 26, 9)', () => {
    const m = macd(b.close);
    check(m.macd, 34, ['25.821368', '32.469404', '1.772445'], 26);
    check(m.signal, 34, ['21.977853', '26.469735', '-2.845646']);
    check(m.histogram, 34, ['3.843516', '5.999669', '4.618090']);
  });
  it('Bollinger(20, 2) with population std', () => {
    const bb = bollinger(b.close);
    check(bb.middle, 20, ['4065.884000', '3621.185000', '3582.895500']);
    check(bb.upper, 20, ['4190.782310', '3712.008864', '3709.453081']);
    check(bb.lower, 20, ['3940.985690', '3530.361136', '3456.337919']);
  });
  it('slow stochastic(14, 3, 3) and Williams %R(14)', () => {
    const s = stochastic(b.high, b.low, b.close);
    check(s.k, 18, ['88.667626', '21.409626', '63.796187'], 16);
    check(s.d, 18, ['82.845850', '15.710059', '77.642219']);
    check(williamsR(b.high, b.low, b.close), 14, ['-16.458733', '-68.298609', '-28.602854']);
  });
  it('ADX(14), +DI, −DI', () => {
    const a = adx(b.high, b.low, b.close);
    const pts = points(b.close.length, 42);
    const fmt = (l: Float64Array) => pts.map((p) => (l[p] ?? Number.NaN).toFixed(6));
    expect({ adx: fmt(a.adx), plus: fmt(a.plusDI), minus: fmt(a.minusDI) }).toEqual({
      adx: ['15.302485', '31.674648', '15.961767'],
      plus: ['28.809535', '30.460124', '31.386311'],
      minus: ['24.638772', '18.914537', '21.564611'],
    });
  });
});
