import { createRng, hashOf, LoopSlicer } from '../core/index.ts';
import { RiskDriver, type FundConfig } from '../contracts/index.ts';
import type { Panel } from '../market/index.ts';
import { buildUniverse, riskModelFor, runStress, styleLoadings, worstWindows, type StressBook, type StressReport } from '../overlay/index.ts';
import { riskMonitor, type LimitSpec, type RiskMonitorReport, type RiskPosition } from '../pms/index.ts';
import type { AgentRow, FundRow, RiskSnapshot } from '../store/index.ts';
import { lastClose, marketAt, returnsWindow } from './market-context.ts';
import type { ApiRuntime } from './runtime.ts';

/** One result per scenario: the newest run of the latest date (rows come ordered by scenario, then id). */
export function latestPerScenario<T extends { readonly scenario: string }>(rows: readonly T[]): T[] {
  return [...new Map(rows.map((r) => [r.scenario, r])).values()];
}

/** A fund's open book marked at the market's close of `asOf`: dollars, signed. */
export interface MarkedBook {
  readonly asOf: string;
  readonly t: number;
  readonly panel: Panel;
  readonly nav: number;
  readonly positions: readonly (RiskPosition & { readonly agentId: string; readonly qty: number })[];
}

export async function markedBook(rt: ApiRuntime, fund: FundRow, asOf?: string): Promise<MarkedBook & { view: Awaited<ReturnType<typeof marketAt>>['view'] }> {
  const { panel, view, t } = await marketAt(rt, asOf);
  const rows = await rt.store.positions.list(fund.id, { openOnly: true });
  const positions = rows.map((p) => {
    const u = panel.symbols.indexOf(p.symbol);
    const price = lastClose(panel, p.symbol, t) ?? p.lastPrice ?? p.avgCost;
    const adv = u >= 0 ? panel.adv20[t * panel.U + u] : undefined;
    return { agentId: p.agentId, symbol: p.symbol, qty: p.qty, exposure: p.qty * price, price, sector: u >= 0 ? (panel.sectors[u] ?? null) : null, adv: adv !== undefined && Number.isFinite(adv) ? adv : null };
  });
  const latest = await rt.store.nav.latest(fund.id);
  const nav = latest && latest.nav > 0 ? latest.nav : fund.initialCapital;
  return { asOf: view.asOf, t, panel, nav, positions, view };
}

/** Limits the risk monitor reports utilisation against, from the fund config (fractions of NAV). */
export function limitsOf(config: FundConfig): LimitSpec[] {
  const r = config.risk;
  // the VaR and CVaR limits are at risk.varConfidence: the monitor's figure at the same confidence (95% or 99%)
  const at99 = r.varConfidence >= 0.99;
  return [
    { name: `VaR ${at99 ? 99 : 95}% (1d)`, metric: at99 ? 'var99' : 'var95', limit: r.varLimitPct, warnAt: r.budgetWarningPct },
    { name: `CVaR ${at99 ? 99 : 95}% (1d)`, metric: at99 ? 'cvar99' : 'cvar95', limit: r.cvarLimitPct, warnAt: r.budgetWarningPct },
    { name: 'Gross exposure', metric: 'gross', limit: r.maxGrossExposure, warnAt: r.budgetWarningPct },
    { name: 'Net exposure', metric: 'net', limit: r.maxNetExposure, warnAt: r.budgetWarningPct },
    { name: 'Largest name', metric: 'largestName', limit: r.maxSingleNamePct, warnAt: r.budgetWarningPct },
    { name: 'Days to liquidate', metric: 'daysToLiquidate', limit: r.maxDaysToLiquidate, warnAt: r.budgetWarningPct },
    { name: 'Worst stress loss', metric: 'worstStressLoss', limit: r.stressLossLimitPct, warnAt: r.budgetWarningPct },
  ];
}

/** What the risk monitor's VaR is computed from: the marked book, the fund's config, and the daily returns of `symbols` over the window. */
export interface RiskInputs {
  readonly book: Awaited<ReturnType<typeof markedBook>>;
  readonly config: FundConfig;
  readonly symbols: readonly string[];
  readonly returns: Float64Array;
}

/**
 * The risk monitor's inputs for a fund's book as of `asOf`: the held names and `extra` ones (a
 * ticket's), sorted, with their returns over min(lookback, 252) days. Every VaR the API reports
 * (the monitor, the drill-down, a ticket's impact) starts here, so they agree.
 */
export async function riskInputs(rt: ApiRuntime, fund: FundRow, asOf?: string, extra: readonly string[] = []): Promise<RiskInputs> {
  const book = await markedBook(rt, fund, asOf);
  const config = await rt.configFor(fund);
  const symbols = [...new Set([...book.positions.map((p) => p.symbol), ...extra])].sort();
  const window = Math.min(config.risk.riskModel.lookbackDays, 252);
  return { book, config, symbols, returns: returnsWindow(book.panel, symbols, book.t, window) };
}

/**
 * The risk monitor report of a fund's current book (VaR three ways, CVaR, limits, concentration,
 * liquidity, stored stress), built in slices (`slicer` between the risk model, the stress run and
 * the monitor): at once it held the API for the first Morning Pack's whole risk section.
 */
