import { describe, expect, it } from 'vitest';
import { rearmFund, reviewFund, setManualKill } from './index.ts';
import { codesOf, decisionOf, finalOf } from './testing/helpers.ts';
import { agentState, fundConfig, fundState, proposal, SEED_DRAWDOWN, symbolsOf, syntheticPanel, varLimits } from './testing/fixture.ts';
import { viewAt } from '../market/index.ts';

const C = 100_000_000;

describe('stories', () => {
  it('a crisis trips the 5% fund-drawdown kill switch', () => {
    const panel = syntheticPanel({ U: 30, seed: 3, crashDays: 3, crashReturn: -0.03 });
    const view = viewAt(panel, panel.T - 1);
    const before = viewAt(panel, panel.T - 4);
    const names = symbolsOf(30).filter((_, u) => u % 7 !== 6).slice(0, 20);
    const ids = ['momentum', 'value', 'trend'];
    // the seed's 5% hard stop (the default is 15%, 1.5 × the 10% risk target)
    const config = fundConfig(ids.map((id, k) => ({ id, strategy: (['momentum', 'quality_value', 'trend_following'] as const)[k] ?? 'momentum', capital: 30_000_000 })), SEED_DRAWDOWN, C);
    let pnl = 0;
    const agents = ids.map((id, k) => {
      const mine = names.filter((_, i) => i % 3 === k);
      const positions = mine.map((s) => {
        const entry = before.close(before.column(s));
        const qty = Math.round(9_000_000 / mine.length / entry) * 3; // ~90% gross long
        pnl += qty * (view.close(view.column(s)) - entry);
        return { symbol: s, qty, price: entry };
      });
      return agentState(id, 30_000_000, { positions });
    });
    const nav = C + pnl;
    expect(1 - nav / C).toBeGreaterThan(0.05); // the crash cost the fund more than 5%
    const state = fundState(view.asOf, nav, agents, { highWaterMark: C, regime: null });
    const r = reviewFund({ proposals: ids.map((id) => proposal(id, 'momentum', view.asOf, names.slice(0, 5).map((symbol) => ({ symbol, weight: 0.1 })))), state, config, view, cycleId: 'crisis' });
    expect(r.triggers.map((t) => t.name)).toContain('fund_drawdown_hard');
    expect(r.tradingState).toBe('HALTED');
    expect(r.nextState.tradingState).toBe('HALTED');
    for (const d of r.decisions) expect(d.action).toBe('BLOCK');
    expect(r.reductionPlan?.closeFraction).toBe(1);
    expect(r.reductionPlan?.cancelOpenOrders).toBe(true);
    expect(r.reductionPlan?.closes.length).toBe(agents.reduce((a, x) => a + x.positions.length, 0));
    expect(r.reductionPlan?.pauseAgents).toEqual(ids);
    expect(r.alerts.some((a) => a.severity === 'CRITICAL' && a.title === 'Kill switch: fund_drawdown_hard')).toBe(true);
  });

  it('three momentum agents share one bucket cap', () => {
    const panel = syntheticPanel({ U: 30, seed: 5, volume: () => 1e9 });
    const view = viewAt(panel, panel.T - 1);
    const agents = [
      { id: 'mom-a', strategy: 'momentum' as const, capital: 25_000_000 },
      { id: 'mom-b', strategy: 'momentum' as const, capital: 25_000_000 },
      { id: 'mom-c', strategy: 'momentum' as const, capital: 25_000_000 },
      { id: 'vol', strategy: 'volatility_premium' as const, capital: 20_000_000 },
    ];
    const config = fundConfig(agents, { defaults: { riskBudgetPct: 0.15, maxPositionPct: 0.2, netExposureCap: 1 }, risk: { ...varLimits(0.04), maxSingleNamePct: 0.2, maxSectorPct: 1, maxTop5Pct: 1 }, buckets: { directional_equity: { maxRiskAllocationPct: 0.25 }, vol_selling: { maxRiskAllocationPct: 0.25 } } }, C);
    const longBook = symbolsOf(30).filter((_, u) => u % 7 !== 6).slice(0, 10).map((symbol) => ({ symbol, weight: 0.09 }));
    const state = fundState(view.asOf, C, agents.map((a) => agentState(a.id, a.capital)));
    const proposals = [
      ...agents.slice(0, 3).map((a) => proposal(a.id, 'momentum', view.asOf, longBook)),
      proposal('vol', 'volatility_premium', view.asOf, [{ symbol: 'S022', weight: 0.02 }, { symbol: 'S023', weight: -0.02 }]),
    ];
    // alone, each momentum book fits its own 15% budget
    const alone = reviewFund({ proposals: proposals.slice(0, 1), state, config, view, cycleId: 'alone' });
    expect(decisionOf(alone, 'mom-a').action).toBe('APPROVE');
    const r = reviewFund({ proposals, state, config, view, cycleId: 'bucket' });
    const bucket = r.snapshot.buckets.directional_equity;
    expect(bucket?.component).toBeLessThanOrEqual((bucket?.cap ?? 0) * (1 + 1e-9));
    expect(bucket?.used).toBeGreaterThan(0.95); // the cap binds
    const cut = ['mom-a', 'mom-b', 'mom-c'].filter((id) => codesOf(r, id).some((c) => c.startsWith('BUCKET_')));
    expect(cut.length).toBeGreaterThan(0);
    expect(finalOf(r, 'mom-c', 'S000')).toBeLessThan(0.09);
    expect(decisionOf(r, 'vol').action).toBe('APPROVE'); // another bucket is untouched
  });

  it('an illiquid name is capped at 10% ADV', () => {
    const panel = syntheticPanel({ U: 30, seed: 8, volume: (u) => (u === 3 ? 20_000 : 1e8) });
    const view = viewAt(panel, panel.T - 1);
    const u = view.column('S003');
    const advDollars = view.value('adv20', u) * view.close(u);
    const agents = [{ id: 'a', strategy: 'momentum' as const, capital: 20_000_000 }, { id: 'b', strategy: 'quality_value' as const, capital: 20_000_000 }];
    const config = fundConfig(agents, {}, C);
    const state = fundState(view.asOf, C, agents.map((a) => agentState(a.id, a.capital)));
    const want = (0.08 * advDollars) / 20_000_000; // each agent wants 8% of ADV
    const r = reviewFund({ proposals: agents.map((a) => proposal(a.id, a.strategy, view.asOf, [{ symbol: 'S003', weight: want }, { symbol: 'S001', weight: 0.05 }])), state, config, view, cycleId: 'liq' });
    expect(finalOf(r, 'a', 'S003')).toBeCloseTo(want, 12);
    expect(finalOf(r, 'b', 'S003') * 20_000_000).toBeCloseTo(0.02 * advDollars, 4); // what is left of 10%
    expect(codesOf(r, 'b')).toContain('ADV_CAP');
    expect(finalOf(r, 'b', 'S001')).toBeCloseTo(0.05, 12);
    const liq = r.liquidity.names.find((n) => n.symbol === 'S003');
    expect(liq?.advPct).toBeCloseTo(0.1, 9);
    expect(liq?.daysNormal).toBeCloseTo(1, 9); // 10% of ADV at 10% participation
    expect(liq?.daysStressed).toBeCloseTo(2, 9); // volume halves in stress
  });
});

