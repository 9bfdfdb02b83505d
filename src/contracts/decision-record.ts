import { z } from 'zod';
import { finite, fraction, id, isoTime, symbol, version } from './common.ts';

export const FinalDecision = z.enum(['EXECUTE_BUY', 'EXECUTE_SELL', 'HOLD', 'REJECT']);
export type FinalDecision = z.infer<typeof FinalDecision>;

/**
 * The audit record of one decision: the 15 fields of seeds/mini-quant-fund-summary.md §7
 * (snake_case there, camelCase here), plus the contract `version`.
 * `positionSize` is the final signed weight (fraction of the agent's capital); `muHat` and
 * `sigmaHat` are over the signal horizon; `conviction` = muHat / sigmaHat.
 */
export const DecisionRecord = z.object({
  version,
  cycleId: id,
  symbol,
  timestamp: isoTime,
  finalDecision: FinalDecision,
  positionSize: finite,
  stopLoss: finite.nullable(),
  reasonCodes: z.array(z.string()),
  muHat: finite,
  sigmaHat: finite,
  conviction: finite,
  dataQualityScore: fraction,
  providerConfidence: fraction,
  agentResults: z.record(z.string(), z.unknown()),
  riskChecks: z.record(z.string(), z.unknown()),
  metadata: z.record(z.string(), z.unknown()),
});
export type DecisionRecord = z.infer<typeof DecisionRecord>;
