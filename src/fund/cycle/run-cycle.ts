import { isRemoteAgent, unreadyAgents, type AgentReadiness, type UnreadyAgent } from '../../agents/index.ts';
import { TradingState, type AgentProposal, type Alert, type DecisionRecord, type Fill, type FundConfig, type Order, type OverlayDecision, type TargetPosition } from '../../contracts/index.ts';
import { hashOf, isKeelError, nullLogger } from '../../core/index.ts';
import {
  crossFills,
  cycleOrderId,
  fillsOf,
  NET_BOOK,
  openInterest,
  orderFromPlan,
  planOrders,
  workOrder,
  type AgentTargets,
  type OpenInterest,
  type OrderPlan,
} from '../../execution/index.ts';
import type { MarketView } from '../../market/index.ts';
import { capitalMoves, reviewFund, type FundReview } from '../../overlay/index.ts';
import { bookFills } from '../ledger/book-fills.ts';
import type { Ledger } from '../ledger/ledger.ts';
import { agentBookFor, FUND_BOOK, openBooks, refreshFundState } from './books.ts';
import { hedgeBookTargets, hedgeTargets, type HedgeTarget } from './hedge-book.ts';
import { askRemoteAgents, type RemoteAnswer } from './gather.ts';
import { decisionRecords, holdRecords } from './records.ts';
import { cancelRestingStops, placeRestingStops, restingStopsOn } from './resting-stops.ts';
import { checkStops, closeExits, holdCooldowns, nextStops, stopAgents, stopCooldowns, type StopExit, type StopLevel } from './stops.ts';
import { haltedReductions, reductionTargets } from './reduction.ts';
import type { GateResult } from './gates.ts';
import type { CycleServices, FundRunState } from './runtime.ts';

export type CycleStep = 'fills' | 'state' | 'propose' | 'review' | 'orders' | 'records';

/** Everything one cycle decided and did, for the shell to persist and report. */
export interface CycleResult {
  readonly cycleId: string;
  readonly asOf: string;
  readonly review: FundReview;
  readonly proposals: readonly AgentProposal[];
  readonly decisions: readonly OverlayDecision[];
  readonly records: readonly DecisionRecord[];
  /** Orders created this cycle (with their status after submission). */
  readonly orders: readonly Order[];
  /** Fills applied to the books this cycle (from orders of earlier cycles in backtests). */
  readonly fills: readonly Fill[];
  readonly alerts: readonly Alert[];
  /** The fund hedge book's targets this cycle (`hedgeTargets`; empty when hedging is off and nothing is held). */
  readonly hedges: readonly HedgeTarget[];
  /** Governance gates checked before orders (empty in backtests). */
  readonly gates: readonly GateResult[];
  /**
   * Positions closed this cycle because the day's range crossed their ATR stop or take-profit
   * (`risk.atrStops`; docs/fund-cycle.md "Stops"): the agent's proposal for the name was overridden.
   */
  readonly stopExits: readonly StopExit[];
  /**
   * Agents that cannot trade this market (their `readiness` check failed), with the reason: each
   * is alerted, and the capital allocator should give it none. Checked every cycle, before proposals.
   */
  readonly unready: readonly UnreadyAgent[];
  /** Fund and agent NAVs after marking at the as-of close, dollars. */
  readonly nav: { readonly fund: number; readonly agents: Readonly<Record<string, number>> };
  /** Turnover of the orders sent, dollars. */
  readonly tradedNotional: number;
  readonly commissions: number;
  /** The decision inputs (when the services capture them) and the hash of the decisions they gave. */
  readonly inputs: CycleInputs | null;
  readonly outputsHash: string | null;
  readonly stepMs: Readonly<Record<CycleStep, number>>;
}

