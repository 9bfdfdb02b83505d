import { describe, expect, it } from 'vitest';
import { SimClock } from '../../core/index.ts';
import { OmsConfig } from '../../contracts/index.ts';
import { TokenBucket, checkConcentration, checkOpenOrders, checkOrderValue, checkTradingState, isReducing, preTradeCheck, type PreTradeContext } from '../index.ts';

const config = OmsConfig.parse({});
const ctx = (p: Partial<PreTradeContext> = {}): PreTradeContext => ({
  config,
  tradingState: 'ACTIVE',
  nav: 100_000_000,
  price: 100,
  positionQty: 0,
  openOrdersForSymbol: 0,
  ...p,
});
const buy = (qty: number) => ({ symbol: 'X', side: 'BUY' as const, qty, limitPrice: null });
const sell = (qty: number) => ({ symbol: 'X', side: 'SELL' as const, qty, limitPrice: null });

describe('pre-trade checks (seed limits: $1,000,000, 10% of NAV, 5 open orders)', () => {
  it('order value: $1,000,000 passes, one share more is denied with limit and actual', () => {
    expect(checkOrderValue(buy(10_000), ctx())).toBeNull();
    expect(checkOrderValue(buy(10_001), ctx())).toMatchObject({ code: 'ORDER_VALUE', limit: 1_000_000, actual: 1_000_100 });
    expect(checkOrderValue({ ...buy(20_000), limitPrice: 40 }, ctx())).toBeNull(); // priced at the limit: $800,000
  });

  it('concentration: 10% of NAV after the order; reducing orders always pass', () => {
    const c = ctx({ nav: 1_000_000, price: 100, positionQty: 900 }); // $90,000 = 9%
    expect(checkConcentration(buy(100), c)).toBeNull(); // exactly 10%
    expect(checkConcentration(buy(101), c)).toMatchObject({ code: 'CONCENTRATION', limit: 0.1 });
    expect(checkConcentration(buy(101), c)?.actual).toBeCloseTo(0.1001, 12);
    const over = ctx({ nav: 1_000_000, price: 100, positionQty: 5000 }); // 50%
    expect(checkConcentration(sell(1000), over)).toBeNull();
    expect(checkConcentration(sell(20_000), over)).not.toBeNull(); // flips to a 150% short
  });

  it('a fund hedge (every allocation the hedge book) passes concentration and REDUCING; HALTED still denies it', () => {
    const hedge = ctx({ nav: 1_000_000, price: 100, positionQty: -3000, isHedge: true }); // a 30% short
    expect(checkConcentration(sell(2000), hedge)).toBeNull();
    expect(checkConcentration(sell(2000), { ...hedge, isHedge: false })).toMatchObject({ code: 'CONCENTRATION' });
    expect(checkTradingState(sell(2000), { ...hedge, tradingState: 'REDUCING' })).toBeNull();
    expect(checkTradingState(sell(2000), { ...hedge, tradingState: 'REDUCING', isHedge: false })).toMatchObject({ code: 'TRADING_REDUCING' });
    expect(checkTradingState(sell(2000), { ...hedge, tradingState: 'HALTED' })).toMatchObject({ code: 'TRADING_HALTED' });
    expect(checkOrderValue(sell(20_000), hedge)).toMatchObject({ code: 'ORDER_VALUE' }); // like any order
  });

  it('open orders: the sixth open order on a symbol is denied', () => {
    expect(checkOpenOrders(buy(1), ctx({ openOrdersForSymbol: 4 }))).toBeNull();
    expect(checkOpenOrders(buy(1), ctx({ openOrdersForSymbol: 5 }))).toMatchObject({ code: 'OPEN_ORDERS', limit: 5, actual: 6 });
  });

  it('an order of a trade the overlay reviewed as lowering the fund\'s risk passes REDUCING; HALTED still denies it', () => {
    const c = ctx({ tradingState: 'REDUCING', positionQty: 0, isRiskReducing: true });
    expect(checkTradingState(sell(10), c)).toBeNull();
    expect(checkTradingState(sell(10), { ...c, isRiskReducing: false })).toMatchObject({ code: 'TRADING_REDUCING' });
    expect(checkTradingState(sell(10), { ...c, tradingState: 'HALTED' })).toMatchObject({ code: 'TRADING_HALTED' });
  });

  it('trading state: HALTED denies all, REDUCING only lets reducing orders through', () => {
    expect(checkTradingState(sell(10), ctx({ tradingState: 'HALTED', positionQty: 100 }))).toMatchObject({ code: 'TRADING_HALTED' });
    expect(checkTradingState(sell(10), ctx({ tradingState: 'REDUCING', positionQty: 100 }))).toBeNull();
    expect(checkTradingState(buy(10), ctx({ tradingState: 'REDUCING', positionQty: 100 }))).toMatchObject({ code: 'TRADING_REDUCING' });
    expect(checkTradingState(buy(10), ctx({ tradingState: 'REDUCING', positionQty: -100 }))).toBeNull();
    expect(checkTradingState(sell(10), ctx({ tradingState: 'REDUCING', positionQty: 0 }))).toMatchObject({ code: 'TRADING_REDUCING' });
    expect(isReducing(100, sell(200))).toBe(false); // crossing zero is not reducing
    expect(isReducing(100, sell(100))).toBe(true);
  });

  it('reports every denial at once, and a denied order spends no rate token', () => {
    const clock = new SimClock(0);
    const bucket = new TokenBucket(clock, 2, 60_000);
    const d = preTradeCheck(buy(20_000), ctx({ tradingState: 'HALTED', nav: 1_000_000, openOrdersForSymbol: 5 }), bucket);
    expect(d.map((x) => x.code)).toEqual(['TRADING_HALTED', 'ORDER_VALUE', 'CONCENTRATION', 'OPEN_ORDERS']);
    expect(bucket.available()).toBe(2);
  });

  it('rate limit: a token bucket on the injected clock', () => {
    const clock = new SimClock(0);
    const bucket = new TokenBucket(clock, 3, 60_000); // 3 per minute: one token every 20 s
    const run = () => preTradeCheck(buy(1), ctx(), bucket).map((x) => x.code);
    expect([run(), run(), run(), run()]).toEqual([[], [], [], ['RATE_LIMIT']]);
    clock.advance(19_999);
    expect(run()).toEqual(['RATE_LIMIT']);
    clock.advance(1);
    expect(run()).toEqual([]);
    clock.advance(10 * 60_000);
    expect(bucket.available()).toBe(3); // never above capacity
  });
});
