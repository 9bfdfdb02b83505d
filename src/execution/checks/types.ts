import type { DenialReason, OmsConfig, Order, TradingState } from '../../contracts/index.ts';

/** Fund trading state (ARCHITECTURE.md): ACTIVE trades, REDUCING only de-risks, HALTED only cancels. */


/** Stable codes of pre-trade denials (each DenialReason carries one, with limit and actual). */
export type DenialCode =
  | 'ORDER_VALUE'
  | 'CONCENTRATION'
  | 'OPEN_ORDERS'
  | 'RATE_LIMIT'
  | 'TRADING_HALTED'
  | 'TRADING_REDUCING'
  | 'NO_PRICE'
  /** Set by the OMS when the broker refuses an order (message = the broker's reason). */
  | 'BROKER_REJECTED'
  /** Set by the planner when a net order is below the minimum notional. */
  | 'MIN_NOTIONAL';

/**
 * What a pre-trade check may look at for one order: plain numbers, no services.
 * `price` is the reference price (dollars); `positionQty` the fund's signed shares in the symbol
 * (including open orders' remaining quantity when the caller wants them counted); `nav` dollars.
 */
export interface PreTradeContext {
  readonly config: OmsConfig;
  readonly tradingState: TradingState;
  readonly nav: number;
  readonly price: number;
  readonly positionQty: number;
  readonly openOrdersForSymbol: number;
  /**
   * The order moves only the fund's hedge book (`HEDGE_BOOK`): the hedger sized it to bring the
   * fund's beta (or a sector's net) to its target, so it reduces the fund's risk even when it adds
   * to the position in its instrument. Such an order passes the concentration check and, when the
   * fund is REDUCING, the trading-state check (HALTED still sends nothing).
   */
  readonly isHedge?: boolean;
  /**
   * The order is part of a trade the overlay reviewed as lowering the fund's risk as a whole
   * (`REGIME_RISK_REDUCING`: VaR down, |net| not up), e.g. a PM's hedge ticket. It passes the
   * trading-state check when the fund is REDUCING, as a fund hedge does (HALTED still sends nothing).
   */
  readonly isRiskReducing?: boolean;
}

/** A check returns null (pass) or one typed denial. */
export type PreTradeCheck = (order: Pick<Order, 'side' | 'qty' | 'limitPrice' | 'symbol'>, ctx: PreTradeContext) => DenialReason | null;

export function denial(code: DenialCode, message: string, limit: number | null, actual: number | null): DenialReason {
  return { code, message, limit, actual };
}

/** Signed share change of an order: + for BUY. */
export function signedQty(o: { side: 'BUY' | 'SELL'; qty: number }): number {
  return o.side === 'BUY' ? o.qty : -o.qty;
}

/** True when the order moves the position toward zero without crossing it. */
export function isReducing(positionQty: number, o: { side: 'BUY' | 'SELL'; qty: number }): boolean {
  const after = positionQty + signedQty(o);
  return positionQty !== 0 && Math.abs(after) <= Math.abs(positionQty) + 1e-9 && after * positionQty >= 0;
}
