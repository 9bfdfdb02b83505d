import { z } from 'zod';
import { isoDate, isoTime } from '../../contracts/index.ts';

/** Annualised statistics of a daily equity curve (returns and drawdowns are fractions). */
export const TearSheet = z.looseObject({
  days: z.number(), totalReturn: z.number(), annualReturn: z.number(), annualVolatility: z.number(), sharpe: z.number(), sortino: z.number(), calmar: z.number(), maxDrawdown: z.number(),
  dailyVaR95: z.number(), dailyCVaR95: z.number(), tailRatio: z.number(), stability: z.number(), alpha: z.number().nullable(), beta: z.number().nullable(),
  informationRatio: z.number().nullable(), deflatedSharpe: z.number().nullable(), trials: z.number(),
});
/** What each overlay rule removed from the proposals, per day on average (gross and VaR in dollars). */
export const BindingSummary = z.object({
  days: z.number(), agentDays: z.number(), proposedGross: z.number(), finalGross: z.number(), proposedVar: z.number(), finalVar: z.number(),
  rules: z.array(z.object({
    rule: z.string(), policy: z.boolean(), gross: z.number(), grossPct: z.number(), var: z.number(), varPct: z.number(), agentDays: z.number(), agentDaysPct: z.number(), firstDate: isoDate, lastDate: isoDate,
  })),
});
export const NavStats = z.object({ totalReturn: z.number(), annualReturn: z.number(), annualVolatility: z.number(), sharpe: z.number(), maxDrawdown: z.number(), worst20d: z.number().nullable() });
export const CompareSide = z.object({
  gross: NavStats, net: NavStats, turnover: z.object({ oneWay: z.number(), oneWayPerGross: z.number() }),
  costs: z.object({ commissions: z.number(), slippage: z.number(), total: z.number(), ofGrossPnl: z.number().nullable() }),
});
export const Kept = z.object({ returnKept: z.number().nullable(), sharpeKept: z.number().nullable(), drawdownReduction: z.number().nullable(), worst20dReduction: z.number().nullable() });
/** The backtest beside the same backtest with some overlay rules off. */
export const BacktestComparison = z.object({
  label: z.string(), disabled: z.array(z.string()), on: CompareSide, off: CompareSide, kept: z.object({ gross: Kept, net: Kept }),
  variant: z.object({ fund: z.object({ equity: z.array(z.number()), equityGross: z.array(z.number()) }), binding: BindingSummary }),
});
/** A completed backtest's results: equity curves in dollars, one point per date. */
export const BacktestResults = z.object({
  id: z.string(), from: isoDate, to: isoDate, days: z.number(), dates: z.array(isoDate),
  fund: z.object({ equity: z.array(z.number()), drawdown: z.array(z.number()), tearSheet: TearSheet, benchmark: TearSheet.nullable() }),
  /** Absent in backtests stored before the binding report existed. */
  binding: BindingSummary.optional(),
  comparison: BacktestComparison.optional(),
  agents: z.array(z.object({
    id: z.string(), strategy: z.string(), allocatedCapital: z.number(), equity: z.array(z.number()), tearSheet: TearSheet, varBudgetUsedMean: z.number(), varBudgetUsedMax: z.number(),
    /** Daily capital after the day's allocation, and the capital moved into the book that day (part of `equity`); absent in backtests stored before the allocation. */
    capital: z.array(z.number()).optional(), flows: z.array(z.number()).optional(),
    overlayActions: z.record(z.string(), z.number()),
  })),
  overlayActions: z.record(z.string(), z.number()),
  killSwitchEvents: z.array(z.object({ date: isoDate, state: z.string(), triggers: z.array(z.string()), cause: z.string() })),
  turnover: z.object({ tradedNotional: z.number(), annualisedTurnover: z.number() }),
  costs: z.object({ commissions: z.number(), orders: z.number(), fills: z.number() }),
});
export const BacktestStatus = z.enum(['QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED']);
/** A backtest job without its results. `progress` in [0, 1]. */
export const BacktestRow = z.object({
  id: z.string(), fundId: z.string().nullable(), status: BacktestStatus, progress: z.number().min(0).max(1),
  params: z.looseObject({ from: isoDate.optional(), to: isoDate.optional(), agents: z.array(z.string()).nullable().optional() }),
  error: z.string().nullable(), createdAt: isoTime, startedAt: isoTime.nullable(), finishedAt: isoTime.nullable(),
});
export const Backtest = BacktestRow.extend({ results: BacktestResults.nullable() });
export const BacktestQueued = z.object({ id: z.string(), status: z.literal('QUEUED') });
export const BacktestsAnswer = z.object({ backtests: z.array(BacktestRow) });
export const BacktestAnswer = z.object({ backtest: Backtest });
export const BacktestCancelled = z.object({ backtest: BacktestRow });