/** The decision inputs of a cycle: what replay needs to decide again. */
export interface CycleInputs {
  readonly cycleId: string;
  readonly asOf: string;
  readonly timestamp: string;
  readonly configHash: string;
  readonly fund: FundRunState['fund'];
  readonly ledger: ReturnType<FundRunState['ledger']['snapshot']>;
  /** What each remote agent answered (present only when the roster has remote agents): replay decides from these. */
  readonly remote?: Readonly<Record<string, RemoteAnswer>>;
}

const now = (): number => performance.now();

/** An agent whose `propose` threw: recorded and alerted, its current book stands. */
export interface ProposeFailure {
  readonly agentId: string;
  readonly error: string;
}

/** A remote agent's readiness, as its answer reported it (ready when it said nothing). */
function remoteReadiness(agentId: string, answer: RemoteAnswer | undefined): { id: string; readiness: () => AgentReadiness } {
  const reason = answer?.unready;
  return { id: agentId, readiness: () => (reason === undefined ? { ok: true } : { ok: false, reason }) };
}

/**
 * The decision half of a cycle: every agent proposes from its own book (a remote agent's answer,
 * gathered before, is taken from `remote`), then the risk committee reviews them all. Pure given
 * (agents, state, view, remote answers): replay calls exactly this.
 */
export function decideCycle(
  s: Pick<CycleServices, 'agents' | 'config' | 'overlayChecks' | 'workspace'>,
  state: Pick<FundRunState, 'fund' | 'ledger'>,
  view: MarketView,
  cycleId: string,
  timestamp: string,
  remote: ReadonlyMap<string, RemoteAnswer> = new Map(),
): { proposals: AgentProposal[]; review: FundReview; failures: ProposeFailure[]; unready: UnreadyAgent[]; proposeMs: number } {
  const t0 = now();
  // an agent worker reports its agent's readiness with the answer
  const unready = unreadyAgents(remote.size === 0 ? s.agents : s.agents.map((a) => (isRemoteAgent(a) ? remoteReadiness(a.id, remote.get(a.id)) : a)), view);
  const proposals: AgentProposal[] = [];
  const failures: ProposeFailure[] = [];
  for (const agent of s.agents) {
    if (isRemoteAgent(agent)) {
      const answer = remote.get(agent.id) ?? { error: 'not asked this cycle' };
      if ('proposal' in answer) proposals.push(answer.proposal);
      else failures.push({ agentId: agent.id, error: answer.error });
      continue;
    }
    const traceId = `${cycleId}:${agent.id}`;
    try {
      proposals.push(agent.propose(view, agentBookFor(state.fund, state.ledger, agent.id, cycleId, traceId)));
    } catch (e) {
      if (isKeelError(e) && e.code === 'KEEL_E_LOOKAHEAD') throw e;
      failures.push({ agentId: agent.id, error: e instanceof Error ? e.message : String(e) });
    }
  }
  const proposeMs = now() - t0;
  const review = reviewFund({
    proposals,
    state: state.fund,
    config: s.config,
    view,
    cycleId,
    timestamp,
    ...(s.overlayChecks ? { checks: s.overlayChecks } : {}),
    ...(s.workspace ? { workspace: s.workspace } : {}),
    ...(unready.length > 0 ? { unready: new Set(unready.map((u) => u.agentId)) } : {}),
  });
  return { proposals, review, failures, unready, proposeMs };
}

/**
 * One fund cycle (ARCHITECTURE.md "One cycle"), the same code in backtests and live:
 * fills → books → fund state (drawdowns, P&L) → each agent proposes → the overlay reviews all
 * (kill switches, trading state, budgets, caps; fund state updated between agents) → orders
 * planned, netted and sent through the OMS (advisory mode sends nothing) → records.
 * Mutates `state` (ledger and fund state) and returns what happened.
 */
