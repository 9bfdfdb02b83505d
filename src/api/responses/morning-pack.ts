import { z } from 'zod';
import { AgentState, Alert, AlertSeverity, isoDate, isoTime, OverlayAction, ProposalStatus, Regime, StrategyType } from '../../contracts/index.ts';

/** The market line: index level and simple returns (fractions; null when the series is too short), VIX, regime. */
export const MarketSnapshot = z.object({
  indexSymbol: z.string(), indexLevel: z.number().nullable(), return1d: z.number().nullable(), return5d: z.number().nullable(), return21d: z.number().nullable(),
  volatilityIndex: z.object({ symbol: z.string(), level: z.number(), change1d: z.number().nullable() }).nullable(), regime: Regime,
});
export const TopSignal = z.object({ symbol: z.string(), mu: z.number(), sigma: z.number(), conviction: z.number(), confidence: z.number(), horizonDays: z.number() });
/** An agent's view: book gross/net as fractions of its capital, 1-day P&L in dollars. */
export const AgentView = z.object({
  agentId: z.string(), strategy: StrategyType, state: AgentState, topSignals: z.array(TopSignal), signalsAsOf: isoDate.nullable(),
  book: z.object({ gross: z.number(), net: z.number(), positions: z.number().int(), pnl1d: z.number().nullable().optional(), pnl1dDate: isoDate.nullable().optional() }),
  lastOverlay: z.object({ decisionId: z.string(), action: OverlayAction, scale: z.number(), reasonCodes: z.array(z.string()), summary: z.string(), asOf: isoDate }).nullable(),
});
export const AwaitingProposal = z.object({
  id: z.string(), agentId: z.string(), symbols: z.array(z.string()), status: ProposalStatus, size: z.number(), limitPrice: z.number().nullable(),
  expiresAt: isoTime, minutesToExpiry: z.number(), rationale: z.string(),
});
/** The pack's risk figures: VaR/CVaR the worst of the three methods (dollars, and fractions of NAV); null when a method has no level. */
export const RiskSummary = z.object({
  nav: z.number(), var95: z.number().nullable(), var95Pct: z.number().nullable(), var99: z.number().nullable(), var99Pct: z.number().nullable(), cvar99: z.number().nullable(), cvar99Pct: z.number().nullable(),
  grossPct: z.number(), netPct: z.number(), hhi: z.number(), effectiveNames: z.number(), top10Share: z.number(), daysToLiquidate: z.number().nullable(), stressDaysToLiquidate: z.number().nullable(),
  worstStress: z.object({ scenario: z.string(), pnl: z.number() }).nullable(),
  breaches: z.array(z.object({ name: z.string(), utilisation: z.number().nullable() })), warnings: z.array(z.object({ name: z.string(), utilisation: z.number().nullable() })),
});
export const MorningPack = z.object({
  fundId: z.string(), asOf: isoDate, generatedAt: isoTime, market: MarketSnapshot, agents: z.array(AgentView), awaitingApproval: z.array(AwaitingProposal),
  risk: RiskSummary.nullable(), alerts: z.array(Alert), alertCounts: z.record(AlertSeverity, z.number().int()),
});
export const Narrative = z.object({ text: z.string(), source: z.enum(['template', 'llm']), fallbackReason: z.string().nullable() });
export const MorningPackAnswer = z.object({ date: isoDate, pack: MorningPack, narrative: Narrative });
