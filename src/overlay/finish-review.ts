import { agentRiskDrivers, HEDGE_BOOK, STRATEGY_RISK_DRIVERS, type Alert, type AlertCategory, type AlertSeverity, type OverlayDecision, type RiskDriver, type TargetPosition } from '../contracts/index.ts';
import { bindingReport } from './binding.ts';
import { recommendActions } from './correlation.ts';
import type { FundFacts } from './fund-context.ts';
import { recommendHedges } from './hedger.ts';
import type { FundLedger } from './ledger.ts';
import { defineLazy, LAZY, once } from './lazy.ts';
import { liquidityReport } from './liquidity.ts';
import { nextFundState } from './next-state.ts';
import { agentRiskOf, type Prepared } from './prepare.ts';
import { planRiskReduction, type HeldPosition } from './reduction-plan.ts';
import type { FundReview, ReviewInput, Reviewed } from './review-fund.ts';
import { addSparse, cvarMultiple, dotSparse, portfolioVariance, riskScratch, sparseVariance, zOf, type RiskScratch, type SparseBook } from './risk-math.ts';
import { factorLoadings } from './factor-loadings.ts';
import { scoreAgents } from './scoring.ts';
import { agentVarBudget } from './budget-share.ts';
import type { Allocation } from './allocation.ts';
import { budgetStatus, concentration, factorMap, type FundRiskSnapshot } from './snapshot.ts';
import { runStress, worstWindows, type StressBook } from './stress.ts';
import { styleLoadings } from './style.ts';
import { own, table } from './table.ts';
import type { AgentBookState, HedgePosition } from './types.ts';
import type { Universe } from './universe.ts';

/**
 * Fund-level outputs on the final book: snapshot, stress, liquidity, hedges, scores, kill-switch
 * plan, alerts, next state. The reports nothing in the review depends on and that cost more than
 * a lazy property (about half a microsecond each) are computed when first read, then kept: the
 * snapshot's factor exposures (style loadings read fundamentals) and agents' factor loadings;
 * stress tests, liquidity, correlation recommendations (crowding), agent scores,
 * the binding constraints (what each rule removed).
 * A live cycle stores them, so it pays for them; a backtest day whose records are not kept does
 * not. They read only this review's own data (its final book, universe, model, view and state),
 * so they are the same values whenever they are read.
 */
