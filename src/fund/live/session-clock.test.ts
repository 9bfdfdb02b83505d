import { describe, expect, it } from 'vitest';
import { SimClock } from '../../core/index.ts';
import { PaperBroker } from '../../execution/index.ts';
import { paperSessionClock, staleForBroker } from './session-clock.ts';

const at = (iso: string): number => Date.parse(iso);

describe('the session a live cycle trades on', () => {
  it('Alpaca trades only on the bars of the last completed session; the paper broker on any day', () => {
    // Saturday: the last completed session is Friday's
    expect(staleForBroker('alpaca', '2024-07-12', at('2024-07-13T15:00:00Z'))).toBeNull();
    // Monday before the close: still Friday's
    expect(staleForBroker('alpaca', '2024-07-12', at('2024-07-15T19:59:00Z'))).toBeNull();
    // Monday after the close (16:00 EDT): Friday's bars are a session behind
    expect(staleForBroker('alpaca', '2024-07-12', at('2024-07-15T20:00:00Z'))).toMatch(/^the market data ends 2024-07-12, 1 session\(s\) before the last completed one \(2024-07-15\)/);
    // after the 4th of July, the 3rd is the session before the 5th
    expect(staleForBroker('alpaca', '2024-07-03', at('2024-07-05T21:00:00Z'))).toContain('1 session(s) before');
    expect(staleForBroker('paper', '2019-03-01', at('2024-07-15T21:00:00Z'))).toBeNull();
  });

  it("stamps a paper cycle on a closed session from that session's close, and leaves a current one on the wall clock", () => {
    const paper = new PaperBroker({ clock: new SimClock(0), config: { slippageBps: 0, impactK: 0, participationCap: 1, commissionPerShare: 0, commissionMin: 0 }, mode: 'live', initialCash: 0 });
    const wall = new SimClock(at('2024-07-16T13:00:00Z'));
    expect(new Date(paperSessionClock(paper, wall, '2024-07-12').now()).toISOString()).toBe('2024-07-12T20:00:00.000Z');
    expect(paperSessionClock(paper, wall, '2024-07-16')).toBe(wall); // today's session has not closed
  });
});