export async function runCycle(s: CycleServices, state: FundRunState, view: MarketView): Promise<CycleResult> {
  const timer = new StepTimer();
  const steps = timer.steps;
  const asOf = view.asOf;
  const cycleId = `${s.runId}-${asOf}`;
  const timestamp = new Date(s.clock.now()).toISOString();

  // 1. fills since the last cycle → books
  await s.oms.sync();
  // resting stops (Alpaca) live between cycles: what did not fill is cancelled before booking and planning
  if (restingStopsOn(s.config)) await cancelRestingStops(s);
  const fills = s.journal.drainFills();
  let commissions = bookFills(state.ledger, fills, FUND_BOOK);
  const debug = s.logger !== nullLogger; // per-fill and per-order lines cost objects even when dropped
  if (debug) for (const f of fills) s.logger.log('debug', 'fill', { traceId: f.traceId, orderId: f.orderId, symbol: f.symbol, side: f.side, qty: f.qty, price: f.price });
  timer.lap('fills');

  // 2. mark to market, refresh the fund state (P&L, returns, positions)
  state.ledger.markAll((sym) => {
    const u = view.column(sym);
    return u >= 0 ? view.close(u) : Number.NaN;
  });
  state.fund = refreshFundState(state.fund, state.ledger, view, state.anchor, state.lastAsOf !== asOf);
  timer.lap('state');

  // 3. remote agents are asked, all at once, each until its deadline (the gather phase)
  const remote = await askRemoteAgents(s.agents, state, view, cycleId);
  const inputs: CycleInputs | null = s.captureInputs
    ? { cycleId, asOf, timestamp, configHash: s.configHash, fund: state.fund, ledger: state.ledger.snapshot(), ...(remote.size > 0 ? { remote: Object.fromEntries(remote) } : {}) }
    : null;
  timer.lap('propose');

  // 3–4. agents propose; the risk committee reviews (the pure decision half, replayable)
  const { proposals, review, failures, unready, proposeMs } = decideCycle(s, state, view, cycleId, timestamp, remote);
  timer.lap('review');
  if (debug) for (const p of proposals) s.logger.log('debug', 'proposal', { traceId: p.traceId, cycleId, agentId: p.agentId, signals: p.signals.length, targets: p.targets.length });
  steps.propose += proposeMs;
  steps.review -= proposeMs;
  const alerts = failureAlerts(s, failures, cycleId);
  for (const a of unreadyAlerts(s, unready, cycleId)) alerts.push(a);

  // 5. capital moves between the agents' books and the fund's (the review sized the books at the new capital)
  moveCapital(state, review);

  // 6. orders (autonomous mode): cancel on a reduction plan, plan, net, check, send
  const gates = s.gate ? s.gate(review, proposals) : [];
  const failedGates = gates.filter((g) => !g.passed);
  for (const a of gateAlerts(s, failedGates, cycleId)) alerts.push(a);
  const hedges = hedgeTargets(s.config, review, state.ledger, view);
  const trades = s.config.fund.mode === 'autonomous' && failedGates.length === 0;
  // a HALTED fund sends only its reduction plan's closes (on the day it trips) or nothing: stops wait, their levels kept
  const stops = trades && review.tradingState !== 'HALTED' ? monitorStops(s.config, state, view, review) : null;
  const finalTargets = stops ? stops.finalTargets : review.positions;
  const capital = capitalAfter(review);
  const sent = trades ? await sendOrders(s, state, view, review, finalTargets, capital, hedges, cycleId, timestamp) : NOTHING_SENT;
  if (stops) state.stops = nextStops(stops.kept, stops.exits, stops.agents, finalTargets, proposals, (agentId, p) => tradesPosition(s.config, capital, agentId, p), asOf, stops.cooldowns);
  const resting = stops && restingStopsOn(s.config) ? await placeRestingStops(s, state, view, sent.orders, cycleId, timestamp) : [];
  for (const a of orderAlerts(s, resting, cycleId)) alerts.push(a);
  const stopExits = stops?.exits ?? [];
  commissions += sent.commissions;
  for (const f of sent.fills) fills.push(f);
  for (const a of sent.alerts) alerts.push(a);
  timer.lap('orders');

  // 7. records, alerts, next state
  // Decision records are built for the cycles that are kept (live, paper, a backtest's last days).
  const records = s.captureInputs ? cycleRecords(s, proposals, review, finalTargets, stopExits, stops?.held ?? [], cycleId, timestamp) : [];
  if (s.captureInputs) for (const f of failures) for (const r of holdRecords(state.ledger, f, { cycleId, timestamp, configHash: s.configHash, quality: s.quality })) records.push(r);
  for (const a of reviewAlerts(s, review)) alerts.push(a);
  state.fund = { ...review.nextState, asOf };
  state.lastAsOf = asOf;
  const agentsNav: Record<string, number> = {};
  for (const id of state.ledger.agentIds()) agentsNav[id] = state.ledger.navCents(id) / 100;
  timer.lap('records');

  if (s.metrics) {
    for (const d of review.decisions) s.metrics.decisions.inc({ action: d.action });
    for (const o of sent.orders) s.metrics.orders.inc({ status: o.status });
    s.metrics.fundNav.set(state.ledger.fundNavCents() / 100);
    for (const st of TradingState.options) s.metrics.tradingState.set({ state: st }, st === review.tradingState ? 1 : 0);
    for (const [k, v] of Object.entries(steps)) s.metrics.cycleStepDuration.observe({ step: k }, v / 1000);
  }
  return {
    cycleId,
    asOf,
    review,
    proposals,
    decisions: review.decisions,
    records,
    orders: resting.length > 0 ? [...sent.orders, ...resting] : sent.orders,
    fills,
    alerts,
    hedges,
    gates,
    stopExits,
    unready,
    nav: { fund: state.ledger.fundNavCents() / 100, agents: agentsNav },
    tradedNotional: sent.tradedNotional,
    commissions,
    inputs,
    outputsHash: inputs ? hashOf(review.decisions) : null,
    stepMs: steps,
  };
}

