/**
 * Properties of the committee over random proposals and fund states:
 * the review's FINAL books never exceed a limit: no single name, ADV, sector or top-5 side, no
 * agent gross or net, no fund gross or net, no reviewed agent's VaR budget, no bucket holding a
 * reviewed book, and the fund VaR limit (unless the books the review cannot trade, those of agents
 * that do not propose, are over it alone); REDUCING never increases any exposure (but in a proposal
 * that lowers the fund's risk as a whole, REGIME_RISK_REDUCING: a hedge leg may grow); every scale lies
 * in [0, 1]; every reason is in the catalogue under its rule; agents' component VaRs sum to the fund
 * VaR; the review is a pure function.
 *
 * The worlds make the limits bind after the caps: agents that hold books and do not propose, hedge
 * legs removed by a cap (a small market cap, no ADV), by an unknown symbol or by a loss limit,
 * tight budgets, buckets and VaR limits, and names called `__proto__`, `toString` and `constructor`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { agentBucket, type StrategyType } from '../contracts/index.ts';
import { reviewFund, Workspace, type FundReview, type ReviewInput } from './index.ts';
import { agentState, fundConfig, fundState, proposal, SEED_AGENT_DRAWDOWN, symbolsOf, syntheticView, varLimits } from './testing/fixture.ts';
import { uncatalogued } from './testing/helpers.ts';

const NAMES = [...symbolsOf(27), '__proto__', 'toString', 'constructor'];
const view = syntheticView({ symbols: NAMES, seed: 21, volume: (u) => (u % 5 === 0 ? 3e4 : 3e6) });
const C = 100_000_000;
const A = 18_000_000;
const STRATS: StrategyType[] = ['momentum', 'quality_value', 'trend_following', 'statistical_arbitrage', 'volatility_premium'];
const price = (s: string) => view.close(view.column(s));
/** Names 0..14 (so agents crowd the same names and sectors), the three awkward names, and one the market does not list. */
const PICK = [...Array.from({ length: 15 }, (_, i) => i), 27, 28, 29, -1];
const nameOf = (i: number) => (i < 0 ? 'NOPE' : (NAMES[i] ?? 'S000'));

const leg = fc.record({ i: fc.constantFrom(...PICK), w: fc.integer({ min: -60, max: 60 }).map((x) => x / 100) });
const book = fc.uniqueArray(leg, { selector: (x) => x.i, minLength: 2, maxLength: 10, size: 'max' });
const heldBook = book.map((b) => b.filter((x) => x.i >= 0));
const world = fc.record({
  agents: fc.array(fc.record({ strategy: fc.constantFrom(...STRATS), held: heldBook, proposed: fc.option(book, { nil: null, freq: 4 }), loss: fc.constantFrom(0, 0, 0, 0.05) }), { minLength: 1, maxLength: 5, size: 'max' }),
  trading: fc.constantFrom('ACTIVE', 'ACTIVE', 'REDUCING'),
  /** default limits; loose agent caps so the fund-level concentration limits bind; tight buckets; a tight VaR limit and budgets. */
  mode: fc.constantFrom('default', 'loose', 'buckets', 'var'),
});

interface World {
  agents: { strategy: StrategyType; held: { i: number; w: number }[]; proposed: { i: number; w: number }[] | null; loss: number }[];
  trading: string;
  mode: 'default' | 'loose' | 'buckets' | 'var';
}

