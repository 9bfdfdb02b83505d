/**
 * How far the risk model's forecast for an agent's book is from what the book did: the bias
 * statistic of risk-model validation, kept per agent as an exponentially weighted mean of its
 * squared standardised daily returns (the return ÷ the vol the model forecast for the book that
 * earned it). Its square root is 1 when the model is right, 1.7 when the book moves 1.7× what the
 * model says (a short-horizon reversal book, long what just fell and short what just rose, holds
 * names whose vol the model's long window has not caught up with).
 *
 * The agent's VaR budget is sized from its record's realised vol (the capital allocation) but
 * checked on the model's VaR of its book; `modelBias` puts the budget in the model's units, so a
 * budget binds at the risk the agent was given capital for, whichever way the model leans.
 * The track also keeps the model's vol of the agent's proposals (`recordProposal`), which floors
 * its budget (`agentVarBudget`).
 */
export interface ForecastTrack {
  /** The model's daily vol per dollar of equity for the agent's final book at the last review (0: no book). */
  readonly vol: number;
  /** Exponentially weighted sum of (return ÷ forecast vol)², weights (1 − decay)·decayᵏ from 0 (`modelBias` divides by their total). */
  readonly bias2: number;
  /** How many returns have been scored. */
  readonly days: number;
  /**
   * The model's daily vol per dollar of allocated capital of the agent's proposals (those with a
   * book; before the overlay's review), their mean over the first days, then exponentially
   * weighted (half-life BIAS_HALF_LIFE_DAYS): the floor of its VaR budget (`agentVarBudget`).
   */
  readonly proposed?: number;
  /** Proposals with a book counted in `proposed`. */
  readonly proposedDays?: number;
}

/** Half-life of the bias statistic, trading days (a quarter: slow enough not to chase a week). */
export const BIAS_HALF_LIFE_DAYS = 63;
/** Returns scored before the bias is used: until then the model is taken at its word. */
export const BIAS_MIN_DAYS = 63;
/** The bias is used within these bounds: a model off by more than 2× either way needs a person, not a rescale. */
export const BIAS_MIN = 1;
export const BIAS_MAX = 2;
/** One day's squared standardised return counts at most this much (a 6σ day): one crash day does not set a quarter's bias. */
const MAX_DAY = 36;
const DECAY = 0.5 ** (1 / BIAS_HALF_LIFE_DAYS);

const START: ForecastTrack = { vol: 0, bias2: 0, days: 0 };

/** The track with today's forecast for the agent's final book (daily vol per dollar of its equity). */
export function recordForecast(track: ForecastTrack | undefined, vol: number): ForecastTrack {
  return { ...(track ?? START), vol: Number.isFinite(vol) && vol > 0 ? vol : 0 };
}

/** The track after the book earned `ret` (a daily return on equity) on the last forecast; unchanged without one. */
export function scoreForecast(track: ForecastTrack, ret: number): ForecastTrack {
  if (!(track.vol > 0) || !Number.isFinite(ret)) return track;
  const z2 = Math.min(MAX_DAY, (ret / track.vol) ** 2);
  return { ...track, bias2: DECAY * track.bias2 + (1 - DECAY) * z2, days: track.days + 1 };
}

/** Realised over forecast vol for the agent's book, within BIAS_MIN–BIAS_MAX; 1 until BIAS_MIN_DAYS returns are scored. */
export function modelBias(track: Pick<ForecastTrack, 'bias2' | 'days'> | undefined): number {
  if (!track || track.days < BIAS_MIN_DAYS) return 1;
  const mean = track.bias2 / (1 - DECAY ** track.days);
  return Math.min(BIAS_MAX, Math.max(BIAS_MIN, Math.sqrt(mean)));
}

/** Proposals with a book counted before their mean floors the budget (a month). */
export const PROPOSED_MIN_DAYS = 20;

/** The track with today's proposal's model vol per dollar of allocated capital (a proposal without risk, a flat book, is not counted). */
export function recordProposal(track: ForecastTrack | undefined, vol: number): ForecastTrack {
  const t = track ?? START;
  if (!(Number.isFinite(vol) && vol > 0)) return t;
  const n = t.proposedDays ?? 0;
  const was = t.proposed ?? 0;
  // the mean of the first days, then exponentially weighted
  const w = Math.max(1 - DECAY, 1 / (n + 1));
  return { ...t, proposed: was + w * (vol - was), proposedDays: n + 1 };
}
