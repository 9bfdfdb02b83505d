/**
 * bench/backtest: the fund cycle end to end (issue: fund cycle, Performance).
 * - fund: a 1000-day backtest (the goal's own measure: under 20 s) of 500 names, the 9 default
 *   agents, the complete overlay, paper broker fills — cycles/s, agents' warm-up on the history
 *   before the first day included;
 * - engine: one SMA(10/30) crossover agent over one series of 5,000 daily bars, and over 20 such
 *   series, through the same cycle with fills — bars/s (backtrader ≈ 10k/14k bars/s, LEAN ≈ 90k).
 * Each run is a whole backtest; the step split is printed to stderr.
 */
import { defaultFundConfigInput, parseFundConfig, type FundConfig } from '../../src/contracts/index.ts';
import { runBacktest, type BacktestResult } from '../../src/fund/index.ts';
import { syntheticPanel, type Panel } from '../../src/market/index.ts';
import type { BenchSuite } from '../harness.ts';

const FUND_DAYS = 1000;

function fundCase(): { panel: Panel; config: FundConfig } {
  const panel = syntheticPanel({ symbols: 500, years: 5, seed: 42 });
  return { panel, config: parseFundConfig(defaultFundConfigInput()) };
}

function smaCase(series: number): { panel: Panel; config: FundConfig } {
  const panel = syntheticPanel({ symbols: series, years: 5000 / 252, seed: 7 });
  const config = parseFundConfig({
    fund: { id: 'sma', name: 'SMA crossover', totalCapital: 10_000_000 },
    data: { minHistoryRows: 1, degradedMinRows: 0 },
    agents: [{ id: 'sma', strategy: 'sma_crossover', allocatedCapital: 10_000_000, risk: { maxPositionPct: 1, maxSectorPct: 1, riskBudgetPct: 0.25 } }],
  });
  return { panel, config };
}

function report(name: string, r: BacktestResult, bars: number): void {
  const split = Object.entries(r.performance.stepMs)
    .map(([k, v]) => `${k} ${(v / r.days).toFixed(3)}`)
    .join(', ');
  process.stderr.write(
    `  ${name}: ${r.days} cycles, ${(r.performance.durationMs / 1000).toFixed(2)} s, ${r.performance.cyclesPerSecond.toFixed(1)} cycles/s, ${Math.round((bars * 1000) / r.performance.durationMs).toLocaleString('en-US')} bars/s; ms per cycle: ${split}\n`,
  );
}

async function run(state: unknown, name: string, days: number, bars: (r: BacktestResult) => number): Promise<number> {
  const { panel, config } = state as { panel: Panel; config: FundConfig };
  const from = panel.dates[panel.T - days] ?? '';
  const r = await runBacktest({ id: `bench-${name}`, config, panel, from, to: panel.dates[panel.T - 1] ?? '', autoRearmDays: 10 });
  report(name, r, bars(r));
  return r.days;
}

export const suites: BenchSuite[] = [
  {
    name: 'backtest',
    cases: [
      {
        name: `fund: 500 names × 9 agents, full overlay, ${FUND_DAYS} cycles`,
        setup: fundCase,
        run: (s) => run(s, 'fund', FUND_DAYS, (r) => r.days * 500),
        opsPerRun: FUND_DAYS,
        baseline: 'goal ≥ 50 cycles/s (1000 days < 20 s)',
        warmup: 0,
        runs: 2,
      },
      {
        name: 'engine: SMA(10/30) × 1 series × ~4,700 bars',
        setup: () => smaCase(1),
        run: (s) => run(s, 'sma-1', 4700, (r) => r.days),
        opsPerRun: 4700,
        baseline: 'backtrader ≈ 10,000 bars/s',
        warmup: 0,
        runs: 3,
      },
      {
        name: 'engine: SMA(10/30) × 20 series × ~4,700 bars',
        setup: () => smaCase(20),
        run: (s) => run(s, 'sma-20', 4700, (r) => r.days * 20),
        opsPerRun: 4700 * 20,
        baseline: 'backtrader ≈ 14,000 bars/s; LEAN ≈ 90,000; goal ≥ 150,000',
        warmup: 0,
        runs: 3,
      },
    ],
  },
];
