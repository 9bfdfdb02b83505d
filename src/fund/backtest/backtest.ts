import { reasonCodeInfo, type FundConfig, type OverlayAction } from '../../contracts/index.ts';
import { ValidationError, dateToMs, type IsoDate, type Logger } from '../../core/index.ts';
import type { PaperFill } from '../../execution/index.ts';
import { viewAt, type Panel } from '../../market/index.ts';
import { capitalMoves, rearmAgent, rearmFund, weekdaysSince, type OverlayCheck } from '../../overlay/index.ts';
import { FUND_BOOK, initialFundState, openLedgerBooks } from '../cycle/books.ts';
import { runCycle, type CycleResult, type CycleStep } from '../cycle/run-cycle.ts';
import type { FundRunState } from '../cycle/runtime.ts';
import { stopAgents } from '../cycle/stops.ts';
import { backtestServices } from '../kernel/wiring.ts';
import type { RemoteLinks } from '../roster/transports.ts';
import { Ledger } from '../ledger/ledger.ts';
import { BindingTally, type BindingSummary } from './binding-tally.ts';
import { HedgeTally, type HedgeSummary } from './hedge-tally.ts';
import { tearSheet, type TearSheet } from './tear-sheet.ts';
import { oneWayAnnual, TradingTally } from './trading-tally.ts';

export interface BacktestOptions {
  readonly id: string;
  readonly config: FundConfig;
  readonly panel: Panel;
  readonly from: IsoDate;
  readonly to: IsoDate;
  /** Run only these agents (ids); default all enabled. */
  readonly agents?: readonly string[];
  /** A HALTED fund, and an agent its drawdown ladder paused, are re-armed by policy after this many weekdays (recorded); null: never. Default 10 (seed: 10-day cooldown). */
  readonly autoRearmDays?: number | null;
  /** Keep the full results of the last N cycles (decisions, orders) for storage. Default 5. */
  readonly keepLastCycles?: number;
  readonly onProgress?: (done: number, total: number) => void;
  /** Called with each cycle's result (replay tests, recording). */
  readonly onCycle?: (r: CycleResult, state: FundRunState) => void;
  readonly logger?: Logger;
  /** Keep every cycle's decision inputs (replay tests). */
  readonly captureInputs?: boolean;
  /** The overlay's checks; default every check. A comparison run switches some off (compare.ts). */
  readonly checks?: readonly OverlayCheck[];
  /** How remote agents are reached (NATS: the kernel's connection). */
  readonly remote?: RemoteLinks;
}

export interface EquityPoint {
  date: IsoDate;
  nav: number;
}

/** Trading of a book over a backtest: one-way turnover (annualised) and what trading cost, dollars. */
export interface BookTradingResult {
  /** Σ |Δ shares| × mark over the days (buys plus sells), dollars. */
  tradedNotional: number;
  /** Mean gross exposure per day, dollars. */
  meanGross: number;
  /** One-way turnover per unit of gross, annualised: traded / 2 / Σ daily gross × 252 (a book replaced once a year: 1×). */
  oneWayPerGross: number;
  /** Commissions paid, dollars (the ledger's fees). */
  commissions: number;
  /** Modelled slippage and impact paid against the bar's open, dollars. */
  slippage: number;
}

/** Stop exits over a backtest: counts of positions closed at their ATR stop and at their take-profit. */
export interface StopExitSummary {
  atrStop: number;
  takeProfit: number;
  byAgent: Record<string, { atrStop: number; takeProfit: number }>;
}

export interface AgentBacktestResult {
  id: string;
  strategy: string;
  allocatedCapital: number;
  /** Daily NAV after costs (the ledger's), dollars. */
  equity: number[];
  /** Daily NAV gross of costs: NAV + commissions + slippage paid so far, dollars. */
  equityGross: number[];
  /** Daily capital allocated to the agent after the day's review (the risk-based allocation), dollars. */
  capital: number[];
  /** Daily capital moved into the agent's book (negative: back to the fund's), dollars; part of `equity`. */
  flows: number[];
  /** From the daily returns on the book net of capital moves (`flowAdjustedReturns`). */
  tearSheet: TearSheet;
  trading: BookTradingResult;
  /** Mean and max use of the VaR budget (component VaR / budget). */
  varBudgetUsedMean: number;
  varBudgetUsedMax: number;
  overlayActions: Record<OverlayAction, number>;
}

