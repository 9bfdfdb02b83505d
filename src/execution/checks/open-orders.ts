import { denial, type PreTradeCheck } from './types.ts';

/** At most maxOpenOrdersPerSymbol open orders per symbol (this one would be one more). */
export const checkOpenOrders: PreTradeCheck = (o, ctx) =>
  ctx.openOrdersForSymbol + 1 > ctx.config.maxOpenOrdersPerSymbol
    ? denial('OPEN_ORDERS', `${o.symbol} already has ${ctx.openOrdersForSymbol} open orders`, ctx.config.maxOpenOrdersPerSymbol, ctx.openOrdersForSymbol + 1)
    : null;
