// A local stand-in for Alpaca's Market Data API v2 historical stock bars, written from Alpaca's
// documentation (docs.alpaca.markets "Historical API", "Market Data FAQ"):
// - GET /v2/stocks/bars?symbols=A,B&timeframe=1Day&start&end&limit&page_token&adjustment&feed
//   → { bars: { SYMBOL: [{ t, o, h, l, c, v, n, vw }] }, next_page_token }. Results are sorted by
//   symbol, then time; `limit` (1..10000, default 1000) caps the data points of a page across all
//   symbols; a non-null next_page_token is passed back as page_token with the other parameters
//   unchanged. A day bar's `t` is midnight New York time in UTC. Symbols without data are absent.
// - GET /v2/assets (the Trading API's asset list, which AlpacaMarketSource.instruments() reads;
//   served here too so that a market-data test needs one server).
// - Auth headers APCA-API-KEY-ID / APCA-API-SECRET-KEY: missing → 401, wrong → 403.
// - feed iex (free) or sip (subscription; 403 "subscription does not permit querying recent SIP
//   data" without it); otc likewise.
// - Errors `{ message }`: 400 invalid value for a query parameter, 422 invalid query parameter,
//   429 rate limit exceeded (200 requests per minute by default) with Retry-After and
//   X-RateLimit-Limit / -Remaining / -Reset.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { newYorkTime } from '../../src/market/index.ts';
import type { Bar } from '../../src/contracts/index.ts';
import { DatedRecords, FakeApi, sendJson } from './local-server.ts';

/** A day's bar as a fake serves it (the Bar contract without version and symbol). */
export type DayBar = Omit<Bar, 'version' | 'symbol'>;

const TIMEFRAME = /^(\d+)(Min|T|Hour|H|Day|D|Week|W|Month|M)$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2}))?$/;
const ADJUSTMENTS = new Set(['raw', 'split', 'dividend', 'spin-off', 'all']);

const stamps = new Map<string, string>();

/** Midnight New York of a date, as the UTC instant Alpaca stamps a day bar with. */
export function alpacaDayStamp(date: string): string {
  let t = stamps.get(date);
  if (t === undefined) {
    const edt = `${date}T04:00:00Z`;
    t = newYorkTime(Date.parse(edt)).minutes === 0 ? edt : `${date}T05:00:00Z`;
    stamps.set(date, t);
  }
  return t;
}

export class FakeAlpacaMarketData extends FakeApi {
  readonly keyId = 'AKFAKEDATAKEY01';
  readonly secret = 'fake-data-secret-do-not-log-77';
  private readonly bars = new DatedRecords<DayBar>();
  /** Bars dated after this are not served yet (the session has not been published). */
  publishedThrough: string | null = null;
  sipAllowed = false;
  /** Requests allowed per window before 429 (Alpaca: 200 per minute). */
  rateLimit = { limit: 200, windowMs: 60_000 };
  private window = { start: 0, count: 0 };

  addBars(symbol: string, bars: readonly DayBar[]): void {
    this.bars.add(symbol, bars);
  }

  /** Bar requests served (status 200). */
  barRequests(): number {
    return this.server.requests.filter((r) => r.path === '/v2/stocks/bars').length;
  }

