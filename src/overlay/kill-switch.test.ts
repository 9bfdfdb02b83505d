import { describe, expect, it } from 'vitest';
import { IllegalTransitionError } from '../core/index.ts';
import { FundRisk, KillSwitchConfig } from '../contracts/index.ts';
import { adoptOperatorState, checkKillSwitches, DEFAULT_CHECKS, nextTradingState, planRiskReduction, rearmFund, reviewFund, setManualKill, transitionTradingState, type KillSwitchInputs } from './index.ts';
import { agentState, fundConfig, fundState, proposal, syntheticView } from './testing/fixture.ts';

const cfg = KillSwitchConfig.parse({});
const risk = FundRisk.parse({});
const calm: KillSwitchInputs = { fundVar99Pct: 0.01, vix: 15, fundDrawdownPct: 0.01, avgAgentCorrelation: 0.2, avgAgentCorrelationBaseline: 0.2, fundReturn20d: 0.01, volumeRatio: 1, cvarStreak: 0, manual: false, circuitBreakerTier3: false };
const names = (x: Partial<KillSwitchInputs>) => checkKillSwitches({ ...calm, ...x }, cfg, risk).map((t) => t.name);

describe('kill switches (seed fund-overlay-plan §5B)', () => {
  it('nothing fires in calm conditions', () => expect(names({})).toEqual([]));
  it('fund VaR99 above 2.93% of capital (2 × the VaR99 of the 10% risk target)', () => {
    expect(names({ fundVar99Pct: 0.029309 })).toEqual([]);
    expect(names({ fundVar99Pct: 0.0294 })).toEqual(['fund_var_breach']);
  });
  it('volatility index above 40', () => {
    expect(names({ vix: 40 })).toEqual([]);
    expect(names({ vix: 40.1 })).toEqual(['vol_circuit_breaker']);
  });
  it('fund drawdown above 15% (1.5 × the 10% risk target, past the last fund step at 1.4×)', () => {
    expect(names({ fundDrawdownPct: 0.15 })).toEqual([]);
    expect(names({ fundDrawdownPct: 0.1501 })).toEqual(['fund_drawdown_hard']);
  });
  it('correlation spike: average agent correlation above 0.8, up more than 0.3 on its baseline, while the fund loses more than 10% × √(20/252) in 20 days', () => {
    const crisis = { avgAgentCorrelation: 0.81, avgAgentCorrelationBaseline: 0.5, fundReturn20d: -0.03 };
    expect(names(crisis)).toEqual(['correlation_spike']);
    expect(names({ ...crisis, avgAgentCorrelation: 0.8 })).toEqual([]);
    // a quiet clustered market: high, but at its usual level
    expect(names({ ...crisis, avgAgentCorrelationBaseline: 0.52 })).toEqual([]);
    // risen, but the fund is not losing a 1σ month at its 10% target (2.82%)
    expect(names({ ...crisis, fundReturn20d: -0.028 })).toEqual([]);
    expect(names({ ...crisis, fundReturn20d: Number.NaN })).toEqual([]);
    // the loss is read in units of the target: at 5% target vol the same loss is a crisis
    expect(checkKillSwitches({ ...calm, ...crisis, fundReturn20d: -0.015 }, cfg, { ...risk, targetVolPct: 0.05 }).map((t) => t.name)).toEqual(['correlation_spike']);
  });
  it('liquidity freeze below 0.3 of ADV', () => {
    expect(names({ volumeRatio: 0.3 })).toEqual([]);
    expect(names({ volumeRatio: 0.29 })).toEqual(['liquidity_freeze']);
  });
  it('CVaR breached 3 cycles running', () => {
    expect(names({ cvarStreak: 2 })).toEqual([]);
    expect(names({ cvarStreak: 3 })).toEqual(['cvar_persistence']);
  });
  it('the manual switch', () => expect(names({ manual: true })).toEqual(['manual']));
  it('an unmeasurable input (NaN) does not fire', () => expect(names({ vix: Number.NaN, volumeRatio: Number.NaN })).toEqual([]));
});

