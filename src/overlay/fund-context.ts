import { resolveAgentRisk, type FundConfig } from '../contracts/index.ts';
import type { MarketView } from '../market/index.ts';
import type { AgentCorrelationFacts, FundContext } from './context.ts';
import { agentCorrelations, correlationSpikes, worstSpike, type AgentCorrelations } from './correlation.ts';
import { advanceDrawdown, agentUnitVol, drawdownOf, type DrawdownOutcome } from './drawdown.ts';
import { checkKillSwitches, nextTradingState, type KillTrigger, type TradingStateOutcome } from './kill-switch.ts';
import type { FundLedger } from './ledger.ts';
import { marketTail } from './market-tape.ts';
import type { Prepared } from './prepare.ts';
import { advanceRegime, regimeMeasures, type RegimeTrack } from './regime.ts';
import { addSparse, cvarMultiple, portfolioVariance, zOf, type RiskScratch, type SparseBook } from './risk-math.ts';
import type { FundState } from './types.ts';
import type { Workspace } from './work.ts';

export interface FundFacts {
  readonly context: FundContext;
  readonly triggers: readonly KillTrigger[];
  readonly transition: TradingStateOutcome;
  readonly correlations: AgentCorrelations;
  /** The regime machine after this review (null: the state gave its regime and had no track). */
  readonly regimeTrack: RegimeTrack | null;
  readonly cvarStreak: number;
  readonly heldVar99Pct: number;
  readonly vix: number;
  readonly volumeRatio: number;
  /** Problems that force the fail safe: the preparation's, and a fund risk figure that is not finite. */
  readonly problems: readonly string[];
}

function lastFinite(x: Float64Array): number {
  for (let i = x.length - 1; i >= 0; i--) if (Number.isFinite(x[i] ?? Number.NaN)) return x[i] ?? Number.NaN;
  return Number.NaN;
}

/**
 * An agent's risk-budget volatility, annualised, per dollar of its capital: the fund's risk target
 * × its share of the fund's risk (`riskBudgetPct`) × fund capital / its capital (the vol of its book
 * if it used its whole budget alone). Stands in for its realised vol while its record is short.
 */
function budgetVol(config: FundConfig, agentId: string, fundCapital: number, agentCapital: number): number {
  if (!(agentCapital > 0)) return Number.NaN;
  const ac = config.agents.find((x) => x.id === agentId);
  const share = ac ? resolveAgentRisk(config, ac).riskBudgetPct : config.defaults.riskBudgetPct;
  return (config.risk.targetVolPct * share * fundCapital) / agentCapital;
}

/** Compounded return of the last `days` returns; NaN with fewer. */
function compoundedTail(returns: readonly number[], days: number): number {
  if (returns.length < days) return Number.NaN;
  let g = 1;
  for (let k = returns.length - days; k < returns.length; k++) g *= 1 + (returns[k] ?? 0);
  return g - 1;
}

/** Adds one book's sides to the per-name holder counts. */
function countHolders(b: SparseBook, long: Int32Array, short: Int32Array): void {
  for (let i = 0; i < b.idx.length; i++) {
    const u = b.idx[i] ?? 0;
    const v = b.val[i] ?? 0;
    if (v > 0) long[u] = (long[u] ?? 0) + 1;
    else if (v < 0) short[u] = (short[u] ?? 0) + 1;
  }
}

/**
 * Fund-level facts of one review: drawdowns, regime, circuit breaker, kill switches, trading state,
 * correlations, crowding. The context's holder counts are work arrays, valid until the next review
 * (the agents' checks read them; nothing the review returns does).
 */
