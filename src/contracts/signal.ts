import { z } from 'zod';
import { finite, fraction, id, isoDate, nonNegative, positive, symbol, traceId, version } from './common.ts';

/** Market regimes (seed: mini-quant-fund §3). */
export const Regime = z.enum(['BULL_QUIET', 'BULL_VOLATILE', 'BEAR_QUIET', 'BEAR_CRISIS']);
export type Regime = z.infer<typeof Regime>;

/**
 * An agent's view of one name, with its uncertainty (seed: refactor-plan "uncertainty-first").
 * `mu` is the expected simple return over `horizonDays` trading days (0.02 = +2%); `sigma` its
 * standard deviation over the same horizon; `confidence` in [0, 1].
 */
export const Signal = z.object({
  version,
  traceId,
  symbol,
  mu: finite,
  sigma: nonNegative,
  horizonDays: positive,
  confidence: fraction,
  regime: Regime,
  agentId: id,
  modelVersion: z.string().min(1).max(64),
  asOf: isoDate,
});
export type Signal = z.infer<typeof Signal>;
