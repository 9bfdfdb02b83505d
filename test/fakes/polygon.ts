// A local stand-in for Polygon.io's daily aggregates, written from Polygon's documentation
// (polygon.io/docs/stocks/get_v2_aggs_ticker__stocksticker__range, reference tickers):
// - GET /v2/aggs/ticker/{ticker}/range/1/day/{from}/{to}?adjusted&sort&limit → { ticker,
//   queryCount, resultsCount, adjusted, results: [{ o, h, l, c, v, vw, n, t }], status: 'OK',
//   request_id, next_url? }; `t` is the start of the day window (midnight New York) in Unix ms; a
//   ticker without data answers 200 with resultsCount 0 and no results. Indices are `I:SPX`.
// - GET /v2/aggs/grouped/locale/us/market/stocks/{date}?adjusted → { adjusted, queryCount,
//   resultsCount, status: 'OK', request_id, results: [{ T, o, h, l, c, v, vw, n, t }] }: every
//   stock ticker's bar of that day (none on a day without a session).
// - GET /v3/reference/tickers → { results: [{ ticker, name, market, active }], next_url? }.
// - Auth: `Authorization: Bearer <key>` or `apiKey=<key>`; unknown key → 401 { status: 'ERROR',
//   error: 'Unknown API Key' }; data outside the plan → 403 { status: 'NOT_AUTHORIZED', message };
//   429 { status: 'ERROR', error: "You've exceeded the maximum requests per minute…" }.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DatedRecords, FakeApi, sendJson } from './local-server.ts';
import { alpacaDayStamp, type DayBar } from './alpaca-market-data.ts';

const GROUPED = /^\/v2\/aggs\/grouped\/locale\/us\/market\/stocks\/(\d{4}-\d{2}-\d{2})$/;
const AGGS = /^\/v2\/aggs\/ticker\/([^/]+)\/range\/(\d+)\/(day|minute|hour|week|month)\/(\d{4}-\d{2}-\d{2})\/(\d{4}-\d{2}-\d{2})$/;

export class FakePolygon extends FakeApi {
  readonly apiKey = 'polygon-fake-key-abc';
  private readonly bars = new DatedRecords<DayBar>();
  /** Tickers this key's plan does not cover (403 NOT_AUTHORIZED), e.g. indices on a stocks plan. */
  readonly notEntitled = new Set<string>();
  publishedThrough: string | null = null;
  /** Results per page before next_url (Polygon: up to 50,000). */
  pageSize = 50_000;

  addBars(ticker: string, bars: readonly DayBar[]): void {
    this.bars.add(ticker, bars);
  }

  protected handle(req: IncomingMessage, url: URL, res: ServerResponse): void {
    const bearer = req.headers.authorization?.replace(/^Bearer /, '');
    const key = bearer ?? url.searchParams.get('apiKey');
    const requestId = `req-${this.server.requests.length}`;
    if (key !== this.apiKey) return sendJson(res, 401, { status: 'ERROR', request_id: requestId, error: 'Unknown API Key' });
    const failure = this.scripted();
    if (failure) {
      const body = failure.status === 429 ? { status: 'ERROR', request_id: requestId, error: "You've exceeded the maximum requests per minute, please wait or upgrade your subscription to continue. https://polygon.io/pricing" } : { status: 'ERROR', request_id: requestId, error: 'Internal Server Error' };
      return sendJson(res, failure.status, body, failure.headers);
    }
    if (url.pathname === '/v3/reference/tickers') {
      const results = this.bars.keys().filter((t) => !t.startsWith('I:')).map((ticker) => ({ ticker, name: ticker, market: 'stocks', active: true }));
      return sendJson(res, 200, { status: 'OK', request_id: requestId, count: results.length, results });
    }
    const g = GROUPED.exec(url.pathname);
    if (g) {
      const day = g[1] ?? '';
      const published = this.publishedThrough === null || day <= this.publishedThrough;
      const results = published
        ? this.bars.keys().filter((t) => !t.startsWith('I:')).flatMap((T) => (this.bars.get(T) ?? []).filter((b) => b.date === day).map((b) => ({ T, o: b.open, h: b.high, l: b.low, c: b.close, v: b.volume, vw: (b.high + b.low + b.close) / 3, n: 1, t: Date.parse(alpacaDayStamp(b.date)) })))
        : [];
      return sendJson(res, 200, { adjusted: url.searchParams.get('adjusted') !== 'false', queryCount: results.length, resultsCount: results.length, status: 'OK', request_id: requestId, ...(results.length > 0 ? { results } : {}) });
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