export interface BacktestResult {
  id: string;
  from: IsoDate;
  to: IsoDate;
  days: number;
  dates: IsoDate[];
  configHash: string;
  /** `equity` after costs, `equityGross` gross of costs (NAV + commissions + slippage paid so far), dollars per day. */
  fund: { equity: number[]; equityGross: number[]; drawdown: number[]; tearSheet: TearSheet; benchmark: TearSheet | null };
  agents: AgentBacktestResult[];
  /** What each rule removed from the proposals (gross and fund VaR), per day on average: docs/overlay.md "Binding constraints". */
  binding: BindingSummary;
  /** Overlay reasons that act, per rule (counts of reasons, not effects: see `binding`; info reasons such as CROWDED_NAME are not counted). */
  overlayActionsByRule: Record<string, number>;
  overlayActions: Record<OverlayAction, number>;
  killSwitchEvents: { date: IsoDate; state: string; triggers: string[]; cause: string }[];
  /**
   * Agents that could not trade the market (their readiness check failed) on some day: the first
   * such day and its reason, and how many days. `from` equal to the backtest's first day: flagged at start.
   */
  unready: { agentId: string; reason: string; from: IsoDate; days: number }[];
  /** The backtest policy's re-arms: of the fund (no agentId) after a kill switch, of an agent its drawdown ladder paused. */
  rearms: { date: IsoDate; who: string; why: string; agentId?: string }[];
  /**
   * `tradedNotional` and `annualisedTurnover`: the orders sent (buys plus sells) per mean NAV a year;
   * `oneWay` and `oneWayPerGross`: the fund's net position changes (crosses between agents net out),
   * one way, per mean NAV and per mean gross a year; `meanGross` dollars.
   */
  turnover: { tradedNotional: number; annualisedTurnover: number; oneWay: number; oneWayPerGross: number; meanGross: number };
  /** Commissions and modelled slippage / impact (fill price against the bar's open), dollars. */
  costs: { commissions: number; slippage: number; orders: number; fills: number };
  /** The fund hedge book (`hedging.enabled`): its trades, size and P&L; null when the fund never hedged. */
  hedge: HedgeSummary | null;
  /** Positions closed by their ATR stop or take-profit (`risk.atrStops`), per agent; null when no agent asked for stops. */
  stopExits: StopExitSummary | null;
  ledgerReconciled: boolean;
  performance: { durationMs: number; cyclesPerSecond: number; stepMs: Record<CycleStep, number> };
  lastCycles: CycleResult[];
}

const emptyActions = (): Record<OverlayAction, number> => ({ APPROVE: 0, SCALE: 0, MODIFY: 0, BLOCK: 0 });

function drawdowns(equity: readonly number[]): number[] {
  let peak = -Infinity;
  return equity.map((v) => {
    peak = Math.max(peak, v);
    return peak > 0 ? v / peak - 1 : 0;
  });
}

/**
 * Daily returns of a book whose NAV includes capital moved in or out (`flows[t]`, booked in day t's
 * NAV after its P&L): (NAV_t − flow_t − NAV_{t−1}) / NAV_{t−1}; 0 on a day that starts with next to
 * no capital (`minCapital`), when there is no return to speak of.
 */
export function flowAdjustedReturns(equity: readonly number[], flows: readonly number[], minCapital: number): number[] {
  const out: number[] = [];
  for (let i = 1; i < equity.length; i++) {
    const a = equity[i - 1] ?? 0;
    out.push(a > minCapital ? ((equity[i] ?? 0) - (flows[i] ?? 0) - a) / a : 0);
  }
  return out;
}

function returnsOf(equity: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < equity.length; i++) {
    const a = equity[i - 1] ?? 0;
    out.push(a > 0 ? (equity[i] ?? 0) / a - 1 : 0);
  }
  return out;
}

/** What a backtest keeps of each cycle: equity curves, budget use, overlay actions, kill-switch events, costs, step times. */
class BacktestTally {
  readonly dates: IsoDate[] = [];
  readonly fundEquity: number[] = [];
  readonly agentEquity: Map<string, number[]>;
  readonly budgetUse: Map<string, number[]>;
  readonly actionsByAgent: Map<string, Record<OverlayAction, number>>;
  readonly overlayActions = emptyActions();
  readonly byRule: Record<string, number> = {};
  readonly killSwitchEvents: BacktestResult['killSwitchEvents'] = [];
  readonly unready = new Map<string, BacktestResult['unready'][number]>();
  readonly trading = new TradingTally();
  readonly binding = new BindingTally();
  readonly hedge = new HedgeTally();
  readonly stopExits: StopExitSummary;
  readonly fundEquityGross: number[] = [];
  readonly agentEquityGross: Map<string, number[]>;
  readonly agentCapital: Map<string, number[]>;
  readonly agentFlows: Map<string, number[]>;
  readonly stepMs: Record<CycleStep, number> = { fills: 0, state: 0, propose: 0, review: 0, orders: 0, records: 0 };
  traded = 0;
  commissions = 0;
  orders = 0;
  fills = 0;