export async function fundRiskReport(rt: ApiRuntime, fund: FundRow, asOf?: string, slicer = new LoopSlicer()): Promise<{ asOf: string; nav: number; report: RiskMonitorReport }> {
  const { book: b, config, symbols, returns } = await riskInputs(rt, fund, asOf);
  await slicer.pause();
  // Stress of the book marked here (not the last stored run): the same run as POST /stress, on the same book and market.
  const stressed = await fundStress(rt, fund, await rt.store.funds.agents(fund.id), undefined, b, slicer);
  await slicer.pause();
  const report = riskMonitor({
    asOf: b.asOf,
    nav: b.nav,
    positions: b.positions,
    returns: { panel: returns, symbols },
    monteCarlo: { rng: createRng(Number.parseInt(hashOf({ fund: fund.id, asOf: b.asOf }).slice(0, 8), 16)), paths: rt.opts.monteCarloPaths ?? 5_000 },
    stress: stressed.report.results.map((s) => ({ scenario: s.scenario, pnl: Math.round(s.fundPnl * 100) / 100 })),
    limits: limitsOf(config),
  });
  return { asOf: b.asOf, nav: b.nav, report };
}

/**
 * Runs the overlay's stress scenarios (seed, historical, worst-window replays) on the fund's
 * current books with the overlay's own inputs: its risk model for the held names, their style
 * (momentum/value) loadings, and replays of the worst 5- and 20-day windows. For the same book
 * and capital the results equal the stress of the overlay's review. `slicer` is asked for a turn
 * of the event loop between the risk model, the style loadings and the run.
 */
export async function fundStress(
  rt: ApiRuntime,
  fund: FundRow,
  agents: readonly AgentRow[],
  scenarios?: readonly string[],
  marked?: Awaited<ReturnType<typeof markedBook>>,
  slicer = new LoopSlicer(),
): Promise<{ asOf: string; nav: number; report: StressReport }> {
  const b = marked ?? (await markedBook(rt, fund));
  const config = await rt.configFor(fund);
  const symbols = [...new Set(b.positions.map((p) => p.symbol))].sort();
  await slicer.pause();
  const model = riskModelFor(b.view, symbols, config);
  await slicer.pause();
  const driversOf = new Map(agents.map((a) => [a.id, a.riskDrivers.filter((d): d is RiskDriver => RiskDriver.safeParse(d).success)]));
  const byAgent = new Map<string, Map<number, number>>();
  for (const p of b.positions) {
    const i = model.index.get(p.symbol);
    if (i === undefined) continue;
    const m = byAgent.get(p.agentId) ?? new Map<number, number>();
    m.set(i, (m.get(i) ?? 0) + p.exposure);
    byAgent.set(p.agentId, m);
  }
  const books: StressBook[] = [...byAgent.entries()].sort(([a], [c]) => (a < c ? -1 : 1)).map(([agentId, m]) => ({
    agentId,
    book: { idx: Int32Array.from(m.keys()), val: Float64Array.from(m.values()) },
    drivers: driversOf.get(agentId) ?? [],
  }));
  const style = styleLoadings(b.view, buildUniverse(b.view, symbols));
  await slicer.pause();
  const report = runStress(books, model, style, b.nav, worstWindows(model, config.risk.stressReplayWindows));
  const wanted = scenarios && scenarios.length > 0 ? new Set(scenarios) : null;
  const results = wanted ? report.results.filter((r) => wanted.has(r.scenario)) : report.results;
  let worst: (typeof results)[number] | null = null;
  for (const r of results) if (!worst || r.fundPnl < worst.fundPnl) worst = r;
  return { asOf: b.asOf, nav: b.nav, report: { ...report, results, worst } };
}

interface StoredBudget { component: number; standalone: number; budget: number; used: number; status: string }
interface StoredBucket { component: number; cap: number; used: number; status: string }
const entries = <T>(x: unknown): [string, T][] => (x && typeof x === 'object' ? Object.entries(x as Record<string, T>) : []);

/**
 * The overlay's budget use as its last cycle stored it (`FundRiskSnapshot.budgets` / `.buckets`):
 * component VaR in dollars against the budget in dollars, the very numbers its risk-budget check
 * compares. Agents by use, highest first.
 */
export function riskBudgets(s: RiskSnapshot | null) {
  if (!s) return { asOf: null, cycleId: null, fundVar: null, agents: [], buckets: [] };
  return {
    asOf: s.asOf,
    cycleId: s.cycleId,
    fundVar: s.var95,
    agents: entries<StoredBudget>(s.metrics['budgets'])
      .map(([agentId, b]) => ({ agentId, componentVar: b.component, standaloneVar: b.standalone, budget: b.budget, used: b.used, status: b.status }))
      .sort((a, b) => b.used - a.used || (a.agentId < b.agentId ? -1 : 1)),
    buckets: entries<StoredBucket>(s.metrics['buckets']).map(([bucket, b]) => ({ bucket, componentVar: b.component, cap: b.cap, used: b.used, status: b.status })),
  };
}
