import { clipInPlace, zscoreInPlace } from '../scores.ts';
import { writeViews, type Analyst, type AnalystEnv, type AnalystOutput } from './analyst.ts';

/**
 * **Sentiment analyst.** The per-name sentiment score in [−1, 1] at the as-of row, standardised
 * across names; confidence is |sentiment|. No sentiment in the view, no signals.
 */
export class SentimentAnalyst implements Analyst {
  readonly name = 'sentiment' as const;
  readonly features = [];
  constructor(readonly ic = 0.02) {}

  analyse(env: AnalystEnv, out: AnalystOutput): void {
    const { view } = env;
    const z = new Float64Array(view.U).fill(Number.NaN);
    const raw = new Float64Array(view.U).fill(Number.NaN);
    let any = false;
    for (let u = 0; u < view.U; u++) {
      const s = view.sentiment(u);
      if (s === s) {
        z[u] = s;
        raw[u] = s;
        any = true;
      }
    }
    if (!any) return;
    zscoreInPlace(z);
    clipInPlace(z, 3);
    writeViews(env, z, this.ic, out, (u) => Math.abs(raw[u] as number));
  }
}
