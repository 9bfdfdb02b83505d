import { z } from 'zod';
import { msToDate, type IsoDate } from '../../core/index.ts';
import type { Bar, Instrument } from '../../contracts/index.ts';
import { getJson, type FetchLike } from './http.ts';
import { tradingDaysBetween } from '../calendar.ts';
import type { MarketSource } from './market-source.ts';
import { ProviderError } from './provider-error.ts';

/** Polygon aggregates: `GET /v2/aggs/ticker/{ticker}/range/1/day/{from}/{to}`. */
const PolygonAggs = z.object({
  status: z.string(),
  ticker: z.string().optional(),
  results: z.array(z.object({ o: z.number(), h: z.number(), l: z.number(), c: z.number(), v: z.number(), t: z.number() })).optional(),
  next_url: z.string().optional(),
});
/** Polygon grouped daily: `GET /v2/aggs/grouped/locale/us/market/stocks/{date}`, every ticker of one day. */
const PolygonGrouped = z.object({
  status: z.string(),
  results: z.array(z.object({ T: z.string(), o: z.number(), h: z.number(), l: z.number(), c: z.number(), v: z.number(), t: z.number() })).optional(),
});
/** Polygon reference tickers: `GET /v3/reference/tickers`. */
const PolygonTickers = z.object({
  results: z.array(z.object({ ticker: z.string(), name: z.string().optional().default(''), active: z.boolean().optional().default(true) })).optional(),
  next_url: z.string().optional(),
});

export interface PolygonOptions {
  readonly apiKey: string;
  /** Default https://api.polygon.io. */
  readonly baseUrl?: string;
  /** Split-adjusted prices (default true). */
  readonly adjusted?: boolean;
  /** Pages of the ticker list to follow (default 20 × 1000). */
  readonly maxTickerPages?: number;
  /**
   * Ranges of at most this many trading days, for more stock tickers than days, are read from the
   * grouped daily endpoint: one request per day for the whole market (default 5; 0 turns it off).
   */
  readonly groupedMaxDays?: number;
  readonly fetch?: FetchLike;
}

/**
 * Polygon.io daily aggregates: a few days of many tickers from the grouped daily endpoint (one
 * request per trading day, which the free plan's 5 requests a minute allows), else one request per
 * symbol (following `next_url`); indices (`I:SPX`) always per symbol. Authenticated by
 * `Authorization: Bearer <key>` so the key never sits in a URL. A result's `t` is the start of
 * the day window (midnight New York, in Unix ms), so its UTC date is the trading date.
 */
export class PolygonMarketSource implements MarketSource {
  readonly name = 'polygon';
  private readonly baseUrl: string;

  constructor(private readonly o: PolygonOptions) {
    this.baseUrl = (o.baseUrl ?? 'https://api.polygon.io').replace(/\/$/, '');
  }

  private http() {
    return { provider: this.name, headers: { Authorization: `Bearer ${this.o.apiKey}` }, secrets: [this.o.apiKey], ...(this.o.fetch ? { fetch: this.o.fetch } : {}) };
  }

  /** next_url is absolute on polygon.io; keep our base URL (tests, proxies) and path/query from it. */
  private follow(next: string): string {
    const u = new URL(next, this.baseUrl);
    return `${this.baseUrl}${u.pathname}${u.search}`;
  }

  async instruments(): Promise<Instrument[]> {
    const out: Instrument[] = [];
    let url: string | undefined = `${this.baseUrl}/v3/reference/tickers?market=stocks&active=true&limit=1000`;
    for (let page = 0; url && page < (this.o.maxTickerPages ?? 20); page++) {
      const res: z.infer<typeof PolygonTickers> = await getJson(url, PolygonTickers, this.http());
      for (const t of res.results ?? []) out.push({ version: 1, symbol: t.ticker, name: t.name, assetClass: 'equity', sector: null, currency: 'USD', lotSize: 0, isTradable: t.active });
      url = res.next_url ? this.follow(res.next_url) : undefined;
    }
    return out;
  }

