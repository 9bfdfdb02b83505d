import type { DenialReason, Order } from '../../contracts/index.ts';
import type { TokenBucket } from '../token-bucket.ts';
import { checkConcentration } from './concentration.ts';
import { checkOpenOrders } from './open-orders.ts';
import { checkOrderValue } from './order-value.ts';
import { checkTradingState } from './trading-state.ts';
import { denial, type PreTradeCheck, type PreTradeContext } from './types.ts';

/** The pure checks, in the order their denials are reported. */
export const PRE_TRADE_CHECKS: readonly PreTradeCheck[] = [checkTradingState, checkOrderValue, checkConcentration, checkOpenOrders];

const NONE: readonly DenialReason[] = Object.freeze([]);

/**
 * Runs every check and returns ALL denials (empty = pass). The rate limit runs last and spends
 * a token only when everything else passed, so denied orders do not eat the budget.
 */
export function preTradeCheck(
  order: Pick<Order, 'side' | 'qty' | 'limitPrice' | 'symbol'>,
  ctx: PreTradeContext,
  rate?: TokenBucket,
): readonly DenialReason[] {
  let out: DenialReason[] | null = null;
  for (const check of PRE_TRADE_CHECKS) {
    const d = check(order, ctx);
    if (d) (out ??= []).push(d);
  }
  if (out) return out;
  if (rate && !rate.tryTake()) {
    return [denial('RATE_LIMIT', `order rate above ${ctx.config.maxOrdersPerMinute}/min`, ctx.config.maxOrdersPerMinute, null)];
  }
  return NONE;
}
