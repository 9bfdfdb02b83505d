import { describe, expect, it } from 'vitest';
import { DrawdownConfig } from '../contracts/index.ts';
import { advanceDrawdown, drawdownOf, NORMAL_TRACK, stepFor, weekdaysSince } from './index.ts';

const cfg = DrawdownConfig.parse({});
const agent = cfg.agentSteps;
const fund = cfg.fundSteps;

describe('graduated drawdown steps (seed fund-overlay-plan §3B)', () => {
  it.each([
    [0.0299, 'normal'],
    [0.03, 'reduced_50'],
    [0.0499, 'reduced_50'],
    [0.05, 'reduced_75'],
    [0.0799, 'reduced_75'],
    [0.08, 'flat'],
    [0.0999, 'flat'],
    [0.1, 'paused'],
    [0.3, 'paused'],
  ])('an agent %s below its high-water mark is %s', (dd, state) => {
    expect(stepFor(dd, agent)).toBe(state);
  });

  it.each([
    [0.0199, 'normal', 1],
    [0.02, 'reduced_50', 0.5],
    [0.0399, 'reduced_50', 0.5],
    [0.04, 'flat', 0],
  ])('the fund %s below its high-water mark is %s (every book × %s)', (dd, state, scale) => {
    const o = advanceDrawdown(NORMAL_TRACK, dd, fund, cfg, '2024-03-01');
    expect(o.track.state).toBe(state);
    expect(o.scale).toBe(scale);
  });

  it('agent books are cut 50% at 3%, 75% at 5%, flattened at 8% and paused at 10%', () => {
    expect(advanceDrawdown(NORMAL_TRACK, 0.03, agent, cfg, '2024-03-01').scale).toBe(0.5);
    expect(advanceDrawdown(NORMAL_TRACK, 0.05, agent, cfg, '2024-03-01').scale).toBe(0.25);
    expect(advanceDrawdown(NORMAL_TRACK, 0.08, agent, cfg, '2024-03-01').scale).toBe(0);
    const p = advanceDrawdown(NORMAL_TRACK, 0.1, agent, cfg, '2024-03-01');
    expect(p.track.state).toBe('paused');
    expect(p.scale).toBe(0);
  });

  it('drawdown is measured from the high-water mark and is 0 above it', () => {
    expect(drawdownOf(95, 100)).toBeCloseTo(0.05, 12);
    expect(drawdownOf(105, 100)).toBe(0);
  });

  it('de-escalation waits the 5-weekday cooldown', () => {
    const t = { state: 'reduced_75' as const, since: '2024-03-01', recoveryStep: -1, rearm: null }; // a Friday
    expect(weekdaysSince('2024-03-01', '2024-03-07')).toBe(4);
    expect(advanceDrawdown(t, 0, agent, cfg, '2024-03-07').track.state).toBe('reduced_75');
    const o = advanceDrawdown(t, 0, agent, cfg, '2024-03-08');
    expect(o.track.state).toBe('normal');
    expect(o.event).toBe('deescalated');
  });

  it('after a flat freeze and its cooldown the recovery ramp runs 20% → 100% in 2-day steps and resets the high-water mark', () => {
    const frozen = { state: 'flat' as const, since: '2024-03-01', recoveryStep: -1, rearm: null };
    expect(advanceDrawdown(frozen, 0.09, agent, cfg, '2024-03-05').scale).toBe(0);
    const start = advanceDrawdown(frozen, 0.09, agent, cfg, '2024-03-08');
    expect(start.event).toBe('recovery_started');
    expect(start.resetHighWaterMark).toBe(true);
    expect(start.scale).toBe(0.2);
    const tr = start.track;
    expect(advanceDrawdown(tr, 0, agent, cfg, '2024-03-11').scale).toBe(0.2);
    expect(advanceDrawdown(tr, 0, agent, cfg, '2024-03-12').scale).toBe(0.4);
    expect(advanceDrawdown(tr, 0, agent, cfg, '2024-03-14').scale).toBe(0.6);
    expect(advanceDrawdown(tr, 0, agent, cfg, '2024-03-18').scale).toBe(0.8);
    const done = advanceDrawdown(tr, 0, agent, cfg, '2024-03-20');
    expect(done.scale).toBe(1);
    expect(done.event).toBe('recovered');
  });

  it('a paused agent stays paused until a manual re-arm records who and why', () => {
    const paused = { state: 'paused' as const, since: '2024-03-01', recoveryStep: -1, rearm: null };
    expect(advanceDrawdown(paused, 0.1, agent, cfg, '2024-04-01').event).toBe('waiting_rearm');
    const rearmed = { ...paused, rearm: { who: 'cio', why: 'model fixed', at: '2024-03-29' } };
    const o = advanceDrawdown(rearmed, 0.1, agent, cfg, '2024-04-01');
    expect(o.event).toBe('recovery_started');
    expect(o.track.rearm?.who).toBe('cio');
  });

  it('a deeper drawdown during recovery escalates again at once', () => {
    const rec = { state: 'normal' as const, since: '2024-03-01', recoveryStep: 0, rearm: null };
    expect(advanceDrawdown(rec, 0.035, agent, cfg, '2024-03-04').track.state).toBe('reduced_50');
  });
});
