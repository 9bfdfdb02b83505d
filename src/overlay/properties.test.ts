/**
 * Properties of the committee over random proposals and fund states:
 * after review no configured limit is breached (single name, ADV, sector, top-5, agent gross and
 * net, fund gross and net, bucket); REDUCING never increases any exposure; every scale lies in
 * [0, 1]; agents' component VaRs sum to the fund VaR; the review is a pure function.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StrategyType } from '../contracts/index.ts';
import { reviewFund, type ReviewInput } from './index.ts';
import { agentState, fundConfig, fundState, proposal, symbolsOf, syntheticView } from './testing/fixture.ts';

const U = 30;
const view = syntheticView({ U, seed: 21, volume: (u) => (u % 5 === 0 ? 3e4 : 3e6) });
const syms = symbolsOf(U);
const C = 100_000_000;
const A = 18_000_000;
const STRATS: StrategyType[] = ['momentum', 'quality_value', 'trend_following', 'statistical_arbitrage', 'volatility_premium'];
const price = (s: string) => view.close(view.column(s));

// names 0..14 only, so agents crowd the same names and sectors
const book = fc.uniqueArray(fc.record({ i: fc.integer({ min: 0, max: 14 }), w: fc.integer({ min: -60, max: 60 }).map((x) => x / 100) }), { selector: (x) => x.i, minLength: 3, maxLength: 10, size: 'max' });
const world = fc.record({
  agents: fc.array(fc.record({ strategy: fc.constantFrom(...STRATS), held: book, proposed: book }), { minLength: 1, maxLength: 5, size: 'max' }),
  trading: fc.constantFrom('ACTIVE', 'ACTIVE', 'REDUCING'),
  /** default limits; loose agent caps so the fund-level concentration limits bind; tight buckets. */
  mode: fc.constantFrom('default', 'loose', 'buckets'),
});

interface World {
  agents: { strategy: StrategyType; held: { i: number; w: number }[]; proposed: { i: number; w: number }[] }[];
  trading: string;
  mode: 'default' | 'loose' | 'buckets';
}

const LOOSE = {
  defaults: { maxPositionPct: 0.6, maxSectorPct: 1, grossExposureCap: 2, leverageLimit: 2, netExposureCap: 1.5 },
  risk: { varLimitPct: 0.5, maxSingleNamePct: 0.1, maxSectorPct: 0.12, maxNetExposure: 1.5 },
};
const BUCKETS = ['directional_equity', 'income_defensive', 'systematic_trend', 'mean_reversion', 'market_neutral', 'vol_selling'];
const TIGHT_BUCKETS = {
  defaults: { ...LOOSE.defaults, riskBudgetPct: 0.05 },
  risk: { varLimitPct: 0.04, maxSingleNamePct: 0.1, maxNetExposure: 1.5 },
  buckets: Object.fromEntries(BUCKETS.map((b) => [b, { maxRiskAllocationPct: 0.05 }])),
};

function input(w: World): ReviewInput {
  const ids = w.agents.map((_, k) => `a${k}`);
  const config = fundConfig(w.agents.map((a, k) => ({ id: ids[k] ?? '', strategy: a.strategy, capital: A })), w.mode === 'loose' ? LOOSE : w.mode === 'buckets' ? TIGHT_BUCKETS : {}, C);
  const agents = w.agents.map((a, k) =>
    agentState(ids[k] ?? '', A, { positions: a.held.map((h) => ({ symbol: syms[h.i] ?? '', qty: Math.round((h.w * A) / price(syms[h.i] ?? '')), price: price(syms[h.i] ?? '') })) }),
  );
  const state = fundState(view.asOf, C, agents, { tradingState: w.trading === 'REDUCING' ? 'REDUCING' : 'ACTIVE', tradingStateSince: view.asOf });
  const proposals = w.agents.map((a, k) => proposal(ids[k] ?? '', a.strategy, view.asOf, a.proposed.map((p) => ({ symbol: syms[p.i] ?? '', weight: p.w }))));
  return { proposals, state, config, view, cycleId: 'prop' };
}

