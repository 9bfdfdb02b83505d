import { z } from 'zod';
import type { Signal } from '../../contracts/index.ts';
import type { MarketView } from '../../market/index.ts';
import { reduceOnlyWeight, type AgentBook, type AgentContext } from '../agent.ts';
import { clearOutput, newOutput, type Analyst, type AnalystEnv, type AnalystOutput } from '../analysts/analyst.ts';
import { FundamentalAnalyst } from '../analysts/fundamental.ts';
import { MacroAnalyst } from '../analysts/macro.ts';
import { SentimentAnalyst } from '../analysts/sentiment.ts';
import { TechnicalAnalyst } from '../analysts/technical.ts';
import { ValuationAnalyst } from '../analysts/valuation.ts';
import { DRAWDOWN_MULTIPLIER } from '../risk/agent-risk.ts';
import { FundamentalsFeature } from '../state/fundamentals-feature.ts';
import type { Feature, RowData } from '../state/incremental.ts';
import { StrategyAgent, type Draft } from '../strategies/base.ts';
import { RebalanceSchedule, periodOf, periodStartRow } from '../strategies/schedule.ts';
import { decide, type MetaDecision } from './decision.ts';
import { ensembleInto, mutableEnsemble, robustZScores, type Ensemble } from './formulas.ts';
import { MetaWeighter } from './meta-weighter.ts';

export const CommitteeParams = z.strictObject({
  horizonDays: z.number().int().min(1).max(126).default(21),
  /** Names considered for new positions each cycle (by |conviction|), besides those held. */
  maxNames: z.number().int().min(1).max(500).default(20),
  longOnly: z.boolean().default(true),
  /** Robust z of μ̂ needed to open a position. */
  minZ: z.number().min(0).max(10).default(1),
  recordEvery: z.number().int().min(1).max(63).default(10),
  fundamentalsRefreshDays: z.number().int().min(1).max(63).default(21),
  /** Learn blend weights and calibration from realised outcomes. */
  learn: z.boolean().default(true),
  /**
   * When the committee meets: the analysts' views are taken on the first trading day of each
   * period and the book is decided from them until the next (daily: every day).
   */
  rebalance: RebalanceSchedule.default('weekly'),
});
export type CommitteeParams = z.infer<typeof CommitteeParams>;

/** The ensemble of every column at one row, as arrays. */
interface Ensembles {
  mu: Float64Array;
  sigma: Float64Array;
  confidence: Float64Array;
  count: Int32Array;
}

/** What the committee decides from, taken at one row: the ensembles, their robust z and each name's calibrated ensemble. */
interface Meeting {
  readonly row: number;
  readonly date: string;
  readonly mu: Float64Array;
  readonly sigma: Float64Array;
  readonly count: Int32Array;
  readonly z: Float64Array;
  /** Calibrated confidence per column (NaN without an ensemble). */
  readonly confidence: Float64Array;
  /** The calibrated ensemble of every column with one. */
  readonly ensembles: readonly (Ensemble | null)[];
  readonly blend: Float64Array;
  readonly ece: number;
}

/**
 * A decision whose target would take the book's gross (the targets decided before it, `gross`)
 * above the leverage limit is cut to the room left — a reduction, so never refused. Without it a
 * held name whose increase is refused keeps a weight the book has no room for, the risk layer
 * scales the whole book down, and the next day's decisions start from that scaled book: churn.
 */
function withinLeverage(dec: MetaDecision, cur: number, gross: number, limit: number): MetaDecision {
  const room = Math.max(0, limit - gross);
  if (Math.abs(dec.targetWeight) <= room + 1e-12) return dec;
  const target = Math.sign(dec.targetWeight) * room;
  const action = target < cur - 1e-12 ? 'EXECUTE_SELL' : target > cur + 1e-12 ? 'EXECUTE_BUY' : 'HOLD';
  return { ...dec, action, targetWeight: target, reasons: [...dec.reasons, { code: 'LEVERAGE_LIMIT', limit, actual: gross + Math.abs(dec.targetWeight) }] };
}

/** `dec` for a held name the fund takes no new exposure in: its weight may shrink or close, never grow or turn. */
function reduceOnly(dec: MetaDecision, cur: number): MetaDecision {
  const t = dec.targetWeight;
  const target = reduceOnlyWeight(t, cur);
  if (target === t) return dec;
  const action = target < cur - 1e-12 ? 'EXECUTE_SELL' : target > cur + 1e-12 ? 'EXECUTE_BUY' : 'HOLD';
  return { ...dec, action, targetWeight: target, reasons: [...dec.reasons, { code: 'MIN_MARKET_CAP', limit: Math.abs(cur), actual: Math.abs(t) }] };
}

