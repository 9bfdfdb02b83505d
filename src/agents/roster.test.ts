import { describe, expect, it } from 'vitest';
import { LookAheadError, ValidationError, canonicalJson } from '../core/index.ts';
import { AgentProposal, BUILT_IN_STRATEGIES, STRATEGY_BUCKET_MAP, STRATEGY_RISK_DRIVERS, Signal, type StrategyType, parseFundConfig } from '../contracts/index.ts';
import { viewAt, type MarketView } from '../market/index.ts';
import {
  AGENT_REGISTRY,
  CommitteeAgent,
  StrategyAgent,
  agentContext,
  bookFromTargets,
  createAgent,
  createRoster,
  emptyBook,
  type Agent,
  type AgentBook,
  type Draft,
} from './index.ts';
import { oneAgentFund, syntheticWithVolInstruments } from './test-panels.ts';

const STRATEGIES = BUILT_IN_STRATEGIES;

function roster(): Agent[] {
  const fund = parseFundConfig({
    fund: { totalCapital: 100_000_000 },
    agents: STRATEGIES.map((s) => ({ id: s.replace(/_/g, '-'), strategy: s, allocatedCapital: 9_000_000 })),
  });
  return createRoster(fund);
}

const panel = syntheticWithVolInstruments({ symbols: 40, years: 2, seed: 11 });

describe('registry', () => {
  it('has an implementation for every strategy type, with the seed buckets and risk drivers', () => {
    for (const s of STRATEGIES) {
      expect(AGENT_REGISTRY[s]).toBeDefined();
      const { fund, config } = oneAgentFund(s);
      const a = createAgent(config, fund);
      expect(a.strategy).toBe(s);
      expect(a.bucket).toBe(STRATEGY_BUCKET_MAP[s]);
      expect(a.riskDrivers).toEqual(STRATEGY_RISK_DRIVERS[s]);
    }
  });
  it('resolves risk fund ← bucket ← agent and keeps overrides of bucket and drivers', () => {
    const fund = parseFundConfig({
      fund: {},
      buckets: { directional_equity: { maxRiskAllocationPct: 0.25, agentDefaults: { maxPositionPct: 0.05 } } },
      agents: [{ id: 'm', strategy: 'momentum', allocatedCapital: 1e6, risk: { maxSectorPct: 0.2 }, riskDrivers: ['equity_beta'] }],
    });
    const cfg = fund.agents[0];
    if (!cfg) throw new Error('no agent');
    const ctx = agentContext(cfg, fund);
    expect(ctx.risk.maxPositionPct).toBe(0.05);
    expect(ctx.risk.maxSectorPct).toBe(0.2);
    expect(ctx.riskDrivers).toEqual(['equity_beta']);
  });
  it('rejects bad parameters with a ValidationError naming the field', () => {
    const bad = (s: StrategyType, params: Record<string, unknown>) => () => {
      const { fund, config } = oneAgentFund(s, params);
      createAgent(config, fund);
    };
    expect(bad('momentum', { lookbackDays: -3 })).toThrow(ValidationError);
    expect(bad('momentum', { lookbackDays: -3 })).toThrow(/agents\.momentum\.params\.lookbackDays/);
    expect(bad('trend_following', { fastDays: 50, slowDays: 20 })).toThrow(/params\.fastDays/);
    expect(bad('statistical_arbitrage', { entryZ: 'high' })).toThrow(/params\.entryZ/);
    expect(bad('volatility_premium', { volSymbl: 'VXX' })).toThrow(/params\.volSymbl/);
  });
});

describe('the roster over a full backtest window', () => {
  it('never reads past its as-of time, and every proposal and signal validates against the contract', () => {
    const agents = roster();
    let book = new Map<string, AgentBook>(agents.map((a) => [a.id, emptyBook(a.id, 9e6)]));
    let checked = 0;
    let signals = 0;
    for (let t = 0; t < panel.T; t++) {
      const view = viewAt(panel, t);
      const next = new Map<string, AgentBook>();
      for (const a of agents) {
        const b = book.get(a.id) ?? emptyBook(a.id, 9e6);
        const p = a.propose(view, b);
        if (t % 50 === 0 || t === panel.T - 1) {
          expect(() => AgentProposal.parse(p)).not.toThrow();
          for (const s of p.signals) Signal.parse(s);
          signals += p.signals.length;
          checked++;
        }
        next.set(a.id, bookFromTargets(view, b, p.targets, { cycleId: `c${t + 1}`, traceId: `tr${t + 1}` }));
      }
      book = next;
    }
    expect(checked).toBe(agents.length * (Math.floor((panel.T - 1) / 50) + 2));
    expect(signals).toBeGreaterThan(500);
    // the committee learned from resolved outcomes along the way and tracks its calibration error
    const committee = agents.find((a) => a instanceof CommitteeAgent);
    if (!(committee instanceof CommitteeAgent)) throw new Error('no committee');
    expect(committee.weighter.observations).toBeGreaterThan(1000); // ≈ 43 resolved records × 42 names
    const ece = committee.weighter.ece();
    expect(ece).toBeGreaterThanOrEqual(0);
    expect(ece).toBeLessThan(0.5);
    expect(Array.from(committee.weighter.weights()).some((w) => Math.abs(w - 1) > 1e-6)).toBe(true);
  });
  it('every strategy holds something by the end of the window', () => {
    const view = viewAt(panel, panel.T - 1);
    for (const a of roster()) {
      const p = a.propose(view, emptyBook(a.id, 9e6));
      expect(p.targets.length, a.id).toBeGreaterThan(0);
    }
  });
});

