/**
 * A local fake of Alpaca's Trading API v2, written from Alpaca's documentation, for tests that
 * need a broker on the other side of HTTP (shared: extend it here rather than copying it).
 *
 * Documented behaviour it follows:
 * - auth by the `APCA-API-KEY-ID` / `APCA-API-SECRET-KEY` headers: missing → 401, wrong → 403;
 * - errors as `{ code, message }`; 429 carries `Retry-After` (scripted with `fail`);
 * - `POST /v2/orders`: `qty` (up to 9 decimals; fractional only for market DAY orders) or
 *   `notional`; a duplicate `client_order_id` → 422; an unknown symbol → 422; a buy above buying
 *   power → 403; a sell that would open or add to a short with a fractional quantity → 403
 *   "fractional orders cannot be sold short";
 * - orders sent while the market is closed are queued (`accepted`) and trade at the next open
 *   (`openMarket`); while it is open a market order fills at once at the current price; DAY orders
 *   still working at the close expire (`closeMarket`);
 * - `GET /v2/orders` (status open|closed|all, limit ≤ 500 default 50, after, until, direction
 *   asc|desc default desc), `GET /v2/orders:by_client_order_id`, `GET|DELETE /v2/orders/{id}`
 *   (204; 422 when no longer cancelable), `GET /v2/positions`, `GET /v2/positions/{symbol}`,
 *   `GET /v2/account`, `GET /v2/clock`, `GET /v2/assets`.
 * Simplifications: one account; buying power is 2 × equity − gross position value (Reg T), never
 * below 0; no commissions; fills are whole at one price.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';

export interface AlpacaOrderRecord {
  id: string;
  client_order_id: string;
  created_at: string;
  updated_at: string;
  submitted_at: string;
  filled_at: string | null;
  expired_at: string | null;
  canceled_at: string | null;
  symbol: string;
  asset_class: 'us_equity';
  qty: string | null;
  notional: string | null;
  filled_qty: string;
  filled_avg_price: string | null;
  order_class: '';
  order_type: string;
  type: string;
  side: 'buy' | 'sell';
  time_in_force: string;
  limit_price: string | null;
  stop_price: string | null;
  status: string;
  extended_hours: boolean;
}

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: unknown;
  /** Position of the request among all requests (0-based). */
  readonly seq: number;
}

interface Scripted {
  readonly method: string;
  readonly path: string;
  readonly status: number | 'reset';
  readonly retryAfter?: string;
}

const TERMINAL = new Set(['filled', 'canceled', 'expired', 'rejected', 'replaced', 'done_for_day']);
const round = (x: number, dp = 9): number => Math.round(x * 10 ** dp) / 10 ** dp;
const isWhole = (x: number): boolean => Math.abs(x - Math.round(x)) < 1e-9;

export interface FakeAlpacaOptions {
  /** Starting cash, dollars (default 100,000: a new paper account). */
  readonly cash?: number;
  /** Prices by symbol; a symbol not listed is unknown to the fake (422 on an order). */
  readonly prices?: Readonly<Record<string, number>>;
  readonly isOpen?: boolean;
  /** The account's keys (Alpaca's one pair serves trading and market data: pass the data fake's to share them). */
  readonly keys?: { readonly keyId: string; readonly secret: string };
}

export class FakeAlpacaTrading {
  readonly keyId: string;
  readonly secret: string;
  readonly orders = new Map<string, AlpacaOrderRecord>();
  readonly requests: SeenRequest[] = [];
  /** Signed quantity and average entry price per symbol. */
  readonly positions = new Map<string, { qty: number; avg: number }>();
  prices: Record<string, number>;
  cash: number;
  isOpen: boolean;
  /** The fake's clock (ISO), shown by GET /v2/clock and stamped on orders. */
  now = '2024-01-02T21:00:00.000Z';
  nextOpen = '2024-01-03T14:30:00.000Z';
  nextClose = '2024-01-03T21:00:00.000Z';
  url = '';
  private script: Scripted[] = [];
  private hangPosts = 0;
  private hangSkip = 0;
  private readonly hung: ServerResponse[] = [];
  private readonly sockets = new Set<Socket>();
  private seq = 0;
  private server: Server | null = null;