  constructor(config: FundConfig) {
    this.agentEquity = new Map(config.agents.map((a) => [a.id, []]));
    this.agentEquityGross = new Map(config.agents.map((a) => [a.id, []]));
    this.agentCapital = new Map(config.agents.map((a) => [a.id, []]));
    this.agentFlows = new Map(config.agents.map((a) => [a.id, []]));
    this.budgetUse = new Map(config.agents.map((a) => [a.id, []]));
    this.actionsByAgent = new Map(config.agents.map((a) => [a.id, emptyActions()]));
    this.stopExits = { atrStop: 0, takeProfit: 0, byAgent: Object.fromEntries([...stopAgents(config)].map((id) => [id, { atrStop: 0, takeProfit: 0 }])) };
  }

  /** One cycle: its result, the ledger after it and every paper fill so far. */
  add(r: CycleResult, config: FundConfig, ledger: Ledger, paper: readonly PaperFill[]): void {
    this.dates.push(r.asOf);
    this.fundEquity.push(r.nav.fund);
    for (const a of config.agents) this.agentEquity.get(a.id)?.push(r.nav.agents[a.id] ?? 0);
    const moved = new Map(capitalMoves(r.review.allocation).map((m) => [m.agentId, m.dollars]));
    const capital = new Map(r.review.nextState.agents.map((a) => [a.agentId, a.allocatedCapital]));
    for (const a of config.agents) {
      this.agentFlows.get(a.id)?.push(moved.get(a.id) ?? 0);
      this.agentCapital.get(a.id)?.push(capital.get(a.id) ?? a.allocatedCapital);
    }
    this.trading.addDay(ledger, r.fills, paper);
    let fees = 0;
    for (const id of ledger.agentIds()) fees += ledger.book(id).feesCents;
    this.fundEquityGross.push(r.nav.fund + fees / 100 + this.trading.fundTotals().slippage);
    for (const a of config.agents) {
      const gross = (r.nav.agents[a.id] ?? 0) + (ledger.has(a.id) ? ledger.book(a.id).feesCents / 100 : 0) + this.trading.slippageOf(a.id);
      this.agentEquityGross.get(a.id)?.push(gross);
    }
    this.binding.add(r.asOf, r.review.bindingConstraints, r.decisions.length);
    this.hedge.add(r.fills, ledger);
    for (const e of r.stopExits) {
      const per = (this.stopExits.byAgent[e.agentId] ??= { atrStop: 0, takeProfit: 0 });
      if (e.kind === 'ATR_STOP') {
        this.stopExits.atrStop++;
        per.atrStop++;
      } else {
        this.stopExits.takeProfit++;
        per.takeProfit++;
      }
    }
    for (const [id, b] of Object.entries(r.review.snapshot.budgets)) this.budgetUse.get(id)?.push(b.used);
    for (const d of r.decisions) {
      this.overlayActions[d.action]++;
      const per = this.actionsByAgent.get(d.agentId);
      if (per) per[d.action]++;
      // information (CROWDED_NAME, a warning share, a risk-reducing pass) is not an action
      for (const reason of d.reasons) if (reasonCodeInfo(reason.code)?.kind !== 'info') this.byRule[reason.rule] = (this.byRule[reason.rule] ?? 0) + 1;
    }
    const review = r.review;
    if (review.triggers.length > 0 || review.transition.changed) {
      this.killSwitchEvents.push({ date: r.asOf, state: review.tradingState, triggers: review.triggers.map((t) => t.name), cause: review.transition.cause });
    }
    for (const u of r.unready) {
      const seen = this.unready.get(u.agentId);
      if (seen) seen.days++;
      else this.unready.set(u.agentId, { agentId: u.agentId, reason: u.reason, from: r.asOf, days: 1 });
    }
    for (const [key, v] of Object.entries(r.stepMs)) this.stepMs[key as CycleStep] += v;
    this.traded += r.tradedNotional;
    this.commissions += r.commissions;
    this.orders += r.orders.length;
    this.fills += r.fills.length;
  }
}

