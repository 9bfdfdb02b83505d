/**
 * The regime machine (issue 15): a new label holds `confirmDays` days before it is adopted, a regime
 * lasts `minDwellDays`, BEAR_CRISIS is adopted at once, and the volatility threshold has hysteresis.
 */
import { describe, expect, it } from 'vitest';
import { RegimeConfig } from '../contracts/index.ts';
import { advanceRegime, parseFundState, reviewFund, type RegimeMeasures, type RegimeTrack } from './index.ts';
import { agentState, fundConfig, fundState, proposal, syntheticView } from './testing/fixture.ts';

const cfg = RegimeConfig.parse({}); // threshold 4/3 × 15% = 20%: volatile above 23%, quiet below 17%
const quietBull: RegimeMeasures = { trend: 0.05, vol: 0.1 };
const quietBear: RegimeMeasures = { trend: -0.05, vol: 0.1 };
const crisis: RegimeMeasures = { trend: -0.05, vol: 0.4 };
const settled: RegimeTrack = { regime: 'BULL_QUIET', since: '2024-01-02', days: 30, pending: null, pendingDays: 0, asOf: '2024-02-13' };

/** Steps the machine over consecutive weekdays from 2024-02-14. */
function run(track: RegimeTrack, days: readonly RegimeMeasures[]): RegimeTrack[] {
  const out: RegimeTrack[] = [];
  let t = track;
  let d = new Date('2024-02-14T00:00:00Z');
  for (const m of days) {
    while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d = new Date(d.getTime() + 86_400_000);
    t = advanceRegime(t, m, cfg, d.toISOString().slice(0, 10));
    out.push(t);
    d = new Date(d.getTime() + 86_400_000);
  }
  return out;
}

describe('regime machine (issue 15)', () => {
  it('the first day adopts the day\'s label', () => {
    expect(advanceRegime(undefined, quietBear, cfg, '2024-02-14')).toEqual({ regime: 'BEAR_QUIET', since: '2024-02-14', days: 1, pending: null, pendingDays: 0, asOf: '2024-02-14' });
  });

  it('a new label is adopted after it held 3 days in a row', () => {
    const t = run(settled, [quietBear, quietBear, quietBear]);
    expect(t.map((x) => x.regime)).toEqual(['BULL_QUIET', 'BULL_QUIET', 'BEAR_QUIET']);
    expect(t[2]).toMatchObject({ since: '2024-02-16', days: 1, pending: null });
  });

  it('a label that flickers day by day never changes the regime', () => {
    const t = run(settled, Array.from({ length: 20 }, (_, i) => (i % 2 ? quietBull : quietBear)));
    expect(new Set(t.map((x) => x.regime))).toEqual(new Set(['BULL_QUIET']));
  });

  it('a regime lasts at least 10 days, however long the new label holds', () => {
    const young: RegimeTrack = { ...settled, days: 1 };
    const t = run(young, Array.from({ length: 12 }, () => quietBear));
    expect(t.findIndex((x) => x.regime === 'BEAR_QUIET')).toBe(9); // the old regime's 10th day was the 9th step
  });

  it('BEAR_CRISIS is adopted at once, whatever the dwell', () => {
    expect(run({ ...settled, days: 1 }, [crisis])[0]?.regime).toBe('BEAR_CRISIS');
  });

  it('hysteresis: a quiet market turns volatile above 23%, and a volatile one calms below 17%', () => {
    const bullVol = (vol: number): RegimeMeasures => ({ trend: 0.05, vol });
    expect(run(settled, [bullVol(0.22), bullVol(0.22), bullVol(0.22)]).map((x) => x.regime)).toEqual(['BULL_QUIET', 'BULL_QUIET', 'BULL_QUIET']);
    expect(run(settled, [bullVol(0.235), bullVol(0.235), bullVol(0.235)])[2]?.regime).toBe('BULL_VOLATILE');
    const volatile: RegimeTrack = { ...settled, regime: 'BULL_VOLATILE' };
    expect(run(volatile, [bullVol(0.18), bullVol(0.18), bullVol(0.18)])[2]?.regime).toBe('BULL_VOLATILE');
    expect(run(volatile, [bullVol(0.16), bullVol(0.16), bullVol(0.16)])[2]?.regime).toBe('BULL_QUIET');
  });

  it('a second review on the same day does not step the machine', () => {
    const t = advanceRegime(settled, quietBear, cfg, '2024-02-14');
    expect(advanceRegime(t, quietBear, cfg, '2024-02-14')).toBe(t);
  });

  it('the review steps the machine when the state has no regime, and the next state carries it', () => {
    const view = syntheticView({ U: 10 });
    const config = fundConfig([{ id: 'a', strategy: 'momentum', capital: 1e7 }]);
    const state = fundState(view.asOf, 1e8, [agentState('a', 1e7)], { regime: null, regimeTrack: { ...settled, regime: 'BEAR_QUIET', asOf: '2000-01-03' } });
    const r = reviewFund({ proposals: [proposal('a', 'momentum', view.asOf, [{ symbol: 'S001', weight: 0.05 }])], state, config, view, cycleId: 'rg' });
    expect(r.nextState.regimeTrack?.asOf).toBe(view.asOf);
    expect(r.regime).toBe(r.nextState.regimeTrack?.regime);
    // given a regime, the review uses it and leaves the machine alone
    const given = reviewFund({ proposals: [], state: { ...state, regime: 'BULL_QUIET' }, config, view, cycleId: 'rg2' });
    expect(given.regime).toBe('BULL_QUIET');
    expect(given.nextState.regimeTrack).toEqual(state.regimeTrack);
    // the next state, with its regime machine and drawdown tracks, survives the store's schema
    const stored = JSON.parse(JSON.stringify(r.nextState)) as unknown;
    expect(parseFundState(stored)).toEqual(r.nextState);
    expect(() => parseFundState({ ...r.nextState, regimeTrack: { ...settled, days: 0 } })).toThrow(/regimeTrack\.days/);
  });
});
