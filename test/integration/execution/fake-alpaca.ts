// A local stand-in for Alpaca's Trading API v2, built to the documented request and response
// shapes (orders, account, positions, clock; 403/404/422/429 error bodies `{ code, message }`).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeOrder {
  id: string;
  client_order_id: string;
  created_at: string;
  updated_at: string;
  submitted_at: string;
  filled_at: string | null;
  symbol: string;
  asset_class: 'us_equity';
  qty: string;
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

interface Scripted {
  method: string;
  path: string;
  status: number;
  retryAfter?: string;
}

export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

const KNOWN = new Set(['AAA', 'BBB', 'CCC', 'SPY', 'AAPL']);

export class FakeAlpaca {
  readonly orders = new Map<string, FakeOrder>();
  readonly requests: SeenRequest[] = [];
  readonly keyId = 'PKTEST123';
  readonly secret = 'sEcReT-do-not-log-42';
  buyingPower = 100_000;
  prices: Record<string, number> = { AAA: 10, BBB: 20, CCC: 30, SPY: 500, AAPL: 190 };
  private script: Scripted[] = [];
  private hangPosts = 0;
  private readonly hung: ServerResponse[] = [];
  private seq = 0;
  private server: Server | null = null;
  url = '';

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
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

  /** The next request matching method and path prefix gets `status` (429 with Retry-After, 5xx, …). */
  fail(method: string, path: string, status: number, retryAfter?: string): void {
    this.script.push(retryAfter === undefined ? { method, path, status } : { method, path, status, retryAfter });
  }

  /** The next `n` POST /v2/orders are accepted and stored, but the response never comes. */
  hangAfterAccept(n = 1): void {
    this.hangPosts += n;
  }

  byClientId(cid: string): FakeOrder | undefined {
    return [...this.orders.values()].find((o) => o.client_order_id === cid);
  }

  /** The market fills `qty` more shares at `price`. */
  fill(cid: string, qty: number, price: number): void {
    const o = this.byClientId(cid);
    if (!o) throw new Error(`no order ${cid}`);
    const f0 = Number(o.filled_qty);
    const avg0 = Number(o.filled_avg_price ?? 0);
    const f1 = Math.round((f0 + qty) * 1e4) / 1e4;
    o.filled_avg_price = String((avg0 * f0 + price * qty) / f1);
    o.filled_qty = String(f1);
    o.status = f1 >= Number(o.qty) ? 'filled' : 'partially_filled';
    o.updated_at = new Date().toISOString();
    if (o.status === 'filled') o.filled_at = o.updated_at;
  }

  setStatus(cid: string, status: string): void {
    const o = this.byClientId(cid);
    if (o) o.status = status;
  }