describe('the kill-switch life cycle', () => {
  it('a manual halt, a recorded re-arm, reductions only during the cooldown, then ACTIVE again', () => {
    const panel = syntheticPanel({ U: 20, seed: 9, volume: () => 1e8 });
    const view = viewAt(panel, panel.T - 1);
    const config = fundConfig([{ id: 'a', strategy: 'momentum', capital: 20_000_000 }], {}, C);
    const px = view.close(view.column('S001'));
    const held = [{ symbol: 'S001', qty: Math.round(1_000_000 / px), price: px }];
    const base = fundState(view.asOf, C, [agentState('a', 20_000_000, { positions: held })]);
    const p = [proposal('a', 'momentum', view.asOf, [{ symbol: 'S001', weight: 0.02 }, { symbol: 'S002', weight: 0.05 }])];
    const halted = reviewFund({ proposals: p, state: setManualKill(base, { who: 'ops', why: 'broker outage', at: view.asOf }), config, view, cycleId: 'k1' });
    expect(halted.tradingState).toBe('HALTED');
    expect(halted.triggers.map((t) => t.name)).toEqual(['manual']);
    expect(decisionOf(halted, 'a').action).toBe('BLOCK');
    const rearmed = rearmFund(halted.nextState, { who: 'cro', why: 'broker back', at: view.asOf });
    expect(rearmed.tradingState).toBe('REDUCING');
    const reducing = reviewFund({ proposals: p, state: rearmed, config, view, cycleId: 'k2' });
    expect(reducing.tradingState).toBe('REDUCING');
    expect(finalOf(reducing, 'a', 'S001')).toBeCloseTo(0.02, 12); // a reduction passes
    expect(finalOf(reducing, 'a', 'S002')).toBe(0); // nothing new
    const cooled = { ...reducing.nextState, tradingStateSince: panel.dates[panel.T - 12] ?? '' }; // 11 weekdays ago: the 10-day cooldown is over
    const active = reviewFund({ proposals: p, state: cooled, config, view, cycleId: 'k3' });
    expect(active.tradingState).toBe('ACTIVE');
    expect(finalOf(active, 'a', 'S002')).toBeCloseTo(0.05, 12);
  });
});
