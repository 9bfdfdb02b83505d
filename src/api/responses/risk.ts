import { z } from 'zod';
import { Alert, CheckStatus, isoDate, OverlayAction, OverlayDecision, Reason, RiskActionType, TradingState } from '../../contracts/index.ts';

/** One method's VaR and CVaR: dollars (positive = loss) and fractions of NAV. */
export const VarFigure = z.object({ var: z.number(), cvar: z.number(), varPct: z.number(), cvarPct: z.number() });
export const VarLevel = z.object({ confidence: z.number(), historical: VarFigure, parametric: VarFigure, monteCarlo: VarFigure });
/** A limit's use: `value` in the limit's unit, `utilisation` |value| / limit. */
export const LimitUtilisation = z.object({ name: z.string(), value: z.number().nullable(), limit: z.number(), utilisation: z.number().nullable(), status: CheckStatus });
/** A scenario's P&L in dollars (negative = loss). */
export const StressPnl = z.looseObject({ scenario: z.string(), pnl: z.number() });

/** The risk monitor's report of the fund's current book. Dollars unless the name says Pct (fractions of NAV). */
export const RiskReport = z.object({
  asOf: isoDate, nav: z.number(), gross: z.number(), net: z.number(), grossPct: z.number(), netPct: z.number(),
  var: z.array(VarLevel), sigma: z.number(), observations: z.number().int(), monteCarloPaths: z.number().int(), missingReturns: z.array(z.string()),
  agentVar: z.object({ confidence: z.number(), agents: z.array(z.object({ agentId: z.string(), componentVar: z.number(), share: z.number(), standaloneVar: z.number() })) }),
  stress: z.array(StressPnl), worstStress: StressPnl.nullable(), limits: z.array(LimitUtilisation),
  concentration: z.object({ hhi: z.number(), effectiveNames: z.number(), top10Share: z.number(), largest: z.object({ symbol: z.string(), grossShare: z.number(), navFraction: z.number() }).nullable() }),
  sectors: z.array(z.object({ sector: z.string(), gross: z.number(), net: z.number(), grossPct: z.number(), netPct: z.number() })),
  liquidity: z.object({
    participationRate: z.number(), stressVolumeHaircut: z.number(),
    names: z.array(z.object({ symbol: z.string(), shares: z.number(), days: z.number().nullable(), stressDays: z.number().nullable() })),
    daysToLiquidate: z.number().nullable(), stressDaysToLiquidate: z.number().nullable(), liquidWithin1d: z.number(), liquidWithin5d: z.number(), unknown: z.array(z.string()),
  }),
});
export const RiskAnswer = z.object({ asOf: isoDate, nav: z.number(), report: RiskReport });

/** A stress run's result: `pnlImpact` dollars (negative = loss), `pnlImpactPct` fraction of NAV, `perAgent` dollars. */
export const StressRunResult = z.object({ scenario: z.string(), kind: z.string(), pnlImpact: z.number(), pnlImpactPct: z.number(), perAgent: z.record(z.string(), z.number()) });
export const StressRun = z.object({
  asOf: isoDate, nav: z.number(), runAt: z.string(), results: z.array(StressRunResult),
  worst: z.object({ scenario: z.string(), pnlImpact: z.number(), pnlImpactPct: z.number() }).nullable(),
});
/** A stored stress result: `details.book` 'target' (a cycle's) or 'held' (a POST's), `details.runAt` when it ran. */
export const StressRow = z.object({
  fundId: z.string(), cycleId: z.string().nullable(), asOf: isoDate, scenario: z.string(), pnlImpact: z.number(), pnlImpactPct: z.number(),
  perAgent: z.record(z.string(), z.number()),
  details: z.looseObject({ kind: z.string().optional(), runAt: z.string().optional(), book: z.string().optional(), runBy: z.string().nullable().optional() }),
});
export const StressResults = z.object({ results: z.array(StressRow) });

