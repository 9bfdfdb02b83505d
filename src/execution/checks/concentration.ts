import { denial, isReducing, signedQty, type PreTradeCheck } from './types.ts';

/**
 * |position after the order| × price ≤ maxPositionConcentration × NAV. Orders that reduce the
 * position always pass, even when it is already above the limit; so do fund hedges (an index
 * instrument sized against the whole fund's beta, not a single-name bet).
 */
export const checkConcentration: PreTradeCheck = (o, ctx) => {
  if (isReducing(ctx.positionQty, o) || ctx.isHedge === true) return null;
  if (!(ctx.nav > 0)) return denial('CONCENTRATION', 'fund NAV is not positive', ctx.config.maxPositionConcentration, null);
  const share = (Math.abs(ctx.positionQty + signedQty(o)) * ctx.price) / ctx.nav;
  return share > ctx.config.maxPositionConcentration
    ? denial('CONCENTRATION', `${o.symbol} would be ${(share * 100).toFixed(2)}% of NAV`, ctx.config.maxPositionConcentration, share)
    : null;
};