export function finishReview(args: {
  input: ReviewInput;
  prep: Prepared;
  ledger: FundLedger;
  scratch: RiskScratch;
  facts: FundFacts;
  decisions: OverlayDecision[];
  positions: Record<string, TargetPosition[]>;
  timestamp: string;
  reviewed: readonly Reviewed[];
  allocation: Allocation | null;
}): FundReview {
  const { input, prep, ledger, scratch, facts, decisions, positions, timestamp } = args;
  const { state, config, view, cycleId } = input;
  const { model, universe } = prep;
  const fund = facts.context;
  const capital = state.capital > 0 ? state.capital : 1;
  const x = ledger.net.slice();
  const conf = config.risk.varConfidence;
  // one pass gives the fund's variance and Σx (the Euler components below)
  const sigma = Math.sqrt(portfolioVariance(model, x, scratch, true));
  const varC = zOf(conf) * sigma;
  const var99 = zOf(0.99) * sigma;
  const cvarC = cvarMultiple(conf) * sigma;
  const budgets: Record<string, { component: number; standalone: number; budget: number; used: number; status: ReturnType<typeof budgetStatus> }> = table();
  const componentVar = new Map<string, number>();
  const books = ledger.books;
  const ids = [...books.keys()].sort();
  const stateOf = new Map(state.agents.map((a) => [a.agentId, a]));
  // each agent's forecast daily vol per dollar of equity, scored against what its book earns (forecast-bias.ts)
  const forecasts = new Map<string, number>();
  for (const id of ids) {
    const book = books.get(id);
    if (!book) continue;
    const comp = sigma > 0 ? (fund.z * dotSparse(book, scratch.sx)) / sigma : 0;
    componentVar.set(id, comp);
    const cfg = prep.agentConfigs.get(id);
    const risk = cfg ? agentRiskOf(config, cfg) : config.defaults;
    // a book outside the agents has no budget of its own: its component is reported (components sum to the fund VaR), never in breach
    const budget = prep.outsideIds.has(id) ? 0 : agentVarBudget(risk, stateOf.get(id), fund);
    const standalone = fund.z * Math.sqrt(sparseVariance(model, book, scratch));
    // the budget bounds the agent's own VaR (budget-share.ts); the components add up to the fund VaR for the buckets
    const used = budget > 0 ? standalone / budget : 0;
    const equity = stateOf.get(id)?.equity ?? 0;
    if (!prep.outsideIds.has(id) && equity > 0 && fund.z > 0) forecasts.set(id, standalone / fund.z / equity);
    budgets[id] = { component: comp, standalone, budget, used, status: budgetStatus(used, config.risk.budgetWarningPct) };
  }
  const bucketComp = new Map<string, number>();
  for (const id of ids) {
    const b = fund.bucketOf.get(id) ?? '';
    bucketComp.set(b, (bucketComp.get(b) ?? 0) + (componentVar.get(id) ?? 0));
  }
  const buckets = table<FundRiskSnapshot['buckets'][string]>();
  for (const b of [...bucketComp.keys()].sort((p, q) => p.localeCompare(q))) {
    const comp = bucketComp.get(b) ?? 0;
    const cap = (own(config.buckets, b)?.maxRiskAllocationPct ?? 0) * fund.varBudget * fund.limitFactor;
    const used = cap > 0 ? comp / cap : 0;
    buckets[b] = { component: comp, cap, used, status: budgetStatus(used, config.risk.budgetWarningPct) };
  }
  const style = once(() => styleLoadings(view, universe));
  const exposures = once(() => {
    const out = factorMap(model, x, riskScratch(model));
    const st = style();
    let mom = 0;
    let val = 0;
    for (let u = 0; u < universe.N; u++) {
      mom += (x[u] ?? 0) * (st.momentum[u] ?? 0);
      val += (x[u] ?? 0) * (st.value[u] ?? 0);
    }
    out.momentum = mom;
    out.value = val;
    return out;
  });
  const conc = concentration(universe, x, capital);
  const loadings = once(() => factorLoadings(state, model, view));
  const correlations = facts.correlations;
  const n = correlations.ids.length;
  const matrix: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row: number[] = [];
    for (let j = 0; j < n; j++) {
      const r = correlations.matrix[i * n + j] ?? Number.NaN;
      row.push(Number.isFinite(r) ? r : 0);
    }
    matrix.push(row);
  }
  const snapshot: FundRiskSnapshot = {
    asOf: state.asOf,
    capital: state.capital,
    var95: varC,
    var99,
    cvar95: cvarC,
    var95Pct: varC / capital,
    var99Pct: var99 / capital,
    gross: conc.gross,
    net: conc.net,
    factorExposures: LAZY,
    largestSingleName: conc.largest,
    top10Pct: conc.top10Pct,
    hhi: conc.hhi,
    netBySector: conc.bySector,
    netByName: conc.byName,
    agentCorrelations: { ids: correlations.ids, matrix, average: Number.isFinite(correlations.average) ? correlations.average : null },
    budgets,
    buckets,
    agentFactorLoadings: LAZY,
  };
  defineLazy(snapshot, { factorExposures: exposures, agentFactorLoadings: loadings });
  const stress = once(() => {
    const strategyOf = new Map(input.proposals.map((p) => [p.agentId, p.strategy]));
    const stressBooks: StressBook[] = ids.map((id) => {
      const cfg = prep.agentConfigs.get(id);
      const strategy = strategyOf.get(id);
      const drivers: readonly RiskDriver[] = cfg ? agentRiskDrivers(cfg) : strategy ? STRATEGY_RISK_DRIVERS[strategy] : [];
      return { agentId: id, book: books.get(id) ?? { idx: new Int32Array(0), val: new Float64Array(0) }, drivers };
    });
    return runStress(stressBooks, model, style(), capital, worstWindows(model, config.risk.stressReplayWindows));
  });
  const liquidity = once(() => liquidityReport(universe, x, config.execution.participationCap, config.risk.stressVolumeHaircut));
  const hedgeBook = books.get(HEDGE_BOOK);
  const hedges = recommendHedges(unhedged(x, hedgeBook), universe, model, capital, config.hedging, config.risk.maxSectorPct, config.hedging.sectorHedges, state.hedges, heldHedges(hedgeBook, universe));
  const correlationActions = once(() => recommendActions(correlations, crowdedNames(ids, books, universe, config.risk.crowdingAgents), config.risk.correlationShock, config.killSwitch.avgAgentCorrelation));
  const scores = once(() => scoreAgents(state, componentVar, config.metaBrain.riskFreeRate));
  const bindingConstraints = once(() => bindingReport(args.reviewed, x, model, fund.z));
  // kill switch plan
  let reductionPlan = null;
  if (facts.transition.state === 'HALTED' && facts.triggers.length > 0) {
    const held: HeldPosition[] = [];
    for (const [id, b] of prep.currentBooks) {
      for (let i = 0; i < b.idx.length; i++) {
        const u = b.idx[i] ?? 0;
        const val = b.val[i] ?? 0;
        const vol = Math.sqrt(model.D[u] ?? 0) + Math.abs(model.beta[u] ?? 1) * 0.01;
        held.push({ agentId: id, symbol: universe.symbols[u] ?? '', notional: val, price: universe.price[u] ?? 0, risk: Math.abs(val) * vol });
      }
    }
    reductionPlan = planRiskReduction(facts.triggers, held, state.agents.map((a) => a.agentId));
  }
  const failSafe = { active: facts.problems.length > 0, problems: facts.problems };
  const alerts = buildAlerts(args, budgets, failSafe.problems, timestamp, cycleId, hedges.positions);
  const review: FundReview = {
    cycleId,
    asOf: state.asOf,
    tradingState: facts.transition.state,
    transition: facts.transition,
    triggers: facts.triggers,
    failSafe,
    regime: fund.regime,
    decisions,
    positions,
    snapshot,
    stress: LAZY,
    liquidity: LAZY,
    hedges: hedges.recommendations,
    hedgePositions: hedges.positions,
    correlationActions: LAZY,
    scores: LAZY,
    allocation: args.allocation,
    bindingConstraints: LAZY,
    reductionPlan,
    alerts,
    nextState: nextFundState(state, facts, forecasts, proposedVols(args.reviewed, stateOf)),
  };
  return defineLazy(review, { stress, liquidity, correlationActions, scores, bindingConstraints });
}

