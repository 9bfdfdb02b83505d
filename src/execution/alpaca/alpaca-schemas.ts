import { z } from 'zod';
import type { OrderStatus, OrderType, TimeInForce } from '../../contracts/index.ts';

/** Alpaca Trading API v2 shapes (numbers travel as strings). Validated at the edge. */
const num = z.union([z.string(), z.number()]).transform((v) => Number(v));
const numOrNull = z.union([z.string(), z.number(), z.null()]).optional().transform((v) => (v === null || v === undefined ? null : Number(v)));

export const AlpacaOrder = z.object({
  id: z.string(),
  client_order_id: z.string(),
  created_at: z.string(),
  updated_at: z.string().nullable().optional(),
  /** What `after` on GET /v2/orders compares with. */
  submitted_at: z.string().nullable().optional(),
  symbol: z.string(),
  qty: numOrNull,
  filled_qty: num,
  filled_avg_price: numOrNull,
  type: z.string(),
  order_type: z.string().optional(),
  side: z.enum(['buy', 'sell']),
  time_in_force: z.string(),
  limit_price: numOrNull,
  stop_price: numOrNull,
  status: z.string(),
});
export type AlpacaOrder = z.infer<typeof AlpacaOrder>;

export const AlpacaAccount = z.object({
  id: z.string().optional(),
  status: z.string().optional(),
  currency: z.string().default('USD'),
  cash: num,
  equity: num,
  buying_power: num,
});

export const AlpacaPosition = z.object({
  symbol: z.string(),
  qty: num,
  side: z.string().optional(),
  avg_entry_price: num,
  market_value: num,
});

export const AlpacaClock = z.object({
  timestamp: z.string(),
  is_open: z.boolean(),
  next_open: z.string(),
  next_close: z.string(),
});
export type AlpacaClock = z.infer<typeof AlpacaClock>;

export const AlpacaError = z.object({ code: z.number().optional(), message: z.string().optional() }).passthrough();

const TYPE_OUT: Readonly<Record<OrderType, string>> = { MARKET: 'market', LIMIT: 'limit', STOP: 'stop', STOP_LIMIT: 'stop_limit' };
const TIF_OUT: Readonly<Record<TimeInForce, string>> = { DAY: 'day', GTC: 'gtc', IOC: 'ioc', FOK: 'fok' };
export const toAlpacaType = (t: OrderType): string => TYPE_OUT[t];
export const toAlpacaTif = (t: TimeInForce): string => TIF_OUT[t];

export function fromAlpacaType(t: string): OrderType {
  const hit = (Object.keys(TYPE_OUT) as OrderType[]).find((k) => TYPE_OUT[k] === t);
  return hit ?? 'MARKET';
}
export function fromAlpacaTif(t: string): TimeInForce {
  const hit = (Object.keys(TIF_OUT) as TimeInForce[]).find((k) => TIF_OUT[k] === t);
  return hit ?? 'DAY';
}

/**
 * Alpaca order status → Keel status. Working statuses map to ACKNOWLEDGED, or PARTIALLY_FILLED
 * when something has filled; `replaced` and `done_for_day` end Keel's view of the order.
 */
export function fromAlpacaStatus(status: string, filledQty: number): OrderStatus {
  switch (status) {
    case 'filled':
      return 'FILLED';
    case 'partially_filled':
      return 'PARTIALLY_FILLED';
    case 'canceled':
    case 'replaced':
      return 'CANCELLED';
    case 'expired':
    case 'done_for_day':
      return 'EXPIRED';
    case 'rejected':
      return 'REJECTED';
    default:
      // new, accepted, pending_new, accepted_for_bidding, pending_cancel, pending_replace,
      // stopped, suspended, calculated, held
      return filledQty > 0 ? 'PARTIALLY_FILLED' : 'ACKNOWLEDGED';
  }
}

/** Shares as Alpaca wants them: a decimal string with at most 4 decimals, no trailing zeros. */
export function formatQty(q: number): string {
  return (Math.round(q * 1e4) / 1e4).toFixed(4).replace(/\.?0+$/, '');
}

/**
 * Prices as decimal strings on Alpaca's tick (0.01 at or above $1, 0.0001 below). Limits are
 * rounded toward the safe side (a buy limit down, a sell limit up) so Keel never pays more
 * than it asked; stops to the nearest tick. A tiny epsilon keeps prices already on the tick.
 */
export function formatPrice(p: number, rounding: 'down' | 'up' | 'nearest' = 'nearest'): string {
  const dp = p >= 1 ? 2 : 4;
  const ticks = p * 10 ** dp;
  const n = rounding === 'down' ? Math.floor(ticks + 1e-6) : rounding === 'up' ? Math.ceil(ticks - 1e-6) : Math.round(ticks);
  return (n / 10 ** dp).toFixed(dp);
}