/** A deliberately broken agent that peeks at tomorrow's close. */
class PeekingAgent extends StrategyAgent {
  constructor() {
    const { fund, config } = oneAgentFund('momentum');
    super(agentContext(config, fund), [], 'peek@0');
  }
  protected decide(view: MarketView, _book: AgentBook, d: Draft): void {
    d.weights[0] = view.close(0, view.t + 1) > view.close(0) ? 0.1 : 0;
  }
}

describe('look-ahead guard', () => {
  it('throws LookAheadError on a deliberate future read, from the view and from an agent', () => {
    const view = viewAt(panel, 100);
    expect(() => view.value('close', 0, 101)).toThrow(LookAheadError);
    expect(() => view.cross('ret', 101)).toThrow(LookAheadError);
    expect(() => new PeekingAgent().propose(view, emptyBook('peek', 1e6))).toThrow(LookAheadError);
  });
});

describe('determinism and incremental state', () => {
  it('gives identical proposals for identical inputs', () => {
    const view = viewAt(panel, 400);
    const a = roster();
    const b = roster();
    a.forEach((agent, i) => {
      const book = emptyBook(agent.id, 9e6, { cycleId: 'c1', traceId: 't1' });
      const p1 = agent.propose(view, book);
      const p2 = (b[i] as Agent).propose(view, book);
      expect(canonicalJson(p1)).toBe(canonicalJson(p2));
      expect(canonicalJson(agent.propose(view, book))).toBe(canonicalJson(p1));
    });
  });
  it('stepping row by row gives exactly what a fresh replay from row 0 gives', () => {
    const stepped = roster();
    for (let t = 300; t <= 420; t++) for (const a of stepped) a.propose(viewAt(panel, t), emptyBook(a.id, 9e6));
    const fresh = roster();
    const view = viewAt(panel, 421);
    stepped.forEach((a, i) => {
      const f = fresh[i] as Agent;
      const book = emptyBook(a.id, 9e6);
      const p1 = a.propose(view, book);
      const p2 = f.propose(view, book);
      expect(p1, a.id).toEqual(p2);
      if (a instanceof StrategyAgent && f instanceof StrategyAgent) {
        expect(a.stateCounters.rebuilds).toBe(1); // one replay at row 300, then one step per row
        expect(a.stateCounters.steps).toBe(301 + 121);
        expect(f.stateCounters.rebuilds).toBe(1);
      }
    });
  });
  it('a jump forward steps through the rows skipped and matches a fresh agent (agent workers)', () => {
    const a = roster();
    for (const t of [300, 302, 309, 310, 340]) {
      const fresh = roster();
      a.forEach((x, i) => expect(x.propose(viewAt(panel, t), emptyBook(x.id, 9e6)), `${x.id} at ${t}`).toEqual((fresh[i] as Agent).propose(viewAt(panel, t), emptyBook(x.id, 9e6))));
    }
    for (const x of a) {
      if (x instanceof StrategyAgent) {
        expect(x.stateCounters.rebuilds).toBe(1);
        expect(x.stateCounters.steps).toBe(341);
      }
    }
  });
  it('a jump backwards rebuilds and matches a fresh agent', () => {
    const a = roster();
    for (const x of a) x.propose(viewAt(panel, 450), emptyBook(x.id, 9e6));
    const fresh = roster();
    const view = viewAt(panel, 350);
    a.forEach((x, i) => expect(x.propose(view, emptyBook(x.id, 9e6))).toEqual((fresh[i] as Agent).propose(view, emptyBook(x.id, 9e6))));
  });
});
