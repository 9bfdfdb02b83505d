import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../core/index.ts';
import { agentBucket } from '../contracts/index.ts';
import { reviewRisk } from './index.ts';
import { fundConfig, syntheticView, varLimits } from './testing/fixture.ts';

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

/**
 * The risk service is the user's path into the overlay, so the fuzz goes through it too. Property:
 * a request is either refused with a ValidationError naming the field (an agent or a proposal
 * twice, a date that is not a date, a size beyond the risk math), or it is reviewed and the
 * reviewed books are within every VaR budget, every bucket holding one of them and the fund VaR
 * limit (unless the agents that do not propose are over it alone), with finite numbers everywhere.
 */
describe('risk service fuzz', () => {
  const NAMES = [...Array.from({ length: 12 }, (_, u) => `S${String(u).padStart(3, '0')}`), '__proto__', 'toString', 'constructor'];
  const odd = syntheticView({ symbols: NAMES, seed: 17 });
  const BUCKETS = ['directional_equity', 'income_defensive', 'systematic_trend', 'mean_reversion', 'market_neutral', 'vol_selling'];
  const tight = fundConfig(
    [
      { id: 'm', strategy: 'momentum', capital: 18_000_000 },
      { id: 's', strategy: 'statistical_arbitrage', capital: 18_000_000 },
      { id: 't', strategy: 'trend_following', capital: 18_000_000 },
    ],
    { defaults: { maxPositionPct: 0.6, maxSectorPct: 1, grossExposureCap: 2, leverageLimit: 2, netExposureCap: 1.5, riskBudgetPct: 0.1 }, risk: { ...varLimits(0.008), maxNetExposure: 1.5 }, buckets: Object.fromEntries(BUCKETS.map((b) => [b, { maxRiskAllocationPct: 0.15 }])) },
    100_000_000,
  );
  const pxOf = (s: string) => odd.close(odd.column(s));
  /** A value that is fine, or (rarely) one the edge must refuse, tagged so the property knows. */
  const maybe = <T, B>(good: fc.Arbitrary<T>, bad: readonly B[], odds = 9) => fc.oneof({ weight: odds, arbitrary: good.map((v) => ({ v: v as T | B, bad: false })) }, { weight: 1, arbitrary: fc.constantFrom(...bad).map((v) => ({ v: v as T | B, bad: true })) });
  const leg = fc.record({ symbol: fc.constantFrom(...NAMES, 'NOPE'), w: maybe(fc.integer({ min: -60, max: 60 }).map((x) => x / 100), [1e300, -1e300, Number.NaN], 80) });
  const agent = fc.record({
    id: fc.constantFrom('m', 's', 't', 'x', '__proto__'),
    held: fc.array(fc.record({ symbol: fc.constantFrom(...NAMES), w: fc.integer({ min: -40, max: 40 }).map((x) => x / 100), qty: maybe(fc.constant(null), [1e300, 1e13], 60) }), { maxLength: 6 }),
    since: maybe(fc.constantFrom(null, '2023-01-02'), ['yesterday', '2023-02-30']),
    loss: fc.constantFrom(0, 0, 0.05),
    proposes: fc.boolean(),
    legs: fc.array(leg, { minLength: 1, maxLength: 8 }),
  });
  const request = fc.record({
    agents: fc.uniqueArray(agent, { selector: (a) => a.id, minLength: 1, maxLength: 4 }),
    regime: fc.constantFrom(null, 'BULL_QUIET', 'BULL_VOLATILE'),
    /** the first agent, or its proposal, listed twice */
    twice: fc.constantFrom('none', 'none', 'none', 'none', 'none', 'none', 'agent', 'proposal'),
  });

  it('refuses with the field named, or reviews within every VaR budget, bucket and the fund VaR limit', () => {
    fc.assert(
      fc.property(request, (q) => {
        let bad = false;
        const agents = q.agents.map((a) => {
          bad ||= a.since.bad || a.held.some((h) => h.qty.bad);
          return {
            id: a.id,
            allocatedCapital: 18_000_000,
            dailyPnl: -a.loss * 18_000_000,
            drawdownState: a.since.v === null ? 'normal' : 'reduced_50',
            drawdownSince: a.since.v,
            positions: a.held.map((h) => ({ symbol: h.symbol, qty: h.qty.v ?? Math.round((h.w * 18_000_000) / pxOf(h.symbol)), price: pxOf(h.symbol) })),
          };
        });
        const first = q.agents[0];
        if (q.twice === 'agent' && agents[0]) {
          agents.push(agents[0]);
          bad = true;
        }
        const proposing = q.agents.filter((a) => a.proposes);
        if (q.twice === 'proposal' && first) {
          proposing.push(first, first);
          bad = true;
        }
        const pids = proposing.map((a) => a.id);
        const proposals = proposing.map((a) => {
          const seen = new Set<string>();
          const legs = a.legs.filter((l) => !seen.has(l.symbol) && seen.add(l.symbol));
          bad ||= legs.some((l) => l.w.bad);
          return { agentId: a.id, strategy: 'momentum' as const, targets: legs.map((l) => ({ symbol: l.symbol, weight: l.w.v })) };
        });
        const req = { fund: { capital: 100_000_000, regime: q.regime }, agents, proposals };
        let out: ReturnType<typeof reviewRisk>;
        try {
          out = reviewRisk(req, odd, tight);
        } catch (e) {
          expect(e).toBeInstanceOf(ValidationError);
          expect((e as ValidationError).field).toMatch(/^(agents|proposals)\[\d+\]\./);
          expect(bad).toBe(true);
          return;
        }
        expect(bad).toBe(false);
        const reviewed = out.decisions.filter((d) => d.targets.some((t) => t.finalWeight !== 0));
        for (const d of out.decisions) for (const t of d.targets) expect(Number.isFinite(t.finalWeight) && Number.isFinite(t.targetNotional)).toBe(true);
        const within = (x: number, limit: number) => expect(x).toBeLessThanOrEqual(limit * (1 + 1e-9) + 1e-6 * 100_000_000);
        for (const d of reviewed) {
          const b = out.snapshot.budgets[d.agentId];
          within(b?.component ?? 0, b?.budget ?? 0);
        }
        const buckets = new Set(reviewed.map((d) => tight.agents.find((a) => a.id === d.agentId)).flatMap((a) => (a ? [agentBucket(a)] : [])));
        for (const b of buckets) within(out.snapshot.buckets[b]?.component ?? 0, out.snapshot.buckets[b]?.cap ?? 0);
        if (reviewed.length > 0) {
          const held = agents.filter((a) => !pids.includes(a.id));
          const heldVar = held.length > 0 ? reviewRisk({ ...req, agents: held, proposals: [] }, odd, tight).snapshot.var95 : 0;
          within(out.snapshot.var95, Math.max(0.008 * 100_000_000, heldVar));
        }
      }),
      { numRuns: 200, seed: 15 },
    );
  });
});