/**
 * Books the review's capital allocation: each agent's book gains (or gives back to the fund's book)
 * the cash of its move, and its month-start anchor moves with it, so month-to-date P&L does not
 * count a move of capital as a gain or a loss.
 */
export function moveCapital(state: Pick<FundRunState, 'ledger' | 'anchor'>, review: Pick<FundReview, 'allocation'>): void {
  for (const m of capitalMoves(review.allocation)) {
    state.ledger.transfer(FUND_BOOK, m.agentId, m.dollars);
    const a = state.anchor.agents.get(m.agentId);
    if (a !== undefined) state.anchor.agents.set(m.agentId, a + m.dollars);
  }
}

/** Each agent's allocated capital after the review (the allocation's), else the config's. */
function capitalAfter(review: Pick<FundReview, 'nextState'>): ReadonlyMap<string, number> {
  return new Map(review.nextState.agents.map((a) => [a.agentId, a.allocatedCapital]));
}

/**
 * The cycle's order plan from the review's final targets (`FundReview.positions`): per configured
 * agent its targets (a small same-side adjustment of a held name, inside the no-trade band, keeps
 * the current weight), its holdings and what its open orders will still bring (`pending`, netted),
 * and the decision price, ADV and volatility of every name involved; `books`, planned beside them,
 * are books outside the agents with their own targets (the fund's hedge book: `hedgeBookTargets`);
 * all netted by the planner. Pure given its inputs.
 */
