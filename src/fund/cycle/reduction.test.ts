import { describe, expect, it } from 'vitest';
import { parseFundConfig } from '../../contracts/index.ts';
import { KILL_TRIGGERS, planRiskReduction, type FundReview, type KillTrigger } from '../../overlay/index.ts';
import { Ledger } from '../ledger/ledger.ts';
import { planCycleOrders } from './run-cycle.ts';
import { haltedReductions, reductionTargets } from './reduction.ts';
import type { TargetPosition } from '../../contracts/index.ts';
import { createPanel, viewAt } from '../../market/index.ts';

const config = parseFundConfig({ fund: { id: 'f', totalCapital: 2_000_000 }, agents: [{ id: 'a', strategy: 'momentum', allocatedCapital: 1_000_000 }, { id: 'b', strategy: 'quality_value', allocatedCapital: 1_000_000 }] });
/** Five names over 30 weekdays, flat prices 20, 40, … (enough for the planner's ADV and vol). */
const view = (() => {
  const T = 30;
  const symbols = ['S000', 'S001', 'S002', 'S003', 'S004'];
  const dates = Array.from({ length: T }, (_, t) => `2024-02-${String(t + 1).padStart(2, '0')}`).map((_, t) => new Date(Date.UTC(2024, 0, 1 + t + 2 * Math.floor(t / 5))).toISOString().slice(0, 10));
  const close = Float64Array.from({ length: T * 5 }, (_, i) => 20 * ((i % 5) + 1) * (1 + 0.001 * Math.sin(i)));
  const panel = createPanel({ dates, symbols, sectors: symbols.map(() => 'Technology'), open: close, high: close, low: close, close, volume: new Float64Array(T * 5).fill(1e7), sharesOutstanding: new Float64Array(5).fill(1e9), reference: new Map() });
  return viewAt(panel, T - 1);
})();
const px = (s: string) => view.close(view.column(s));

function books(): Ledger {
  const l = new Ledger();
  l.open('a', 1_000_000);
  l.open('b', 1_000_000);
  l.applyFill({ agentId: 'a', symbol: 'S000', side: 'BUY', qty: 1000, price: px('S000'), commission: 0 });
  l.applyFill({ agentId: 'b', symbol: 'S001', side: 'SELL', qty: 500, price: px('S001'), commission: 0 });
  l.markAll((s) => px(s));
  return l;
}

const trigger = (name: KillTrigger['name']): KillTrigger => ({ name, severity: KILL_TRIGGERS[name].severity, closeFraction: KILL_TRIGGERS[name].closeFraction, limit: null, actual: null, message: name });

function review(ledger: Ledger, triggers: KillTrigger[], changed = true): Pick<FundReview, 'reductionPlan' | 'transition' | 'tradingState'> {
  const held = ['a', 'b'].flatMap((id) => [...ledger.book(id).holdings.values()].map((h) => ({ agentId: id, symbol: h.symbol, notional: (h.qty4 / 1e4) * h.mark, price: h.mark, risk: Math.abs((h.qty4 / 1e4) * h.mark) })));
  return { tradingState: 'HALTED', transition: { state: 'HALTED', since: view.asOf, changed, cause: triggers.map((t) => t.name).join(', ') }, reductionPlan: planRiskReduction(triggers, held, ['a', 'b']) };
}