/**
 * The fund's final book without the hedge book (`HEDGE_BOOK`): the exposures the hedger offsets.
 * Its target is the whole hedge, not a change to the one held, so that it goes to zero (the hedge
 * is unwound) when the exposures are back within its band.
 */
function unhedged(x: Float64Array, hedge: SparseBook | undefined): Float64Array {
  if (!hedge || hedge.idx.length === 0) return x;
  const out = x.slice();
  addSparse(out, hedge, -1);
  return out;
}

/** The hedge book's dollars per instrument. */
function heldHedges(hedge: SparseBook | undefined, universe: Universe): Map<string, number> {
  const out = new Map<string, number>();
  if (!hedge) return out;
  for (let i = 0; i < hedge.idx.length; i++) {
    const sym = universe.symbols[hedge.idx[i] ?? 0] ?? '';
    out.set(sym, (out.get(sym) ?? 0) + (hedge.val[i] ?? 0));
  }
  return out;
}

/** Names held on the same side by at least `need` agents in the final books (at most 20, most crowded first). */
function crowdedNames(ids: readonly string[], books: ReadonlyMap<string, SparseBook>, universe: Universe, need: number): { symbol: string; agents: string[] }[] {
  const crowded: { symbol: string; agents: string[] }[] = [];
  const holders = new Map<string, string[]>();
  for (const id of ids) {
    const b = books.get(id);
    if (!b) continue;
    for (let i = 0; i < b.idx.length; i++) {
      const val = b.val[i] ?? 0;
      if (val === 0) continue;
      const key = `${b.idx[i] ?? 0}:${val > 0 ? 'L' : 'S'}`;
      const list = holders.get(key) ?? [];
      list.push(id);
      holders.set(key, list);
    }
  }
  for (const [key, list] of holders) {
    if (list.length < need) continue;
    const u = Number(key.split(':')[0]);
    crowded.push({ symbol: universe.symbols[u] ?? '', agents: list });
  }
  crowded.sort((a, b) => b.agents.length - a.agents.length || a.symbol.localeCompare(b.symbol));
  return crowded.slice(0, 20);
}

