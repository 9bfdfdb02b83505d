/**
 * The agent SDK (keel/agents): a plug-in module in each accepted form is understood, a bad one is
 * refused saying what is wrong, the ranking base builds a checked book, and the test kit runs an
 * agent and reports it. The contract test: the published schemas of contract 1 are unchanged and
 * an agent frozen at 1.0 still loads and proposes valid books.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AgentProposal, AgentRequest, AGENT_CONTRACT_VERSION, contractMajor } from '../../contracts/index.ts';
import { syntheticPanel } from '../../market/index.ts';
import { names, noiseTable, panelFromReturns } from '../test-panels.ts';
import { v1Agent } from './fixtures/v1-agent.ts';
import {
  agentForTest,
  agentModuleOf,
  crossSection,
  defineAgent,
  emptyBook,
  RankingAgent,
  RankingParams,
  realizedVol,
  regimeOf,
  runAgent,
  trailingReturn,
  z,
  zscores,
  type AgentBook,
  type AgentContext,
  type MarketView,
} from './index.ts';

const LowVolParams = RankingParams.extend({ volDays: z.number().int().min(5).default(20) });
class LowVol extends RankingAgent {
  private readonly volDays: number;
  constructor(ctx: AgentContext, p: z.infer<typeof LowVolParams>) {
    super(ctx, p, 'low-vol@1');
    this.volDays = p.volDays;
  }
  protected override warmupDays(): number {
    return this.volDays;
  }
  protected score(view: MarketView, _book: AgentBook): Float64Array {
    return crossSection(view, (u) => -realizedVol(view, u, this.volDays));
  }
}
const lowVol = defineAgent({ contract: '1', bucket: 'income_defensive', riskDrivers: ['equity_beta', 'defensive'], params: LowVolParams, create: (ctx, p) => new LowVol(ctx, p) });

// 10 independent names: column u has daily volatility 0.5% × (u + 1), no drift
const SYMS = names('V', 10);
const noise = noiseTable(11, 120, 10, 1);
const panel = panelFromReturns({ T: 120, symbols: SYMS, ret: (t, u) => 0.005 * (u + 1) * noise(t, u) });

function understood(x: unknown) {
  const r = agentModuleOf(x);
  if (!r.ok) throw new Error(r.error);
  return r.module;
}

describe('keel/agents', () => {
  it('a ranking agent holds the least volatile names, with checked proposals and a tear sheet', () => {
    const agent = agentForTest(understood(lowVol), { id: 'low-vol', params: { topFraction: 0.3, minNames: 2 } });
    expect(agent.bucket).toBe('income_defensive');
    expect(agent.riskDrivers).toEqual(['equity_beta', 'defensive']);
    const run = runAgent(agent, panel, panel.dates[30] ?? '', panel.dates[119] ?? '');
    expect(run.proposals).toHaveLength(90);
    const held = new Set(run.proposals.at(-1)?.targets.map((t) => t.symbol));
    expect([...held].sort()).toEqual(['V000', 'V001', 'V002']);
    for (const p of run.proposals) expect(AgentProposal.safeParse(p).success).toBe(true);
    expect(run.proposals.at(-1)?.signals.every((s) => s.sigma > 0 && s.horizonDays === 21)).toBe(true);
    expect(run.tearSheet.days).toBe(90);
    expect(run.tearSheet.meanNames).toBeGreaterThan(2);
    expect(run.tearSheet.meanGross).toBeGreaterThan(0.25); // three names at the 10% position cap
  });

  it('refuses a bad parameter naming the field', () => {
    expect(() => agentForTest(understood(lowVol), { id: 'lv', params: { volDays: 2 } })).toThrow(/agents\.lv\.params\.volDays/);
  });

  it('understands a class and a factory function as the default export', () => {
    class Flat {
      static bucket = 'market_neutral';
      readonly strategy = 'custom' as const;
      readonly riskDrivers = [];
      readonly bucket = 'market_neutral';
      constructor(readonly ctx: AgentContext) {}
      get id() {
        return this.ctx.id;
      }
      propose(view: MarketView, book: AgentBook) {
        return { version: 1 as const, traceId: book.traceId, cycleId: book.cycleId, agentId: this.ctx.id, strategy: 'custom' as const, asOf: view.asOf, signals: [], targets: [] };
      }
    }
    const asClass = understood(Flat);
    expect(asClass.bucket).toBe('market_neutral');
    const fromFactory = understood((ctx: AgentContext) => new Flat(ctx));
    for (const m of [asClass, fromFactory]) {
      const a = agentForTest(m, { id: 'flat' });
      const view = { asOf: panel.dates[5] } as MarketView;
      expect(a.propose(view, emptyBook('flat', 1e6, { cycleId: 'c', traceId: 't' })).targets).toEqual([]);
    }
  });

  it('refuses a module that is not an agent, or was written for another contract major', () => {
    expect(agentModuleOf(undefined)).toMatchObject({ ok: false, error: expect.stringContaining('no default export') as string });
    expect(agentModuleOf({ propose: () => null })).toMatchObject({ ok: false, error: expect.stringContaining('without create()') as string });
    expect(agentModuleOf({ ...v1Agent, contract: '2.0' })).toMatchObject({ ok: false, error: expect.stringContaining(`written for agent contract 2.0; this Keel implements ${AGENT_CONTRACT_VERSION}`) as string });
    expect(agentModuleOf({ ...v1Agent, riskDrivers: ['beta'] })).toMatchObject({ ok: false, error: expect.stringContaining('riskDrivers must be a list of') as string });
  });

  it('an invalid proposal throws naming the field (the cycle makes the agent hold)', () => {
    const bad = understood({ contract: '1', create: (ctx: AgentContext) => ({ id: ctx.id, strategy: 'custom', riskDrivers: [], bucket: 'x', propose: (view: MarketView, book: AgentBook) => ({ version: 1, traceId: book.traceId, cycleId: book.cycleId, agentId: ctx.id, strategy: 'custom', asOf: view.asOf, signals: [], targets: [{ symbol: 'V000', weight: Number.NaN }] }) }) });
    const a = agentForTest(bad, { id: 'bad' });
    expect(() => runAgent(a, panel, panel.dates[1] ?? '', panel.dates[2] ?? '')).toThrow(/invalid proposal: proposal\.targets\[0\]\.weight: /);
  });

  it('feature helpers read the view point in time', () => {
    const m = syntheticPanel({ seed: 3, symbols: 20, years: 1 });
    const view = runAgentView(m, 200);
    expect(trailingReturn(view, 0, 20)).toBeCloseTo(view.close(0) / view.close(0, view.t - 20) - 1, 12);
    expect(realizedVol(view, 0, 20)).toBeGreaterThan(0);
    const z0 = zscores([1, 2, 3, Number.NaN]);
    expect([z0[0], z0[1], z0[2]]).toEqual([-1, 0, 1]);
    expect(z0[3]).toBeNaN();
    expect(['BULL_QUIET', 'BULL_VOLATILE', 'BEAR_QUIET', 'BEAR_CRISIS']).toContain(regimeOf(view));
  });
});

function runAgentView(p: ReturnType<typeof syntheticPanel>, t: number): MarketView {
  let seen: MarketView | null = null;
  const probe = { id: 'probe', strategy: 'custom' as const, riskDrivers: [], bucket: 'x', propose: (view: MarketView, book: AgentBook) => {
    seen = view;
    return { version: 1 as const, traceId: book.traceId, cycleId: book.cycleId, agentId: 'probe', strategy: 'custom' as const, asOf: view.asOf, signals: [], targets: [], agentRisk: [], reasoning: '' };
  } };
  runAgent(probe, p, p.dates[t] ?? '', p.dates[t] ?? '');
  if (!seen) throw new Error('no view');
  return seen;
}

describe('the agent contract (version 1)', () => {
  const SNAPSHOT = path.join(import.meta.dirname, 'fixtures/contract-v1.schema.json');
  it('publishes the same request and proposal schemas as contract 1 did (a breaking change bumps the major)', () => {
    expect(contractMajor(AGENT_CONTRACT_VERSION)).toBe(1);
    const now = { request: z.toJSONSchema(AgentRequest, { io: 'input', unrepresentable: 'any' }), proposal: z.toJSONSchema(AgentProposal, { io: 'input', unrepresentable: 'any' }) };
    const frozen = JSON.parse(readFileSync(SNAPSHOT, 'utf8')) as unknown;
    expect(now).toEqual(frozen);
  });

  it('an agent written against 1.0 with the raw interface loads and proposes valid books', () => {
    const a = agentForTest(understood(v1Agent), { id: 'v1', params: { names: 4 } });
    const run = runAgent(a, panel, panel.dates[10] ?? '', panel.dates[20] ?? '');
    expect(run.proposals).toHaveLength(11);
    expect(run.proposals.every((p) => p.targets.length === 4)).toBe(true);
  });
});