  posts(): SeenRequest[] {
    return this.requests.filter((r) => r.method === 'POST' && r.path === '/v2/orders');
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
    this.requests.push({ method, path: url.pathname, headers: req.headers, body });
    if (req.headers['apca-api-key-id'] !== this.keyId || req.headers['apca-api-secret-key'] !== this.secret) {
      return this.send(res, 403, { code: 40310000, message: 'forbidden.' });
    }
    const i = this.script.findIndex((s) => s.method === method && url.pathname.startsWith(s.path));
    if (i >= 0) {
      const s = this.script.splice(i, 1)[0];
      if (s) return this.send(res, s.status, { code: s.status * 100000, message: 'scripted failure' }, s.retryAfter ? { 'retry-after': s.retryAfter } : {});
    }
    if (method === 'POST' && url.pathname === '/v2/orders') return this.create(body, res);
    if (method === 'GET' && url.pathname === '/v2/orders:by_client_order_id') {
      const o = this.byClientId(url.searchParams.get('client_order_id') ?? '');
      return o ? this.send(res, 200, o) : this.send(res, 404, { code: 40410000, message: 'order not found' });
    }
    if (method === 'GET' && url.pathname === '/v2/orders') {
      const status = url.searchParams.get('status') ?? 'open';
      const open = (o: FakeOrder) => !['filled', 'canceled', 'expired', 'rejected', 'replaced', 'done_for_day'].includes(o.status);
      // Alpaca: `after`/`until` compare submitted_at (exclusive), `direction` asc|desc (default desc), `limit` ≤ 500 (default 50).
      const after = url.searchParams.get('after');
      const limit = Math.min(500, Number(url.searchParams.get('limit') ?? 50));
      const asc = url.searchParams.get('direction') === 'asc';
      const list = [...this.orders.values()]
        .filter((o) => status === 'all' || (status === 'open' ? open(o) : !open(o)))
        .filter((o) => after === null || Date.parse(o.submitted_at) > Date.parse(after))
        .sort((a, b) => (Date.parse(a.submitted_at) - Date.parse(b.submitted_at)) * (asc ? 1 : -1));
      return this.send(res, 200, list.slice(0, limit));
    }
    const m = /^\/v2\/orders\/([^/]+)$/.exec(url.pathname);
    if (m) {
      const o = this.orders.get(decodeURIComponent(m[1] ?? ''));
      if (!o) return this.send(res, 404, { code: 40410000, message: 'order not found' });
      if (method === 'GET') return this.send(res, 200, o);
      if (method === 'DELETE') {
        if (['filled', 'canceled', 'expired', 'rejected'].includes(o.status)) return this.send(res, 422, { code: 42210000, message: 'order is not cancelable' });
        o.status = 'canceled';
        res.writeHead(204);
        return void res.end();
      }
    }
    if (method === 'GET' && url.pathname === '/v2/account') {
      return this.send(res, 200, { id: 'acc-1', account_number: 'PA000001', status: 'ACTIVE', currency: 'USD', cash: '100000.5', equity: '100250.75', buying_power: String(this.buyingPower) });
    }
    if (method === 'GET' && url.pathname === '/v2/positions') {
      return this.send(res, 200, [
        { asset_id: 'x', symbol: 'AAA', exchange: 'NYSE', asset_class: 'us_equity', qty: '12.5', side: 'long', avg_entry_price: '10.1', market_value: '126.25', current_price: '10.1' },
        { asset_id: 'y', symbol: 'BBB', exchange: 'NYSE', asset_class: 'us_equity', qty: '-3', side: 'short', avg_entry_price: '20', market_value: '-60', current_price: '20' },
      ]);
    }
    if (method === 'GET' && url.pathname === '/v2/clock') {
      return this.send(res, 200, { timestamp: '2024-01-02T10:00:00-05:00', is_open: true, next_open: '2024-01-03T09:30:00-05:00', next_close: '2024-01-02T16:00:00-05:00' });
    }
    return this.send(res, 404, { code: 40400000, message: 'not found' });
  }

  private create(body: unknown, res: ServerResponse): void {
    const b = (body ?? {}) as Record<string, unknown>;
    const str = (k: string) => (typeof b[k] === 'string' ? (b[k] as string) : undefined);
    const qty = str('qty');
    const symbol = str('symbol');
    const side = str('side');
    const type = str('type');
    const tif = str('time_in_force');
    const cid = str('client_order_id') ?? `auto-${this.seq + 1}`;
    if (!qty || !/^\d+(\.\d{1,4})?$/.test(qty) || !symbol || (side !== 'buy' && side !== 'sell') || !type || !tif) {
      return this.send(res, 422, { code: 40010001, message: 'invalid order request' });
    }
    if (!KNOWN.has(symbol)) return this.send(res, 422, { code: 40010001, message: `asset "${symbol}" not found` });
    if (this.byClientId(cid)) return this.send(res, 422, { code: 40010001, message: 'client_order_id must be unique' });
    const px = Number(str('limit_price') ?? this.prices[symbol] ?? 0);
    if (side === 'buy' && Number(qty) * px > this.buyingPower) return this.send(res, 403, { code: 40310000, message: 'insufficient buying power' });
    this.seq += 1;
    const now = new Date().toISOString();
    const o: FakeOrder = {
      id: `9f1a${String(this.seq).padStart(4, '0')}-0000-4000-8000-000000000000`,
      client_order_id: cid,
      created_at: now,
      updated_at: now,
      submitted_at: now,
      filled_at: null,
      symbol,
      asset_class: 'us_equity',
      qty,
      filled_qty: '0',
      filled_avg_price: null,
      order_class: '',
      order_type: type,
      type,
      side,
      time_in_force: tif,
      limit_price: str('limit_price') ?? null,
      stop_price: str('stop_price') ?? null,
      status: 'accepted',
      extended_hours: false,
    };
    this.orders.set(o.id, o);
    if (this.hangPosts > 0) {
      this.hangPosts -= 1;
      this.hung.push(res); // accepted, but the answer is lost
      return;
    }
    this.send(res, 200, o);
  }
}
