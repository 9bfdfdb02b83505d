import { KeelError, ValidationError } from '../../core/index.ts';
import type { Order } from '../../contracts/index.ts';
import type { Broker, BrokerAccount, BrokerAck, BrokerOrder, BrokerPosition } from '../broker.ts';
import { TransportError, brokerError, createAlpacaHttp, type AlpacaHttp, type HttpResponse } from './alpaca-http.ts';
import {
  AlpacaAccount,
  AlpacaClock,
  AlpacaOrder,
  AlpacaPosition,
  formatPrice,
  formatQty,
  fromAlpacaStatus,
  fromAlpacaTif,
  fromAlpacaType,
  toAlpacaTif,
  toAlpacaType,
} from './alpaca-schemas.ts';

/** Alpaca's paper trading endpoint (the default). */
export const ALPACA_PAPER_URL = 'https://paper-api.alpaca.markets';
/** Alpaca's live (real money) trading endpoint. */
export const ALPACA_LIVE_URL = 'https://api.alpaca.markets';

export interface AlpacaBrokerOptions {
  readonly baseUrl?: string;
  /** The keys (the kernel reads them from APCA_API_KEY_ID / APCA_API_SECRET_KEY). */
  readonly keyId: string;
  readonly secretKey: string;
  readonly fetchFn?: typeof fetch;
  /** Injected so tests do not wait. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
  /** Per-request timeout, ms (default 10 000). */
  readonly timeoutMs?: number;
  /** Retries after the first attempt (default 3). */
  readonly maxRetries?: number;
  /** First backoff delay, ms; doubles each retry (default 500). */
  readonly backoffMs?: number;
}

/** Alpaca's largest page of GET /v2/orders. */
const ORDERS_PAGE = 500;

/** Keel's view of an Alpaca order. Commission is 0 (Alpaca charges none on equities). */
export function toBrokerOrder(a: AlpacaOrder): BrokerOrder {
  return {
    clientOrderId: a.client_order_id,
    brokerOrderId: a.id,
    symbol: a.symbol,
    side: a.side === 'buy' ? 'BUY' : 'SELL',
    type: fromAlpacaType(a.order_type ?? a.type),
    timeInForce: fromAlpacaTif(a.time_in_force),
    qty: a.qty ?? 0,
    filledQty: a.filled_qty,
    avgFillPrice: a.filled_avg_price,
    limitPrice: a.limit_price,
    stopPrice: a.stop_price,
    status: fromAlpacaStatus(a.status, a.filled_qty),
    commission: 0,
    createdAt: a.created_at,
    updatedAt: a.updated_at ?? a.created_at,
  };
}

function errorMessage(r: HttpResponse): string {
  const b = r.body;
  return typeof b === 'object' && b !== null && 'message' in b ? String((b as { message: unknown }).message) : `HTTP ${r.status}`;
}

/**
 * Broker over Alpaca's Trading API v2. `client_order_id` is Keel's order id, so a resubmission
 * can never create a second order: after a timeout or 5xx on POST /v2/orders the order is
 * looked up by client_order_id first, and a 422 duplicate returns the existing order.
 */
export class AlpacaBroker implements Broker {
  readonly #http: AlpacaHttp;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #maxRetries: number;

