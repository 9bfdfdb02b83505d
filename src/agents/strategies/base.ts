import type { AgentProposal, Regime, RiskDriver, Signal, StrategyType, TargetWeight } from '../../contracts/index.ts';
import type { MarketView } from '../../market/index.ts';
import { reduceOnlyWeight, type Agent, type AgentBook, type AgentContext } from '../agent.ts';
import { applyAgentRisk, type PairCorrelation } from '../risk/agent-risk.ts';
import { AtrFeature, EwmaVolFeature } from '../state/features.ts';
import { IncrementalState, type Feature } from '../state/incremental.ts';
import { MarketFeature } from '../state/market-feature.ts';

/**
 * What a strategy decides in one cycle, before its risk layer: per-column raw weights and views
 * (μ and σ over `horizonDays`, confidence), NaN μ meaning "no view". Arrays are owned by the
 * agent and reset every cycle.
 */
export interface Draft {
  readonly weights: Float64Array;
  readonly mu: Float64Array;
  readonly sigma: Float64Array;
  readonly confidence: Float64Array;
  horizonDays: number;
  reasoning: string;
  /** The largest return correlation between two of the weighted names, when the strategy measured it (see AgentRiskInput). */
  pairCorrelation: PairCorrelation | null;
}

/**
 * The shared skeleton of every strategy agent: incremental state (ATR, EWMA vol, market regime
 * plus the strategy's own features), `decide` → per-agent risk → proposal. Signals are emitted
 * for every name in the final book and every name currently held.
 */
export abstract class StrategyAgent implements Agent {
  readonly id: string;
  readonly strategy: StrategyType;
  readonly riskDrivers: readonly RiskDriver[];
  readonly bucket: string;
  protected readonly ctx: AgentContext;
  protected readonly state: IncrementalState;
  protected readonly atr: AtrFeature;
  protected readonly vol: EwmaVolFeature;
  protected readonly market: MarketFeature;
  protected readonly modelVersion: string;
  private draft: Draft | null = null;
  /** Per-call buffers, reused (length U). */
  private strength = new Float64Array(0);
  private emitted = new Uint8Array(0);
  /** The book's weight of each column (market value ÷ allocated capital; 0 = not held), as of this call. */
  private held = new Float64Array(0);
  /** 1 where the column is outside the fund's universe today (market cap below the minimum), as of this call. */
  private outside = new Uint8Array(0);
  private readonly atrOf = (u: number): number => this.atr.value(u);

  protected constructor(ctx: AgentContext, features: readonly Feature[], modelVersion: string) {
    this.ctx = ctx;
    this.id = ctx.id;
    this.strategy = ctx.strategy;
    this.riskDrivers = ctx.riskDrivers;
    this.bucket = ctx.bucket;
    this.modelVersion = modelVersion;
    this.atr = new AtrFeature(ctx.risk.atrPeriod);
    this.vol = new EwmaVolFeature(0.94);
    this.market = new MarketFeature();
    this.state = new IncrementalState([this.atr, this.vol, this.market, ...features]);
  }

  /**
   * Whether the strategy may hold column `u` today: it trades, and the fund takes new exposure in
   * it (its market cap is not below the fund's minimum, AgentUniverse) or the book already holds
   * it. A held name outside the universe may only shrink: `propose` caps its weight at the held one.
   */
  protected eligible(view: MarketView, u: number): boolean {
    return view.isTradable(u) && (this.held[u] !== 0 || !this.outsideUniverse(u));
  }

  /** Whether column `u` is outside the fund's universe today (market cap below the minimum), read once per proposal. */
  protected outsideUniverse(u: number): boolean {
    return this.outside[u] === 1;
  }

  /** Fill `d` for the as-of row; the incremental state is already synced to `view.t`. */
  protected abstract decide(view: MarketView, book: AgentBook, d: Draft): void;

  /** How many times the state was rebuilt from row 0 / stepped (tests and benchmarks). */
  get stateCounters(): { rebuilds: number; steps: number } {
    return { rebuilds: this.state.rebuilds, steps: this.state.steps };
  }