export function planCycleOrders(
  config: FundConfig,
  finalTargets: FundReview['positions'],
  ledger: Ledger,
  view: MarketView,
  pending?: ReadonlyMap<string, ReadonlyMap<string, number>>,
  books: readonly AgentTargets[] = [],
  capitalOf?: ReadonlyMap<string, number>,
): OrderPlan {
  const agents: AgentTargets[] = [];
  const band = config.oms.rebalanceBandPct;
  for (const a of config.agents) {
    const targets = finalTargets[a.id];
    if (!targets) continue;
    const capital = capitalOf?.get(a.id) ?? a.allocatedCapital;
    const m = new Map<string, number>();
    for (const p of targets) m.set(p.symbol, bandedWeight(p, capital, band));
    agents.push({ agentId: a.id, capital, targets: m });
  }
  for (const b of books) agents.push(b);
  const positions = new Map<string, Map<string, number>>();
  const prices = new Map<string, number>();
  const adv = new Map<string, number>();
  const sigma = new Map<string, number>();
  const market = { view, prices, adv, sigma };
  for (const a of agents) {
    const held = new Map<string, number>();
    for (const h of ledger.has(a.agentId) ? ledger.book(a.agentId).holdings.values() : []) {
      held.set(h.symbol, h.qty4 / 1e4);
      noteMarket(market, h.symbol);
    }
    for (const sym of a.targets.keys()) noteMarket(market, sym);
    for (const sym of pending?.get(a.agentId)?.keys() ?? []) noteMarket(market, sym);
    positions.set(a.agentId, held);
  }
  for (const [sym, px] of prices) if (!(px > 0)) prices.delete(sym);
  return planOrders({
    agents,
    positions,
    ...(pending ? { pending } : {}),
    prices,
    adv,
    sigma,
    config: { lotSize: 1e-4, minNotional: config.oms.minNotional, maxTurnoverPct: config.oms.maxTurnoverPct },
  });
}

/**
 * The weight the plan gives a final target: a small same-side adjustment of a held name, inside the
 * no-trade band (fraction of capital), keeps the current weight and waits for a bigger move.
 */
export function bandedWeight(p: Pick<TargetPosition, 'targetWeight' | 'currentNotional'>, capital: number, band: number): number {
  const cur = capital > 0 ? p.currentNotional / capital : 0;
  const keep = p.targetWeight !== 0 && cur !== 0 && Math.sign(cur) === Math.sign(p.targetWeight) && Math.abs(p.targetWeight - cur) < band;
  return keep ? cur : p.targetWeight;
}

/** Whether the plan trades an agent's position in a name (opens, resizes, turns or closes it): its banded weight is not the current one. */
function tradesPosition(config: FundConfig, capitalOf: ReadonlyMap<string, number>, agentId: string, p: TargetPosition): boolean {
  const capital = capitalOf.get(agentId) ?? config.agents.find((a) => a.id === agentId)?.allocatedCapital ?? 0;
  const cur = capital > 0 ? p.currentNotional / capital : 0;
  return Math.abs(bandedWeight(p, capital, config.oms.rebalanceBandPct) - cur) > 1e-12;
}

/**
 * The stop step of a trading cycle (`risk.atrStops`): the levels checked against the day's range,
 * and the review's final targets with the crossed names closed. Null when no agent asks for stops
 * and none are kept. An exit of an agent the review has no targets for (its proposal failed) waits.
 */
function monitorStops(
  config: FundConfig,
  state: FundRunState,
  view: MarketView,
  review: FundReview,
): { agents: ReadonlySet<string>; cooldowns: ReadonlyMap<string, number>; kept: StopLevel[]; exits: StopExit[]; held: StopLevel[]; finalTargets: FundReview['positions'] } | null {
  const agents = stopAgents(config);
  if (agents.size === 0 && (state.stops ?? []).length === 0) return null;
  const cooldowns = stopCooldowns(config);
  const checked = checkStops(state.stops ?? [], agents, state.ledger, view, cooldowns);
  const exits: StopExit[] = [];
  const kept = checked.kept;
  for (const e of checked.exits) {
    if (review.positions[e.agentId]) exits.push(e);
    else kept.push({ agentId: e.agentId, symbol: e.symbol, side: e.qty > 0 ? 1 : -1, stop: e.kind === 'ATR_STOP' ? e.level : null, target: e.kind === 'TAKE_PROFIT' ? e.level : null, setOn: e.setOn });
  }
  const { positions, held } = holdCooldowns(closeExits(review.positions, exits), kept);
  return { agents, cooldowns, kept, exits, held, finalTargets: positions };
}