export function fundFacts(
  state: FundState,
  config: FundConfig,
  view: MarketView,
  prep: Prepared,
  ledger: FundLedger,
  pending: Float64Array,
  pendingBooks: ReadonlyMap<string, SparseBook>,
  scratch: RiskScratch,
  prepProblems: readonly string[],
  bucketOf: ReadonlyMap<string, string>,
  ws: Workspace,
  /** False: no rule of the review enforces the trading state, so it does not move (context.ts governsTradingState). */
  tradingStateOn = true,
): FundFacts {
  const { model, universe } = prep;
  const capital = state.capital > 0 ? state.capital : 1;
  const conf = config.risk.varConfidence;
  // held book
  const held = ws.f64('facts.held', universe.N);
  for (const b of prep.currentBooks.values()) addSparse(held, b, 1);
  const heldSigma = Math.sqrt(portfolioVariance(model, held, scratch));
  const heldVar99Pct = (zOf(0.99) * heldSigma) / capital;
  const heldCvarPct = (cvarMultiple(conf) * heldSigma) / capital;
  const cvarStreak = heldCvarPct > config.risk.cvarLimitPct ? state.cvarBreachStreak + 1 : 0;
  // pro-forma book: approved/held + all proposals
  const pf = ws.f64('facts.proForma', universe.N, false);
  for (let u = 0; u < universe.N; u++) pf[u] = (ledger.net[u] ?? 0) + (pending[u] ?? 0);
  const pfSigma = Math.sqrt(portfolioVariance(model, pf, scratch));
  const proFormaVarPct = (zOf(conf) * pfSigma) / capital;
  const proFormaVolAnnual = (pfSigma / capital) * Math.sqrt(252);
  // a risk figure that is not finite (a position or weight too large for float64) fails safe: reduce only
  const problems = [...prepProblems];
  if (!Number.isFinite(heldSigma)) problems.push('the held books\' VaR is not a finite number: a position is too large to measure');
  if (!Number.isFinite(pfSigma)) problems.push('the pro-forma VaR (books and proposals) is not a finite number: a position or a proposed weight is too large to measure');
  const failSafe = problems.length > 0;
  // drawdowns
  const fundDrawdownPct = drawdownOf(state.capital, state.highWaterMark);
  // fund steps are in units of the fund's risk target, agent steps in units of each agent's own volatility
  const fundDrawdown: DrawdownOutcome = advanceDrawdown(state.fundDrawdown, fundDrawdownPct, config.drawdown.fundSteps, config.drawdown, state.asOf, config.risk.targetVolPct);
  const agentDrawdown = new Map<string, { outcome: DrawdownOutcome; dd: number }>();
  for (const a of state.agents) {
    const dd = drawdownOf(a.equity, a.highWaterMark);
    const unitVol = agentUnitVol(a.returns, config.drawdown, budgetVol(config, a.agentId, capital, a.allocatedCapital));
    agentDrawdown.set(a.agentId, { outcome: advanceDrawdown(a.drawdown, dd, config.drawdown.agentSteps, config.drawdown, state.asOf, unitVol), dd });
  }
  // regime and circuit breaker
  // the regime reads the market's recent tail (the same values as the model's marketNow, no copy)
  // a regime the cycle gives stands; otherwise the regime machine steps on the day's market measures
  const regimeTrack = state.regime === null ? advanceRegime(state.regimeTrack, regimeMeasures(marketTail(view, model.T, Math.max(config.regime.trendDays, 20)), config.regime.trendDays), config.regime, state.asOf) : (state.regimeTrack ?? null);
  const regime = state.regime ?? regimeTrack?.regime ?? 'BULL_QUIET';
  const regimeMultiplier = config.regime.multipliers[regime] ?? 1;
  const rc = config.regime;
  const limit = config.risk.varLimitPct;
  const highVol = proFormaVolAnnual > rc.tier2VolMultiple * rc.volTarget;
  let tier: 0 | 1 | 2 | 3 = 0;
  let cbScale = 1;
  if (fundDrawdownPct > config.risk.maxDrawdownPct && highVol) {
    tier = 3;
    cbScale = 0;
  } else if (proFormaVarPct > rc.tier2VarMultiple * limit || highVol) {
    tier = 2;
    cbScale = rc.defensiveSizing;
  } else if (proFormaVarPct > limit) {
    tier = 1;
    cbScale = limit / proFormaVarPct;
  }
  // correlations
  const correlations = agentCorrelations(state.agents, config.risk.correlationWindowDays);
  const spikes = correlationSpikes(state.agents, config.risk.correlationWindowDays, config.risk.correlationBaselineDays, correlations);
  const agentCorrelation = new Map<string, AgentCorrelationFacts>();
  const n = correlations.ids.length;
  for (let i = 0; i < n; i++) {
    let best = Number.NEGATIVE_INFINITY;
    let who: string | null = null;
    let s = 0;
    let c = 0;
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const r = correlations.matrix[i * n + j] ?? Number.NaN;
      if (!Number.isFinite(r)) continue;
      s += r;
      c++;
      if (r > best) {
        best = r;
        who = correlations.ids[j] ?? null;
      }
    }
    const spike = worstSpike(spikes, i, config.risk.correlationSpikeDelta, config.risk.correlationShock);
    agentCorrelation.set(correlations.ids[i] ?? '', { maxPair: c > 0 ? best : Number.NaN, with: who, average: c > 0 ? s / c : Number.NaN, spike });
  }
  // kill switches
  const hasVix = view.memo('overlay.hasVix', () => view.referenceNames().includes('vix'));
  const vix = hasVix ? lastFinite(view.reference('vix', 5)) : (view.macro('vix') ?? Number.NaN);
  let vr = 0;
  let vc = 0;
  for (let u = 0; u < universe.N; u++) {
    if ((held[u] ?? 0) === 0) continue;
    const r = universe.volumeRatio[u] ?? Number.NaN;
    if (Number.isFinite(r)) {
      vr += r;
      vc++;
    }
  }
  const volumeRatio = vc > 0 ? vr / vc : Number.NaN;
  const triggers = checkKillSwitches(
    {
      fundVar99Pct: heldVar99Pct,
      vix,
      fundDrawdownPct,
      avgAgentCorrelation: spikes.averageCurrent,
      avgAgentCorrelationBaseline: spikes.averageBaseline,
      fundReturn20d: compoundedTail(state.fundReturns, 20),
      volumeRatio,
      cvarStreak,
      manual: state.manualKill !== null,
      circuitBreakerTier3: tier === 3,
    },
    config.killSwitch,
    config.risk,
  );
  const transition = tradingStateOn ? nextTradingState(state, triggers, failSafe, config.killSwitch) : { state: state.tradingState, since: state.tradingStateSince, changed: false, cause: 'no rule of this run enforces the trading state' };
  // crowding: agents per name and side (proposal if proposing, else the held book)
  const holdersLong = ws.i32('facts.holdersLong', universe.N);
  const holdersShort = ws.i32('facts.holdersShort', universe.N);
  for (const b of ledger.books.values()) countHolders(b, holdersLong, holdersShort);
  for (const b of pendingBooks.values()) countHolders(b, holdersLong, holdersShort);
  return {
    context: {
      tradingState: transition.state,
      limitFactor: state.emergency ? 1 - config.regime.emergencyTightening : 1,
      fundDrawdown,
      fundDrawdownPct,
      agentDrawdown,
      regime,
      regimeMultiplier,
      circuitBreakerTier: tier,
      circuitBreakerScale: cbScale,
      proFormaVarPct,
      proFormaVolAnnual,
      riskTargetScale: proFormaVolAnnual > config.risk.targetVolPct * (1 + config.risk.targetVolTolerancePct) ? config.risk.targetVolPct / proFormaVolAnnual : 1,
      varBudget: (zOf(conf) * config.risk.targetVolPct * capital) / Math.sqrt(252),
      z: zOf(conf),
      agentCorrelation,
      holdersLong,
      holdersShort,
      bucketOf,
    },
    triggers,
    transition,
    correlations,
    regimeTrack,
    cvarStreak,
    heldVar99Pct,
    vix,
    volumeRatio,
    problems,
  };
}
