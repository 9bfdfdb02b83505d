import { weekdayCount, type IsoDate } from '../core/index.ts';
import { AGENT_STATE_SEVERITY, drawdownThreshold, type AgentState, type DrawdownConfig, type DrawdownStep } from '../contracts/index.ts';
import { dayOf } from './days.ts';
import type { DrawdownTrack } from './types.ts';

/** Book multiplier of each drawdown state (seed fund-overlay-plan §3B: reduce 50% / 75%, flatten, pause). */
export const STATE_SCALE: Readonly<Record<AgentState, number>> = {
  normal: 1,
  reduced_50: 0.5,
  reduced_75: 0.25,
  flat: 0,
  paused: 0,
};

/** Drawdown from the high-water mark as a fraction (0.05 = 5% below the peak); 0 at or above it. */
export function drawdownOf(equity: number, highWaterMark: number): number {
  if (!(highWaterMark > 0)) return 0;
  return Math.max(0, 1 - equity / highWaterMark);
}

/**
 * The deepest step whose threshold the drawdown has reached, or 'normal'. A `volMultiple` step's
 * threshold is volMultiple × `unitVol` (annualised); a `drawdownPct` step's is fixed.
 */
export function stepFor(dd: number, steps: readonly DrawdownStep[], unitVol = Number.NaN): AgentState {
  let state: AgentState = 'normal';
  for (const s of steps) if (dd >= drawdownThreshold(s, unitVol) - 1e-12 && AGENT_STATE_SEVERITY[s.state] > AGENT_STATE_SEVERITY[state]) state = s.state;
  return state;
}

/**
 * Annualised volatility (sample standard deviation × √252) of the last `window` returns on which
 * the book had P&L (exact zeros are days flat, not days of risk); NaN with fewer than `minDays` of them.
 */
export function realisedVol(returns: readonly number[], window: number, minDays: number): number {
  let s = 0, ss = 0, n = 0;
  for (let k = Math.max(0, returns.length - window); k < returns.length; k++) {
    const r = returns[k] ?? 0;
    if (!Number.isFinite(r) || r === 0) continue;
    s += r; ss += r * r; n++;
  }
  if (n < Math.max(2, minDays)) return Number.NaN;
  return Math.sqrt(Math.max(0, (ss - (s * s) / n) / (n - 1)) * 252);
}

/**
 * The volatility an agent's vol steps are in units of: its realised vol (`realisedVol` over
 * `volWindowDays`), or `fallbackVol` (its risk-budget volatility) while its record is shorter than
 * `volMinDays`; never below `minVolPct`.
 */
export function agentUnitVol(returns: readonly number[], cfg: Pick<DrawdownConfig, 'volWindowDays' | 'volMinDays' | 'minVolPct'>, fallbackVol: number): number {
  const v = realisedVol(returns, cfg.volWindowDays, cfg.volMinDays);
  const u = Number.isFinite(v) ? v : fallbackVol;
  return Number.isFinite(u) ? Math.max(cfg.minVolPct, u) : cfg.minVolPct;
}

/** Weekdays after `since` up to and including `asOf`. */
export function weekdaysSince(since: IsoDate | null, asOf: IsoDate): number {
  if (since === null) return Number.POSITIVE_INFINITY;
  // a date that does not parse counts no time (a cooldown waits; the review fails safe on it)
  const n = weekdayCount(dayOf(since), dayOf(asOf));
  return Number.isNaN(n) ? 0 : n;
}

export interface DrawdownOutcome {
  readonly track: DrawdownTrack;
  /** Multiplier on the book in [0, 1]. */
  readonly scale: number;
  /** True when the high-water mark must be reset to today's equity (leaving a freeze). */
  readonly resetHighWaterMark: boolean;
  /**
   * 'rebase' recovery: the high-water mark moves down to the level at which the step was entered,
   * this fraction below it (the new mark is max(mark × (1 − this), equity)); null otherwise.
   */
  readonly rebaseHighWaterMark: number | null;
  /** The drawdown the ladder read: from the high-water mark, or from the step's entry level after a rebase. */
  readonly drawdown: number;
  /** The threshold of the current state's step, fraction below the high-water mark (null at 'normal'). */
  readonly threshold: number | null;
  readonly event: 'none' | 'escalated' | 'deescalated' | 'rebased' | 'recovery_started' | 'recovery_step' | 'recovered' | 'waiting_cooldown' | 'waiting_rearm';
}

