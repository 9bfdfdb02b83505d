import { denial, type PreTradeCheck } from './types.ts';

/** Order value (qty × limit price, else reference price) ≤ maxOrderValue dollars. */
export const checkOrderValue: PreTradeCheck = (o, ctx) => {
  const px = o.limitPrice ?? ctx.price;
  if (!(px > 0)) return denial('NO_PRICE', `no reference price for ${o.symbol}`, null, null);
  const value = o.qty * px;
  return value > ctx.config.maxOrderValue
    ? denial('ORDER_VALUE', `order value $${value.toFixed(2)} exceeds $${ctx.config.maxOrderValue}`, ctx.config.maxOrderValue, value)
    : null;
};