  constructor(o: FakeAlpacaOptions = {}) {
    this.keyId = o.keys?.keyId ?? 'PKFAKEKEY0000001';
    this.secret = o.keys?.secret ?? 'fake-secret-never-logged-0001';
    this.cash = o.cash ?? 100_000;
    this.prices = { ...(o.prices ?? { AAA: 10, BBB: 20, CCC: 30, SPY: 500 }) };
    this.isOpen = o.isOpen ?? false;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const r of this.hung) r.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** The next request matching method and path prefix gets `status` (429 with `retryAfter`, 5xx…), or its connection reset. */
  fail(method: string, path: string, status: number | 'reset', retryAfter?: string): void {
    this.script.push(retryAfter === undefined ? { method, path, status } : { method, path, status, retryAfter });
  }

  /** The next `n` POST /v2/orders (after `skip` accepted ones answered as usual) are accepted and stored, but their answer never comes. */
  hangAfterAccept(n = 1, skip = 0): void {
    this.hangPosts += n;
    this.hangSkip = skip;
  }

  /** Accepted orders whose answer is being held back (a process waiting on one can be killed mid-submission). */
  hanging(): number {
    return this.hung.length;
  }

  byClientId(cid: string): AlpacaOrderRecord | undefined {
    return [...this.orders.values()].find((o) => o.client_order_id === cid);
  }

  /** POST /v2/orders requests received (accepted or not). */
  posts(): SeenRequest[] {
    return this.requests.filter((r) => r.method === 'POST' && r.path === '/v2/orders');
  }

