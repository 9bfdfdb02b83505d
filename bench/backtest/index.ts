/**
 * bench/backtest: the fund cycle end to end (issue: fund cycle, Performance).
 * - fund: a 1000-day backtest (the goal's own measure: under 20 s) of 500 names, the 9 default
 *   agents, the complete overlay, paper broker fills — cycles/s, agents' warm-up on the history
 *   before the first day included;
 * - engine: one SMA(10/30) crossover agent over one series of 4,700 daily bars, and over 20 such
 *   series, through the same cycle with fills — bars/s (backtrader ≈ 10k/14k bars/s, LEAN ≈ 90k).
 *   Each run is a process of its own (engine.ts), so the fund case's JIT and heap state stay out
 *   of it. Measured at steady state, after two untimed backtests have let the JIT compile the
 *   cycle (as engines' published throughputs are); the first backtest of a fresh process is
 *   reported too, so the JIT's warm-up is shown, not hidden.
 * Each run is a whole backtest; the step split is printed to stderr.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runBacktest, type BacktestResult } from '../../src/fund/index.ts';
import type { BenchSuite } from '../harness.ts';
import { fundCase, lastDays, type BacktestCase } from './cases.ts';

const FUND_DAYS = 1000;
const SMA_DAYS = 4700;
/**
 * Untimed backtests before the timed one for the steady state: the second backtest of a process
 * is still about a third slower than the third and later ones (V8 optimises the functions a cycle
 * calls once only after a few hundred calls, and recompiles some as types settle), so two.
 */
const STEADY_WARMUPS = 2;

function report(name: string, r: BacktestResult, bars: number): void {
  const split = Object.entries(r.performance.stepMs)
    .map(([k, v]) => `${k} ${(v / r.days).toFixed(3)}`)
    .join(', ');
  process.stderr.write(
    `  ${name}: ${r.days} cycles, ${(r.performance.durationMs / 1000).toFixed(2)} s, ${r.performance.cyclesPerSecond.toFixed(1)} cycles/s, ${Math.round((bars * 1000) / r.performance.durationMs).toLocaleString('en-US')} bars/s; ms per cycle: ${split}\n`,
  );
}

async function run(state: unknown, name: string, days: number, bars: (r: BacktestResult) => number): Promise<number> {
  const c = state as BacktestCase;
  const r = await runBacktest({ id: `bench-${name}`, config: c.config, panel: c.panel, ...lastDays(c, days), autoRearmDays: 10 });
  report(name, r, bars(r));
  return r.days;
}

/**
 * One SMA engine backtest in a child process (engine.ts) after `warmups` untimed ones: the
 * backtest's own duration in ms, its step split printed to stderr.
 */
function engineRun(series: number, warmups: number): number {
  const script = fileURLToPath(new URL('./engine.ts', import.meta.url));
  const out = execFileSync(process.execPath, ['--import', 'tsx', script, String(series), String(SMA_DAYS), String(warmups)], { encoding: 'utf8' });
  const { ms, msPerCycle } = JSON.parse(out) as { ms: number; msPerCycle: Record<string, number> };
  const split = Object.entries(msPerCycle)
    .map(([k, v]) => `${k} ${v.toFixed(3)}`)
    .join(', ');
  process.stderr.write(`  sma-${series}${warmups === 0 ? ' (cold)' : ''}: ${(ms / 1000).toFixed(2)} s, ${Math.round((series * SMA_DAYS * 1000) / ms).toLocaleString('en-US')} bars/s; ms per cycle: ${split}\n`);
  return ms;
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
        name: `engine: SMA(10/30) × 1 series × ${SMA_DAYS.toLocaleString('en-US')} bars`,
        run: () => engineRun(1, STEADY_WARMUPS),
        selfTimed: true,
        opsPerRun: SMA_DAYS,
        baseline: 'backtrader ≈ 10,000 bars/s',
        warmup: 0,
        runs: 3,
      },
      {
        name: `engine: SMA(10/30) × 20 series × ${SMA_DAYS.toLocaleString('en-US')} bars`,
        run: () => engineRun(20, STEADY_WARMUPS),
        selfTimed: true,
        opsPerRun: SMA_DAYS * 20,
        baseline: 'backtrader ≈ 14,000 bars/s; LEAN ≈ 90,000; goal ≥ 150,000',
        warmup: 0,
        runs: 3,
      },
      {
        name: `engine: SMA(10/30) × 20 series, first backtest of a fresh process (JIT cold)`,
        run: () => engineRun(20, 0),
        selfTimed: true,
        opsPerRun: SMA_DAYS * 20,
        baseline: 'the steady state above once the JIT has compiled the cycle',
        warmup: 0,
        runs: 3,
      },
    ],
  },
];
