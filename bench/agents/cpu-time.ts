/**
 * `npx tsx bench/agents/cpu-time.ts`: the roster's per-cycle cost as process CPU time (user +
 * system) over 200 consecutive rows after a warm-up, next to wall time. On a shared machine the
 * wall-clock median of bench/agents/index.ts includes time the process spent descheduled; CPU
 * time does not. Prints one table.
 */
import { BUILT_IN_STRATEGIES, parseFundConfig } from '../../src/contracts/index.ts';
import { viewAt } from '../../src/market/index.ts';
import { createRoster, emptyBook } from '../../src/agents/index.ts';
import { syntheticWithVolInstruments } from '../../src/agents/test-panels.ts';

const panel = syntheticWithVolInstruments({ symbols: 498, years: 5, seed: 2024 });
const fund = parseFundConfig({
  fund: { totalCapital: 100_000_000 },
  agents: BUILT_IN_STRATEGIES.map((s) => ({ id: s.replace(/_/g, '-'), strategy: s, allocatedCapital: 9_000_000 })),
});
const agents = createRoster(fund);
const start = 1000;
for (let t = start - 20; t <= start; t++) for (const a of agents) a.propose(viewAt(panel, t), emptyBook(a.id, 9e6));

const cycles = 200;
const cpu: number[] = [];
const wall: number[] = [];
const perAgent = new Map<string, number>();
for (let t = start + 1; t <= start + cycles; t++) {
  const view = viewAt(panel, t);
  const c0 = process.cpuUsage();
  const w0 = process.hrtime.bigint();
  for (const a of agents) {
    const a0 = process.cpuUsage();
    a.propose(view, emptyBook(a.id, 9e6));
    const d = process.cpuUsage(a0);
    perAgent.set(a.id, (perAgent.get(a.id) ?? 0) + (d.user + d.system) / 1000);
  }
  wall.push(Number(process.hrtime.bigint() - w0) / 1e6);
  const d = process.cpuUsage(c0);
  cpu.push((d.user + d.system) / 1000);
}
const med = (x: number[]) => x.slice().sort((a, b) => a - b)[x.length >> 1] ?? Number.NaN;
const mean = (x: number[]) => x.reduce((s, v) => s + v, 0) / x.length;
const lines = [
  `roster of ${agents.length} agents, 500 names × 1260 days, ${cycles} consecutive cycles`,
  `CPU time per cycle: median ${med(cpu).toFixed(2)} ms, mean ${mean(cpu).toFixed(2)} ms`,
  `wall time per cycle: median ${med(wall).toFixed(2)} ms, mean ${mean(wall).toFixed(2)} ms`,
  ...[...perAgent].map(([id, ms]) => `  ${id.padEnd(24)} mean CPU ${(ms / cycles).toFixed(3)} ms`),
];
process.stdout.write(`${lines.join('\n')}\n`);
