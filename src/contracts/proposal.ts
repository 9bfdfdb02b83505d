import { z } from 'zod';
import { finite, id, isoDate, symbol, traceId, version } from './common.ts';
import { Signal } from './signal.ts';
import { StrategyType } from './strategy.ts';

/** One target of an agent's book: `weight` is a signed fraction of the agent's allocated capital. */
export const TargetWeight = z.object({
  symbol,
  weight: finite,
  /** Optional protective levels from per-agent risk (ATR stops), in price units. */
  stopLoss: finite.nullable().default(null),
  takeProfit: finite.nullable().default(null),
});
export type TargetWeight = z.infer<typeof TargetWeight>;

/** What the agent's own risk layer changed before the fund overlay saw the book. */
export const AgentRiskNote = z.object({
  code: z.string().min(1),
  symbol: symbol.nullable().default(null),
  limit: finite.nullable().default(null),
  actual: finite.nullable().default(null),
  message: z.string(),
});
export type AgentRiskNote = z.infer<typeof AgentRiskNote>;

/**
 * An agent's proposed book for one cycle: its signals and the full target book (names absent
 * from `targets` are to be closed).
 */
/** The longest `reasoning` an AgentProposal carries, UTF-16 code units. */
export const MAX_REASONING = 4000;

export const AgentProposal = z.object({
  version,
  traceId,
  cycleId: id,
  agentId: id,
  strategy: StrategyType,
  asOf: isoDate,
  signals: z.array(Signal),
  targets: z.array(TargetWeight),
  agentRisk: z.array(AgentRiskNote).default([]),
  reasoning: z.string().max(MAX_REASONING).default(''),
});
export type AgentProposal = z.infer<typeof AgentProposal>;

/**
 * A final target position after the overlay (seed: risk-service-plan §3.2): weights are
 * fractions of the agent's allocated capital, notionals in dollars; `delta` = target − current.
 */
export const TargetPosition = z.object({
  version,
  agentId: id,
  symbol,
  targetWeight: finite,
  targetNotional: finite,
  currentNotional: finite,
  deltaNotional: finite,
  /** 1 is the most urgent (de-risking first). */
  priority: z.number().int().min(1),
  reasoning: z.string().max(2000).default(''),
});
export type TargetPosition = z.infer<typeof TargetPosition>;
