/**
 * The model's bias per agent in the fund cycle (src/overlay/forecast-bias.ts), checked against an
 * independent recomputation from the cycles of a backtest: each review records the model's
 * forecast for the agent's final book, and the next day's return scores it.
 */
import { describe, expect, it } from 'vitest';
import { defaultFundConfigInput, parseFundConfig } from '../../contracts/index.ts';
import { syntheticPanel } from '../../market/index.ts';
import { BIAS_HALF_LIFE_DAYS, zOf } from '../../overlay/index.ts';
import { runBacktest, type CycleResult } from '../index.ts';

describe('the bias in the fund cycle', () => {
  it('each review records the forecast for the final book and the next return scores it (recomputed from the cycles)', async () => {
    const panel = syntheticPanel({ symbols: 40, years: 1.5, seed: 21 });
    const config = parseFundConfig({ ...defaultFundConfigInput(10_000_000), data: { minHistoryRows: 200, degradedMinRows: 100 } });
    const cycles: CycleResult[] = [];
    await runBacktest({ id: 'forecast-bias', config, panel, from: panel.dates[panel.T - 100] ?? '', to: panel.dates[panel.T - 1] ?? '', onCycle: (r) => cycles.push(r) });
    const z = zOf(config.risk.varConfidence);
    const decay = 0.5 ** (1 / BIAS_HALF_LIFE_DAYS);
    const last = cycles.at(-1)?.review.nextState;
    let checked = 0;
    for (const id of config.agents.map((a) => a.id)) {
      let sum = 0;
      let days = 0;
      let forecast = 0;
      for (const c of cycles) {
        const st = c.review.nextState.agents.find((a) => a.agentId === id);
        if (!st) continue;
        // today's return (pushed before the review) scores yesterday's forecast
        if (forecast > 0 && st.returns.length > 0 && st.dailyPnl !== 0) {
          sum = decay * sum + (1 - decay) * Math.min(36, ((st.returns.at(-1) ?? 0) / forecast) ** 2);
          days++;
        }
        const standalone = c.review.snapshot.budgets[id]?.standalone ?? 0;
        forecast = st.equity > 0 ? standalone / z / st.equity : 0;
      }
      const got = last?.agents.find((a) => a.agentId === id)?.forecast;
      if (days === 0) continue;
      expect(got?.days, id).toBe(days);
      expect(got?.bias2 ?? 0, id).toBeCloseTo(sum, 10);
      expect(got?.vol ?? 0, id).toBeCloseTo(forecast, 12);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(4);
  }, 120_000);
});