/** Restricts a config to some agents (for `--agents`), keeping everything else. */
export function selectAgents(config: FundConfig, ids: readonly string[] | undefined): FundConfig {
  if (!ids || ids.length === 0) return config;
  const known = new Set(config.agents.map((a) => a.id));
  for (const id of ids) {
    if (!known.has(id)) throw new ValidationError('agents', `unknown agent '${id}'; the fund has ${[...known].join(', ')}`);
  }
  return { ...config, agents: config.agents.filter((a) => ids.includes(a.id)) };
}

/**
 * A market in which data governance left no symbol tradable (none ACTIVE) is refused: the backtest
 * would run, store and print a fund that never traded (a `keel demo --years 3` under the default
 * 1,000-row history gate did), which reads as a result.
 */
function assertSomethingTradable(panel: Panel, config: FundConfig): void {
  if (panel.U === 0 || panel.tradable.some((x) => x === 1)) return;
  const d = config.data;
  throw new ValidationError(
    'data.minHistoryRows',
    `no symbol of the market is tradable: none of its ${panel.U} passed the data-quality gate (data.minHistoryRows ${d.minHistoryRows}, data.minQuality ${d.minQuality}; the market has ${panel.T} days). ` +
      'Store a longer history, or lower data.minHistoryRows and data.degradedMinRows in the fund config and re-assess with keel market quality',
  );
}

/**
 * Runs the fund cycle once per trading day from `from` to `to` over the panel, with the paper
 * broker (orders fill at the next bar's open) and a simulated clock: the live code, no special path.
 */
