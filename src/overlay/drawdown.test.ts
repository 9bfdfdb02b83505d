import { describe, expect, it } from 'vitest';
import { DrawdownConfig } from '../contracts/index.ts';
import { advanceDrawdown, agentUnitVol, drawdownOf, NORMAL_TRACK, realisedVol, stepFor, weekdaysSince } from './index.ts';

/** The seed's fixed ladders (3/5/8/10%, fund 2/4%), recovered by earning the loss back. */
const cfg = DrawdownConfig.parse({
  agentSteps: [
    { drawdownPct: 0.03, state: 'reduced_50' },
    { drawdownPct: 0.05, state: 'reduced_75' },
    { drawdownPct: 0.08, state: 'flat' },
    { drawdownPct: 0.1, state: 'paused' },
  ],
  fundSteps: [
    { drawdownPct: 0.02, state: 'reduced_50' },
    { drawdownPct: 0.04, state: 'flat' },
  ],
  recovery: 'earn_back',
});
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

describe('drawdown steps in units of volatility (issue 15)', () => {
  const dflt = DrawdownConfig.parse({});
  const steps = dflt.agentSteps;

  it('the default agent steps are 1.5σ / 2σ / 2.5σ / 3σ of the agent\'s own vol', () => {
    expect(stepFor(0.1499, steps, 0.1)).toBe('normal');
    expect(stepFor(0.15, steps, 0.1)).toBe('reduced_50');
    expect(stepFor(0.2, steps, 0.1)).toBe('reduced_75');
    expect(stepFor(0.25, steps, 0.1)).toBe('flat');
    expect(stepFor(0.3, steps, 0.1)).toBe('paused');
    // a quieter book trips at a smaller loss
    expect(stepFor(0.06, steps, 0.04)).toBe('reduced_50');
  });

  it('the default fund steps are 1 and 1.4 × the risk target', () => {
    expect(advanceDrawdown(NORMAL_TRACK, 0.0999, dflt.fundSteps, dflt, '2024-03-01', 0.1).track.state).toBe('normal');
    expect(advanceDrawdown(NORMAL_TRACK, 0.1, dflt.fundSteps, dflt, '2024-03-01', 0.1).scale).toBe(0.5);
    expect(advanceDrawdown(NORMAL_TRACK, 0.14, dflt.fundSteps, dflt, '2024-03-01', 0.1).track.state).toBe('flat');
  });

  it('realised vol: sample sd × √252 of the days with P&L; the budget vol stands in for a short record; a floor', () => {
    const r = Array.from({ length: 100 }, (_, i) => (i % 2 ? 0.01 : -0.01));
    const sd = Math.sqrt((100 * 0.0001) / 99);
    expect(realisedVol(r, 126, 63)).toBeCloseTo(sd * Math.sqrt(252), 12);
    expect(realisedVol([...r, 0, 0, 0], 126, 63)).toBeCloseTo(sd * Math.sqrt(252), 12); // days flat do not count
    expect(realisedVol(r.slice(0, 62), 126, 63)).toBeNaN();
    const lim = { volWindowDays: 126, volMinDays: 63, minVolPct: 0.02 };
    expect(agentUnitVol(r.slice(0, 62), lim, 0.22)).toBe(0.22);
    expect(agentUnitVol(r.map((x) => x / 100), lim, 0.22)).toBe(0.02);
  });

  it('the unit is fixed when the agent leaves normal: halving the book (and its vol) does not tighten its own steps', () => {
    const o = advanceDrawdown(NORMAL_TRACK, 0.15, steps, dflt, '2024-03-01', 0.1);
    expect(o.track).toMatchObject({ state: 'reduced_50', entryDrawdown: 0.15, unitVol: 0.1 });
    expect(o.threshold).toBeCloseTo(0.15, 12);
    // the next day its measured vol is half: 0.17 would be 3.4σ of 0.05 (paused), but is 1.7σ of the kept 0.1
    expect(advanceDrawdown(o.track, 0.17, steps, dflt, '2024-03-04', 0.05).track.state).toBe('reduced_50');
  });

  it('a fixed drawdownPct and a volMultiple step: exactly one, and the error names the field', () => {
    expect(() => DrawdownConfig.parse({ agentSteps: [{ drawdownPct: 0.03, volMultiple: 1.5, state: 'reduced_50' }] })).toThrow(/volMultiple.*not both|not both/);
    const e = DrawdownConfig.safeParse({ agentSteps: [{ state: 'reduced_50' }] });
    expect(e.success).toBe(false);
    expect(e.error?.issues[0]?.path).toEqual(['agentSteps', 0, 'volMultiple']);
  });
});

describe('recovery that does not trap (issue 15): rebase or earn back', () => {
  const rebase = DrawdownConfig.parse({});
  const earn = DrawdownConfig.parse({ recovery: 'earn_back' });
  const steps = rebase.agentSteps;
  const entered = advanceDrawdown(NORMAL_TRACK, 0.16, steps, rebase, '2024-03-01', 0.1).track; // a Friday

  it('rebase: a reduce step held for the cooldown without going deeper is measured from its entry level, and the high-water mark moves down to it', () => {
    expect(advanceDrawdown(entered, 0.16, steps, rebase, '2024-03-07', 0.1).track.state).toBe('reduced_50'); // cooldown: 4 weekdays
    const o = advanceDrawdown(entered, 0.17, steps, rebase, '2024-03-08', 0.1);
    expect(o.event).toBe('rebased');
    expect(o.track.state).toBe('normal');
    expect(o.scale).toBe(1);
    expect(o.rebaseHighWaterMark).toBe(0.16);
    expect(o.drawdown).toBeCloseTo(1 - 0.83 / 0.84, 12);
  });

  it('rebase: the step is the one the loss since the entry level reaches', () => {
    const fixed = DrawdownConfig.parse({ agentSteps: [{ drawdownPct: 0.03, state: 'reduced_50' }, { drawdownPct: 0.05, state: 'reduced_75' }, { drawdownPct: 0.5, state: 'flat' }] });
    const t = advanceDrawdown(NORMAL_TRACK, 0.05, fixed.agentSteps, fixed, '2024-03-01').track;
    expect(t.state).toBe('reduced_75');
    const o = advanceDrawdown(t, 0.09, fixed.agentSteps, fixed, '2024-03-08'); // 4.2% below the entry level
    expect(o.event).toBe('rebased');
    expect(o.track).toMatchObject({ state: 'reduced_50', entryDrawdown: o.drawdown });
    expect(o.drawdown).toBeCloseTo(1 - 0.91 / 0.95, 12);
    // and it holds there while the loss since the entry level is above the step
    expect(advanceDrawdown(t, 0.09, fixed.agentSteps, fixed, '2024-03-07').track.state).toBe('reduced_75');
  });

  it('earn_back: the agent stays reduced until its drawdown from the old high-water mark is under the step', () => {
    expect(advanceDrawdown(entered, 0.16, steps, earn, '2024-03-08', 0.1).track.state).toBe('reduced_50');
    const o = advanceDrawdown(entered, 0.149, steps, earn, '2024-03-08', 0.1);
    expect(o.track.state).toBe('normal');
    expect(o.rebaseHighWaterMark).toBeNull();
  });

  it('going deeper escalates from the high-water mark at once, in either mode', () => {
    expect(advanceDrawdown(entered, 0.2, steps, rebase, '2024-03-04', 0.1).track.state).toBe('reduced_75');
    expect(advanceDrawdown(entered, 0.2, steps, earn, '2024-03-04', 0.1).track.state).toBe('reduced_75');
  });
});