/** HIGH alerts for the agents whose `propose` threw (their current books stand). */
function failureAlerts(s: CycleServices, failures: readonly ProposeFailure[], cycleId: string): Alert[] {
  const out: Alert[] = [];
  for (const f of failures) {
    const a = s.alerts.raise({
      severity: 'HIGH',
      category: 'SYSTEM',
      title: `agent ${f.agentId} failed to propose`,
      message: `${f.error}; its current book stands this cycle`,
      dedupKey: `agent-failed:${f.agentId}`,
      traceId: `${cycleId}:${f.agentId}`,
      fundId: s.config.fund.id,
    });
    if (a) out.push(a);
  }
  return out;
}

/** HIGH alerts for the agents that cannot trade this market (deduplicated: one per agent and window). */
function unreadyAlerts(s: CycleServices, unready: readonly UnreadyAgent[], cycleId: string): Alert[] {
  const out: Alert[] = [];
  for (const u of unready) {
    const a = s.alerts.raise({
      severity: 'HIGH',
      category: 'MARKET_DATA',
      title: `agent ${u.agentId} cannot trade the loaded market`,
      message: `${u.reason}; its capital is not at work until the data is there`,
      dedupKey: `agent-unready:${u.agentId}`,
      traceId: `${cycleId}:${u.agentId}`,
      fundId: s.config.fund.id,
      context: { agentId: u.agentId, reason: u.reason },
    });
    if (a) out.push(a);
  }
  return out;
}

/** CRITICAL alerts for the governance gates that failed (no orders go out). */
function gateAlerts(s: CycleServices, failed: readonly GateResult[], cycleId: string): Alert[] {
  const out: Alert[] = [];
  for (const g of failed) {
    const a = s.alerts.raise({
      severity: 'CRITICAL',
      category: 'TRADING',
      title: `governance gate failed: ${g.gate}`,
      message: `${g.detail}; no orders were sent this cycle`,
      dedupKey: `gate:${g.gate}`,
      traceId: cycleId,
      fundId: s.config.fund.id,
    });
    if (a) out.push(a);
  }
  return out;
}

/** The review's alerts through the alert manager (deduplicated): those raised. */
function reviewAlerts(s: CycleServices, review: FundReview): Alert[] {
  const out: Alert[] = [];
  for (const a of review.alerts) {
    const raised = s.alerts.raise({
      severity: a.severity,
      category: a.category,
      title: a.title,
      message: a.message,
      dedupKey: a.dedupKey,
      traceId: a.traceId,
      fundId: s.config.fund.id,
      context: a.context,
    });
    if (raised) out.push(raised);
  }
  return out;
}

/** The 15-field decision records of every reviewed agent's targets. */
function cycleRecords(
  s: CycleServices,
  proposals: readonly AgentProposal[],
  review: FundReview,
  finalTargets: FundReview['positions'],
  exits: readonly StopExit[],
  cooling: readonly StopLevel[],
  cycleId: string,
  timestamp: string,
): DecisionRecord[] {
  const proposalOf = new Map(proposals.map((p) => [p.agentId, p]));
  const records: DecisionRecord[] = [];
  for (const d of review.decisions) {
    const p = proposalOf.get(d.agentId);
    if (p) records.push(...decisionRecords(p, d, finalTargets[d.agentId] ?? [], { cycleId, timestamp, configHash: s.configHash, quality: s.quality }, exits, cooling));
  }
  return records;
}

/** What the order step sent and booked. */
interface Sent {
  readonly orders: readonly Order[];
  readonly tradedNotional: number;
  /** The plan's internal crosses as fills, then fills that arrived on submission (live paper), all booked. */
  readonly fills: readonly Fill[];
  readonly commissions: number;
  /** Broker rejections, and orders the broker never answered. */
  readonly alerts: readonly Alert[];
}

const NOTHING_SENT: Sent = { orders: [], tradedNotional: 0, fills: [], commissions: 0, alerts: [] };