const LOOSE = {
  defaults: { maxPositionPct: 0.6, maxSectorPct: 1, grossExposureCap: 2, leverageLimit: 2, netExposureCap: 1.5 },
  risk: { ...varLimits(0.5), maxSingleNamePct: 0.1, maxSectorPct: 0.12, maxNetExposure: 1.5 },
};
const BUCKETS = ['directional_equity', 'income_defensive', 'systematic_trend', 'mean_reversion', 'market_neutral', 'vol_selling'];
const TIGHT_BUCKETS = {
  defaults: { ...LOOSE.defaults, riskBudgetPct: 0.05 },
  risk: { ...varLimits(0.04), maxSingleNamePct: 0.1, maxNetExposure: 1.5 },
  buckets: Object.fromEntries(BUCKETS.map((b) => [b, { maxRiskAllocationPct: 0.05 }])),
};
const TIGHT_VAR = {
  defaults: { ...LOOSE.defaults, riskBudgetPct: 0.3 },
  risk: { ...varLimits(0.006), maxSingleNamePct: 0.1, maxNetExposure: 1.5 },
  buckets: Object.fromEntries(BUCKETS.map((b) => [b, { maxRiskAllocationPct: 0.6 }])),
};
const MODES = { default: {}, loose: LOOSE, buckets: TIGHT_BUCKETS, var: TIGHT_VAR };

const ids = (w: World) => w.agents.map((_, k) => `a${k}`);

function input(w: World): ReviewInput {
  const config = fundConfig(w.agents.map((a, k) => ({ id: ids(w)[k] ?? '', strategy: a.strategy, capital: A })), { ...SEED_AGENT_DRAWDOWN, ...MODES[w.mode] }, C);
  const agents = w.agents.map((a, k) =>
    agentState(ids(w)[k] ?? '', A, { dailyPnl: -a.loss * A, positions: a.held.map((h) => ({ symbol: nameOf(h.i), qty: Math.round((h.w * A) / price(nameOf(h.i))), price: price(nameOf(h.i)) })) }),
  );
  const state = fundState(view.asOf, C, agents, { tradingState: w.trading === 'REDUCING' ? 'REDUCING' : 'ACTIVE', tradingStateSince: view.asOf });
  const proposals = w.agents.flatMap((a, k) => (a.proposed === null ? [] : [proposal(ids(w)[k] ?? '', a.strategy, view.asOf, a.proposed.map((p) => ({ symbol: nameOf(p.i), weight: p.w })))]));
  return { proposals, state, config, view, cycleId: 'prop' };
}

/** The fund VaR of the books the review cannot trade (agents that do not propose), as a review of them alone reports it. */
function heldOnlyVar(inp: ReviewInput): number {
  const proposing = new Set(inp.proposals.map((p) => p.agentId));
  const held = inp.state.agents.filter((a) => !proposing.has(a.agentId));
  if (held.length === 0) return 0;
  return reviewFund({ ...inp, proposals: [], state: { ...inp.state, agents: held } }).snapshot.var95;
}

/** Dollars per name and side: every final book (reviewed agents' targets, the held books of the others). */
function sides(inp: ReviewInput, r: FundReview, only: 'all' | 'held'): { long: Map<string, number>; short: Map<string, number> } {
  const long = new Map<string, number>();
  const short = new Map<string, number>();
  const add = (s: string, x: number) => {
    if (x > 0) long.set(s, (long.get(s) ?? 0) + x);
    else if (x < 0) short.set(s, (short.get(s) ?? 0) - x);
  };
  const reviewed = new Set(r.decisions.map((d) => d.agentId));
  if (only === 'all') for (const d of r.decisions) for (const t of d.targets) add(t.symbol, t.finalWeight * A);
  for (const a of inp.state.agents) if (!reviewed.has(a.agentId)) for (const p of a.positions) add(p.symbol, p.qty * price(p.symbol));
  return { long, short };
}

const TOL = 1e-6 * C;
const within = (x: number, limit: number, exempt = 0) => expect(x).toBeLessThanOrEqual(Math.max(limit, exempt) * (1 + 1e-9) + TOL);

