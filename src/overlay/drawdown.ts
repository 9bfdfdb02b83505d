import { weekdayCount, type IsoDate } from '../core/index.ts';
import { AGENT_STATE_SEVERITY, type AgentState, type DrawdownConfig, type DrawdownStep } from '../contracts/index.ts';
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

/** The deepest step whose threshold the drawdown has reached, or 'normal'. */
export function stepFor(dd: number, steps: readonly DrawdownStep[]): AgentState {
  let state: AgentState = 'normal';
  for (const s of steps) if (dd >= s.drawdownPct - 1e-12 && AGENT_STATE_SEVERITY[s.state] > AGENT_STATE_SEVERITY[state]) state = s.state;
  return state;
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
  readonly event: 'none' | 'escalated' | 'deescalated' | 'recovery_started' | 'recovery_step' | 'recovered' | 'waiting_cooldown' | 'waiting_rearm';
}

const isFreeze = (s: AgentState): boolean => s === 'flat' || s === 'paused';

/**
 * One step of the graduated drawdown machine. Escalation is immediate; de-escalation waits
 * `cooldownDays` weekdays; leaving a freeze (flat, paused) starts the recovery ramp and resets the
 * high-water mark, and leaving 'paused' also needs a recorded manual re-arm.
 */
export function advanceDrawdown(
  track: DrawdownTrack,
  dd: number,
  steps: readonly DrawdownStep[],
  cfg: DrawdownConfig,
  asOf: IsoDate,
): DrawdownOutcome {
  const target = stepFor(dd, steps);
  const sev = AGENT_STATE_SEVERITY;
  if (sev[target] > sev[track.state]) {
    return { track: { state: target, since: asOf, recoveryStep: -1, rearm: null }, scale: STATE_SCALE[target], resetHighWaterMark: false, event: 'escalated' };
  }
  const elapsed = weekdaysSince(track.since, asOf);
  if (isFreeze(track.state)) {
    if (elapsed < cfg.cooldownDays) return { track, scale: 0, resetHighWaterMark: false, event: 'waiting_cooldown' };
    if (track.state === 'paused' && track.rearm === null) return { track, scale: 0, resetHighWaterMark: false, event: 'waiting_rearm' };
    const first = cfg.recoveryRamp[0] ?? 1;
    return {
      track: { state: 'normal', since: asOf, recoveryStep: 0, rearm: track.rearm },
      scale: first,
      resetHighWaterMark: true,
      event: 'recovery_started',
    };
  }
  if (track.recoveryStep >= 0) {
    const last = cfg.recoveryRamp.length - 1;
    const step = Math.min(last, Math.floor(elapsed / cfg.recoveryStepDays));
    const scale = cfg.recoveryRamp[step] ?? 1;
    if (scale >= 1) return { track: { state: 'normal', since: null, recoveryStep: -1, rearm: null }, scale: 1, resetHighWaterMark: false, event: 'recovered' };
    return { track: { ...track, recoveryStep: step }, scale, resetHighWaterMark: false, event: 'recovery_step' };
  }
  if (sev[target] < sev[track.state]) {
    if (elapsed < cfg.cooldownDays) return { track, scale: STATE_SCALE[track.state], resetHighWaterMark: false, event: 'waiting_cooldown' };
    return { track: { state: target, since: asOf, recoveryStep: -1, rearm: null }, scale: STATE_SCALE[target], resetHighWaterMark: false, event: 'deescalated' };
  }
  return { track, scale: STATE_SCALE[track.state], resetHighWaterMark: false, event: 'none' };
}
