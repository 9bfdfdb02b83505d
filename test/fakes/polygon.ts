// A local stand-in for Polygon.io's daily aggregates, written from Polygon's documentation
// (polygon.io/docs/stocks/get_v2_aggs_ticker__stocksticker__range, reference tickers):
// - GET /v2/aggs/ticker/{ticker}/range/1/day/{from}/{to}?adjusted&sort&limit → { ticker,
//   queryCount, resultsCount, adjusted, results: [{ o, h, l, c, v, vw, n, t }], status: 'OK',
//   request_id, next_url? }; `t` is the start of the day window (midnight New York) in Unix ms; a
//   ticker without data answers 200 with resultsCount 0 and no results. Indices are `I:SPX`.
// - GET /v3/reference/tickers → { results: [{ ticker, name, market, active }], next_url? }.
// - Auth: `Authorization: Bearer <key>` or `apiKey=<key>`; unknown key → 401 { status: 'ERROR',
//   error: 'Unknown API Key' }; data outside the plan → 403 { status: 'NOT_AUTHORIZED', message };
//   429 { status: 'ERROR', error: "You've exceeded the maximum requests per minute…" }.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LocalServer, sendJson, type ScriptedFailure } from './local-server.ts';
import { alpacaDayStamp, type DayBar } from './alpaca-market-data.ts';

const AGGS = /^\/v2\/aggs\/ticker\/([^/]+)\/range\/(\d+)\/(day|minute|hour|week|month)\/(\d{4}-\d{2}-\d{2})\/(\d{4}-\d{2}-\d{2})$/;

export class FakePolygon {
  readonly apiKey = 'polygon-fake-key-abc';
  private readonly bars = new Map<string, DayBar[]>();
  /** Tickers this key's plan does not cover (403 NOT_AUTHORIZED), e.g. indices on a stocks plan. */
  readonly notEntitled = new Set<string>();
  publishedThrough: string | null = null;
  /** Results per page before next_url (Polygon: up to 50,000). */
  pageSize = 50_000;
  private readonly script: ScriptedFailure[] = [];
  readonly server: LocalServer;

  constructor() {
    this.server = new LocalServer((req, url, res) => this.handle(req, url, res));
  }

  get url(): string {
    return this.server.base;
  }

  start(): Promise<string> {
    return this.server.start();
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  addBars(ticker: string, bars: readonly DayBar[]): void {
    const byDate = new Map((this.bars.get(ticker) ?? []).map((b) => [b.date, b]));
    for (const b of bars) byDate.set(b.date, b);
    this.bars.set(ticker, [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : 1)));
  }

  failNext(status: number, n = 1, retryAfter?: number): void {
    for (let i = 0; i < n; i++) this.script.push(retryAfter === undefined ? { status } : { status, retryAfter });
  }

  private handle(req: IncomingMessage, url: URL, res: ServerResponse): void {
    const bearer = req.headers.authorization?.replace(/^Bearer /, '');
    const key = bearer ?? url.searchParams.get('apiKey');
    const requestId = `req-${this.server.requests.length}`;
    if (key !== this.apiKey) return sendJson(res, 401, { status: 'ERROR', request_id: requestId, error: 'Unknown API Key' });
    const scripted = this.script.shift();
    if (scripted) {
      const headers: Record<string, string> = scripted.retryAfter === undefined ? {} : { 'Retry-After': String(scripted.retryAfter) };
      const body = scripted.status === 429 ? { status: 'ERROR', request_id: requestId, error: "You've exceeded the maximum requests per minute, please wait or upgrade your subscription to continue. https://polygon.io/pricing" } : { status: 'ERROR', request_id: requestId, error: 'Internal Server Error' };
      return sendJson(res, scripted.status, body, headers);
    }
    if (url.pathname === '/v3/reference/tickers') {
      const results = [...this.bars.keys()].filter((t) => !t.startsWith('I:')).map((ticker) => ({ ticker, name: ticker, market: 'stocks', active: true }));
      return sendJson(res, 200, { status: 'OK', request_id: requestId, count: results.length, results });
    }
    const m = AGGS.exec(url.pathname);
    if (!m) return sendJson(res, 404, { status: 'NOT_FOUND', request_id: requestId, message: 'Not found' });
    const ticker = decodeURIComponent(m[1] ?? '');
    if (m[2] !== '1' || m[3] !== 'day') return sendJson(res, 400, { status: 'ERROR', request_id: requestId, error: 'this fake serves 1/day aggregates only' });
    if (this.notEntitled.has(ticker)) {
      return sendJson(res, 403, { status: 'NOT_AUTHORIZED', request_id: requestId, message: 'You are not entitled to this data. Please upgrade your plan at https://polygon.io/pricing' });
    }
    const from = m[4] ?? '';
    const to = m[5] ?? '';
    const cursor = Number(url.searchParams.get('cursor') ?? 0);
    const all = (this.bars.get(ticker) ?? []).filter((b) => b.date >= from && b.date <= to && (this.publishedThrough === null || b.date <= this.publishedThrough));
    const page = all.slice(cursor, cursor + this.pageSize);
    const body: Record<string, unknown> = {
      ticker,
      queryCount: page.length,
      resultsCount: page.length,
      adjusted: url.searchParams.get('adjusted') !== 'false',
      status: 'OK',
      request_id: requestId,
    };
    if (page.length > 0) {
      body.results = page.map((b) => ({ o: b.open, h: b.high, l: b.low, c: b.close, v: b.volume, vw: (b.high + b.low + b.close) / 3, n: 1, t: Date.parse(alpacaDayStamp(b.date)) }));
      body.count = page.length;
    }
    if (cursor + this.pageSize < all.length) body.next_url = `https://api.polygon.io${url.pathname}?cursor=${cursor + this.pageSize}`;
    sendJson(res, 200, body);
  }
}
