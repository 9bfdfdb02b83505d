import { describe, expect, it } from 'vitest';
import { ValidationError } from '../core/index.ts';
import { reviewRisk } from './index.ts';
import { fundConfig, syntheticView } from './testing/fixture.ts';

const view = syntheticView({ U: 20, volume: () => 1e8 });
const config = fundConfig([{ id: 'momentum', strategy: 'momentum', capital: 10_000_000 }], {}, 100_000_000);
const px = view.close(view.column('S001'));
const request = {
  cycleId: 'risk-1',
  fund: { capital: 100_000_000, tradingState: 'ACTIVE', regime: 'BULL_QUIET' },
  agents: [{ id: 'momentum', allocatedCapital: 10_000_000, positions: [{ symbol: 'S001', qty: 1000, price: px }] }],
  proposals: [{ agentId: 'momentum', targets: [{ symbol: 'S001', weight: 0.05 }, { symbol: 'S002', weight: 0.2 }] }],
};

describe('risk service face (seed risk-service-plan)', () => {
  it('returns final weights (fractions of allocated capital) and notionals, de-risking first', () => {
    const out = reviewRisk(request, view, config);
    expect(out.tradingState).toBe('ACTIVE');
    const d = out.decisions[0];
    expect(d?.agentId).toBe('momentum');
    const s1 = d?.targets.find((t) => t.symbol === 'S001');
    expect(s1?.finalWeight).toBeCloseTo(0.05, 12);
    expect(s1?.targetNotional).toBeCloseTo(500_000, 6);
    expect(s1?.currentNotional).toBeCloseTo(1000 * px, 6);
    expect(s1?.deltaNotional).toBeCloseTo(500_000 - 1000 * px, 6);
    const s2 = d?.targets.find((t) => t.symbol === 'S002');
    expect(s2?.finalWeight).toBeCloseTo(0.1, 12); // the agent's 10% position cap
    expect(s2?.actionType).toBe('CAPPED');
    expect(d?.action).toBe('MODIFY');
    expect(JSON.parse(JSON.stringify(out))).toEqual(out); // plain JSON
  });

  it('bad input is a ValidationError naming the field path', () => {
    const bad = { ...request, proposals: [{ agentId: 'momentum', targets: [{ symbol: 'S001', weight: 'lots' }] }] };
    expect(() => reviewRisk(bad, view, config)).toThrow(ValidationError);
    try {
      reviewRisk(bad, view, config);
    } catch (e) {
      expect((e as ValidationError).field).toBe('proposals[0].targets[0].weight');
    }
    expect(() => reviewRisk({ ...request, fund: { capital: -1 } }, view, config)).toThrow(/fund\.capital/);
    expect(() => reviewRisk({ ...request, asOf: '1999-01-04' }, view, config)).toThrow(/asOf/);
  });
});
