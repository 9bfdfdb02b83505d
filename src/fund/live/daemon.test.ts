import { describe, expect, it } from 'vitest';
import { nullLogger } from '../../core/index.ts';
import { gate } from '../cycle/gates.ts';
import { FundDaemon, isNyseSessionDay } from './daemon.ts';
import type { LiveCycleOutcome } from './run-live.ts';

const stale: LiveCycleOutcome = { status: 'REFUSED', gates: [gate('market_data', false, 'latest bar 2024-03-04 is older than 2024-03-05')], reason: 'market data is stale' };
const killed: LiveCycleOutcome = { status: 'REFUSED', gates: [gate('kill_switch', false, 'KILL_SWITCH exists')], reason: 'kill switch' };
const waiting: LiveCycleOutcome = { status: 'WAITING', gates: [], reason: 'waiting', desk: { expired: [], executed: [], waiting: [] } };
const isStale = (o: LiveCycleOutcome) => o.gates.some((g) => g.gate === 'market_data' && !g.passed);

function daemon(outcomes: LiveCycleOutcome[], retry: { everyMs: number; forMs: number }) {
  const runs: LiveCycleOutcome[] = [];
  const d = new FundDaemon({
    cron: '0 0 1 1 *',
    logger: nullLogger,
    heartbeatSec: 3600,
    runCycle: async () => {
      const out = outcomes[Math.min(runs.length, outcomes.length - 1)] ?? killed;
      runs.push(out);
      return out;
    },
    retryRefused: { when: isStale, ...retry },
  });
  return { d, runs };
}

describe('FundDaemon: a cycle refused for stale market data is tried again', () => {
  it('runs again every everyMs until the data is there', async () => {
    const { d, runs } = daemon([stale, stale, waiting], { everyMs: 5, forMs: 60_000 });
    await d.tick();
    expect(runs.map((r) => r.status)).toEqual(['REFUSED', 'REFUSED', 'WAITING']);
    expect(d.cyclesRun).toBe(3);
  });

  it('does not retry a refusal for another reason', async () => {
    const { d, runs } = daemon([killed, waiting], { everyMs: 5, forMs: 60_000 });
    await d.tick();
    expect(runs).toEqual([killed]);
  });

  it('does not wait past forMs: the refusal stands', async () => {
    const { d, runs } = daemon([stale, waiting], { everyMs: 5, forMs: 4 });
    await d.tick();
    expect(runs).toEqual([stale]);
  });

  it('stop() ends the wait at once and runs nothing more', async () => {
    const { d, runs } = daemon([stale, waiting], { everyMs: 3_600_000, forMs: 7_200_000 });
    const ticking = d.tick();
    await new Promise((r) => setTimeout(r, 20));
    await d.stop();
    await ticking;
    expect(runs).toEqual([stale]);
  });
});

describe('FundDaemon: the schedule runs on market days only', () => {
  it('skips a scheduled run on an exchange holiday or a weekend (New York day), runs it on a session day; tick() always runs', async () => {
    const { d, runs } = daemon([waiting], { everyMs: 5, forMs: 10 });
    await d.scheduledTick(Date.parse('2024-07-04T20:30:00Z')); // Independence Day, 16:30 New York
    await d.scheduledTick(Date.parse('2024-03-09T21:30:00Z')); // a Saturday
    expect(runs).toEqual([]);
    await d.scheduledTick(Date.parse('2024-07-05T20:30:00Z'));
    expect(runs).toEqual([waiting]);
    await d.tick();
    expect(runs).toHaveLength(2);
  });

  it('takes the day in New York: 01:00 UTC on a session day is still the evening before', () => {
    expect(isNyseSessionDay(Date.parse('2024-07-05T01:00:00Z'))).toBe(false); // 21:00 on 4 July in New York
    expect(isNyseSessionDay(Date.parse('2024-07-05T14:00:00Z'))).toBe(true);
  });
});