/**
 * The order step of an autonomous cycle: open orders cancelled when the reduction plan says so;
 * then the plan, written whole before anything is sent (`writePlan`: the internal crosses stored
 * as fills of both books and booked, every order stored PENDING under a client order id derived
 * from the cycle, book, symbol and leg); then the orders checked and sent through the OMS
 * (trading state and NAV set first), sent again within the cycle when the broker did not answer
 * (`settle`), and fills that arrive on submission (live paper) booked. A re-run of a cycle that
 * wrote its plan before (a killed run) plans nothing new: it sends what is left of that plan.
 */
async function sendOrders(s: CycleServices, state: FundRunState, view: MarketView, review: FundReview, finalTargets: FundReview['positions'], capital: ReadonlyMap<string, number>, hedges: readonly HedgeTarget[], cycleId: string, timestamp: string): Promise<Sent> {
  if (review.reductionPlan?.cancelOpenOrders) {
    for (const o of await s.journal.open()) await s.oms.cancel(o.id);
  }
  const written = await s.journal.planOf(cycleId);
  // On the day a market kill switch trips, the plan's closes go out and nothing else: every one
  // reduces a position, so the OMS lets them through as it does a REDUCING fund's.
  // On a later HALTED day (a market kill switch still on) only the overlay's cuts of the held books go.
  const reduction = reductionTargets(s.config, review, state.ledger, capital) ?? haltedReductions(review);
  const { orders: built, crossFills: crossed } = written ?? (await writeCyclePlan(s, state, view, reduction ?? finalTargets, capital, hedges, cycleId, timestamp));
  s.omsState.current = reduction ? 'REDUCING' : review.tradingState;
  s.omsState.nav = state.ledger.fundNavCents() / 100;
  let tradedNotional = 0;
  for (const o of built) tradedNotional += o.qty * (o.decisionPrice ?? 0);
  const orders = await s.oms.settle(await s.oms.submitAll(built, { familyOf: plannedOrderOf }));
  if (s.logger !== nullLogger) {
    for (const o of orders) s.logger.log('debug', 'order', { traceId: o.traceId, cycleId, orderId: o.id, symbol: o.symbol, side: o.side, qty: o.qty, status: o.status, agents: o.allocations.map((a) => a.agentId) });
  }
  // Live paper fills arrive on submission: book them now.
  const fills = s.journal.drainFills();
  const commissions = bookFills(state.ledger, fills, FUND_BOOK);
  return { orders, tradedNotional, fills: written ? fills : [...crossed, ...fills], commissions, alerts: orderAlerts(s, orders, cycleId) };
}

/** The family of a cycle order (`<cycleId>:<book>:<symbol>:<leg>`): the planned order it is a leg or child of. */
function plannedOrderOf(o: Order): string {
  const i = o.id.lastIndexOf(':');
  return i > 0 ? o.id.slice(0, i) : o.id;
}

/**
 * Plans the cycle's orders (netting the books' open orders), works them into orders the broker
 * takes (children under `oms.maxOrderValue`, whole-share shorts), and writes the plan with its
 * crosses in one go; the crosses are booked in memory too. Returns the orders and cross fills.
 */
async function writeCyclePlan(s: CycleServices, state: FundRunState, view: MarketView, finalTargets: FundReview['positions'], capital: ReadonlyMap<string, number>, hedges: readonly HedgeTarget[], cycleId: string, timestamp: string): Promise<{ orders: Order[]; crossFills: Fill[] }> {
  const open = await openOrders(s);
  const hedgeBook = hedgeBookTargets(hedges, state.ledger.fundNavCents() / 100);
  const plan = planCycleOrders(s.config, finalTargets, state.ledger, view, open.byBook.size > 0 ? open.byBook : undefined, hedgeBook ? [hedgeBook] : [], capital);
  const crossed: Fill[] = [];
  for (const c of plan.crosses) for (const f of crossFills(c, cycleId, timestamp)) crossed.push(f);
  const orders: Order[] = [];
  for (const p of plan.orders) {
    const before = state.ledger.fundQty(p.symbol) + (open.bySymbol.get(p.symbol) ?? 0);
    for (const leg of workOrder(p, before, { maxOrderValue: s.config.oms.maxOrderValue }).legs) {
      orders.push(orderFromPlan(leg, { id: cycleOrderId(cycleId, NET_BOOK, p.symbol, leg.leg), fundId: s.config.fund.id, traceId: `${cycleId}:${p.symbol}`, at: timestamp, cycleId }));
    }
  }
  await s.journal.writePlan({ cycleId, orders, crosses: plan.crosses, crossFills: crossed });
  for (const c of plan.crosses) {
    openBooks(state.ledger, c.legs);
    state.ledger.applyCross(c.symbol, c.price, c.legs);
  }
  return { orders, crossFills: crossed };
}