function buildAlerts(args: Parameters<typeof finishReview>[0], budgets: FundRiskSnapshot['budgets'], problems: readonly string[], timestamp: string, cycleId: string, hedges: readonly HedgePosition[]): Alert[] {
  const { input, facts } = args;
  const alerts = new ReviewAlerts(cycleId, input.config.fund.id, timestamp);
  if (problems.length > 0) alerts.add('CRITICAL', 'SYSTEM', 'Fail safe: the fund is reducing risk', `Fund state or risk model could not be computed; nothing new is approved. ${problems.slice(0, 10).join('; ')}`, 'overlay:fail_safe', { problems: [...problems] });
  for (const t of facts.triggers) alerts.add('CRITICAL', 'RISK', `Kill switch: ${t.name}`, t.message, `overlay:kill:${t.name}`, { limit: t.limit, actual: t.actual });
  const counts = new Map<string, number>();
  for (const p of input.proposals) counts.set(p.agentId, (counts.get(p.agentId) ?? 0) + 1);
  for (const [id, n] of counts) if (n > 1) alerts.add('MEDIUM', 'TRADING', `Agent ${id} sent ${n} proposals`, 'only the first proposal of a cycle is reviewed; the others are ignored', `overlay:duplicate:${id}`);
  if (facts.transition.changed) alerts.add('HIGH', 'TRADING', `Trading state ${input.state.tradingState} → ${facts.transition.state}`, facts.transition.cause, `overlay:trading_state:${facts.transition.state}`);
  for (const [id, d] of facts.context.agentDrawdown) {
    if (d.outcome.event === 'escalated') alerts.add('HIGH', 'RISK', `Agent ${id} drawdown step: ${d.outcome.track.state}`, `drawdown ${(d.dd * 100).toFixed(2)}% from the high-water mark`, `overlay:drawdown:${id}:${d.outcome.track.state}`, { drawdown: d.dd });
  }
  if (facts.context.fundDrawdown.event === 'escalated') alerts.add('CRITICAL', 'RISK', `Fund drawdown step: ${facts.context.fundDrawdown.track.state}`, `fund drawdown ${(facts.context.fundDrawdownPct * 100).toFixed(2)}%`, `overlay:fund_drawdown:${facts.context.fundDrawdown.track.state}`);
  for (const [id, b] of Object.entries(budgets)) {
    if (b.status === 'BREACH') alerts.add('MEDIUM', 'RISK', `Agent ${id} over its VaR budget`, `component VaR ${Math.round(b.component)} vs budget ${Math.round(b.budget)}`, `overlay:budget:${id}`, { used: b.used });
  }
  const view = input.view;
  for (const h of hedges) {
    const u = view.column(h.instrument);
    if (u >= 0 && view.isTradable(u)) continue;
    alerts.add('HIGH', 'RISK', `Hedge instrument ${h.instrument} cannot trade`, `the hedger wants ${h.notional < 0 ? 'a short' : 'a long'} of $${Math.round(Math.abs(h.notional)).toLocaleString('en-US')} in ${h.instrument}, which the market ${u < 0 ? 'does not list' : 'does not price or list as tradable'} as of ${view.asOf}: the fund stays unhedged (set hedging.instrument to a tradable index tracker, e.g. SPY)`, `overlay:hedge_untradable:${h.instrument}`, { instrument: h.instrument, notional: h.notional });
  }
  return alerts.out;
}

/** A review's alerts, numbered in the order they are added; texts cut to the contract's lengths. */
class ReviewAlerts {
  readonly out: Alert[] = [];

  constructor(
    private readonly cycleId: string,
    private readonly fundId: string,
    private readonly timestamp: string,
  ) {}

  add(severity: AlertSeverity, category: AlertCategory, title: string, message: string, dedupKey: string, context: Record<string, unknown> = {}): void {
    const { cycleId, fundId, timestamp } = this;
    this.out.push({ version: 1, id: `${cycleId}:alert:${this.out.length + 1}`, traceId: cycleId, fundId, severity, category, title: title.slice(0, 200), message: message.slice(0, 4000), dedupKey: dedupKey.slice(0, 200), timestamp, context });
  }
}

/** Each reviewed agent's proposal: the model's daily vol per dollar of its allocated capital. */
function proposedVols(reviewed: readonly Reviewed[], stateOf: ReadonlyMap<string, AgentBookState>): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of reviewed) {
    const cap = stateOf.get(r.original.agentId)?.allocatedCapital ?? 0;
    if (cap > 0) out.set(r.original.agentId, Math.sqrt(Math.max(0, r.ctx.candidateRisk().cc)) / cap);
  }
  return out;
}