/** The stress scenarios: factor shocks are returns unless `units` says otherwise. */
export const ScenarioDefs = z.object({
  scenarios: z.array(z.object({ name: z.string(), kind: z.string(), description: z.string(), note: z.string().nullable(), factorShocks: z.record(z.string(), z.number()) })),
  replays: z.array(z.object({ name: z.string(), kind: z.literal('replay'), description: z.string() })),
  units: z.string(),
  driverSensitivity: z.record(z.string(), z.record(z.string(), z.number())),
});

/** The risk service's answer: decisions per agent (targets in weights and dollars), the snapshot and alerts. */
export const RiskReviewAnswer = z.object({
  asOf: isoDate, cycleId: z.string(), tradingState: TradingState, failSafe: z.object({ active: z.boolean(), problems: z.array(z.string()) }),
  decisions: z.array(z.object({
    agentId: z.string(), action: OverlayAction, scale: z.number(), summary: z.string(), reasons: z.array(Reason),
    targets: z.array(z.object({
      symbol: z.string(), proposedWeight: z.number(), finalWeight: z.number(), targetNotional: z.number(), currentNotional: z.number(), deltaNotional: z.number(),
      priority: z.number(), actionType: RiskActionType, reasoning: z.string(),
    })),
  })),
  snapshot: z.object({
    var95: z.number(), var99: z.number(), var95Pct: z.number(), var99Pct: z.number(), gross: z.number(), net: z.number(),
    largestSingleName: z.object({ symbol: z.string().nullable(), pct: z.number() }), top10Pct: z.number(), hhi: z.number(),
    budgets: z.record(z.string(), z.object({ component: z.number(), standalone: z.number(), budget: z.number(), used: z.number(), status: z.string() })),
    buckets: z.record(z.string(), z.object({ component: z.number(), cap: z.number(), used: z.number(), status: z.string() })),
  }),
  worstStress: z.object({ scenario: z.string(), fundPnl: z.number(), fundPnlPct: z.number() }).nullable(),
  alerts: z.array(Alert),
});

/** The fund hedge book's target for one instrument in one cycle: shares signed, dollars at `price`. */
export const HedgeRow = z.object({
  fundId: z.string(), cycleId: z.string(), asOf: isoDate, instrument: z.string(), kind: z.enum(['index', 'sector', 'beta']), targetQty: z.number(), targetNotional: z.number(),
  currentQty: z.number(), price: z.number().nullable(), exposureBefore: z.number().nullable(), exposureAfter: z.number().nullable(), reason: z.string(),
});
export const HedgesAnswer = z.object({ hedges: z.array(HedgeRow) });

/**
 * A capital allocation the overlay made in a cycle (the stored snapshot's `allocation`): capital in
 * dollars before (`from`), after (`to`) and the target; `exAnteVol` annualised, a fraction of NAV;
 * `riskShare`, `vol`, `sharpe` null when an agent's record is too short.
 */
export const AllocationRow = z.looseObject({
  cycleId: z.string().nullable(), asOf: isoDate, method: z.string(), rebalanced: z.boolean(), exAnteVol: z.number().nullable(), tilt: z.number(),
  agents: z.array(z.object({ agentId: z.string(), from: z.number(), to: z.number(), target: z.number(), riskShare: z.number().nullable(), standaloneShare: z.number().nullable().optional(), vol: z.number().nullable(), sharpe: z.number().nullable(), why: z.string() })),
});
export const AllocationsAnswer = z.object({ allocations: z.array(AllocationRow) });

/** Each agent's and bucket's VaR budget use from the last cycle: dollars; `used` = component / budget. */
export const RiskBudgets = z.object({
  asOf: isoDate.nullable(), cycleId: z.string().nullable(), fundVar: z.number().nullable(),
  agents: z.array(z.object({ agentId: z.string(), componentVar: z.number(), standaloneVar: z.number(), budget: z.number(), used: z.number(), status: z.string() })),
  buckets: z.array(z.object({ bucket: z.string(), componentVar: z.number(), cap: z.number(), used: z.number(), status: z.string() })),
});

export { OverlayDecision };
export const OverlayActionsAnswer = z.object({ actions: z.array(OverlayDecision) });
export const LatestOverlayActions = z.object({ latest: z.record(z.string(), OverlayDecision) });