/** The ensemble of a name no analyst has a view on. */
const NO_VIEW: Ensemble = Object.freeze(mutableEnsemble());

/** Rows a replay looks back for meetings: more than a quarter, so the as-of row's period start is among them. */
const MEETING_LOOKBACK_ROWS = 70;

/** Calls `meet` on the first row of each period (in a replay from row 0, only near the as-of row). */
class MeetingHook implements Feature {
  constructor(
    private readonly schedule: RebalanceSchedule,
    private readonly meet: (d: RowData) => void,
  ) {}
  reset(): void {}
  step(d: RowData): void {
    if (this.schedule === 'daily' || d.target - d.row > MEETING_LOOKBACK_ROWS) return;
    if (d.row > 0 && periodOf(d.view.date(d.row - 1), this.schedule) === periodOf(d.view.asOf, this.schedule)) return;
    this.meet(d);
  }
}

/**
 * **Committee** (the meta-brain's own book). Idea: an investment committee of five analysts —
 * technical, sentiment, valuation, fundamental, macro — whose views the meta-brain combines
 * (confidence-weighted ensemble, disagreement penalty, robust z, conviction, fractional Kelly)
 * and passes through the CVaR-first decision rules. The meta-weighter learns the analysts'
 * blend weights and a confidence calibration from realised outcomes, point in time.
 * Parameters: MetaBrainConfig (β 0.5, γ 0.3, min confidence 0.3, max position 10%, CVaR 5%),
 * horizonDays 21, maxNames 20, minZ 1. Holds: up to maxNames Kelly-sized long positions.
 */
export class CommitteeAgent extends StrategyAgent {
  private readonly p: CommitteeParams;
  private readonly analysts: readonly Analyst[];
  private readonly outputs: AnalystOutput[] = [];
  readonly weighter: MetaWeighter;
  /** The decisions of the last proposal, by symbol (the audit trail of the rules). */
  lastDecisions: readonly { symbol: string; decision: MetaDecision }[] = [];
  /** The views the book is decided from until the next meeting. */
  private meeting: Meeting | null = null;

  constructor(ctx: AgentContext, params: CommitteeParams) {
    // lastOnly false: the meta-weighter replays the analysts at past rows
    const fund = new FundamentalsFeature({ withGrowth: true, refreshDays: params.fundamentalsRefreshDays, lastOnly: false });
    const analysts: Analyst[] = [
      new TechnicalAnalyst(),
      new SentimentAnalyst(),
      new ValuationAnalyst(fund),
      new FundamentalAnalyst(fund),
      new MacroAnalyst(),
    ];
    const weighter = new MetaWeighter({
      sources: analysts.map((a) => a.name),
      horizonDays: params.horizonDays,
      recordEvery: params.recordEvery,
    });
    // the hook runs last: the analysts' features and the weighter have taken the row's step
    const hook = new MeetingHook(params.rebalance, (d) => {
      this.meeting = this.meet(d.view);
    });
    super(ctx, [fund, ...analysts.flatMap((a) => a.features), weighter, hook], 'committee-meta-brain@1');
    this.p = params;
    this.analysts = analysts;
    this.weighter = weighter;
    if (params.learn) weighter.bind({ predict: (d, blend) => this.predictAt(d, blend) });
  }

  /** Every analyst's signals at the view (they emit signals only), agent id `<committee>.<analyst>`. */
  analystSignals(view: MarketView, book: AgentBook): Signal[] {
    this.state.sync(view);
    this.runAnalysts(view);
    const regime = this.market.regime();
    const out: Signal[] = [];
    this.analysts.forEach((a, k) => {
      const o = this.outputs[k] as AnalystOutput;
      for (let u = 0; u < view.U; u++) {
        const mu = o.mu[u] as number;
        if (mu !== mu) continue;
        out.push({
          version: 1,
          traceId: book.traceId,
          symbol: view.symbols[u] ?? '',
          mu,
          sigma: o.sigma[u] as number,
          horizonDays: this.p.horizonDays,
          confidence: o.confidence[u] as number,
          regime,
          agentId: `${this.id}.${a.name}`,
          modelVersion: `${a.name}@1`,
          asOf: view.asOf,
        });
      }
    });
    return out;
  }

