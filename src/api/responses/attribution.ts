import { z } from 'zod';
import { isoDate } from '../../contracts/index.ts';

/** One part of the P&L (dollars; `pnlCents` exact), with its NAV-based P&L when stored (agents). */
export const PnlPart = z.object({ key: z.string(), pnl: z.number(), pnlCents: z.number().int(), navPnl: z.number().nullable().optional() });
export const FactorRow = z.object({ factor: z.string(), beta: z.number(), factorReturn: z.number(), contribution: z.number(), pnl: z.number() });
/** A regression of the daily P&L on the factor returns: returns are fractions of the base, P&L dollars. */
export const FactorReport = z.object({
  factors: z.array(FactorRow), alpha: z.number(), alphaPnl: z.number(), residual: z.number(), residualPnl: z.number(), total: z.number(), totalPnl: z.number(),
  rSquared: z.number().nullable(), observations: z.number().int(), missingFactorDays: z.number().int(),
});
export const BrinsonSectorRow = z.object({
  sector: z.string(), portfolioWeight: z.number(), benchmarkWeight: z.number(), portfolioContribution: z.number(), benchmarkContribution: z.number(),
  allocation: z.number(), selection: z.number(), interaction: z.number(), total: z.number(),
});
/** Brinson–Hood–Beebower by sector, linked over the window (returns are fractions). */
export const BrinsonReport = z.looseObject({
  method: z.string(), benchmark: z.object({ name: z.string(), weighting: z.enum(['cap', 'equal']), indexReturn: z.number().nullable() }), days: z.number().int(),
  portfolioReturn: z.number(), holdingsReturn: z.number(), benchmarkReturn: z.number(), activeReturn: z.number(),
  allocation: z.number(), selection: z.number(), interaction: z.number(), trading: z.number(), sectors: z.array(BrinsonSectorRow),
});
/** Where the book came from: today's positions rolled back through the stored fills. */
export const BookSource = z.looseObject({ positions: z.number().int(), fills: z.number().int(), unallocatedFills: z.number().int(), firstFill: z.string().nullable(), unpriced: z.array(z.string()) });
export const Attribution = z.object({
  fundId: z.string(), from: isoDate, to: isoDate, baseDate: isoDate, days: z.number().int(), base: z.number(), source: BookSource,
  total: z.object({ pnl: z.number(), pnlCents: z.number().int(), return: z.number().nullable() }),
  byAgent: z.array(PnlPart), byBucket: z.array(PnlPart), bySector: z.array(PnlPart), byName: z.array(PnlPart),
  factorModel: z.array(z.string()), factors: FactorReport.nullable(), factorError: z.string().nullable(),
  factorsByAgent: z.array(z.object({ agentId: z.string(), base: z.number(), factors: FactorReport.nullable(), factorError: z.string().nullable() })),
  brinson: BrinsonReport.nullable(), brinsonError: z.string().nullable(),
  /** navPnl = bookPnl (after `costs`) + difference (flows, and what the stored fills do not explain). */
  reconciliation: z.object({ bookPnl: z.number(), costs: z.number(), navPnl: z.number().nullable(), difference: z.number().nullable() }),
});
/** Daily P&L in dollars (`cumulative` from the window's start). */
export const PnlSeries = z.object({ key: z.string(), pnl: z.array(z.number()), cumulative: z.array(z.number()), total: z.number() });
export const PnlHistory = z.object({
  fundId: z.string(), from: isoDate, to: isoDate, by: z.enum(['fund', 'agent', 'name']), dates: z.array(isoDate), fund: PnlSeries, series: z.array(PnlSeries),
  navPnl: z.array(z.number().nullable()).nullable(), source: BookSource,
});

/** A book's factor exposures: `exposures` betas × value / capital (null when the book has no capital), `dollars` beta-dollars, `coverage` the share of gross with loadings. */
export const BookExposure = z.object({
  capital: z.number(), dollars: z.record(z.string(), z.number()), exposures: z.record(z.string(), z.number().nullable()), gross: z.number(), net: z.number(), coverage: z.number(), missing: z.array(z.string()),
});
export const AgentExposure = BookExposure.extend({ agentId: z.string() });
export const Exposures = z.object({ fundId: z.string(), asOf: isoDate, lookback: z.number().int(), factors: z.array(z.string()), agents: z.array(AgentExposure), fund: BookExposure });
export const AgentExposures = z.object({
  fundId: z.string(), asOf: isoDate, lookback: z.number().int(), factors: z.array(z.string()),
  agent: AgentExposure.extend({ names: z.array(z.object({ symbol: z.string(), value: z.number(), betas: z.record(z.string(), z.number()).nullable(), rSquared: z.number().nullable() })) }),
});