describe('the kill switch closes positions by severity (seed §5B)', () => {
  const capital = new Map([['a', 1_000_000], ['b', 1_000_000]]);

  it('on the day a market trigger trips, every position is cut by its fraction, and the orders only reduce', () => {
    const l = books();
    const targets = reductionTargets(config, review(l, [trigger('vol_circuit_breaker')]), l, capital);
    expect(targets?.['a']?.[0]).toMatchObject({ symbol: 'S000', targetNotional: expect.closeTo(500 * px('S000'), 6) });
    expect(targets?.['b']?.[0]).toMatchObject({ symbol: 'S001', targetNotional: expect.closeTo(-250 * px('S001'), 6) });
    const plan = planCycleOrders(config, targets ?? {}, l, view, undefined, [], capital);
    const bySymbol = new Map(plan.orders.map((o) => [o.symbol, o]));
    expect(bySymbol.get('S000')).toMatchObject({ side: 'SELL' });
    expect(bySymbol.get('S000')?.qty).toBeCloseTo(500, 4);
    expect(bySymbol.get('S001')).toMatchObject({ side: 'BUY' });
    expect(bySymbol.get('S001')?.qty).toBeCloseTo(250, 4);
  });

  it('the hard drawdown stop closes everything', () => {
    const l = books();
    const targets = reductionTargets(config, review(l, [trigger('vol_circuit_breaker'), trigger('fund_drawdown_hard')]), l, capital);
    expect([...Object.values(targets ?? {})].flat().every((t) => Math.abs(t.targetNotional) < 1e-6)).toBe(true);
  });

  it('nothing on the following halted days, for a manual halt, or for a trigger that closes nothing', () => {
    const l = books();
    expect(reductionTargets(config, review(l, [trigger('vol_circuit_breaker')], false), l, capital)).toBeNull();
    expect(reductionTargets(config, review(l, [trigger('manual')]), l, capital)).toBeNull();
    expect(reductionTargets(config, review(l, [trigger('liquidity_freeze')]), l, capital)).toBeNull();
  });
});

describe('on the following HALTED days only the overlay\'s cuts of the held books go (risk-reducing trades are never blocked)', () => {
  const t = (agentId: string, symbol: string, current: number, target: number): TargetPosition => ({ version: 1, agentId, symbol, targetWeight: target / 1_000_000, targetNotional: target, currentNotional: current, deltaNotional: target - current, priority: 1, reasoning: '' });
  const positions = {
    a: [t('a', 'S000', 20_000, 5_000), t('a', 'S002', 10_000, 30_000), t('a', 'S003', 0, 8_000), t('a', 'S004', 4_000, -2_000)],
    b: [t('b', 'S001', -20_000, -10_000), t('b', 'S002', -5_000, 0)],
  };
  const halted = (o: { changed?: boolean; triggers?: KillTrigger['name'][]; manual?: boolean } = {}) => ({
    tradingState: 'HALTED' as const,
    transition: { state: 'HALTED' as const, since: view.asOf, changed: o.changed ?? false, cause: 'kill switch still triggered' },
    triggers: (o.triggers ?? ['vol_circuit_breaker']).map(trigger),
    positions,
    nextState: { manualKill: o.manual ? { who: 'risk', why: 'outage', at: view.asOf } : null } as FundReview['nextState'],
  });

  it('a cut goes, a target that would grow, open or flip is held at the current position', () => {
    const out = haltedReductions(halted());
    const by = new Map(Object.values(out ?? {}).flat().map((x) => [`${x.agentId}:${x.symbol}`, x]));
    expect(by.get('a:S000')?.targetNotional).toBe(5_000);
    expect(by.get('b:S001')?.targetNotional).toBe(-10_000);
    expect(by.get('b:S002')?.targetNotional).toBe(0);
    expect(by.get('a:S002')).toMatchObject({ targetNotional: 10_000, targetWeight: 0.01, deltaNotional: 0 });
    expect(by.get('a:S003')).toMatchObject({ targetNotional: 0, deltaNotional: 0 });
    expect(by.get('a:S004')).toMatchObject({ targetNotional: 4_000, deltaNotional: 0 });
    const plan = planCycleOrders(config, out ?? {}, books(), view, undefined, [], new Map([['a', 1_000_000], ['b', 1_000_000]]));
    for (const o of plan.orders) expect(o.symbol === 'S000' ? o.side : o.symbol === 'S001' ? o.side : 'reduces').not.toBe(o.symbol === 'S000' ? 'BUY' : 'SELL');
  });

  it('nothing while ACTIVE, on the trip day (the reduction plan), for a manual or store halt, or in a liquidity freeze', () => {
    expect(haltedReductions({ ...halted(), tradingState: 'ACTIVE' })).toBeNull();
    expect(haltedReductions(halted({ changed: true }))).toBeNull();
    expect(haltedReductions(halted({ manual: true }))).toBeNull();
    expect(haltedReductions(halted({ triggers: ['manual'] }))).toBeNull();
    expect(haltedReductions(halted({ triggers: ['vol_circuit_breaker', 'liquidity_freeze'] }))).toBeNull();
  });
});
