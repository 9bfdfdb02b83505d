/**
 * Agents benchmark: every agent of the default roster plus sma_crossover proposing on 500 names
 * (498 synthetic stocks + SPY + VXX) with 1260 days of history. Method (bench/harness.ts): the
 * state is warmed by proposing on consecutive rows first; each timed run advances the view by
 * one row and proposes, so the per-agent incremental state takes one step — a backtest's
 * steady state. Goal: the whole roster under 10 ms per cycle. A cold case measures one replay
 * from row 0 (what a jump in time costs).
 */
import type { BenchCase, BenchSuite } from '../harness.ts';
import { BUILT_IN_STRATEGIES, parseFundConfig, type StrategyType } from '../../src/contracts/index.ts';
import { viewAt, type Panel } from '../../src/market/index.ts';
import { createRoster, emptyBook, type Agent } from '../../src/agents/index.ts';
import { syntheticWithVolInstruments } from '../../src/agents/test-panels.ts';

const START_ROW = 1000;
let panelCache: Panel | null = null;
function panel(): Panel {
  panelCache ??= syntheticWithVolInstruments({ symbols: 498, years: 5, seed: 2024 });
  return panelCache;
}

function agentsFor(strategies: readonly StrategyType[]): Agent[] {
  const fund = parseFundConfig({
    fund: { totalCapital: 100_000_000 },
    agents: strategies.map((s) => ({ id: s.replace(/_/g, '-'), strategy: s, allocatedCapital: 9_000_000 })),
  });
  return createRoster(fund);
}

interface Live {
  agents: Agent[];
  t: number;
}

function steadyCase(name: string, strategies: readonly StrategyType[]): BenchCase {
  return {
    name,
    warmup: 5,
    runs: 40,
    opsPerRun: 1,
    setup: () => {
      const p = panel();
      const live: Live = { agents: agentsFor(strategies), t: START_ROW };
      for (const a of live.agents) a.propose(viewAt(p, live.t), emptyBook(a.id, 9e6)); // replay to START_ROW
      return live;
    },
    run: (s) => {
      const live = s as Live;
      live.t += 1;
      const view = viewAt(panel(), live.t);
      let n = 0;
      for (const a of live.agents) n += a.propose(view, emptyBook(a.id, 9e6)).targets.length;
      return n;
    },
  };
}

const ALL = BUILT_IN_STRATEGIES;

export const suites: BenchSuite[] = [
  {
    name: 'agents (500 names, 1260 days)',
    cases: [
      steadyCase(`roster of ${ALL.length} agents, one cycle (warm)`, ALL),
      ...ALL.map((s) => steadyCase(`${s}, one cycle (warm)`, [s])),
    ],
  },
  {
    name: 'agents cold start',
    cases: [
      {
        name: 'momentum: replay rows 0..1000 from scratch',
        warmup: 1,
        runs: 5,
        run: () => agentsFor(['momentum'])[0]?.propose(viewAt(panel(), START_ROW), emptyBook('momentum', 9e6)).targets.length,
      },
      {
        name: 'committee: replay rows 0..1000 from scratch',
        warmup: 1,
        runs: 3,
        run: () => agentsFor(['committee'])[0]?.propose(viewAt(panel(), START_ROW), emptyBook('committee', 9e6)).targets.length,
      },
    ],
  },
];