  protected handle(req: IncomingMessage, url: URL, res: ServerResponse): void {
    const id = req.headers['apca-api-key-id'];
    const secret = req.headers['apca-api-secret-key'];
    if (!id || !secret) return sendJson(res, 401, { message: 'unauthorized.' });
    if (id !== this.keyId || secret !== this.secret) return sendJson(res, 403, { message: 'forbidden.' });
    const now = Date.now();
    if (now - this.window.start >= this.rateLimit.windowMs) this.window = { start: now, count: 0 };
    this.window.count++;
    const reset = Math.ceil((this.window.start + this.rateLimit.windowMs) / 1000);
    const limits = { 'X-RateLimit-Limit': String(this.rateLimit.limit), 'X-RateLimit-Remaining': String(Math.max(0, this.rateLimit.limit - this.window.count)), 'X-RateLimit-Reset': String(reset) };
    if (this.window.count > this.rateLimit.limit) {
      return sendJson(res, 429, { message: 'too many requests.' }, { ...limits, 'Retry-After': String(Math.max(1, reset - Math.floor(now / 1000))) });
    }
    if (url.pathname === '/v2/assets') {
      const assets = this.bars.keys().map((symbol, i) => ({ id: `asset-${i}`, class: 'us_equity', exchange: 'NYSE', symbol, name: `${symbol} Inc.`, status: 'active', tradable: true }));
      return sendJson(res, 200, assets, limits);
    }
    if (url.pathname !== '/v2/stocks/bars') return sendJson(res, 404, { message: 'Not Found' });
    const failure = this.scripted();
    if (failure) return sendJson(res, failure.status, { message: failure.status === 429 ? 'too many requests.' : 'internal server error' }, { ...limits, ...failure.headers });
    const q = url.searchParams;
    const symbols = (q.get('symbols') ?? '').split(',').filter((s) => s !== '');
    if (symbols.length === 0) return sendJson(res, 400, { message: 'missing symbols' }, limits);
    const bad = symbols.find((s) => !/^[A-Z0-9./-]{1,16}$/.test(s));
    if (bad) return sendJson(res, 400, { message: `invalid symbol: ${bad}` }, limits);
    const timeframe = q.get('timeframe') ?? '';
    if (!TIMEFRAME.test(timeframe)) return sendJson(res, 422, { message: `invalid timeframe: ${timeframe}` }, limits);
    if (!/^(1Day|1D)$/.test(timeframe)) return sendJson(res, 422, { message: `this fake serves day bars only, not ${timeframe}` }, limits);
    const feed = q.get('feed') ?? 'iex';
    if (!['iex', 'sip', 'otc'].includes(feed)) return sendJson(res, 422, { message: `invalid feed: ${feed}` }, limits);
    if (feed !== 'iex' && !this.sipAllowed) return sendJson(res, 403, { message: 'subscription does not permit querying recent SIP data' }, limits);
    const adjustment = q.get('adjustment') ?? 'raw';
    if (!adjustment.split(',').every((a) => ADJUSTMENTS.has(a))) return sendJson(res, 422, { message: `invalid adjustment: ${adjustment}` }, limits);
    const limitText = q.get('limit') ?? '1000';
    const limit = Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) return sendJson(res, 400, { message: `invalid limit: ${limitText} (1-10000)` }, limits);
    const start = q.get('start');
    const end = q.get('end');
    for (const [name, v] of [['start', start], ['end', end]] as const) {
      if (v !== null && (!RFC3339.test(v) || !Number.isFinite(Date.parse(v)))) return sendJson(res, 400, { message: `invalid ${name}: ${v}` }, limits);
    }
    const startMs = start === null ? Number.NEGATIVE_INFINITY : Date.parse(start);
    const endMs = end === null ? now : Date.parse(end);
    if (endMs < startMs) return sendJson(res, 422, { message: 'end should not be before start' }, limits);
    // One list over all symbols, sorted by symbol then time; a page is `limit` points of it.
    const all: Array<{ symbol: string; bar: DayBar; t: string }> = [];
    for (const symbol of [...new Set(symbols)].sort()) {
      for (const bar of this.bars.get(symbol) ?? []) {
        if (this.publishedThrough !== null && bar.date > this.publishedThrough) continue;
        const t = alpacaDayStamp(bar.date);
        const ms = Date.parse(t);
        if (ms >= startMs && ms <= endMs) all.push({ symbol, bar, t });
      }
    }
    const fingerprint = [q.get('symbols'), timeframe, start, end, feed, adjustment, limitText].join('|');
    let offset = 0;
    const token = q.get('page_token');
    if (token) {
      let parsed: { o?: number; f?: string };
      try {
        parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { o?: number; f?: string };
      } catch {
        parsed = {};
      }
      if (typeof parsed.o !== 'number' || parsed.f !== fingerprint) return sendJson(res, 400, { message: 'invalid page token' }, limits);
      offset = parsed.o;
    }
    const page = all.slice(offset, offset + limit);
    const bars: Record<string, unknown[]> = {};
    for (const { symbol, bar, t } of page) {
      const list = bars[symbol] ?? [];
      list.push({ t, o: bar.open, h: bar.high, l: bar.low, c: bar.close, v: bar.volume, n: Math.max(1, Math.round(bar.volume / 100)), vw: (bar.high + bar.low + bar.close) / 3 });
      bars[symbol] = list;
    }
    const next = offset + limit < all.length ? Buffer.from(JSON.stringify({ o: offset + limit, f: fingerprint })).toString('base64') : null;
    sendJson(res, 200, { bars, next_page_token: next }, limits);
  }
}