  constructor(opts: AlpacaBrokerOptions) {
    const { keyId, secretKey } = opts;
    if (!keyId || !secretKey) {
      throw new ValidationError('APCA_API_KEY_ID', 'set APCA_API_KEY_ID and APCA_API_SECRET_KEY to your Alpaca keys');
    }
    this.#sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.#maxRetries = opts.maxRetries ?? 3;
    this.#http = createAlpacaHttp({
      baseUrl: (opts.baseUrl ?? ALPACA_PAPER_URL).replace(/\/+$/, ''),
      keyId,
      secretKey,
      fetchFn: opts.fetchFn ?? fetch,
      sleep: this.#sleep,
      timeoutMs: opts.timeoutMs ?? 10_000,
      maxRetries: this.#maxRetries,
      backoffMs: opts.backoffMs ?? 500,
      now: opts.now ?? (() => Date.now()),
    });
  }

  /** No secrets in logs or JSON. */
  toJSON(): Record<string, string> {
    return { broker: 'alpaca' };
  }

  async submit(order: Order): Promise<BrokerAck> {
    const body: Record<string, string> = {
      symbol: order.symbol,
      qty: formatQty(order.qty),
      side: order.side === 'BUY' ? 'buy' : 'sell',
      type: toAlpacaType(order.type),
      time_in_force: toAlpacaTif(order.timeInForce),
      client_order_id: order.id,
    };
    if (order.limitPrice !== null) body.limit_price = formatPrice(order.limitPrice, order.side === 'BUY' ? 'down' : 'up');
    if (order.stopPrice !== null) body.stop_price = formatPrice(order.stopPrice);
    for (let attempt = 0; ; attempt++) {
      let r: HttpResponse | null = null;
      try {
        r = await this.#http.send('POST', '/v2/orders', body);
      } catch (e) {
        if (!(e instanceof TransportError)) throw e;
      }
      if (r && r.status >= 200 && r.status < 300) return this.ackOf(AlpacaOrder.parse(r.body), null);
      if (r && r.status === 422) {
        // Duplicate client_order_id means it is already there; anything else is a rejection.
        const existing = await this.getOrderByClientId(order.id);
        if (existing) return { clientOrderId: order.id, brokerOrderId: existing.brokerOrderId, status: existing.status, reason: null };
        return { clientOrderId: order.id, brokerOrderId: '', status: 'REJECTED', reason: errorMessage(r) };
      }
      if (r && r.status === 403) return { clientOrderId: order.id, brokerOrderId: '', status: 'REJECTED', reason: errorMessage(r) };
      if (r && r.status !== 429 && r.status < 500) throw brokerError('POST', '/v2/orders', r);
      if (!r || r.status >= 500) {
        // No answer or a server error: the order may have been accepted. Look before resending.
        const existing = await this.getOrderByClientId(order.id);
        if (existing) return { clientOrderId: order.id, brokerOrderId: existing.brokerOrderId, status: existing.status, reason: null };
      }
      if (attempt >= this.#maxRetries) {
        if (r) throw brokerError('POST', '/v2/orders', r);
        throw new KeelError('KEEL_E_BROKER', `alpaca POST /v2/orders: no response after ${attempt + 1} attempts`, { clientOrderId: order.id });
      }
      await this.#sleep(this.#http.delay(attempt, r));
    }
  }

  private ackOf(a: AlpacaOrder, reason: string | null): BrokerAck {
    const b = toBrokerOrder(a);
    return { clientOrderId: b.clientOrderId, brokerOrderId: b.brokerOrderId, status: b.status, reason };
  }

  async getOrderByClientId(clientOrderId: string): Promise<BrokerOrder | null> {
    const path = `/v2/orders:by_client_order_id?client_order_id=${encodeURIComponent(clientOrderId)}`;
    const r = await this.#http.request('GET', path);
    if (r.status === 404) return null;
    if (r.status !== 200) throw brokerError('GET', '/v2/orders:by_client_order_id', r);
    return toBrokerOrder(AlpacaOrder.parse(r.body));
  }

  async getOrder(brokerOrderId: string): Promise<BrokerOrder | null> {
    const r = await this.#http.request('GET', `/v2/orders/${encodeURIComponent(brokerOrderId)}`);
    if (r.status === 404) return null;
    if (r.status !== 200) throw brokerError('GET', '/v2/orders/{id}', r);
    return toBrokerOrder(AlpacaOrder.parse(r.body));
  }

  async cancel(clientOrderId: string): Promise<void> {
    const o = await this.getOrderByClientId(clientOrderId);
    if (!o) return;
    const r = await this.#http.request('DELETE', `/v2/orders/${encodeURIComponent(o.brokerOrderId)}`);
    // 422: no longer cancelable (filled or done); 404: unknown. Neither is an error for a cancel.
    if (r.status >= 300 && r.status !== 404 && r.status !== 422) throw brokerError('DELETE', '/v2/orders/{id}', r);
  }

  async account(): Promise<BrokerAccount> {
    const r = await this.#http.request('GET', '/v2/account');
    if (r.status !== 200) throw brokerError('GET', '/v2/account', r);
    const a = AlpacaAccount.parse(r.body);
    return { cash: a.cash, equity: a.equity, buyingPower: a.buying_power, currency: a.currency };
  }

  async positions(): Promise<BrokerPosition[]> {
    const r = await this.#http.request('GET', '/v2/positions');
    if (r.status !== 200) throw brokerError('GET', '/v2/positions', r);
    return AlpacaPosition.array()
      .parse(r.body)
      .map((p) => ({
        symbol: p.symbol,
        qty: p.side === 'short' && p.qty > 0 ? -p.qty : p.qty,
        avgEntryPrice: p.avg_entry_price,
        marketValue: p.market_value,
      }));
  }

  /**
   * GET /v2/orders?status=all, oldest first: those submitted after `since` when given (every page
   * of 500, each the next after the last one's submission time), else the oldest 500.
   */
  async orders(since?: string): Promise<BrokerOrder[]> {
    const out: BrokerOrder[] = [];
    const seen = new Set<string>();
    let after = since;
    for (;;) {
      const q = new URLSearchParams({ status: 'all', limit: String(ORDERS_PAGE), direction: 'asc' });
      if (after !== undefined) q.set('after', after);
      const r = await this.#http.request('GET', `/v2/orders?${q.toString()}`);
      if (r.status !== 200) throw brokerError('GET', '/v2/orders', r);
      const page = AlpacaOrder.array().parse(r.body);
      for (const a of page) {
        if (seen.has(a.id)) continue;
        seen.add(a.id);
        out.push(toBrokerOrder(a));
      }
      const last = page.at(-1);
      const next = last?.submitted_at ?? last?.created_at;
      if (since === undefined || page.length < ORDERS_PAGE || next === undefined || next === after) return out;
      after = next;
    }
  }

  /** GET /v2/clock: whether the market is open and the next open/close (ISO). */
  async clock(): Promise<AlpacaClock> {
    const r = await this.#http.request('GET', '/v2/clock');
    if (r.status !== 200) throw brokerError('GET', '/v2/clock', r);
    return AlpacaClock.parse(r.body);
  }
}
