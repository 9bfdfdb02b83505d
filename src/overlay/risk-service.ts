import { z } from 'zod';
import { clipText, ValidationError } from '../core/index.ts';
import { AgentState, dollars, formatPath, MAX_DOLLARS, nonNegativeDollars, positiveDollars, isoDate, MAX_TRACE_ID, refineUnique, Regime, shares, StrategyType, symbol as sym, traceId, TradingState, type AgentProposal, type Alert, type FundConfig, type OverlayAction, type Reason, type RiskActionType } from '../contracts/index.ts';
import type { MarketView } from '../market/index.ts';
import { reviewFund } from './review-fund.ts';
import type { FundRiskSnapshot } from './snapshot.ts';
import { NORMAL_TRACK, type FundState } from './types.ts';

// native bounds (not refinements), so that the request's JSON Schema shows them
const positive = positiveDollars;
/** The fund's capital: every risk figure is a fraction of it, so at least a dollar (a book of 1e27 over 1e-300 is Infinity). */
const capital = z.number().min(1, 'must be at least 1 dollar').max(MAX_DOLLARS, `must be at most ${MAX_DOLLARS} dollars`);
const nonNegative = nonNegativeDollars;
/** A weight (fraction of the agent's capital) or a daily return: at most 100 (10,000%) in size. */
const fraction = z.number().min(-100, 'must be at most 100 in size').max(100, 'must be at most 100 in size');

/** The risk-service request (docs/risk-service.md): proposals plus the fund state, dollars and shares. */
export const RiskReviewRequest = z.object({
  asOf: isoDate.optional(),
  // the alerts' traceId and the prefix of their ids, so within a trace id's 128 characters
  cycleId: traceId.default('risk-review'),
  fund: z.object({
    capital,
    highWaterMark: positive.optional(),
    tradingState: TradingState.default('ACTIVE'),
    tradingStateSince: isoDate.nullable().default(null),
    dailyPnl: dollars.default(0),
    monthlyPnl: dollars.default(0),
    emergency: z.boolean().default(false),
    cvarBreachStreak: z.number().int().min(0).default(0),
    regime: Regime.nullable().default(null),
    returns: z.array(fraction).default([]),
  }),
  agents: z
    .array(
      z.object({
        id: z.string().min(1).max(200),
        allocatedCapital: nonNegative,
        equity: nonNegative.optional(),
        highWaterMark: positive.optional(),
        dailyPnl: dollars.default(0),
        monthlyPnl: dollars.default(0),
        drawdownState: AgentState.default('normal'),
        drawdownSince: isoDate.nullable().default(null),
        positions: z.array(z.object({ symbol: sym, qty: shares, price: positive })).default([]),
        returns: z.array(fraction).default([]),
      }),
    )
    .superRefine((a, ctx) => refineUnique(a, (x) => x.id, 'id', ctx, 'list each agent once'))
    .default([]),
  proposals: z.array(
    z.object({
      agentId: z.string().min(1).max(200),
      strategy: StrategyType.optional(),
      traceId: z.string().min(1).max(128).optional(),
      targets: z.array(z.object({ symbol: sym, weight: fraction })),
    }),
  )
    .superRefine((p, ctx) => refineUnique(p, (x) => x.agentId, 'agentId', ctx, 'send one proposal per agent')),
});
export type RiskReviewRequest = z.input<typeof RiskReviewRequest>;

/** One final target of the response: weights are fractions of the agent's allocated capital, notionals dollars. */
export interface RiskTarget {
  readonly symbol: string;
  readonly proposedWeight: number;
  readonly finalWeight: number;
  readonly targetNotional: number;
  readonly currentNotional: number;
  readonly deltaNotional: number;
  readonly priority: number;
  readonly actionType: RiskActionType;
  readonly reasoning: string;
}

export interface RiskReviewResponse {
  readonly asOf: string;
  readonly cycleId: string;
  readonly tradingState: TradingState;
  readonly failSafe: { readonly active: boolean; readonly problems: readonly string[] };
  readonly decisions: readonly {
    readonly agentId: string;
    readonly action: OverlayAction;
    readonly scale: number;
    readonly summary: string;
    readonly reasons: readonly Reason[];
    readonly targets: readonly RiskTarget[];
  }[];
  readonly snapshot: Pick<FundRiskSnapshot, 'var95' | 'var99' | 'var95Pct' | 'var99Pct' | 'gross' | 'net' | 'largestSingleName' | 'top10Pct' | 'hhi' | 'budgets' | 'buckets'>;
  readonly worstStress: { readonly scenario: string; readonly fundPnl: number; readonly fundPnlPct: number } | null;
  readonly alerts: readonly Alert[];
}