  propose(view: MarketView, book: AgentBook): AgentProposal {
    this.state.sync(view);
    const d = this.resetDraft(view.U);
    this.readBook(view, book);
    this.decide(view, book, d);
    this.shrinkOutsideUniverse(view, book, d);
    const close = this.state.close;
    if (this.strength.length !== view.U) {
      this.strength = new Float64Array(view.U);
      this.emitted = new Uint8Array(view.U);
    }
    const strength = this.strength;
    for (let u = 0; u < view.U; u++) {
      const m = d.mu[u] as number;
      const s = d.sigma[u] as number;
      strength[u] = m === m && s > 0 ? Math.abs(m) / s : 0;
    }
    const shape = this.state.shape;
    const risk = applyAgentRisk({
      view,
      weights: d.weights,
      strength,
      close,
      atr: this.atrOf,
      sectorOf: shape.sectorOf,
      sectorNames: shape.sectorNames,
      params: this.ctx.risk,
      drawdownState: book.drawdown.state,
      knownPairCorrelation: d.pairCorrelation,
    });
    const regime = this.market.regime();
    const targets: TargetWeight[] = [];
    const signals: Signal[] = [];
    const emitted = this.emitted.fill(0);
    for (let u = 0; u < view.U; u++) {
      const w = d.weights[u] as number;
      if (w === 0 || w !== w) continue;
      const sl = risk.stopLoss[u] as number;
      const tp = risk.takeProfit[u] as number;
      targets.push({ symbol: view.symbols[u] ?? '', weight: w, stopLoss: sl === sl ? sl : null, takeProfit: tp === tp ? tp : null });
      this.pushSignal(signals, emitted, view, book, d, u, regime);
    }
    for (const pos of book.positions) {
      const u = view.column(pos.symbol);
      if (u >= 0) this.pushSignal(signals, emitted, view, book, d, u, regime);
    }
    return {
      version: 1,
      traceId: book.traceId,
      cycleId: book.cycleId,
      agentId: this.id,
      strategy: this.strategy,
      asOf: view.asOf,
      signals,
      targets,
      agentRisk: risk.notes,
      reasoning: `${d.reasoning} [regime ${regime}; ${targets.length} targets; ${risk.notes.length} risk notes]`.slice(0, 4000),
    };
  }

  private pushSignal(out: Signal[], emitted: Uint8Array, view: MarketView, book: AgentBook, d: Draft, u: number, regime: Regime): void {
    if (emitted[u]) return;
    const mu = d.mu[u] as number;
    const sigma = d.sigma[u] as number;
    if (!(mu === mu && sigma >= 0 && Number.isFinite(sigma))) return;
    emitted[u] = 1;
    const c = d.confidence[u] as number;
    out.push({
      version: 1,
      traceId: book.traceId,
      symbol: view.symbols[u] ?? '',
      mu,
      sigma,
      horizonDays: d.horizonDays,
      confidence: c === c ? Math.min(1, Math.max(0, c)) : 0,
      regime,
      agentId: this.id,
      modelVersion: this.modelVersion,
      asOf: view.asOf,
    });
  }

  /** The held weights and the columns outside the fund's universe, for `eligible` and `shrinkOutsideUniverse`. */
  private readBook(view: MarketView, book: AgentBook): void {
    if (this.held.length !== view.U) {
      this.held = new Float64Array(view.U);
      this.outside = new Uint8Array(view.U);
    }
    const outside = this.outside;
    const cap = view.row('marketCap');
    const min = this.ctx.universe.minMarketCap;
    for (let u = 0; u < view.U; u++) outside[u] = (cap[u] as number) < min ? 1 : 0; // NaN (unknown) is inside
    const held = this.held.fill(0);
    const capital = book.allocatedCapital;
    for (const p of book.positions) {
      const u = view.column(p.symbol);
      if (u < 0 || p.qty === 0) continue;
      const w = capital > 0 ? (p.qty * view.close(u)) / capital : Number.NaN;
      // held at a weight that cannot be read (no price, no capital): held all the same, and may not grow
      held[u] = Number.isFinite(w) && w !== 0 ? w : Math.sign(p.qty) * Number.MIN_VALUE;
    }
  }

  /** A held name the fund takes no new exposure in keeps at most its held weight, on its side (the overlay's MIN_MARKET_CAP rule). */
  private shrinkOutsideUniverse(view: MarketView, book: AgentBook, d: Draft): void {
    for (const p of book.positions) {
      const u = view.column(p.symbol);
      if (u < 0 || !this.outsideUniverse(u)) continue;
      const w = d.weights[u] as number;
      if (w !== 0) d.weights[u] = reduceOnlyWeight(w, this.held[u] as number);
    }
  }

  private resetDraft(U: number): Draft {
    let d = this.draft;
    if (!d || d.weights.length !== U) {
      d = {
        weights: new Float64Array(U),
        mu: new Float64Array(U),
        sigma: new Float64Array(U),
        confidence: new Float64Array(U),
        horizonDays: 1,
        reasoning: '',
        pairCorrelation: null,
      };
      this.draft = d;
    }
    d.weights.fill(0);
    d.mu.fill(Number.NaN);
    d.sigma.fill(Number.NaN);
    d.confidence.fill(Number.NaN);
    d.horizonDays = 1;
    d.reasoning = '';
    d.pairCorrelation = null;
    return d;
  }

  /** Daily volatility of column u: EWMA when seasoned, else the panel's 20-day realised vol. */
  protected dailyVol(view: MarketView, u: number): number {
    const v = this.vol.vol(u);
    if (v > 0) return v;
    const r = view.value('vol20', u);
    return r > 0 ? r : Number.NaN;
  }
}