const isFreeze = (s: AgentState): boolean => s === 'flat' || s === 'paused';

/** A track on a step, with what the rebase and the vol units need. */
function onStep(state: AgentState, asOf: IsoDate, entryDrawdown: number, unitVol: number): DrawdownTrack {
  const base = { state, since: asOf, recoveryStep: -1, rearm: null };
  if (state === 'normal') return base;
  return Number.isFinite(unitVol) ? { ...base, entryDrawdown, unitVol } : { ...base, entryDrawdown };
}

/**
 * One step of the graduated drawdown machine. Escalation is immediate; de-escalation waits
 * `cooldownDays` weekdays; leaving a freeze (flat, paused) starts the recovery ramp and resets the
 * high-water mark, and leaving 'paused' also needs a recorded manual re-arm. With
 * `recovery: 'rebase'`, a reduce step that held for the cooldown without going deeper reads the
 * drawdown from the level at which it was entered, and moves the high-water mark down to it.
 * `unitVol` (annualised) is the ladder's unit for `volMultiple` steps; the track keeps the one it
 * had when it left 'normal'.
 */
export function advanceDrawdown(
  track: DrawdownTrack,
  dd: number,
  steps: readonly DrawdownStep[],
  cfg: Pick<DrawdownConfig, 'cooldownDays' | 'recoveryRamp' | 'recoveryStepDays'> & Partial<Pick<DrawdownConfig, 'recovery'>>,
  asOf: IsoDate,
  unitVol = Number.NaN,
): DrawdownOutcome {
  const sev = AGENT_STATE_SEVERITY;
  const unit = track.state !== 'normal' && track.unitVol !== undefined ? track.unitVol : unitVol;
  const thresholdOf = (state: AgentState): number | null => {
    const s = steps.find((x) => x.state === state);
    return s ? drawdownThreshold(s, unit) : null;
  };
  const out = (t: DrawdownTrack, scale: number, event: DrawdownOutcome['event'], extra: { reset?: boolean; rebase?: number | null; drawdown?: number } = {}): DrawdownOutcome => ({
    track: t,
    scale,
    resetHighWaterMark: extra.reset ?? false,
    rebaseHighWaterMark: extra.rebase ?? null,
    drawdown: extra.drawdown ?? dd,
    threshold: thresholdOf(t.state),
    event,
  });
  const target = stepFor(dd, steps, unit);
  if (sev[target] > sev[track.state]) return out(onStep(target, asOf, dd, unit), STATE_SCALE[target], 'escalated');
  const elapsed = weekdaysSince(track.since, asOf);
  if (isFreeze(track.state)) {
    if (elapsed < cfg.cooldownDays) return out(track, 0, 'waiting_cooldown');
    if (track.state === 'paused' && track.rearm === null) return out(track, 0, 'waiting_rearm');
    const first = cfg.recoveryRamp[0] ?? 1;
    return out({ state: 'normal', since: asOf, recoveryStep: 0, rearm: track.rearm }, first, 'recovery_started', { reset: true });
  }
  if (track.recoveryStep >= 0) {
    const last = cfg.recoveryRamp.length - 1;
    const step = Math.min(last, Math.floor(elapsed / cfg.recoveryStepDays));
    const scale = cfg.recoveryRamp[step] ?? 1;
    if (scale >= 1) return out({ state: 'normal', since: null, recoveryStep: -1, rearm: null }, 1, 'recovered');
    return out({ ...track, recoveryStep: step }, scale, 'recovery_step');
  }
  if (track.state === 'normal') return out(track, 1, 'none');
  if (elapsed < cfg.cooldownDays) return out(track, STATE_SCALE[track.state], 'waiting_cooldown');
  // a reduce step held for the cooldown without going deeper
  const entry = track.entryDrawdown;
  if ((cfg.recovery ?? 'rebase') === 'rebase' && entry !== undefined && entry > 0) {
    const fromEntry = drawdownOf(1 - dd, 1 - entry);
    const to = stepFor(fromEntry, steps, unit);
    if (sev[to] < sev[track.state]) return out(onStep(to, asOf, fromEntry, unit), STATE_SCALE[to], 'rebased', { rebase: entry, drawdown: fromEntry });
    return out(track, STATE_SCALE[track.state], 'none', { drawdown: fromEntry });
  }
  if (sev[target] < sev[track.state]) return out(onStep(target, asOf, dd, unit), STATE_SCALE[target], 'deescalated');
  return out(track, STATE_SCALE[track.state], 'none');
}