/** Parses a request or throws ValidationError naming the field path (`proposals[0].targets[2].weight`). */
export function parseRiskReviewRequest(input: unknown): z.infer<typeof RiskReviewRequest> {
  const r = RiskReviewRequest.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new ValidationError(issue ? formatPath(issue.path) : '(root)', issue?.message ?? 'invalid request');
}

/**
 * The risk service face (seed risk-service-plan): proposals + fund state in, decisions out, using
 * the market view for prices, ADV, sectors and the risk model. Pure; the CLI
 * (`keel risk review <input.json> --json`) and `POST /v1/risk/review` wrap it.
 */
export function reviewRisk(input: unknown, view: MarketView, config: FundConfig): RiskReviewResponse {
  const req = parseRiskReviewRequest(input);
  const asOf = req.asOf ?? view.asOf;
  if (asOf !== view.asOf) throw new ValidationError('asOf', `the request is as of ${asOf} but the market view is as of ${view.asOf}`);
  const strategies = new Map(config.agents.map((a) => [a.id, a.strategy]));
  const state: FundState = {
    asOf,
    capital: req.fund.capital,
    highWaterMark: req.fund.highWaterMark ?? req.fund.capital,
    dailyPnl: req.fund.dailyPnl,
    monthlyPnl: req.fund.monthlyPnl,
    tradingState: req.fund.tradingState,
    tradingStateSince: req.fund.tradingStateSince,
    fundDrawdown: NORMAL_TRACK,
    agents: req.agents.map((a) => ({
      agentId: a.id,
      allocatedCapital: a.allocatedCapital,
      positions: a.positions,
      equity: a.equity ?? a.allocatedCapital,
      highWaterMark: a.highWaterMark ?? a.equity ?? a.allocatedCapital,
      dailyPnl: a.dailyPnl,
      monthlyPnl: a.monthlyPnl,
      drawdown: { state: a.drawdownState, since: a.drawdownSince, recoveryStep: -1, rearm: null },
      returns: a.returns,
    })),
    cvarBreachStreak: req.fund.cvarBreachStreak,
    emergency: req.fund.emergency,
    manualKill: null,
    regime: req.fund.regime,
    hedges: [],
    fundReturns: req.fund.returns,
  };
  const proposals: AgentProposal[] = req.proposals.map((p) => ({
    version: 1,
    traceId: p.traceId ?? clipText(`${req.cycleId}:${p.agentId}`, MAX_TRACE_ID),
    cycleId: req.cycleId,
    agentId: p.agentId,
    strategy: p.strategy ?? strategies.get(p.agentId) ?? 'committee',
    asOf,
    signals: [],
    targets: p.targets.map((t) => ({ symbol: t.symbol, weight: t.weight, stopLoss: null, takeProfit: null })),
    agentRisk: [],
    reasoning: '',
  }));
  const review = reviewFund({ proposals, state, config, view, cycleId: req.cycleId });
  return {
    asOf,
    cycleId: req.cycleId,
    tradingState: review.tradingState,
    failSafe: review.failSafe,
    decisions: review.decisions.map((d) => {
      const pos = new Map((review.positions[d.agentId] ?? []).map((p) => [p.symbol, p]));
      const acts = new Map(d.riskActions.map((r) => [r.symbol, r.actionType]));
      return {
        agentId: d.agentId,
        action: d.action,
        scale: d.scale,
        summary: d.summary,
        reasons: d.reasons,
        targets: d.targets.map((t) => {
          const p = pos.get(t.symbol);
          return {
            symbol: t.symbol,
            proposedWeight: t.proposedWeight,
            finalWeight: t.finalWeight,
            targetNotional: p?.targetNotional ?? 0,
            currentNotional: p?.currentNotional ?? 0,
            deltaNotional: p?.deltaNotional ?? 0,
            priority: t.priority,
            actionType: acts.get(t.symbol) ?? 'OK',
            reasoning: p?.reasoning ?? '',
          };
        }),
      };
    }),
    snapshot: {
      var95: review.snapshot.var95,
      var99: review.snapshot.var99,
      var95Pct: review.snapshot.var95Pct,
      var99Pct: review.snapshot.var99Pct,
      gross: review.snapshot.gross,
      net: review.snapshot.net,
      largestSingleName: review.snapshot.largestSingleName,
      top10Pct: review.snapshot.top10Pct,
      hhi: review.snapshot.hhi,
      budgets: review.snapshot.budgets,
      buckets: review.snapshot.buckets,
    },
    worstStress: review.stress.worst ? { scenario: review.stress.worst.scenario, fundPnl: review.stress.worst.fundPnl, fundPnlPct: review.stress.worst.fundPnlPct } : null,
    alerts: review.alerts,
  };
}