describe('trading states are a transition table', () => {
  it('allows the listed moves and throws IllegalTransitionError otherwise', () => {
    expect(transitionTradingState('ACTIVE', 'HALTED')).toBe('HALTED');
    expect(transitionTradingState('HALTED', 'REDUCING')).toBe('REDUCING');
    expect(() => transitionTradingState('HALTED', 'ACTIVE')).toThrow(IllegalTransitionError);
  });

  it('a trigger halts; HALTED waits for a re-arm; REDUCING returns to ACTIVE after the 10-day cooldown', () => {
    const s = fundState('2024-03-01', 1e8, []);
    const trig = checkKillSwitches({ ...calm, vix: 50 }, cfg, risk);
    expect(nextTradingState(s, trig, false, cfg).state).toBe('HALTED');
    const halted = { ...s, tradingState: 'HALTED' as const, tradingStateSince: '2024-03-01' };
    expect(nextTradingState({ ...halted, asOf: '2024-04-01' }, [], false, cfg).state).toBe('HALTED');
    const rearmed = rearmFund(halted, { who: 'cro', why: 'vol normalised', at: '2024-03-04' });
    expect(rearmed.tradingState).toBe('REDUCING');
    expect(nextTradingState({ ...rearmed, asOf: '2024-03-15' }, [], false, cfg).state).toBe('REDUCING');
    expect(nextTradingState({ ...rearmed, asOf: '2024-03-18' }, [], false, cfg).state).toBe('ACTIVE');
  });

  it("an operator's trip or re-arm on the fund row is adopted through the table, dated the day it is read", () => {
    const op = { who: 'rita', why: 'vol back to normal', at: '2024-03-06' };
    const states = ['ACTIVE', 'REDUCING', 'HALTED'] as const;
    for (const from of states) {
      for (const row of states) {
        const s = { ...fundState('2024-03-06', 1e8, []), tradingState: from, tradingStateSince: '2024-03-01', manualKill: from === 'HALTED' ? { who: 'cli', why: 'trip', at: '2024-03-01' } : null };
        const next = adoptOperatorState(s, row, op);
        expect(next.tradingState, `${from} → ${row}`).toBe(row);
        if (row === from) expect(next).toBe(s);
        else expect(next.tradingStateSince, `${from} → ${row}`).toBe('2024-03-06');
        expect(next.manualKill, `${from} → ${row}`).toEqual(row === 'HALTED' ? (from === 'HALTED' ? s.manualKill : op) : null);
      }
    }
    // a re-armed HALTED fund cools down from the day the cycle read the re-arm
    const rearmed = adoptOperatorState({ ...fundState('2024-03-06', 1e8, []), tradingState: 'HALTED', tradingStateSince: '2024-03-01' }, 'REDUCING', op);
    expect(rearmed.fundDrawdown.rearm).toEqual(op);
    expect(nextTradingState({ ...rearmed, asOf: '2024-03-19' }, [], false, cfg).state).toBe('REDUCING');
    expect(nextTradingState({ ...rearmed, asOf: '2024-03-20' }, [], false, cfg).state).toBe('ACTIVE');
  });

  it('fail safe and emergency move ACTIVE to REDUCING', () => {
    const s = fundState('2024-03-01', 1e8, []);
    expect(nextTradingState(s, [], true, cfg).state).toBe('REDUCING');
    expect(nextTradingState({ ...s, emergency: true }, [], false, cfg).state).toBe('REDUCING');
  });

  it('the manual switch is set with who and why', () => {
    const s = setManualKill(fundState('2024-03-01', 1e8, []), { who: 'ops', why: 'broker outage', at: '2024-03-01' });
    expect(s.manualKill?.why).toBe('broker outage');
  });
});

describe('global risk-reduction plan', () => {
  it('closes by the most severe trigger, largest risk first, cancels orders and pauses agents', () => {
    const trig = checkKillSwitches({ ...calm, vix: 50, fundDrawdownPct: 0.16 }, cfg, risk);
    const plan = planRiskReduction(trig, [
      { agentId: 'a', symbol: 'X', notional: 1000, price: 10, risk: 5 },
      { agentId: 'b', symbol: 'Y', notional: -2000, price: 20, risk: 50 },
    ], ['a', 'b']);
    expect(plan.cancelOpenOrders).toBe(true);
    expect(plan.closeFraction).toBe(1);
    expect(plan.closes.map((c) => [c.symbol, c.closeNotional, c.qty, c.order])).toEqual([
      ['Y', 2000, 100, 1],
      ['X', -1000, -100, 2],
    ]);
    expect(plan.pauseAgents).toEqual(['a', 'b']);
  });

  it('a liquidity freeze cancels orders but sells nothing', () => {
    const plan = planRiskReduction(checkKillSwitches({ ...calm, volumeRatio: 0.1 }, cfg, risk), [{ agentId: 'a', symbol: 'X', notional: 1000, price: 10, risk: 1 }], ['a']);
    expect(plan.closes).toEqual([]);
    expect(plan.cancelOpenOrders).toBe(true);
  });
});

describe('the trading state moves only when a rule of the review enforces it (governsTradingState)', () => {
  // a fund 20% below its high-water mark, holding a book: the hard drawdown stop (15%) fires
  const view = syntheticView({ U: 20, seed: 5 });
  const px = (s: string) => view.close(view.column(s));
  const A = 20_000_000;
  const state = fundState(view.asOf, 80_000_000, [agentState('m', A, { positions: [{ symbol: 'S001', qty: Math.round((0.3 * A) / px('S001')), price: px('S001') }] })], { highWaterMark: 100_000_000 });
  const config = fundConfig([{ id: 'm', strategy: 'momentum', capital: A }]);
  const review = (checks?: typeof DEFAULT_CHECKS) => reviewFund({ proposals: [proposal('m', 'momentum', view.asOf, [{ symbol: 'S001', weight: 0.4 }])], state, config, view, cycleId: 'ks', ...(checks ? { checks } : {}) });

  it('with every rule: HALTED by the hard drawdown stop, the proposal blocked, the reduction plan set', () => {
    const r = review();
    expect(r.triggers.map((t) => t.name)).toContain('fund_drawdown_hard');
    expect(r.tradingState).toBe('HALTED');
    expect(r.transition.changed).toBe(true);
    expect(r.reductionPlan?.closes.length ?? 0).toBeGreaterThan(0);
    expect(r.decisions[0]?.action).toBe('BLOCK');
    expect(r.decisions[0]?.reasons.map((x) => x.code)).toContain('FUND_HALTED');
  });

  it('without trading_state (keel backtest --without trading_state): the trigger is reported, the state and the book are not touched by it', () => {
    const r = review(DEFAULT_CHECKS.filter((c) => c.governsTradingState !== true));
    expect(r.triggers.map((t) => t.name)).toContain('fund_drawdown_hard');
    expect(r.tradingState).toBe('ACTIVE');
    expect(r.transition.changed).toBe(false);
    expect(r.reductionPlan?.closes.length ?? 0).toBe(0);
    // (the fund's drawdown ladder, a policy of its own, may still flatten the book)
    expect(r.decisions[0]?.reasons.map((x) => x.code)).not.toContain('FUND_HALTED');
  });
});