  /** The analysts' views at `view`'s row: ensembles, robust z, calibrated ensembles (the weighter as of that row). */
  private meet(view: MarketView): Meeting {
    this.runAnalysts(view);
    const blend = this.weighter.weights();
    const e = this.ensembles(view.U, blend);
    const confidence = new Float64Array(view.U).fill(Number.NaN);
    const ensembles: (Ensemble | null)[] = [];
    for (let u = 0; u < view.U; u++) {
      const cal = e.count[u] !== 0 ? this.ensembleAt(u, blend, true) : null;
      ensembles.push(cal);
      if (cal && (e.sigma[u] as number) > 0) confidence[u] = cal.confidence;
    }
    return {
      row: view.t,
      date: view.asOf,
      mu: e.mu.slice(),
      sigma: e.sigma.slice(),
      count: e.count.slice(),
      z: robustZScores(e.mu),
      confidence,
      ensembles,
      blend: blend.slice(),
      ece: this.weighter.ece(),
    };
  }

  /** The meeting the book is decided from today: this period's (taken by the state's hook), or today's. */
  private currentMeeting(view: MarketView): Meeting {
    const m = this.meeting;
    if (this.p.rebalance !== 'daily' && m && m.row === periodStartRow(view, this.p.rebalance) && m.row <= view.t && view.date(m.row) === m.date) return m;
    return this.meet(view);
  }

  protected decide(view: MarketView, book: AgentBook, d: Draft): void {
    const p = this.p;
    d.horizonDays = p.horizonDays;
    const m = this.currentMeeting(view);
    const z = m.z;
    const cfg = this.ctx.metaBrain;
    // The book's weights before the agent's own drawdown scaling, so a REJECT (the weight stays)
    // does not compound that scaling from one day to the next.
    const mult = DRAWDOWN_MULTIPLIER[book.drawdown.state];
    const current = new Float64Array(view.U);
    for (const pos of book.positions) {
      const u = view.column(pos.symbol);
      if (u >= 0) current[u] = mult > 0 ? pos.weight / mult : pos.weight;
    }
    const conv = new Float64Array(view.U).fill(Number.NaN);
    for (let u = 0; u < view.U; u++) {
      const s = m.sigma[u] as number;
      if (m.count[u] === 0 || !(s > 0)) continue;
      d.mu[u] = m.mu[u] as number;
      d.sigma[u] = s;
      d.confidence[u] = m.confidence[u] as number;
      const zu = z[u] as number;
      const isCandidate = p.longOnly ? zu >= p.minZ : Math.abs(zu) >= p.minZ;
      if (isCandidate && this.eligible(view, u)) conv[u] = Math.abs((m.mu[u] as number) / s);
    }
    // Names held come first (by conviction), then the best new candidates: a held name keeps its
    // place while the committee's view of it holds, and new names take the room that is left.
    const byConviction = (a: number, b: number): number => (Math.abs(m.mu[b] as number) / (m.sigma[b] as number) || 0) - (Math.abs(m.mu[a] as number) / (m.sigma[a] as number) || 0) || a - b;
    const heldCols: number[] = [];
    for (let u = 0; u < view.U; u++) if (current[u] !== 0) heldCols.push(u);
    heldCols.sort(byConviction);
    const order: number[] = [];
    for (let u = 0; u < view.U; u++) if (conv[u] === conv[u] && current[u] === 0) order.push(u);
    order.sort((a, b) => (conv[b] as number) - (conv[a] as number) || a - b);
    const considered = [...heldCols, ...order.slice(0, p.maxNames)];
    // The leverage limit binds the book being decided: the targets taken so far, in conviction order
    // (not the current weights of names still to come, which the risk layer may have scaled).
    let gross = 0;
    const override = book.drawdown.state !== 'normal' ? `drawdown state ${book.drawdown.state}` : this.market.regime() === 'BEAR_CRISIS' ? 'regime BEAR_CRISIS' : null;
    const decisions: { symbol: string; decision: MetaDecision }[] = [];
    const tally = { EXECUTE_BUY: 0, EXECUTE_SELL: 0, HOLD: 0, REJECT: 0 };
    for (const u of considered) {
      const cur = current[u] as number;
      const limit = this.ctx.risk.leverageLimit;
      const decided = withinLeverage(
        decide({ ensemble: m.ensembles[u] ?? NO_VIEW, currentWeight: cur, grossElsewhere: gross, leverageLimit: limit, riskOverride: override, longOnly: p.longOnly }, cfg),
        cur,
        gross,
        limit,
      );
      const dec = this.outsideUniverse(u) ? reduceOnly(decided, cur) : decided;
      gross += Math.abs(dec.targetWeight);
      d.weights[u] = dec.targetWeight;
      decisions.push({ symbol: view.symbols[u] ?? '', decision: dec });
      tally[dec.action]++;
    }
    this.lastDecisions = decisions;
    const names = this.analysts.map((a, k) => `${a.name} ${(m.blend[k] as number).toFixed(2)}`).join(', ');
    d.reasoning =
      `committee (views of ${m.date}): BUY ${tally.EXECUTE_BUY}, SELL ${tally.EXECUTE_SELL}, HOLD ${tally.HOLD}, REJECT ${tally.REJECT}` +
      `${override ? ` (override: ${override})` : ''}; blend [${names}]; ECE ${Number.isFinite(m.ece) ? m.ece.toFixed(3) : 'n/a'}`;
  }

