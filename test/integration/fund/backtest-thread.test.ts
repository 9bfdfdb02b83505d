/**
 * A backtest run in a worker thread (the API's jobs) decides exactly as one run in the process
 * (`keel backtest`): the same inputs give the same stored results and the same kept records, with
 * the panel on shared memory.
 */
import { describe, expect, it } from 'vitest';
import { defaultFundConfigInput, parseFundConfig } from '../../../src/contracts/index.ts';
import { hashOf } from '../../../src/core/index.ts';
import { BacktestStopped, computeBacktest, sharePanel, startBacktestThread, type ComputedBacktest } from '../../../src/fund/index.ts';
import { syntheticPanel } from '../../../src/market/index.ts';

/** The result without its timings (`performance`: wall-clock durations differ run to run). */
function decided(r: ComputedBacktest): unknown {
  return JSON.parse(JSON.stringify(r, (k, v: unknown) => (k === 'performance' ? undefined : v)));
}

describe('a backtest in a worker thread', () => {
  // the golden wiring backtest's market and fund (src/fund/backtest/backtest-wiring.golden.test.ts), 60 days
  const panel = syntheticPanel({ symbols: 40, years: 1.5, seed: 14 });
  const config = parseFundConfig({ ...defaultFundConfigInput(10_000_000), data: { minHistoryRows: 200, degradedMinRows: 100 } });
  const window = { from: panel.dates[panel.T - 60] ?? '', to: panel.dates[panel.T - 1] ?? '' };

  it('gives the same results and records as in the process, with progress to 1', async () => {
    const input = { id: 'bt-thread', config, panel, ...window, compare: { policyOff: true, without: [] } };
    const seen: number[] = [];
    // the thread reads the panel on shared memory, as the API's jobs do
    const thread = startBacktestThread({ ...input, panel: sharePanel(panel) }, (f) => seen.push(f));
    const [inThread, inProcess] = await Promise.all([thread.result, computeBacktest(input)]);
    expect(inThread.summary.days).toBe(60);
    expect(inThread.summary.costs.orders).toBeGreaterThan(0);
    expect(inThread.kept).toHaveLength(5);
    expect(hashOf(decided(inThread))).toBe(hashOf(decided(inProcess)));
    expect(seen.length).toBe(120);
    expect(seen[59]).toBeCloseTo(0.5);
    expect(seen[seen.length - 1]).toBe(1);
    expect(seen.every((f, i) => i === 0 || f >= (seen[i - 1] ?? 0))).toBe(true);
  }, 120_000);

  it('reports the backtest error, and stops at once when asked', async () => {
    const bad = startBacktestThread({ id: 'bt-bad', config, panel, from: '1990-01-01', to: '1990-02-01' }, () => undefined);
    await expect(bad.result).rejects.toThrow(/no trading days between 1990-01-01 and 1990-02-01/);
    let progressed = 0;
    const long = startBacktestThread({ id: 'bt-long', config, panel, ...window }, () => progressed++);
    while (progressed < 2) await new Promise((r) => setTimeout(r, 20));
    const t0 = performance.now();
    await long.stop();
    await expect(long.result).rejects.toBeInstanceOf(BacktestStopped);
    expect(performance.now() - t0).toBeLessThan(1_000);
    const at = progressed;
    await new Promise((r) => setTimeout(r, 300));
    expect(progressed).toBe(at);
  }, 120_000);
});
