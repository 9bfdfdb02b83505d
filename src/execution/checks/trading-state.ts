import { assertNever } from '../../core/index.ts';
import { denial, isReducing, type PreTradeCheck } from './types.ts';

/**
 * HALTED sends nothing (cancels are not orders); REDUCING lets only position-reducing orders, fund
 * hedges and the orders of a trade the overlay reviewed as lowering the fund's risk through.
 */
export const checkTradingState: PreTradeCheck = (o, ctx) => {
  switch (ctx.tradingState) {
    case 'ACTIVE':
      return null;
    case 'HALTED':
      return denial('TRADING_HALTED', 'the fund is HALTED: only cancels are allowed', null, null);
    case 'REDUCING':
      return isReducing(ctx.positionQty, o) || ctx.isHedge === true || ctx.isRiskReducing === true
        ? null
        : denial('TRADING_REDUCING', `the fund is REDUCING: ${o.side} ${o.qty} ${o.symbol} does not reduce the position`, null, null);
    default:
      return assertNever(ctx.tradingState, 'trading state');
  }
};