  async bars(symbols: readonly string[], from: IsoDate, to: IsoDate): Promise<Bar[]> {
    const days = tradingDaysBetween(from, to);
    const stocks = symbols.filter((s) => !s.includes(':'));
    if (days.length > 0 && days.length <= (this.o.groupedMaxDays ?? 5) && stocks.length > days.length) {
      const wanted = new Set(stocks);
      const out = await this.grouped(days, wanted);
      const others = symbols.filter((s) => !wanted.has(s));
      return others.length > 0 ? [...out, ...(await this.perTicker(others, from, to))] : out;
    }
    return this.perTicker(symbols, from, to);
  }

  /** The wanted tickers' bars of each day, from the grouped daily endpoint. */
  private async grouped(days: readonly IsoDate[], wanted: ReadonlySet<string>): Promise<Bar[]> {
    const out: Bar[] = [];
    for (const day of days) {
      const q = new URLSearchParams({ adjusted: String(this.o.adjusted ?? true) });
      const res = await getJson(`${this.baseUrl}/v2/aggs/grouped/locale/us/market/stocks/${day}?${q.toString()}`, PolygonGrouped, this.http());
      if (res.status === 'NOT_AUTHORIZED') throw new ProviderError(this.name, 'entitlement', `status NOT_AUTHORIZED for the grouped daily bars of ${day}`, 403);
      for (const r of res.results ?? []) {
        if (wanted.has(r.T)) out.push({ version: 1, symbol: r.T, date: msToDate(r.t), open: r.o, high: r.h, low: r.l, close: r.c, volume: r.v });
      }
    }
    return out;
  }

  /**
   * One request per ticker: a ticker the plan does not cover (403) or Polygon does not know (404)
   * is left out, so a caller can ask another source for it; when every ticker fails that way the
   * first failure is thrown. A bad key (401), a rate limit or an outage fails the whole call.
   */
  private async perTicker(symbols: readonly string[], from: IsoDate, to: IsoDate): Promise<Bar[]> {
    const out: Bar[] = [];
    let refused: ProviderError | undefined;
    let served = 0;
    for (const symbol of symbols) {
      try {
        out.push(...(await this.tickerBars(symbol, from, to)));
        served++;
      } catch (e) {
        if (!(e instanceof ProviderError) || !(e.httpStatus === 403 || e.httpStatus === 404)) throw e;
        refused ??= e;
      }
    }
    if (served === 0 && refused) throw refused;
    return out;
  }

  private async tickerBars(symbol: string, from: IsoDate, to: IsoDate): Promise<Bar[]> {
    const out: Bar[] = [];
    const q = new URLSearchParams({ adjusted: String(this.o.adjusted ?? true), sort: 'asc', limit: '50000' });
    let url: string | undefined = `${this.baseUrl}/v2/aggs/ticker/${encodeURIComponent(symbol)}/range/1/day/${from}/${to}?${q.toString()}`;
    for (let page = 0; url; page++) {
      if (page > 1000) throw new ProviderError(this.name, 'bad_response', 'more than 1,000 pages: next_url does not end');
      const res: z.infer<typeof PolygonAggs> = await getJson(url, PolygonAggs, this.http());
      if (res.status === 'NOT_AUTHORIZED') throw new ProviderError(this.name, 'entitlement', `status NOT_AUTHORIZED for ${symbol}`, 403);
      if (res.status === 'ERROR') throw new ProviderError(this.name, 'entitlement', `status ERROR for ${symbol}`);
      for (const r of res.results ?? []) out.push({ version: 1, symbol, date: msToDate(r.t), open: r.o, high: r.h, low: r.l, close: r.c, volume: r.v });
      url = res.next_url ? this.follow(res.next_url) : undefined;
    }
    return out;
  }
}
