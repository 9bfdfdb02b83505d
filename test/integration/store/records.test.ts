import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AgentProposal,
  AgentRiskParams,
  DataQuality,
  Fundamentals,
  Instrument,
  MacroObservation,
  Signal,
} from '../../../src/contracts/index.ts';
import type { Store } from '../../../src/store/index.ts';
import { DRIVERS } from './drivers.ts';
import { T0, T1 } from './fixtures.ts';

const T2 = '2024-06-04T14:30:00.000Z';

const signal = (symbol: string, mu: number): Signal =>
  Signal.parse({ version: 1, traceId: 'tr-s', symbol, mu, sigma: 0.05, horizonDays: 21, confidence: 0.7,
    regime: 'BULL_QUIET', agentId: 'mom', modelVersion: 'mom-1.2', asOf: '2024-06-03' });

describe.each(DRIVERS)('market data and fund records on $name', (driver) => {
  let store: Store;
  beforeAll(async () => {
    store = await driver.open();
  });
  afterAll(async () => {
    await store.close();
  });

  it('upserts and lists instruments by the contract', async () => {
    const a = Instrument.parse({ version: 1, symbol: 'AAPL', name: 'Apple', sector: 'Information Technology' });
    const spx = Instrument.parse({ version: 1, symbol: '^GSPC', name: 'S&P 500', assetClass: 'index', isTradable: false });
    expect(await store.instruments.upsert([a, spx])).toBe(2);
    await store.instruments.upsert([{ ...a, lotSize: 0.0001 }]);
    expect(await store.instruments.list()).toEqual([{ ...a, lotSize: 0.0001 }, spx]);
    expect(await store.instruments.list({ assetClass: 'index' })).toEqual([spx]);
    expect(await store.instruments.get('^GSPC')).toEqual(spx);
  });

  it('serves fundamentals point in time: a row is visible only from its release time', async () => {
    const q1 = Fundamentals.parse({ version: 1, symbol: 'AAPL', periodEnd: '2024-03-31', releaseTime: '2024-05-02T20:30:00.000Z',
      eps: 1.53, revenue: 90.75e9, pe: 28.1, dividendYield: 0.0051 });
    const restated = { ...q1, releaseTime: '2024-06-10T12:00:00.000Z', eps: 1.55 };
    expect(await store.fundamentals.insertMany([q1, restated])).toBe(2);
    expect(await store.fundamentals.insertMany([q1])).toBe(0);
    expect(await store.fundamentals.query({ symbols: ['AAPL'], releasedBy: '2024-05-02T20:29:59.999Z' })).toEqual([]);
    expect(await store.fundamentals.query({ releasedBy: '2024-06-01T00:00:00.000Z' })).toEqual([q1]);
    expect(await store.fundamentals.query({ symbols: ['AAPL'] })).toEqual([q1, restated]);
  });

  it('stores macro observations and filters by series, date and release', async () => {
    const obs = [
      MacroObservation.parse({ version: 1, series: 'VIX', date: '2024-06-03', releaseTime: '2024-06-03T20:15:00.000Z', value: 13.11 }),
      MacroObservation.parse({ version: 1, series: 'VIX', date: '2024-06-04', releaseTime: '2024-06-04T20:15:00.000Z', value: 12.63 }),
      MacroObservation.parse({ version: 1, series: 'FF_MKT', date: '2024-06-03', releaseTime: '2024-07-01T00:00:00.000Z', value: 0.0012 }),
    ];
    expect(await store.macro.insertMany(obs)).toBe(3);
    expect(await store.macro.insertMany(obs)).toBe(0);
    expect(await store.macro.query({ series: ['VIX'], from: '2024-06-04' })).toEqual([obs[1]]);
    expect(await store.macro.query({ releasedBy: '2024-06-30T00:00:00.000Z' })).toEqual([obs[0], obs[1]]);
    expect(await store.macro.seriesNames()).toEqual(['FF_MKT', 'VIX']);
  });

  it('keeps the latest data-quality assessment per symbol', async () => {
    const dq = (asOf: string, score: number, state: 'ACTIVE' | 'DEGRADED'): DataQuality =>
      DataQuality.parse({ version: 1, symbol: 'AAPL', asOf, rows: 1260, missingDatesPct: 0.01, duplicatePct: 0,
        hasZeroOrNegative: false, hasExtremeSpike: false, score, state });
    await store.dataQuality.upsert([dq('2024-06-03', 0.95, 'ACTIVE'), dq('2024-06-04', 0.55, 'DEGRADED')]);
    expect(await store.dataQuality.latest()).toEqual([dq('2024-06-04', 0.55, 'DEGRADED')]);
    expect(await store.dataQuality.latest('2024-06-03')).toEqual([dq('2024-06-03', 0.95, 'ACTIVE')]);
  });

  it('keeps funds and agents with risk params, drawdown state and high-water mark', async () => {
    const fund = { id: 'F1', name: 'Keel One', baseCurrency: 'USD', initialCapital: 10_000_000, tradingState: 'ACTIVE' as const,
      drawdownState: 'normal', highWaterMark: 10_250_000.55, hwmDate: '2024-06-03', configHash: 'h1' };
    await store.funds.upsert(fund);
    expect(await store.funds.get('F1')).toEqual(fund);
    await store.funds.setTradingState('F1', 'REDUCING');
    expect((await store.funds.list())[0]?.tradingState).toBe('REDUCING');
    const riskParams = AgentRiskParams.parse({ maxPositionPct: 0.08 });
    const agent = { fundId: 'F1', id: 'mom', strategy: 'momentum', bucket: 'trend', riskDrivers: ['equity_beta', 'momentum_factor'],
      allocatedCapital: 2_500_000, riskParams, drawdownState: 'normal' as const, highWaterMark: null, hwmDate: null,
      isEnabled: true, metrics: { sortino: 1.4 } };
    await store.funds.upsertAgents([agent]);
    expect(await store.funds.agents('F1')).toEqual([agent]);
    expect(AgentRiskParams.parse((await store.funds.agents('F1'))[0]?.riskParams)).toEqual(riskParams);
    await store.funds.setAgentDrawdown('F1', 'mom', { state: 'reduced_50', highWaterMark: 2_600_000.01, hwmDate: '2024-06-04' });
    expect((await store.funds.agents('F1'))[0]).toMatchObject({ drawdownState: 'reduced_50', highWaterMark: 2_600_000.01,
      hwmDate: '2024-06-04' });
    await expect(store.funds.setAgentDrawdown('F1', 'ghost', { state: 'flat', highWaterMark: 1, hwmDate: '2024-06-04' }))
      .rejects.toMatchObject({ code: 'KEEL_E_NOT_FOUND' });
  });

  it('round-trips signals and runs the proposal approval workflow', async () => {
    const sigs = [signal('AAPL', 0.021), signal('MSFT', -0.0075)];
    expect(await store.signals.insertMany('cy1', sigs)).toBe(2);
    expect(await store.signals.listByCycle('cy1')).toEqual(sigs);
    const p = AgentProposal.parse({ version: 1, traceId: 'tr-p', cycleId: 'cy1', agentId: 'mom', strategy: 'momentum',
      asOf: '2024-06-03', signals: sigs, targets: [{ symbol: 'AAPL', weight: 0.05 }], reasoning: 'trend intact' });
    await store.proposals.insert({ id: 'pr-1', fundId: 'F1', proposal: p, decisionId: 'od-1', createdBy: 'system:agent:mom', createdAt: T0, expiresAt: T2 });
    const fresh = {
      id: 'pr-1', fundId: 'F1', status: 'PENDING_APPROVAL', proposal: p, decisionId: 'od-1', ticket: null, size: 1, limitPrice: null,
      createdBy: 'system:agent:mom', createdAt: T0, expiresAt: T2, rationale: 'trend intact', history: [], orderIds: [], fillIds: [],
      decidedBy: null, decidedAt: null, executedAt: null, note: null,
    };
    expect(await store.proposals.list('F1', { statuses: ['PENDING_APPROVAL'] })).toEqual([fresh]);
    expect(await store.proposals.get('F1', 'pr-1', { forUpdate: false })).toEqual(fresh);
    expect(await store.proposals.get('F2', 'pr-1')).toBeUndefined();
    const step = { from: 'PENDING_APPROVAL' as const, to: 'MODIFIED' as const, who: 'pm', role: 'pm' as const, why: 'half', at: T1, journalEntryId: 'pr-1/j1',
      changes: { sizeBefore: 1, sizeAfter: 0.5, limitPriceBefore: null, limitPriceAfter: 189.1234 } };
    const update = { from: 'PENDING_APPROVAL' as const, status: 'MODIFIED' as const, size: 0.5, limitPrice: 189.1234, history: [step], orderIds: [], fillIds: [], decidedBy: 'pm', decidedAt: T1 };
    await store.proposals.update('pr-1', update);
    await expect(store.proposals.update('pr-1', { ...update, status: 'REJECTED' })).rejects.toMatchObject({ code: 'KEEL_E_ILLEGAL_TRANSITION' });
    const executed = { ...update, from: 'MODIFIED' as const, status: 'EXECUTED' as const, orderIds: ['pr-1:AAPL'], fillIds: ['pr-1:AAPL-f1'], decidedBy: 'system:oms', decidedAt: T2, executedAt: T2 };
    await store.transaction(async (tx) => {
      expect((await tx.proposals.get('F1', 'pr-1', { forUpdate: true }))?.status).toBe('MODIFIED');
      await tx.proposals.update('pr-1', executed);
    });
    expect(await store.proposals.get('F1', 'pr-1')).toEqual({
      ...fresh, status: 'EXECUTED', size: 0.5, limitPrice: 189.1234, history: [step], orderIds: ['pr-1:AAPL'], fillIds: ['pr-1:AAPL-f1'],
      decidedBy: 'system:oms', decidedAt: T2, executedAt: T2,
    });
    const ticket = { symbol: 'MSFT', side: 'SELL' as const, qty: null, notional: 25_000.5 };
    await store.proposals.insert({ id: 'pr-2', fundId: 'F1', proposal: { ...p, agentId: 'discretionary' }, ticket, expiresAt: T2, status: 'REJECTED' });
    expect((await store.proposals.list('F1', { statuses: ['REJECTED'] })).map((x) => [x.id, x.ticket, x.createdBy])).toEqual([['pr-2', ticket, 'system']]);
    await expect(store.proposals.insert({ id: 'pr-3', fundId: 'F1', proposal: p, expiresAt: T2, size: 0 })).rejects.toThrow();
  });

  it('keeps risk snapshots, stress results and briefings', async () => {
    const snap = { fundId: 'F1', cycleId: 'cy1', asOf: '2024-06-03', var95: 0.0183, var99: 0.0259, cvar95: 0.0231,
      grossExposure: 14_500_000.25, netExposure: 3_100_000, metrics: { hhi: 0.041 } };
    await store.risk.addSnapshot(snap);
    expect(await store.risk.snapshots('F1')).toEqual([snap]);
    const stress = (asOf: string, scenario: string, pnlImpact: number) => ({ fundId: 'F1', cycleId: null, asOf, scenario,
      pnlImpact, pnlImpactPct: pnlImpact / 10_000_000, perAgent: { mom: { pnl: pnlImpact / 2 } }, details: {} });
    await store.risk.addStressResults([stress('2024-06-03', 'gfc_2008', -1_234_567.89), stress('2024-06-04', 'covid_2020', -987_654.32),
      stress('2024-06-04', 'rates_2022', -55_000)]);
    expect(await store.risk.latestStress('F1')).toEqual([stress('2024-06-04', 'covid_2020', -987_654.32),
      stress('2024-06-04', 'rates_2022', -55_000)]);
    expect(await store.risk.latestStress('F1', '2024-06-03')).toEqual([stress('2024-06-03', 'gfc_2008', -1_234_567.89)]);
    const b = { fundId: 'F1', date: '2024-06-04', content: { movers: ['AAPL'] }, narrative: 'Calm open.' };
    await store.risk.saveBriefing(b);
    await store.risk.saveBriefing({ ...b, narrative: 'Calm open, VIX 12.6.' });
    expect(await store.risk.briefing('F1', '2024-06-04')).toEqual({ ...b, narrative: 'Calm open, VIX 12.6.' });
  });
});
