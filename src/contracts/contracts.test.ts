import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ConfigConflictError, ValidationError } from '../core/index.ts';
import {
  AgentProposal,
  Alert,
  Bar,
  CheckResult,
  DecisionRecord,
  Fill,
  FundConfig,
  Fundamentals,
  Instrument,
  MacroObservation,
  Order,
  OverlayDecision,
  Position,
  RiskAction,
  Signal,
  TargetPosition,
  configHash,
  defaultFundConfigInput,
  parseFundConfig,
  parseFundConfigInput,
  resolveAgentRisk,
} from './index.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const golden = (name: string): unknown => JSON.parse(readFileSync(path.join(here, 'golden', name), 'utf8'));

const CASES: [string, z.ZodType][] = [
  ['instrument.json', Instrument],
  ['bar.json', Bar],
  ['fundamentals.json', Fundamentals],
  ['macro-observation.json', MacroObservation],
  ['signal.json', Signal],
  ['agent-proposal.json', AgentProposal],
  ['target-position.json', TargetPosition],
  ['check-result.json', CheckResult],
  ['overlay-decision.json', OverlayDecision],
  ['risk-action.json', RiskAction],
  ['order.json', Order],
  ['fill.json', Fill],
  ['position.json', Position],
  ['decision-record.json', DecisionRecord],
  ['alert.json', Alert],
];

describe('golden examples round-trip through their schema', () => {
  it.each(CASES)('%s parses, serialises and parses to the same value', (file, schema) => {
    const raw = golden(file);
    const parsed = schema.parse(raw);
    const again = schema.parse(JSON.parse(JSON.stringify(parsed)));
    expect(again).toEqual(parsed);
    // Golden files are written in full: parsing adds no defaults they lack.
    expect(parsed).toEqual(raw);
  });

  it('every message carries version 1, and the travelling ones a traceId', () => {
    // CheckResult travels only inside an OverlayDecision, which carries the version.
    for (const [file] of CASES.filter(([f]) => f !== 'check-result.json')) {
      const raw = golden(file) as Record<string, unknown>;
      expect(raw.version, file).toBe(1);
    }
    for (const file of ['signal.json', 'agent-proposal.json', 'overlay-decision.json', 'order.json', 'fill.json', 'alert.json']) {
      expect(typeof (golden(file) as Record<string, unknown>).traceId, file).toBe('string');
    }
  });

  it('the decision record has exactly the 15 fields of the seed plus version', () => {
    const keys = Object.keys(DecisionRecord.shape).filter((k) => k !== 'version');
    expect(keys).toEqual([
      'cycleId', 'symbol', 'timestamp', 'finalDecision', 'positionSize', 'stopLoss', 'reasonCodes', 'muHat',
      'sigmaHat', 'conviction', 'dataQualityScore', 'providerConfidence', 'agentResults', 'riskChecks', 'metadata',
    ]);
  });
});

function firstIssuePath(schema: z.ZodType, value: unknown): string {
  const r = schema.safeParse(value);
  expect(r.success).toBe(false);
  return r.success ? '' : (r.error.issues[0]?.path ?? []).join('.');
}

describe('bad input is rejected with the field path', () => {
  it('a signal with negative sigma names sigma', () => {
    expect(firstIssuePath(Signal, { ...(golden('signal.json') as object), sigma: -0.1 })).toBe('sigma');
  });
  it('a signal with confidence above 1 names confidence', () => {
    expect(firstIssuePath(Signal, { ...(golden('signal.json') as object), confidence: 1.2 })).toBe('confidence');
  });
  it('an unknown version is refused', () => {
    expect(firstIssuePath(Signal, { ...(golden('signal.json') as object), version: 2 })).toBe('version');
  });
  it('an impossible date names the date', () => {
    expect(firstIssuePath(Bar, { ...(golden('bar.json') as object), date: '2018-02-30' })).toBe('date');
  });
  it('a bar whose high is below its close names high', () => {
    expect(firstIssuePath(Bar, { ...(golden('bar.json') as object), high: 150 })).toBe('high');
  });
  it('a limit order without a limit price names limitPrice', () => {
    expect(firstIssuePath(Order, { ...(golden('order.json') as object), limitPrice: null })).toBe('limitPrice');
  });
  it('a nested bad target weight names the array index', () => {
    const p = golden('agent-proposal.json') as { targets: { weight: unknown }[] };
    const bad = { ...p, targets: [{ ...p.targets[0], weight: 'lots' }] };
    expect(firstIssuePath(AgentProposal, bad)).toBe('targets.0.weight');
  });
  it('NaN is not a finite number', () => {
    expect(firstIssuePath(Fill, { ...(golden('fill.json') as object), price: Number.NaN })).toBe('price');
  });
});

