import { describe, expect, it } from 'vitest';
import { viewAt } from '../../market/index.ts';
import { atr, bollinger, ema, macd, rsi, sma } from '../../quant/index.ts';
import { IncrementalState } from '../index.ts';
import { noiseTable, panelFromReturns } from '../test-panels.ts';
import { AtrFeature, EmaFeature, EwmaVolFeature, MacdFeature, RollingCloseFeature, RsiFeature } from './features.ts';

// Two noisy series; the incremental features, stepped row by row, must match quant's batch
// indicators (TA-Lib conventions) computed over the whole history at every row.
const T = 120;
const noise = noiseTable(31, T, 2, 0.015);
const panel = panelFromReturns({ T, symbols: ['A', 'B'], ret: (t, u) => noise(t, u) + (u === 0 ? 0.001 : -0.001), range: 0.03 });
const col = (f: Float64Array, u: number) => Float64Array.from({ length: T }, (_, t) => f[t * 2 + u] ?? Number.NaN);

describe('incremental indicators match quant batch indicators', () => {
  const atrF = new AtrFeature(14);
  const emaF = new EmaFeature(10);
  const rsiF = new RsiFeature(14);
  const roll = new RollingCloseFeature([5, 20]);
  const vol = new EwmaVolFeature(0.94);
  const macdF = new MacdFeature(12, 26, 9);
  const state = new IncrementalState([atrF, emaF, rsiF, roll, vol, macdF]);
  it('ATR(14), EMA(10), RSI(14), SMA(5), SMA(20), the Bollinger(20) std and the MACD histogram, at every row', () => {
    for (let u = 0; u < 2; u++) {
      const c = col(panel.close, u);
      const refAtr = atr(col(panel.high, u), col(panel.low, u), c, 14);
      const refEma = ema(c, 10);
      const refRsi = rsi(c, 14);
      const refSma5 = sma(c, 5);
      const refSma20 = sma(c, 20);
      const refBoll = bollinger(c, 20, 2);
      const refMacd = macd(c, 12, 26, 9).histogram;
      for (let t = 0; t < T; t++) {
        state.sync(viewAt(panel, t));
        const same = (a: number, b: number) => (Number.isNaN(b) ? expect(Number.isNaN(a)).toBe(true) : expect(a).toBeCloseTo(b, 9));
        same(atrF.value(u), refAtr[t] ?? Number.NaN);
        if (t >= 9) same(emaF.ema[u] ?? Number.NaN, refEma[t] ?? Number.NaN);
        same(rsiF.value(u), refRsi[t] ?? Number.NaN);
        same(roll.mean(0, u), refSma5[t] ?? Number.NaN);
        same(roll.mean(1, u), refSma20[t] ?? Number.NaN);
        if (t >= 19) same(2 * roll.std(1, u), (refBoll.upper[t] ?? 0) - (refBoll.middle[t] ?? 0));
        same(macdF.histogram(u), refMacd[t] ?? Number.NaN);
      }
      // two passes over u reuse the state: the second pass rebuilds once (the view moved back)
    }
    expect(state.rebuilds).toBe(2);
  });
  it('EWMA variance follows σ²ₜ = 0.94σ²ₜ₋₁ + 0.06r²ₜ', () => {
    const r = col(panel.ret, 1);
    let v = Number.NaN;
    for (let t = 1; t < T; t++) {
      const x = r[t] ?? 0;
      v = Number.isNaN(v) ? x * x : 0.94 * v + 0.06 * x * x;
    }
    state.sync(viewAt(panel, T - 1));
    expect(vol.vol(1)).toBeCloseTo(Math.sqrt(v), 14);
  });
});
