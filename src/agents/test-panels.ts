/**
 * Purpose-made panels for the agents' tests and benchmarks: each shows one behaviour (winners
 * and losers, a falling market, mean-reverting residuals, a volatility spike). Not part of the
 * public face.
 */
import { addDays, createRng, ensureDefined, isWeekday, type IsoDate } from '../core/index.ts';
import {
  Fundamentals as FundamentalsSchema,
  parseFundConfig,
  type AgentConfig,
  type AgentRiskOverrides,
  type Fundamentals,
  type FundConfig,
  type MacroObservation,
  type StrategyType,
} from '../contracts/index.ts';
import { createPanel, generateSyntheticMarket, syntheticPanel, withTradableProxies, type Panel, type SyntheticOptions } from '../market/index.ts';
import type { Agent } from './agent.ts';
import { createAgent } from './registry.ts';

export function weekdays(n: number, start: IsoDate = '2020-01-01'): IsoDate[] {
  const out: IsoDate[] = [];
  let d = start;
  while (out.length < n) {
    if (isWeekday(d)) out.push(d);
    d = addDays(d, 1);
  }
  return out;
}

export interface PanelSpec {
  readonly T: number;
  readonly symbols: readonly string[];
  readonly sectors?: readonly string[];
  /** Daily simple return of column u on row t (t ≥ 1). */
  readonly ret: (t: number, u: number) => number;
  /** Daily high-low range as a fraction of close (default 2%). */
  readonly range?: number;
  readonly reference?: ReadonlyMap<string, Float64Array>;
  readonly sentiment?: Float64Array;
  readonly fundamentals?: ReadonlyMap<string, readonly Fundamentals[]>;
  readonly macro?: ReadonlyMap<string, readonly MacroObservation[]>;
}

/** Builds a panel by compounding `ret` from a close of 100. */
export function panelFromReturns(s: PanelSpec): Panel {
  const U = s.symbols.length;
  const T = s.T;
  const close = new Float64Array(T * U);
  const open = new Float64Array(T * U);
  const high = new Float64Array(T * U);
  const low = new Float64Array(T * U);
  const volume = new Float64Array(T * U).fill(1_000_000);
  const range = s.range ?? 0.02;
  for (let u = 0; u < U; u++) {
    let c = 100;
    for (let t = 0; t < T; t++) {
      const prev = c;
      if (t > 0) c = prev * (1 + s.ret(t, u));
      const i = t * U + u;
      close[i] = c;
      open[i] = prev;
      high[i] = Math.max(prev, c) * (1 + range / 2);
      low[i] = Math.min(prev, c) * (1 - range / 2);
    }
  }
  return createPanel({
    dates: weekdays(T),
    symbols: s.symbols,
    ...(s.sectors ? { sectors: s.sectors } : {}),
    open,
    high,
    low,
    close,
    volume,
    ...(s.reference ? { reference: s.reference } : {}),
    ...(s.sentiment ? { sentiment: s.sentiment } : {}),
    ...(s.fundamentals ? { fundamentals: s.fundamentals } : {}),
    ...(s.macro ? { macro: s.macro } : {}),
  });
}

/** Gaussian noise source for panels: `noise(t, u)` is the same for the same (seed, t, u). */
export function noiseTable(seed: number, T: number, U: number, sd: number): (t: number, u: number) => number {
  const rng = createRng(seed);
  const z = new Float64Array(T * U);
  for (let i = 0; i < z.length; i++) z[i] = rng.normal() * sd;
  return (t, u) => z[t * U + u] ?? 0;
}

export function names(prefix: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(3, '0')}`);
}

/** A fund config with one agent of `strategy` ($10M), for tests and benchmarks. */
export function oneAgentFund(
  strategy: StrategyType,
  params: Record<string, unknown> = {},
  risk: AgentRiskOverrides = {},
  id = strategy.replace(/_/g, '-'),
): { fund: FundConfig; config: AgentConfig } {
  const fund = parseFundConfig({
    fund: { totalCapital: 100_000_000 },
    agents: [{ id, strategy, allocatedCapital: 10_000_000, params, risk }],
  });
  return { fund, config: ensureDefined(fund.agents[0], 'agent config') };
}

export function makeAgent(strategy: StrategyType, params: Record<string, unknown> = {}, risk: AgentRiskOverrides = {}): Agent {
  const { fund, config } = oneAgentFund(strategy, params, risk);
  return createAgent(config, fund);
}

/** The synthetic market of src/market with its tradable SPY and VXX proxies (the volatility agent's instruments). */
export function syntheticWithVolInstruments(options: SyntheticOptions): Panel {
  return syntheticPanel(withTradableProxies(generateSyntheticMarket(options)));
}

/** Fundamentals records from plain fields (defaults for the rest), released at 21:00 UTC of `released`. */
export function fundamentalsOf(
  rows: readonly { symbol: string; periodEnd: IsoDate; released: IsoDate; fields: Partial<Omit<Fundamentals, 'version' | 'symbol' | 'periodEnd' | 'releaseTime'>> }[],
): Map<string, Fundamentals[]> {
  const out = new Map<string, Fundamentals[]>();
  for (const r of rows) {
    const f = FundamentalsSchema.parse({ version: 1, symbol: r.symbol, periodEnd: r.periodEnd, releaseTime: `${r.released}T21:00:00.000Z`, ...r.fields });
    const list = out.get(r.symbol) ?? [];
    list.push(f);
    out.set(r.symbol, list);
  }
  for (const list of out.values()) list.sort((a, b) => (a.releaseTime < b.releaseTime ? -1 : 1));
  return out;
}
