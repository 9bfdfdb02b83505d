// Invariant: whatever sequence of actions, roles and times is applied, a proposal never leaves a
// terminal state, every status change is a transition the table allows, and each change adds one history step.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { approve, cancel, canTransition, expireProposals, isTerminalStatus, markExecuted, modify, PMS_ROLES, reject, type TradeProposal } from '../index.ts';
import { pendingProposal } from '../test-fixtures.ts';

const BASE = Date.parse('2024-01-02T13:00:00.000Z');

const step = fc.record({
  action: fc.constantFrom('approve', 'reject', 'modify', 'cancel', 'execute', 'expire'),
  role: fc.constantFrom(...PMS_ROLES),
  minutes: fc.integer({ min: 0, max: 180 }),
  size: fc.oneof(fc.double({ min: -1, max: 3, noNaN: true }), fc.constant(Number.NaN)),
});

type Step = { action: string; role: (typeof PMS_ROLES)[number]; minutes: number; size: number };

function apply(p: TradeProposal, s: Step): TradeProposal {
  const now = new Date(BASE + s.minutes * 60_000).toISOString();
  const actor = { who: 'u', role: s.role, why: 'because' };
  switch (s.action) {
    case 'approve': {
      const r = approve(p, actor, now);
      return r.ok ? r.value.proposal : p;
    }
    case 'reject': {
      const r = reject(p, actor, now);
      return r.ok ? r.value.proposal : p;
    }
    case 'modify': {
      const r = modify(p, { ...actor, size: s.size }, now);
      return r.ok ? r.value.proposal : p;
    }
    case 'cancel': {
      const r = cancel(p, actor, now);
      return r.ok ? r.value.proposal : p;
    }
    case 'execute': {
      const r = markExecuted(p, { orderIds: ['o'], fillIds: [] }, now);
      return r.ok ? r.value : p;
    }
    default:
      return expireProposals([p], now).proposals[0] ?? p;
  }
}

describe('proposal state machine (property)', () => {
  it('never leaves a terminal state and only takes table transitions', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
        let p = pendingProposal();
        for (const s of steps) {
          const q = apply(p, s);
          if (isTerminalStatus(p.status)) expect(q).toBe(p);
          if (q.status !== p.status || q !== p) {
            expect(canTransition(p.status, q.status)).toBe(true);
            expect(q.history.length).toBe(p.history.length + 1);
            expect(q.history.at(-1)).toMatchObject({ from: p.status, to: q.status });
          }
          if (q.size !== p.size) expect(q.size).toBeGreaterThan(0);
          p = q;
        }
      }),
      { numRuns: 500 },
    );
  });
});
