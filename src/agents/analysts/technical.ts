import { clipInPlace, confidenceFromZ, zscoreInPlace } from '../scores.ts';
import { MacdFeature, RollingCloseFeature, RsiFeature } from '../state/features.ts';
import { writeViews, type Analyst, type AnalystEnv, type AnalystOutput } from './analyst.ts';

/**
 * **Technical analyst.** RSI(14) (oversold bullish: (50 − RSI)/20), MACD(12,26,9) histogram in
 * daily-vol units, Bollinger(20, 2) position (below the middle band bullish), and 20-day momentum
 * in vol units; the average of the available components, standardised across names.
 */
export class TechnicalAnalyst implements Analyst {
  readonly name = 'technical' as const;
  readonly rsi = new RsiFeature(14);
  readonly macd = new MacdFeature(12, 26, 9);
  readonly boll = new RollingCloseFeature([20]);
  readonly features = [this.rsi, this.macd, this.boll];
  constructor(readonly ic = 0.03) {}

  analyse(env: AnalystEnv, out: AnalystOutput): void {
    const { view } = env;
    const U = view.U;
    const close = view.cross('close');
    const past = view.t >= 20 ? view.cross('close', view.t - 20) : null;
    const z = new Float64Array(U).fill(Number.NaN);
    for (let u = 0; u < U; u++) {
      const c = close[u] as number;
      const v = env.vol(u);
      if (!(c > 0 && v > 0)) continue;
      let s = 0;
      let n = 0;
      const r = this.rsi.value(u);
      if (r === r) {
        s += (50 - r) / 20;
        n++;
      }
      const hist = this.macd.histogram(u);
      if (hist === hist) {
        s += hist / (c * v);
        n++;
      }
      const mid = this.boll.mean(0, u);
      const sd = this.boll.std(0, u);
      if (mid === mid && sd > 0) {
        s += -(c - mid) / (2 * sd);
        n++;
      }
      const p = past ? (past[u] as number) : Number.NaN;
      if (p > 0) {
        s += (c / p - 1) / (v * Math.sqrt(20));
        n++;
      }
      if (n > 0) z[u] = s / n;
    }
    zscoreInPlace(z);
    clipInPlace(z, 3);
    writeViews(env, z, this.ic, out, (_u, zu) => confidenceFromZ(zu));
  }
}