const TOL = 1e-6 * C;

describe('committee properties', () => {
  it('no configured limit is breached after review, REDUCING never increases exposure, scales lie in [0, 1]', () => {
    fc.assert(
      fc.property(world, (w) => {
        const inp = input(w);
        const r = reviewFund(inp);
        const risk = inp.config.risk;
        const net = new Map<string, number>();
        for (const d of r.decisions) {
          expect(d.scale).toBeGreaterThanOrEqual(0);
          expect(d.scale).toBeLessThanOrEqual(1);
          for (const c of d.checks) {
            expect(c.scale).toBeGreaterThanOrEqual(0);
            expect(c.scale).toBeLessThanOrEqual(1);
          }
          let gross = 0;
          let agentNet = 0;
          const cur = new Map((r.positions[d.agentId] ?? []).map((p) => [p.symbol, p.currentNotional]));
          for (const t of d.targets) {
            const x = t.finalWeight * A;
            gross += Math.abs(x);
            agentNet += x;
            net.set(t.symbol, (net.get(t.symbol) ?? 0) + x);
            if (inp.state.tradingState === 'REDUCING') {
              const c = cur.get(t.symbol) ?? 0;
              expect(Math.abs(x)).toBeLessThanOrEqual(Math.abs(c) + 1e-6);
              expect(x * c).toBeGreaterThanOrEqual(-1e-6);
            }
          }
          const d0 = inp.config.defaults;
          expect(gross).toBeLessThanOrEqual(A * Math.min(d0.grossExposureCap, d0.leverageLimit) + TOL);
          expect(Math.abs(agentNet)).toBeLessThanOrEqual(A * d0.netExposureCap + TOL);
        }
        const sector = new Map<string, number>();
        let fundGross = 0;
        let fundNet = 0;
        const abs: number[] = [];
        for (const [s, x] of net) {
          const u = view.column(s);
          const advLimit = risk.maxAdvPct * view.value('adv20', u) * view.close(u);
          expect(Math.abs(x)).toBeLessThanOrEqual(Math.min(risk.maxSingleNamePct * C, advLimit) + TOL);
          const sec = view.sectors[u] ?? '';
          sector.set(sec, (sector.get(sec) ?? 0) + x);
          fundGross += Math.abs(x);
          fundNet += x;
          abs.push(Math.abs(x));
        }
        for (const x of sector.values()) expect(Math.abs(x)).toBeLessThanOrEqual(risk.maxSectorPct * C + TOL);
        abs.sort((a, b) => b - a);
        expect(abs.slice(0, 5).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(risk.maxTop5Pct * C + TOL);
        expect(fundGross).toBeLessThanOrEqual(Math.min(risk.maxGrossExposure, risk.maxLeverage) * C + TOL);
        expect(Math.abs(fundNet)).toBeLessThanOrEqual(risk.maxNetExposure * C + TOL);
        for (const b of Object.values(r.snapshot.buckets)) expect(b.component).toBeLessThanOrEqual(b.cap * (1 + 1e-6) + 1e-6);
      }),
      { numRuns: 80, seed: 4242 },
    );
  });

  it('agents’ component VaRs sum to the fund VaR', () => {
    fc.assert(
      fc.property(world, (w) => {
        const r = reviewFund(input({ ...w, trading: 'ACTIVE' }));
        const sum = Object.values(r.snapshot.budgets).reduce((a, b) => a + b.component, 0);
        expect(sum).toBeCloseTo(r.snapshot.var95, 2);
      }),
      { numRuns: 30, seed: 7 },
    );
  });

  it('the review is a pure function: the same input gives a deep-equal output', () => {
    fc.assert(
      fc.property(world, (w) => {
        const inp = input(w);
        expect(reviewFund(inp)).toEqual(reviewFund(inp));
      }),
      { numRuns: 15, seed: 99 },
    );
  });
});