  /** Signed shares held per symbol (non-zero only). */
  holdings(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [s, p] of this.positions) if (Math.abs(p.qty) > 1e-9) out[s] = round(p.qty);
    return out;
  }

  equity(): number {
    let v = this.cash;
    for (const [s, p] of this.positions) v += p.qty * (this.prices[s] ?? p.avg);
    return v;
  }

  buyingPower(): number {
    let gross = 0;
    for (const [s, p] of this.positions) gross += Math.abs(p.qty) * (this.prices[s] ?? p.avg);
    return Math.max(0, 2 * this.equity() - gross);
  }

  /**
   * The session opens at `prices` (the open): queued orders go live; market orders fill at the
   * open, limits that the open reaches fill at it.
   */
  openMarket(prices: Readonly<Record<string, number>> = {}, at?: string): void {
    Object.assign(this.prices, prices);
    if (at) this.now = at;
    this.isOpen = true;
    for (const o of this.orders.values()) {
      if (o.status === 'accepted') o.status = 'new';
      if (o.status === 'new') this.tryFill(o);
    }
  }

  /** The session closes: DAY orders still working expire; what was sent from now on waits for the next open. */
  closeMarket(at?: string, next?: { open: string; close: string }): void {
    if (at) this.now = at;
    if (next) {
      this.nextOpen = next.open;
      this.nextClose = next.close;
    }
    this.isOpen = false;
    for (const o of this.orders.values()) {
      if ((o.status === 'new' || o.status === 'partially_filled') && o.time_in_force === 'day') {
        o.status = 'expired';
        o.expired_at = this.now;
        o.updated_at = this.now;
      }
    }
  }

  private send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(body === undefined ? '' : JSON.stringify(body));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://x');
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      return this.send(res, 400, { code: 40010000, message: 'malformed json' });
    }
    this.requests.push({ method, path: url.pathname, query: url.search, headers: req.headers, body, seq: this.requests.length });
    const key = req.headers['apca-api-key-id'];
    const secret = req.headers['apca-api-secret-key'];
    if (key === undefined || secret === undefined) return this.send(res, 401, { code: 40110000, message: 'request is not authorized' });
    if (key !== this.keyId || secret !== this.secret) return this.send(res, 403, { code: 40310000, message: 'forbidden.' });
    const i = this.script.findIndex((s) => s.method === method && url.pathname.startsWith(s.path));
    if (i >= 0) {
      const [s] = this.script.splice(i, 1);
      if (s?.status === 'reset') {
        req.socket.destroy();
        return;
      }
      if (s) return this.send(res, s.status, { code: s.status * 100_000, message: 'scripted failure' }, s.retryAfter ? { 'retry-after': s.retryAfter } : {});
    }
    const p = url.pathname;
    if (method === 'POST' && p === '/v2/orders') return this.create(body, res);
    if (method === 'GET' && p === '/v2/orders:by_client_order_id') {
      const o = this.byClientId(url.searchParams.get('client_order_id') ?? '');
      return o ? this.send(res, 200, o) : this.send(res, 404, { code: 40410000, message: 'order not found' });
    }
    if (method === 'GET' && p === '/v2/orders') return this.send(res, 200, this.list(url.searchParams));
    const m = /^\/v2\/orders\/([^/]+)$/.exec(p);
    if (m) {
      const o = this.orders.get(decodeURIComponent(m[1] ?? ''));
      if (!o) return this.send(res, 404, { code: 40410000, message: 'order not found' });
      if (method === 'GET') return this.send(res, 200, o);
      if (method === 'DELETE') {
        if (TERMINAL.has(o.status)) return this.send(res, 422, { code: 42210000, message: `order is already in "${o.status}" state` });
        o.status = 'canceled';
        o.canceled_at = this.now;
        o.updated_at = this.now;
        res.writeHead(204);
        return void res.end();
      }
    }
    if (method === 'GET' && p === '/v2/account') {
      const long = [...this.positions].reduce((s, [sym, x]) => s + Math.max(0, x.qty) * (this.prices[sym] ?? x.avg), 0);
      const short = [...this.positions].reduce((s, [sym, x]) => s + Math.min(0, x.qty) * (this.prices[sym] ?? x.avg), 0);
      return this.send(res, 200, {
        id: 'fake-account-1', account_number: 'PA0000FAKE', status: 'ACTIVE', currency: 'USD', cash: String(round(this.cash, 2)),
        equity: String(round(this.equity(), 2)), portfolio_value: String(round(this.equity(), 2)), buying_power: String(round(this.buyingPower(), 2)),
        long_market_value: String(round(long, 2)), short_market_value: String(round(short, 2)), pattern_day_trader: false, trading_blocked: false,
        transfers_blocked: false, account_blocked: false, shorting_enabled: true, multiplier: '2',
      });
    }
    if (method === 'GET' && p === '/v2/positions') return this.send(res, 200, [...this.positions.keys()].flatMap((s) => this.positionOf(s) ?? []));
    const pm = /^\/v2\/positions\/([^/]+)$/.exec(p);
    if (method === 'GET' && pm) {
      const pos = this.positionOf(decodeURIComponent(pm[1] ?? ''));
      return pos ? this.send(res, 200, pos) : this.send(res, 404, { code: 40410000, message: 'position does not exist' });
    }
    if (method === 'GET' && p === '/v2/clock') return this.send(res, 200, { timestamp: this.now, is_open: this.isOpen, next_open: this.nextOpen, next_close: this.nextClose });
    if (method === 'GET' && p === '/v2/assets') {
      return this.send(res, 200, Object.keys(this.prices).map((s) => ({ id: `asset-${s}`, class: 'us_equity', exchange: 'NYSE', symbol: s, name: s, status: 'active', tradable: true, shortable: true, fractionable: true })));
    }
    return this.send(res, 404, { code: 40400000, message: 'endpoint not found' });
  }

  private positionOf(symbol: string) {
    const p = this.positions.get(symbol);
    if (!p || Math.abs(p.qty) < 1e-9) return null;
    const px = this.prices[symbol] ?? p.avg;
    return {
      asset_id: `asset-${symbol}`, symbol, exchange: 'NYSE', asset_class: 'us_equity', qty: String(Math.abs(round(p.qty))), side: p.qty < 0 ? 'short' : 'long',
      avg_entry_price: String(p.avg), market_value: String(round(p.qty * px, 2)), cost_basis: String(round(p.qty * p.avg, 2)), current_price: String(px),
    };
  }

  private list(q: URLSearchParams): AlpacaOrderRecord[] {
    const status = q.get('status') ?? 'open';
    const limit = Math.min(500, Number(q.get('limit') ?? 50));
    const after = q.get('after');
    const until = q.get('until');
    const asc = q.get('direction') === 'asc';
    let list = [...this.orders.values()].filter((o) => status === 'all' || (status === 'open' ? !TERMINAL.has(o.status) : TERMINAL.has(o.status)));
    if (after) list = list.filter((o) => o.submitted_at > after);
    if (until) list = list.filter((o) => o.submitted_at < until);
    list.sort((a, b) => (a.submitted_at < b.submitted_at ? -1 : a.submitted_at > b.submitted_at ? 1 : 0) * (asc ? 1 : -1));
    return list.slice(0, limit);
  }

  private reject(res: ServerResponse, status: number, code: number, message: string): void {
    this.send(res, status, { code, message });
  }

  private create(body: unknown, res: ServerResponse): void {
    const b = (body ?? {}) as Record<string, unknown>;
    const str = (k: string): string | undefined => (typeof b[k] === 'string' ? (b[k] as string) : typeof b[k] === 'number' ? String(b[k]) : undefined);
    const symbol = str('symbol');
    const side = str('side');
    const type = str('type');
    const tif = str('time_in_force');
    const qtyS = str('qty');
    const notionalS = str('notional');
    if (!symbol || (side !== 'buy' && side !== 'sell') || !type || !tif) return this.reject(res, 422, 40010001, 'invalid order request: symbol, side, type and time_in_force are required');
    if ((qtyS === undefined) === (notionalS === undefined)) return this.reject(res, 422, 40010001, 'one of qty or notional is required');
    if (!['market', 'limit', 'stop', 'stop_limit'].includes(type)) return this.reject(res, 422, 40010001, `invalid type ${type}`);
    if (!['day', 'gtc', 'opg', 'cls', 'ioc', 'fok'].includes(tif)) return this.reject(res, 422, 40010001, `invalid time_in_force ${tif}`);
    const price = this.prices[symbol];
    if (price === undefined) return this.reject(res, 422, 40010001, `asset "${symbol}" not found`);
    const cid = str('client_order_id') ?? `auto-${this.seq + 1}`;
    if (cid.length > 128) return this.reject(res, 422, 40010001, 'client_order_id must be no more than 128 characters');
    if (this.byClientId(cid)) return this.reject(res, 422, 40010001, 'client_order_id must be unique');
    const qty = qtyS !== undefined ? Number(qtyS) : Number(notionalS) / price;
    if (!(qty > 0) || !Number.isFinite(qty)) return this.reject(res, 422, 40010001, 'qty must be > 0');
    const fractional = !isWhole(qty) || notionalS !== undefined;
    if (fractional && (type !== 'market' || tif !== 'day')) return this.reject(res, 422, 42210000, 'fractional orders must be market day orders');
    const held = this.positions.get(symbol)?.qty ?? 0;
    if (side === 'sell' && fractional && qty > held + 1e-9) return this.reject(res, 403, 40310000, 'fractional orders cannot be sold short');
    const limit = str('limit_price');
    const ref = limit !== undefined ? Number(limit) : price;
    if (side === 'buy' && qty * ref > this.buyingPower() + 1e-6) return this.reject(res, 403, 40310000, 'insufficient buying power');
    this.seq += 1;
    const o: AlpacaOrderRecord = {
      id: `fa${String(this.seq).padStart(6, '0')}-0000-4000-8000-000000000000`,
      client_order_id: cid,
      created_at: this.now,
      updated_at: this.now,
      submitted_at: this.now,
      filled_at: null,
      expired_at: null,
      canceled_at: null,
      symbol,
      asset_class: 'us_equity',
      qty: qtyS !== undefined ? qtyS : null,
      notional: notionalS ?? null,
      filled_qty: '0',
      filled_avg_price: null,
      order_class: '',
      order_type: type,
      type,
      side,
      time_in_force: tif,
      limit_price: limit ?? null,
      stop_price: str('stop_price') ?? null,
      // Outside market hours an order is accepted and waits for the open.
      status: this.isOpen ? 'new' : 'accepted',
      extended_hours: false,
    };
    this.orders.set(o.id, o);
    if (this.isOpen) this.tryFill(o);
    if (this.hangPosts > 0 && this.hangSkip > 0) this.hangSkip -= 1;
    else if (this.hangPosts > 0) {
      this.hangPosts -= 1;
      this.hung.push(res); // accepted, but the answer is lost
      return;
    }
    this.send(res, 200, o);
  }

  /** Fills a live order whole at the current price when it is marketable. */
  private tryFill(o: AlpacaOrderRecord): void {
    const px = this.prices[o.symbol];
    if (px === undefined || TERMINAL.has(o.status)) return;
    const limit = o.limit_price === null ? null : Number(o.limit_price);
    if (o.type === 'limit' && limit !== null && (o.side === 'buy' ? px > limit : px < limit)) return;
    if (o.type === 'stop' || o.type === 'stop_limit') return;
    const qty = o.qty !== null ? Number(o.qty) : Number(o.notional) / px;
    const signed = o.side === 'buy' ? qty : -qty;
    const p = this.positions.get(o.symbol) ?? { qty: 0, avg: 0 };
    const next = round(p.qty + signed);
    // Average entry price: kept when reducing, blended when adding, reset when flipping.
    const avg = Math.abs(next) < 1e-9 ? 0 : Math.sign(next) !== Math.sign(p.qty) ? px : Math.abs(next) > Math.abs(p.qty) ? (p.avg * Math.abs(p.qty) + px * qty) / Math.abs(next) : p.avg;
    this.positions.set(o.symbol, { qty: next, avg });
    this.cash = round(this.cash - signed * px, 6);
    o.filled_qty = String(round(qty));
    o.filled_avg_price = String(px);
    o.status = 'filled';
    o.filled_at = this.now;
    o.updated_at = this.now;
  }
}