export async function runBacktest(o: BacktestOptions): Promise<BacktestResult> {
  const config = selectAgents(o.config, o.agents);
  const rows: number[] = [];
  o.panel.dates.forEach((d, t) => {
    if (d >= o.from && d <= o.to) rows.push(t);
  });
  if (rows.length === 0) {
    const first = o.panel.dates[0];
    const last = o.panel.dates[o.panel.T - 1];
    throw new ValidationError('from', first === undefined || last === undefined ? `no market data between ${o.from} and ${o.to}: pick dates the store has bars for, or import them (keel market import)` : `no trading days between ${o.from} and ${o.to} (data covers ${first} … ${last})`);
  }
  assertSomethingTradable(o.panel, config);
  const ledger = new Ledger();
  openLedgerBooks(ledger, config);
  const first = o.panel.dates[rows[0] ?? 0] ?? o.from;
  const state: FundRunState = {
    ledger,
    fund: initialFundState(config, first),
    anchor: { month: '', fund: config.fund.totalCapital, agents: new Map() },
    lastAsOf: null,
  };
  const { services, broker, clock, journal, setPrices } = await backtestServices(o, config, state);
  const started = performance.now();
  const tally = new BacktestTally(config);
  const rearms: BacktestResult['rearms'] = [];
  const keep = o.keepLastCycles ?? 5;
  const lastCycles: CycleResult[] = [];
  let reconciled = true;
  const autoRearm = o.autoRearmDays === undefined ? 10 : o.autoRearmDays;
  for (let k = 0; k < rows.length; k++) {
    const view = viewAt(o.panel, rows[k] ?? 0);
    // The session: bars arrive at the open (orders from yesterday trade), the cycle runs after the close.
    clock.set(dateToMs(view.asOf) + 14.5 * 3600_000);
    broker.onBar(view);
    clock.set(dateToMs(view.asOf) + 21 * 3600_000);
    setPrices((s) => {
      const u = view.column(s);
      return u >= 0 ? view.close(u) : Number.NaN;
    });
    if (autoRearm !== null && state.fund.tradingState === 'HALTED' && weekdaysSince(state.fund.tradingStateSince, view.asOf) >= autoRearm) {
      const rearm = { who: 'backtest-policy', why: `automatic re-arm after ${autoRearm} weekdays halted (seed: recovery cooldown)`, at: view.asOf };
      state.fund = rearmFund(state.fund, rearm);
      rearms.push({ date: view.asOf, who: rearm.who, why: rearm.why });
    }
    // an agent its drawdown ladder paused is re-armed by the same policy (live: keel agent rearm)
    for (const a of state.fund.agents) {
      if (autoRearm === null || a.drawdown.state !== 'paused' || a.drawdown.rearm !== null || weekdaysSince(a.drawdown.since, view.asOf) < autoRearm) continue;
      const rearm = { who: 'backtest-policy', why: `automatic re-arm of ${a.agentId} after ${autoRearm} weekdays paused by its drawdown ladder`, at: view.asOf };
      state.fund = rearmAgent(state.fund, a.agentId, rearm);
      rearms.push({ date: view.asOf, who: rearm.who, why: rearm.why, agentId: a.agentId });
    }
    services.captureInputs = (o.captureInputs ?? false) || k >= rows.length - keep;
    const r = await runCycle(services, state, view);
    journal.compact();
    tally.add(r, config, ledger, broker.fills());
    if (ledger.reconcile() !== null) reconciled = false;
    if (k >= rows.length - keep) lastCycles.push(r);
    o.onCycle?.(r, state);
    o.onProgress?.(k + 1, rows.length);
  }
  const durationMs = performance.now() - started;
  const { dates, fundEquity, agentEquity, budgetUse, actionsByAgent, overlayActions, byRule, killSwitchEvents, stepMs, traded, commissions, orders, fills } = tally;
  const fundReturns = returnsOf(fundEquity);
  const minCapital = Math.max(1000, config.fund.totalCapital * 1e-4);
  const agentReturns = (id: string): number[] => flowAdjustedReturns(agentEquity.get(id) ?? [], tally.agentFlows.get(id) ?? [], minCapital);
  const agentResults: AgentBacktestResult[] = config.agents.map((a) => {
    const eq = agentEquity.get(a.id) ?? [];
    const use = budgetUse.get(a.id) ?? [];
    const t = tally.trading.book(a.id);
    return {
      id: a.id,
      strategy: a.strategy,
      allocatedCapital: a.allocatedCapital,
      equity: eq,
      equityGross: tally.agentEquityGross.get(a.id) ?? [],
      capital: tally.agentCapital.get(a.id) ?? [],
      flows: tally.agentFlows.get(a.id) ?? [],
      tearSheet: tearSheet(agentReturns(a.id)),
      trading: {
        tradedNotional: t.traded,
        meanGross: t.grossDays / Math.max(1, dates.length),
        oneWayPerGross: oneWayAnnual(t.traded, t.grossDays),
        commissions: ledger.has(a.id) ? ledger.book(a.id).feesCents / 100 : 0,
        slippage: t.slippage,
      },
      varBudgetUsedMean: use.length > 0 ? use.reduce((x, y) => x + y, 0) / use.length : 0,
      varBudgetUsedMax: use.length > 0 ? Math.max(...use) : 0,
      overlayActions: actionsByAgent.get(a.id) ?? emptyActions(),
    };
  });
  const trials = agentResults.map((a) => agentReturns(a.id));
  const bench = o.panel.reference.get('market');
  const benchReturns = bench ? returnsOf(rows.map((t) => bench[t] ?? Number.NaN)) : null;
  const benchOk = benchReturns !== null && benchReturns.every(Number.isFinite);
  const navDays = fundEquity.reduce((x, y) => x + y, 0);
  const avgNav = navDays / Math.max(1, fundEquity.length);
  const fundTrading = tally.trading.fundTotals();
  return {
    id: o.id,
    from: dates[0] ?? o.from,
    to: dates[dates.length - 1] ?? o.to,
    days: dates.length,
    dates,
    configHash: services.configHash,
    fund: {
      equity: fundEquity,
      equityGross: tally.fundEquityGross,
      drawdown: drawdowns(fundEquity),
      tearSheet: tearSheet(fundReturns, benchOk ? (benchReturns ?? undefined) : undefined, trials),
      benchmark: benchOk && benchReturns ? tearSheet(benchReturns) : null,
    },
    agents: agentResults,
    binding: tally.binding.summary(),
    overlayActionsByRule: byRule,
    overlayActions,
    killSwitchEvents,
    unready: [...tally.unready.values()],
    rearms,
    turnover: {
      tradedNotional: traded,
      annualisedTurnover: avgNav > 0 ? (traded / avgNav) * (252 / Math.max(1, dates.length)) : 0,
      oneWay: oneWayAnnual(fundTrading.traded, navDays),
      oneWayPerGross: oneWayAnnual(fundTrading.traded, fundTrading.grossDays),
      meanGross: fundTrading.grossDays / Math.max(1, dates.length),
    },
    costs: { commissions, slippage: fundTrading.slippage, orders, fills },
    hedge: tally.hedge.summary(ledger),
    stopExits: Object.keys(tally.stopExits.byAgent).length > 0 ? tally.stopExits : null,
    ledgerReconciled: reconciled,
    performance: { durationMs, cyclesPerSecond: (dates.length * 1000) / durationMs, stepMs },
    lastCycles,
  };
}

export { FUND_BOOK };
