import { z } from 'zod';
import { finite, fraction, id, isoDate, isoTime, symbol, traceId, version } from './common.ts';

/**
 * The fund's trading state (ARCHITECTURE.md): ACTIVE; REDUCING lets only exposure-reducing changes
 * through; HALTED approves nothing new. The one definition: the overlay's transition table
 * (`TRADING_TRANSITIONS`), the OMS's pre-trade check, the store and the API all use it.
 */
export const TradingState = z.enum(['ACTIVE', 'REDUCING', 'HALTED']);
export type TradingState = z.infer<typeof TradingState>;

export const CheckStatus = z.enum(['OK', 'WARNING', 'BREACH']);
export type CheckStatus = z.infer<typeof CheckStatus>;

/**
 * Why a check acted, as data: `{ code: 'SECTOR_CAP', rule: 'cross_agent_constraints',
 * sector: 'Energy', limit: 0.20, actual: 0.26 }`. Limits and actuals are in the unit the rule
 * names (fractions of fund or agent capital unless the code says otherwise).
 */
export const Reason = z.object({
  code: z.string().min(1),
  rule: z.string().min(1),
  message: z.string(),
  limit: finite.nullable().default(null),
  actual: finite.nullable().default(null),
  symbol: symbol.nullable().default(null),
  sector: z.string().nullable().default(null),
  bucket: z.string().nullable().default(null),
});
export type Reason = z.infer<typeof Reason>;

/** One overlay check's verdict on one agent's proposal. */
export const CheckResult = z.object({
  check: z.string().min(1),
  status: CheckStatus,
  /** Scale applied to the whole book, in [0, 1]. */
  scale: fraction,
  /** Per-name caps on |weight| (fraction of the agent's capital). */
  caps: z.record(z.string(), finite).default({}),
  /** Names removed outright. */
  removed: z.array(symbol).default([]),
  block: z.boolean().default(false),
  reasons: z.array(Reason).default([]),
});
export type CheckResult = z.infer<typeof CheckResult>;

export const OverlayAction = z.enum(['APPROVE', 'SCALE', 'MODIFY', 'BLOCK']);
export type OverlayAction = z.infer<typeof OverlayAction>;

/** Risk-service action per name (seed: risk-service-plan §3.2). */
export const RiskActionType = z.enum(['SCALED_DOWN', 'REJECTED', 'CAPPED', 'OK']);
export type RiskActionType = z.infer<typeof RiskActionType>;

export const RiskAction = z.object({
  version,
  actionId: id,
  timestamp: isoTime,
  agentId: id,
  symbol,
  decisionId: id.nullable().default(null),
  actionType: RiskActionType,
  details: z.record(z.string(), z.unknown()).default({}),
});
export type RiskAction = z.infer<typeof RiskAction>;

export const FinalTarget = z.object({
  symbol,
  /** Proposed and final weights, fractions of the agent's allocated capital. */
  proposedWeight: finite,
  finalWeight: finite,
  priority: z.number().int().min(1),
});
export type FinalTarget = z.infer<typeof FinalTarget>;

/** The committee's one decision per agent per cycle. */
export const OverlayDecision = z.object({
  version,
  traceId,
  decisionId: id,
  cycleId: id,
  agentId: id,
  asOf: isoDate,
  action: OverlayAction,
  /** Book-wide scale in [0, 1] (1 for APPROVE, 0 for BLOCK). */
  scale: fraction,
  reasons: z.array(Reason),
  checks: z.array(CheckResult),
  targets: z.array(FinalTarget),
  riskActions: z.array(RiskAction),
  summary: z.string().max(4000),
});
export type OverlayDecision = z.infer<typeof OverlayDecision>;

/** What a summary of a decision shows (the Morning Pack's agents): no checks, targets or risk actions. */
export const OverlayDecisionHeadline = OverlayDecision.pick({ decisionId: true, cycleId: true, agentId: true, asOf: true, action: true, scale: true, reasons: true, summary: true });
export type OverlayDecisionHeadline = z.infer<typeof OverlayDecisionHeadline>;
