import type { OrderSide, OrderType, TimeInForce } from '../contracts/index.ts';
import { costedPrice, type CostModel } from './cost-model.ts';

/** One OHLCV bar plus the liquidity inputs of the impact model (ADV shares, daily σ). */
export interface Bar {
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly adv: number;
  readonly sigma: number;
}

export interface WorkingOrder {
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly timeInForce: TimeInForce;
  readonly remaining: number;
  readonly limitPrice: number | null;
  readonly stopPrice: number | null;
  /** A STOP/STOP_LIMIT whose stop has already been hit on an earlier bar. */
  readonly triggered: boolean;
}

export interface BarFill {
  /** Shares filled on this bar (0 = none). */
  readonly qty: number;
  /** Execution price after slippage and impact, dollars (NaN when qty is 0). */
  readonly price: number;
  /** Price before costs (the open, the limit or the stop), dollars. */
  readonly basePrice: number;
  /** The stop is (now) triggered. */
  readonly triggered: boolean;
}

const NO_FILL = (triggered: boolean): BarFill => ({ qty: 0, price: Number.NaN, basePrice: Number.NaN, triggered });

/** Where a stop triggers on the bar: at the open on a gap through it, else at the stop; null if not hit. */
function stopTrigger(side: OrderSide, stop: number, bar: Bar): number | null {
  if (side === 'BUY') return bar.open >= stop ? bar.open : bar.high >= stop ? stop : null;
  return bar.open <= stop ? bar.open : bar.low <= stop ? stop : null;
}

/** Base price of a limit on the bar: the open when it gaps through the limit, else the limit if touched. */
function limitBase(side: OrderSide, limit: number, bar: Bar): number | null {
  if (side === 'BUY') return bar.open <= limit ? bar.open : bar.low <= limit ? limit : null;
  return bar.open >= limit ? bar.open : bar.high >= limit ? limit : null;
}

/**
 * Simulates one order on one OHLC bar. MARKET fills at the open; LIMIT at the open when the bar
 * gaps through the limit, else at the limit when the range touches it; STOP triggers at the open
 * on a gap, else at the stop, then fills like a market order; STOP_LIMIT triggered intrabar fills
 * at the stop only when the stop is within the limit, otherwise it rests (triggered) for later bars.
 * Quantity is capped by `capacity` shares (participation cap); FOK fills all or nothing.
 * Slippage and impact are added to the base price; limit orders are never filled beyond the limit.
 */
export function simulateBarFill(o: WorkingOrder, bar: Bar, capacity: number, model: CostModel): BarFill {
  let triggered = o.triggered;
  let base: number | null;
  if (o.type === 'MARKET') base = bar.open;
  else if (o.type === 'LIMIT') base = limitBase(o.side, o.limitPrice ?? Number.NaN, bar);
  else {
    const stop = o.stopPrice ?? Number.NaN;
    let trigAt: number | null = null;
    if (!triggered) {
      trigAt = stopTrigger(o.side, stop, bar);
      if (trigAt === null) return NO_FILL(false);
      triggered = true;
    }
    if (o.type === 'STOP') base = trigAt ?? bar.open;
    else {
      const limit = o.limitPrice ?? Number.NaN;
      const intrabar = trigAt !== null && trigAt !== bar.open;
      if (intrabar) base = (o.side === 'BUY' ? stop <= limit : stop >= limit) ? stop : null;
      else base = limitBase(o.side, limit, bar);
    }
  }
  if (base === null || !(base > 0)) return NO_FILL(triggered);
  const cap = Math.floor(Math.max(0, capacity) * 1e4) / 1e4;
  let qty = Math.min(o.remaining, cap);
  if (o.timeInForce === 'FOK' && qty < o.remaining) qty = 0;
  if (!(qty > 0)) return NO_FILL(triggered);
  let price = costedPrice(model, o.side, base, qty, bar.adv, bar.sigma);
  const limit = o.type === 'LIMIT' || o.type === 'STOP_LIMIT' ? o.limitPrice : null;
  if (limit !== null) price = o.side === 'BUY' ? Math.min(price, limit) : Math.max(price, limit);
  return { qty, price, basePrice: base, triggered };
}

/** Commission of one fill: per share with a per-fill minimum, dollars. */
export function commissionFor(qty: number, perShare: number, minimum: number): number {
  return Math.max(qty * perShare, minimum);
}