describe('committee properties', () => {
  it('the final books exceed no limit, REDUCING never increases exposure, scales lie in [0, 1]', () => {
    fc.assert(
      fc.property(world, (w) => {
        const inp = input(w);
        const r = reviewFund(inp);
        expect(uncatalogued(r)).toEqual([]);
        const risk = inp.config.risk;
        const d0 = inp.config.defaults;
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
            expect(Number.isFinite(x)).toBe(true);
            gross += Math.abs(x);
            agentNet += x;
            if (inp.state.tradingState === 'REDUCING' && !d.reasons.some((x) => x.code === 'REGIME_RISK_REDUCING')) {
              const c = cur.get(t.symbol) ?? 0;
              expect(Math.abs(x)).toBeLessThanOrEqual(Math.abs(c) + 1e-6);
              expect(x * c).toBeGreaterThanOrEqual(-1e-6);
            }
          }
          within(gross, A * Math.min(d0.grossExposureCap, d0.leverageLimit));
          within(Math.abs(agentNet), A * d0.netExposureCap);
        }
        // names, ADV, sectors, top 5, fund gross and net: per side, every book counted
        const all = sides(inp, r, 'all');
        const held = sides(inp, r, 'held');
        const sectorAll = new Map<string, number>();
        const sectorHeld = new Map<string, number>();
        const top: number[] = [];
        let fundGross = 0;
        let fundNet = 0;
        for (const side of ['long', 'short'] as const) {
          for (const [s, x] of all[side]) {
            const u = view.column(s);
            const h = held[side].get(s) ?? 0;
            const advLimit = risk.maxAdvPct * view.value('adv20', u) * view.close(u);
            within(x, Math.min(risk.maxSingleNamePct * C, advLimit), h);
            const key = `${side}:${view.sectors[u] ?? ''}`;
            sectorAll.set(key, (sectorAll.get(key) ?? 0) + x);
            sectorHeld.set(key, (sectorHeld.get(key) ?? 0) + h);
            fundGross += x;
            fundNet += side === 'long' ? x : -x;
          }
        }
        for (const [key, x] of sectorAll) within(x, risk.maxSectorPct * C, sectorHeld.get(key) ?? 0);
        for (const s of new Set([...all.long.keys(), ...all.short.keys()])) top.push(Math.max(all.long.get(s) ?? 0, all.short.get(s) ?? 0));
        top.sort((a, b) => b - a);
        const heldTop = [...new Set([...held.long.keys(), ...held.short.keys()])].map((s) => Math.max(held.long.get(s) ?? 0, held.short.get(s) ?? 0)).sort((a, b) => b - a);
        within(top.slice(0, 5).reduce((a, b) => a + b, 0), risk.maxTop5Pct * C, heldTop.slice(0, 5).reduce((a, b) => a + b, 0));
        const heldGross = [...held.long.values(), ...held.short.values()].reduce((a, b) => a + b, 0);
        within(fundGross, Math.min(risk.maxGrossExposure, risk.maxLeverage) * C, heldGross);
        within(Math.abs(fundNet), risk.maxNetExposure * C, heldGross);
        // risk: reviewed agents' budgets, buckets holding a reviewed book, the fund VaR
        const reviewedBooks = r.decisions.filter((d) => d.targets.some((t) => t.finalWeight !== 0));
        const liveBuckets = new Set<string>();
        for (const d of reviewedBooks) {
          const b = r.snapshot.budgets[d.agentId];
          expect(b).toBeDefined();
          within(b?.component ?? 0, b?.budget ?? 0);
          const cfg = inp.config.agents.find((a) => a.id === d.agentId);
          if (cfg) liveBuckets.add(agentBucket(cfg));
        }
        for (const [name, b] of Object.entries(r.snapshot.buckets)) if (liveBuckets.has(name)) within(b.component, b.cap);
        if (reviewedBooks.length > 0) within(r.snapshot.var95, risk.varLimitPct * C, heldOnlyVar(inp));
      }),
      { numRuns: 150, seed: 4242 },
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

  it('a review owns its work arrays: reviews that share a workspace, between other worlds, decide as fresh ones do', () => {
    const shared = new Workspace();
    fc.assert(
      fc.property(world, world, (a, b) => {
        const inA = input(a);
        const fresh = reviewFund(inA);
        reviewFund({ ...input(b), workspace: shared }); // another world's review leaves its numbers in the arrays
        expect(reviewFund({ ...inA, workspace: shared })).toEqual(fresh);
      }),
      { numRuns: 15, seed: 7 },
    );
  });
});