describe('FundConfig', () => {
  it('fills the seed defaults', () => {
    const cfg = parseFundConfig({ fund: {} });
    expect(cfg.risk.maxSingleNamePct).toBe(0.05);
    expect(cfg.risk.maxSectorPct).toBe(0.2);
    expect(cfg.risk.maxAdvPct).toBe(0.1);
    expect(cfg.risk.maxTop5Pct).toBe(0.4);
    // issue 15: the ladders in units of volatility (the agent's own; the fund's risk target)
    expect(cfg.drawdown.agentSteps.map((s) => [s.volMultiple, s.state])).toEqual([
      [1.5, 'reduced_50'],
      [2, 'reduced_75'],
      [2.5, 'flat'],
      [3, 'paused'],
    ]);
    expect(cfg.drawdown.fundSteps.map((s) => s.volMultiple)).toEqual([1, 1.4]);
    expect(cfg.drawdown.recovery).toBe('rebase');
    expect(cfg.drawdown.recoveryRamp).toEqual([0.2, 0.4, 0.6, 0.8, 1]);
    expect(cfg.killSwitch).toMatchObject({ fundVar99Pct: 0.029309, vixLevel: 40, fundDrawdownPct: 0.15, avgAgentCorrelation: 0.8, cvarBreachCycles: 3 });
    expect(cfg.regime.multipliers).toEqual({ BULL_QUIET: 1, BULL_VOLATILE: 0.7, BEAR_QUIET: 0.5, BEAR_CRISIS: 0 });
    expect(cfg.oms).toMatchObject({ maxOrderValue: 1_000_000, maxPositionConcentration: 0.1, maxOpenOrdersPerSymbol: 5 });
    expect(cfg.metaBrain).toMatchObject({ beta: 0.5, gamma: 0.3, minConfidence: 0.3, maxPositionPct: 0.1, cvarLimit: 0.05 });
    expect(cfg.data).toMatchObject({ minHistoryRows: 1260, degradedMinRows: 1000, minQuality: 0.6 });
    expect(cfg.alerts.dedupWindowSec).toBe(600);
  });

  it('resolves risk hierarchically: defaults ← bucket ← agent', () => {
    const cfg = FundConfig.parse(golden('fund-config.json'));
    const momentum = cfg.agents[0];
    const trend = cfg.agents[1];
    if (!momentum || !trend) throw new Error('golden config lost its agents');
    expect(resolveAgentRisk(cfg, momentum).maxPositionPct).toBe(0.08); // bucket default
    expect(resolveAgentRisk(cfg, momentum).grossExposureCap).toBe(1); // fund default
    expect(resolveAgentRisk(cfg, trend).grossExposureCap).toBe(1.5); // agent override
    expect(resolveAgentRisk(cfg, trend).maxPositionPct).toBe(0.1); // fund default
  });

  it('the embedded default fund is valid and does not over-allocate', () => {
    const cfg = parseFundConfig(defaultFundConfigInput());
    expect(cfg.agents).toHaveLength(9);
    expect(cfg.agents.reduce((s, a) => s + a.allocatedCapital, 0)).toBeLessThanOrEqual(cfg.fund.totalCapital);
  });

  it('has a stable hash that changes with any setting', () => {
    const a = parseFundConfig(defaultFundConfigInput());
    const b = parseFundConfig(defaultFundConfigInput());
    expect(configHash(a)).toBe(configHash(b));
    expect(configHash(a)).toMatch(/^[0-9a-f]{64}$/);
    const c = parseFundConfig({ ...defaultFundConfigInput(), risk: { maxSectorPct: 0.25 } });
    expect(configHash(c)).not.toBe(configHash(a));
  });

  const conflict = (input: unknown): ConfigConflictError => {
    try {
      parseFundConfig(input);
    } catch (e) {
      if (e instanceof ConfigConflictError) return e;
      throw e;
    }
    throw new Error('expected a ConfigConflictError');
  };

  it('rejects an agent cap above the fund cap, naming both fields', () => {
    const e = conflict({
      fund: {},
      risk: { maxLeverage: 1.5 },
      agents: [{ id: 'a', strategy: 'momentum', allocatedCapital: 1, risk: { leverageLimit: 3 } }],
    });
    expect(e.message).toContain('agents[0].risk.leverageLimit');
    expect(e.message).toContain('risk.maxLeverage');
    expect(e.code).toBe('KEEL_E_CONFIG_CONFLICT');
  });

  it('rejects drawdown steps out of order, naming both steps', () => {
    const e = conflict({
      fund: {},
      drawdown: {
        agentSteps: [
          { drawdownPct: 0.05, state: 'reduced_50' },
          { drawdownPct: 0.03, state: 'reduced_75' },
        ],
      },
    });
    expect(e.message).toContain('drawdown.agentSteps[1].drawdownPct');
    expect(e.message).toContain('drawdown.agentSteps[0].drawdownPct');
  });

  it('rejects vol-multiple steps out of order, and a last fund step past the hard stop, naming the fields', () => {
    const e = conflict({ fund: {}, drawdown: { agentSteps: [{ volMultiple: 2, state: 'reduced_50' }, { volMultiple: 1.5, state: 'reduced_75' }] } });
    expect(e.message).toContain('drawdown.agentSteps[1].volMultiple');
    const k = conflict({ fund: {}, risk: { targetVolPct: 0.12 }, killSwitch: { fundDrawdownPct: 0.15 } }); // 1.4 × 12% = 16.8% > the 15% hard stop
    expect(k.message).toContain('drawdown.fundSteps[1].volMultiple');
    expect(k.message).toContain('killSwitch.fundDrawdownPct');
    expect(() => parseFundConfig({ fund: {}, drawdown: { agentSteps: [{ drawdownPct: 0.03, volMultiple: 1.5, state: 'reduced_50' }] } })).toThrow(/drawdown\.agentSteps\[0\]\.volMultiple/);
  });

  it('derives the loss limits a config leaves unset from its risk target, and refuses limits set for risk levels more than 2× apart', () => {
    // 15% a year: VaR95 1.5 × 0.15 × 1.645 / √252, CVaR95 and VaR99 at 2×, the drawdown kill switch at 1.5 × 15%
    const c = parseFundConfig({ fund: {}, risk: { targetVolPct: 0.15 } });
    expect(c.risk.varLimitPct).toBeCloseTo((1.5 * 0.15 * 1.6448536) / Math.sqrt(252), 6);
    expect(c.risk.cvarLimitPct).toBeCloseTo((2 * 0.15 * 2.0627128) / Math.sqrt(252), 6);
    expect(c.killSwitch.fundVar99Pct).toBeCloseTo((2 * 0.15 * 2.3263479) / Math.sqrt(252), 6);
    expect(c.killSwitch.fundDrawdownPct).toBe(0.225);
    // a limit the user sets stands
    expect(parseFundConfig({ fund: {}, risk: { varLimitPct: 0.02 } }).risk.varLimitPct).toBe(0.02);
    // the old 4% VaR95 limit binds at 38.6% a year, the drawdown kill switch at 15% / 1.5 = 10%
    const v = conflict({ fund: {}, risk: { varLimitPct: 0.04 } });
    expect(v.message).toContain('risk.varLimitPct');
    expect(v.message).toContain('killSwitch.fundDrawdownPct');
    expect(v.message).toContain('38.6%');
    // a fixed 2% fund ladder under a 10% target
    const l = conflict({ fund: {}, drawdown: { fundSteps: [{ drawdownPct: 0.02, state: 'reduced_50' }, { drawdownPct: 0.04, state: 'flat' }] } });
    expect(l.message).toContain('drawdown.fundSteps[0].drawdownPct');
    // the same ladder in a fund that targets 2% is coherent
    expect(() => parseFundConfig({ fund: {}, risk: { targetVolPct: 0.02 }, drawdown: { fundSteps: [{ drawdownPct: 0.02, state: 'reduced_50' }, { drawdownPct: 0.03, state: 'flat' }] } })).not.toThrow();
  });

  it('rejects allocations above total capital, naming both', () => {
    const e = conflict({
      fund: { totalCapital: 1_000_000 },
      agents: [
        { id: 'a', strategy: 'momentum', allocatedCapital: 600_000 },
        { id: 'b', strategy: 'trend_following', allocatedCapital: 600_000 },
      ],
    });
    expect(e.message).toContain('agents');
    expect(e.message).toContain('fund.totalCapital');
  });

  it('rejects an undefined bucket; accepts an agent budget above its bucket cap (its own VaR against the bucket\'s components)', () => {
    expect(parseFundConfig({ fund: {}, agents: [{ id: 'a', strategy: 'momentum', allocatedCapital: 1, risk: { riskBudgetPct: 0.8 } }] }).agents[0]?.id).toBe('a');
    expect(
      conflict({ fund: {}, agents: [{ id: 'a', strategy: 'momentum', allocatedCapital: 1, bucket: 'nope' }] }).message,
    ).toContain('agents[0].bucket');
  });

  it('rejects duplicate agent ids', () => {
    const e = conflict({
      fund: {},
      agents: [
        { id: 'a', strategy: 'momentum', allocatedCapital: 1 },
        { id: 'a', strategy: 'momentum', allocatedCapital: 1 },
      ],
    });
    expect(e.message).toContain('agents[1].id');
  });

  it('a config a person wrote: a key the config does not have is refused naming its path and the nearest key', () => {
    expect(() => parseFundConfigInput({ fund: {}, risk: { maxGrossExposur: 1 } })).toThrow(/risk\.maxGrossExposur: unknown key; did you mean 'maxGrossExposure'\?/);
    expect(() => parseFundConfigInput({ fund: {}, risks: {} })).toThrow(/^risks: unknown key; did you mean 'risk'\?/);
    expect(() => parseFundConfigInput({ fund: {}, agents: [{ id: 'a', strategy: 'momentum', allocatedCapital: 1, risk: { riskBudgetPc: 0.1 } }] })).toThrow(/agents\[0\]\.risk\.riskBudgetPc: unknown key/);
    // every key the defaults, the golden config and a record (regime multipliers) have is known
    expect(configHash(parseFundConfigInput(defaultFundConfigInput()))).toBe(configHash(parseFundConfig(defaultFundConfigInput())));
    const golden = JSON.parse(readFileSync(path.join(here, 'golden', 'fund-config.json'), 'utf8')) as unknown;
    expect(() => parseFundConfigInput(golden)).not.toThrow();
    expect(parseFundConfigInput({ fund: {}, regime: { multipliers: { BULL_QUIET: 1, BULL_VOLATILE: 0.6, BEAR_QUIET: 0.5, BEAR_CRISIS: 0 } } }).regime.multipliers.BULL_VOLATILE).toBe(0.6);
    // stored configs load as before (a key a later version removed does not stop a fund)
    expect(parseFundConfig({ fund: {}, risk: { maxGrossExposur: 1 } }).risk.maxGrossExposure).toBe(2);
  });

  it('a fund id names a folder: no path separator, no leading dot', () => {
    for (const id of ['..', '.', '../../evil', 'a/b', 'Bad Id', '.hidden']) expect(() => parseFundConfig({ fund: { id } }), id).toThrow(/^fund\.id: letters, digits/);
    for (const id of ['main', 'Fund-2', 'a.b_c']) expect(parseFundConfig({ fund: { id } }).fund.id).toBe(id);
  });

  it('reports a plain bad value as a ValidationError with its path', () => {
    expect(() => parseFundConfig({ fund: { totalCapital: -5 } })).toThrow(ValidationError);
    expect(() => parseFundConfig({ fund: { totalCapital: -5 } })).toThrow(/fund\.totalCapital/);
    expect(() => parseFundConfig({ fund: {}, agents: [{ id: 'a', strategy: 'astrology', allocatedCapital: 1 }] })).toThrow(
      /agents\[0\]\.strategy/,
    );
  });
});