  private runAnalysts(view: MarketView): void {
    // the analysts' volatility is the agent's own EWMA (λ 0.94), stepped before them
    const env: AnalystEnv = { view, horizonDays: this.p.horizonDays, vol: (u) => this.dailyVol(view, u) };
    this.analysts.forEach((a, k) => {
      let o = this.outputs[k];
      if (!o || o.mu.length !== view.U) {
        o = newOutput(view.U);
        this.outputs[k] = o;
      }
      clearOutput(o);
      a.analyse(env, o);
    });
  }

  private readonly scratch = {
    mu: new Float64Array(8),
    sigma: new Float64Array(8),
    conf: new Float64Array(8),
    out: mutableEnsemble(),
    options: { beta: 0 },
    /** The per-column ensembles, reused every call (callers copy what they keep). */
    all: { mu: new Float64Array(0), sigma: new Float64Array(0), confidence: new Float64Array(0), count: new Int32Array(0) },
  };

  /** The meta-brain ensemble of column u from the current analyst outputs (a fresh object). */
  private ensembleAt(u: number, blend: Float64Array, calibrated: boolean): Ensemble {
    const e = this.ensembleScratch(u, blend, calibrated);
    return { ...e };
  }

  /** As `ensembleAt`, into a reused object (valid until the next call). */
  private ensembleScratch(u: number, blend: Float64Array, calibrated: boolean): Ensemble {
    const sc = this.scratch;
    const K = this.analysts.length;
    for (let k = 0; k < K; k++) {
      const o = this.outputs[k] as AnalystOutput;
      sc.mu[k] = o.mu[u] as number;
      sc.sigma[k] = o.sigma[u] as number;
      sc.conf[k] = o.confidence[u] as number;
    }
    sc.options.beta = this.ctx.metaBrain.beta;
    ensembleInto(sc.mu, sc.sigma, sc.conf, blend, K, sc.options, sc.out);
    if (calibrated && sc.out.n > 0) sc.out.confidence = this.weighter.calibrate(sc.out.confidence);
    return sc.out;
  }

  /** The (uncalibrated) ensembles of every column, into arrays reused by the next call. */
  private ensembles(U: number, blend: Float64Array): Ensembles {
    let out = this.scratch.all;
    if (out.mu.length !== U) {
      out = { mu: new Float64Array(U), sigma: new Float64Array(U), confidence: new Float64Array(U), count: new Int32Array(U) };
      this.scratch.all = out;
    }
    out.mu.fill(Number.NaN);
    out.sigma.fill(Number.NaN);
    out.confidence.fill(Number.NaN);
    out.count.fill(0);
    for (let u = 0; u < U; u++) {
      const e = this.ensembleScratch(u, blend, false);
      out.count[u] = e.n;
      if (e.n === 0) continue;
      out.mu[u] = e.mu;
      out.sigma[u] = e.sigma;
      out.confidence[u] = e.confidence;
    }
    return out;
  }

  /** The meta-weighter's view of a past row: analysts and the uncalibrated ensemble as of that row. */
  private predictAt(d: RowData, blend: Float64Array) {
    this.runAnalysts(d.view);
    const e = this.ensembles(d.view.U, blend);
    return { mus: this.outputs.map((o) => o.mu), ensembleMu: e.mu, ensembleConfidence: e.confidence };
  }
}
