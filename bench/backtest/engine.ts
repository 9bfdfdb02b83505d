/**
 * The SMA engine case in a process of its own: `warmups` untimed backtests, then one timed, over
 * the last `days` rows of `series` synthetic series. Prints `{"ms": <duration of the timed
 * backtest>}`: the backtest only, not node's start-up, module loading or the synthetic panel.
 * With 0 warm-ups it is the first backtest of a fresh process, before the JIT has compiled the
 * cycle (what a user's first `keel backtest` of a session pays); with 2 it is the steady state.
 * A process of its own keeps the fund case's JIT and heap state out of the engine's figures.
 * Usage: node --import tsx bench/backtest/engine.ts <series> <days> <warmups>
 */
import { runBacktest } from '../../src/fund/index.ts';
import { lastDays, smaCase } from './cases.ts';

const [series, days, warmups] = process.argv.slice(2, 5).map(Number) as [number, number, number];
const c = smaCase(series);
const run = () => runBacktest({ id: 'bench-engine', config: c.config, panel: c.panel, ...lastDays(c, days), autoRearmDays: 10 });
for (let i = 0; i < warmups; i++) await run();
const r = await run();
const split = Object.fromEntries(Object.entries(r.performance.stepMs).map(([k, v]) => [k, v / r.days]));
process.stdout.write(`${JSON.stringify({ ms: r.performance.durationMs, days: r.days, msPerCycle: split })}\n`);