const NO_OPEN_INTEREST: OpenInterest = { byBook: new Map(), bySymbol: new Map() };

/** What the fund's open orders will still bring, per book and symbol (nothing in a backtest's cycle: its orders filled or expired on the bar). */
async function openOrders(s: CycleServices): Promise<OpenInterest> {
  const open = await s.journal.open();
  if (open.length === 0) return NO_OPEN_INTEREST;
  const withFills = [];
  for (const order of open) withFills.push({ order, fills: fillsOf(await s.journal.events(order.id)) });
  return openInterest(withFills, FUND_BOOK);
}

/** HIGH alerts for the orders the broker rejected, and for those it never answered (reconciled at the next start). */
function orderAlerts(s: CycleServices, orders: readonly Order[], cycleId: string): Alert[] {
  const out: Alert[] = [];
  const fundId = s.config.fund.id;
  for (const o of orders) {
    const refusal = o.status === 'REJECTED' ? o.denials.find((d) => d.code === 'BROKER_REJECTED') : undefined;
    if (!refusal) continue;
    const a = s.alerts.raise({
      severity: 'HIGH',
      category: 'TRADING',
      title: `broker rejected ${o.side} ${o.qty} ${o.symbol}`,
      message: `order ${o.id}: ${refusal.message}`,
      dedupKey: `broker-rejected:${o.id}`,
      traceId: o.traceId,
      fundId,
      context: { orderId: o.id, symbol: o.symbol, side: o.side, qty: o.qty },
    });
    if (a) out.push(a);
  }
  const unanswered = orders.filter((o) => o.status === 'SUBMITTED');
  if (unanswered.length > 0) {
    const a = s.alerts.raise({
      severity: 'HIGH',
      category: 'TRADING',
      title: `${unanswered.length} order(s) got no answer from the broker`,
      message: `${unanswered.map((o) => o.id).join(', ')}: sent again within the cycle without an answer; the next start adopts them if the broker has them and cancels them if not`,
      dedupKey: `unanswered:${cycleId}`,
      traceId: cycleId,
      fundId,
    });
    if (a) out.push(a);
  }
  return out;
}

/** Records a name's decision price, ADV and volatility once (NaN when the market does not list it). */
function noteMarket(m: { view: MarketView; prices: Map<string, number>; adv: Map<string, number>; sigma: Map<string, number> }, sym: string): void {
  if (m.prices.has(sym)) return;
  const u = m.view.column(sym);
  m.prices.set(sym, u >= 0 ? m.view.close(u) : Number.NaN);
  m.adv.set(sym, u >= 0 ? m.view.value('adv20', u) : Number.NaN);
  m.sigma.set(sym, u >= 0 ? m.view.value('vol20', u) : Number.NaN);
}

/** Milliseconds per cycle step: each lap adds the time since the previous one to its step. */
class StepTimer {
  readonly steps: Record<CycleStep, number> = { fills: 0, state: 0, propose: 0, review: 0, orders: 0, records: 0 };
  private t = performance.now();

  lap(k: CycleStep): void {
    const n = performance.now();
    this.steps[k] += n - this.t;
    this.t = n;
  }
}
