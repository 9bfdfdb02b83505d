// Invariant: a cycle journals at most one entry per agent, never an APPROVE, every BLOCK, and a SCALE or MODIFY exactly when it removed at least OVERLAY_JOURNAL_MIN_CUT of the proposed gross.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OverlayDecision, Reason } from '../../contracts/index.ts';
import { OVERLAY_JOURNAL_MIN_CUT, grossCut, overlayDecisionJournal } from '../index.ts';

const reason = (code: string, over: Partial<Reason> = {}): Reason => ({ code, rule: 'r', message: `${code} bound`, limit: 0.2, actual: 0.26, symbol: null, sector: null, bucket: null, ...over });

function decision(agentId: string, action: OverlayDecision['action'], weights: [number, number][], reasons: Reason[] = []): OverlayDecision {
  return {
    version: 1, traceId: `t-${agentId}`, decisionId: `c1:${agentId}`, cycleId: 'c1', agentId, asOf: '2024-03-01', action,
    scale: action === 'BLOCK' ? 0 : action === 'APPROVE' ? 1 : 0.5, reasons, checks: [], riskActions: [], summary: `${action} ${agentId}`,
    targets: weights.map(([p, f], i) => ({ symbol: `S${i}`, proposedWeight: p, finalWeight: f, priority: 1 })),
  };
}

describe('overlay decisions in the journal', () => {
  it('a block is journalled with the agent, action, scale and its main reasons; an approve and a small trim are not', () => {
    const reasons = [reason('SECTOR_CAP', { sector: 'Energy' }), reason('POSITION_CAP', { symbol: 'S0' }), reason('POSITION_CAP', { symbol: 'S1' }), reason('RISK_BUDGET'), reason('GROSS_LIMIT'), reason('VAR_LIMIT')];
    const rows = overlayDecisionJournal('f', { cycleId: 'c1', decisions: [decision('a', 'BLOCK', [[0.1, 0], [-0.1, 0]], reasons), decision('b', 'APPROVE', [[0.1, 0.1]]), decision('c', 'SCALE', [[0.1, 0.095]])] }, '2024-03-01T21:00:00.000Z');
    expect(rows).toHaveLength(1);
    const entry = rows[0]?.refs.entry as { id: string; kind: string; who: string; role: string; agentId: string; rationale: string; symbols: string[]; links: { decisionIds: string[] } };
    expect(entry).toMatchObject({ id: 'c1:overlay:a', kind: 'OVERLAY_DECISION', who: 'system:overlay', role: 'system', agentId: 'a', symbols: ['S0', 'S1'], links: { decisionIds: ['c1:a'] } });
    expect(entry.rationale).toContain("The overlay blocked a's book on 2024-03-01 (BLOCK, scale 0.00, 100% of the proposed gross removed)");
    expect(entry.rationale).toContain('SECTOR_CAP: SECTOR_CAP bound (actual 0.260 vs limit 0.200)');
    expect(entry.rationale).toContain('POSITION_CAP [×2]');
    expect(entry.rationale).toContain('and 2 more reason code(s) in overlay decision c1:a');
    expect(rows[0]?.tags).toEqual(['S0', 'S1', 'agent:a', 'BLOCK']);
  });

  it('the threshold is on the gross removed', () => {
    expect(grossCut(decision('a', 'SCALE', [[0.1, 0.09], [-0.1, -0.09]]))).toBeCloseTo(0.1, 12);
    expect(grossCut(decision('a', 'SCALE', []))).toBe(0);
    const at = overlayDecisionJournal('f', { cycleId: 'c1', decisions: [decision('a', 'SCALE', [[0.1, 0.09]]), decision('b', 'MODIFY', [[0.1, 0.1], [0.1, 0.0]]), decision('c', 'MODIFY', [[0.1, 0.1], [0.1, 0.095]])] }, 'x');
    expect(at.map((r) => (r.refs.entry as { agentId: string }).agentId)).toEqual(['a', 'b']);
  });

  it('property: one entry per agent at most, exactly for blocks and cuts past the threshold', () => {
    const arb = fc.record({
      action: fc.constantFrom('APPROVE' as const, 'SCALE' as const, 'MODIFY' as const, 'BLOCK' as const),
      weights: fc.array(fc.tuple(fc.double({ min: -0.2, max: 0.2, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), { maxLength: 6 }),
    });
    fc.assert(
      fc.property(fc.array(arb, { maxLength: 8 }), (xs) => {
        const ds = xs.map((x, i) => decision(`a${i}`, x.action, x.weights.map(([p, k]) => [p, p * k])));
        const rows = overlayDecisionJournal('f', { cycleId: 'c1', decisions: ds }, 'x');
        const ids = rows.map((r) => (r.refs.entry as { agentId: string }).agentId);
        expect(new Set(ids).size).toBe(ids.length);
        const expected = ds.filter((d) => d.action === 'BLOCK' || (d.action !== 'APPROVE' && grossCut(d) >= OVERLAY_JOURNAL_MIN_CUT - 1e-12)).map((d) => d.agentId);
        expect(ids).toEqual(expected);
      }),
    );
  });
});
