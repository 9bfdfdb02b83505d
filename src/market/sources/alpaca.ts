import { z } from 'zod';
import type { IsoDate } from '../../core/index.ts';
import type { Bar, Instrument } from '../../contracts/index.ts';
import { getJson, type FetchLike } from './http.ts';
import type { MarketSource } from './market-source.ts';
import { ProviderError } from './provider-error.ts';

/** Alpaca Market Data API v2 historical bars: `GET /v2/stocks/bars` (multi-symbol, paged). */
const AlpacaBar = z.object({ t: z.string(), o: z.number(), h: z.number(), l: z.number(), c: z.number(), v: z.number() });
const AlpacaBarsResponse = z.object({
  bars: z.record(z.string(), z.array(AlpacaBar)).nullable(),
  next_page_token: z.string().nullable().optional(),
});
/** Trading API `GET /v2/assets`. */
const AlpacaAssets = z.array(z.object({ symbol: z.string(), name: z.string().optional().default(''), tradable: z.boolean().optional().default(true), class: z.string().optional() }));

export interface AlpacaOptions {
  readonly keyId: string;
  readonly secretKey: string;
  /** Market data base URL (default https://data.alpaca.markets). */
  readonly dataUrl?: string;
  /** Trading API base URL for the asset list (default https://paper-api.alpaca.markets). */
  readonly tradingUrl?: string;
  /** `iex` (free plan) or `sip` (paid). Default iex. */
  readonly feed?: 'iex' | 'sip';
  /** `raw`, `split`, `dividend` or `all`. Default `split` (as the real data set). */
  readonly adjustment?: 'raw' | 'split' | 'dividend' | 'all';
  /** Symbols per request (default 100). */
  readonly batch?: number;
  /** Data points per page across the request's symbols, 1..10000 (default 10000, Alpaca's maximum). */
  readonly pageLimit?: number;
  readonly fetch?: FetchLike;
}

/**
 * Alpaca market data. Auth by the `APCA-API-KEY-ID` / `APCA-API-SECRET-KEY` headers; daily bars
 * with `timeframe=1Day`, following `next_page_token`. A bar's `t` is the session's midnight New
 * York time in UTC, so its first ten characters are the trading date.
 */
export class AlpacaMarketSource implements MarketSource {
  readonly name = 'alpaca';
  private readonly dataUrl: string;
  private readonly tradingUrl: string;

  constructor(private readonly o: AlpacaOptions) {
    this.dataUrl = (o.dataUrl ?? 'https://data.alpaca.markets').replace(/\/$/, '');
    this.tradingUrl = (o.tradingUrl ?? 'https://paper-api.alpaca.markets').replace(/\/$/, '');
  }

  private http() {
    return {
      provider: this.name,
      headers: { 'APCA-API-KEY-ID': this.o.keyId, 'APCA-API-SECRET-KEY': this.o.secretKey },
      secrets: [this.o.keyId, this.o.secretKey],
      ...(this.o.fetch ? { fetch: this.o.fetch } : {}),
    };
  }

  async instruments(): Promise<Instrument[]> {
    const assets = await getJson(`${this.tradingUrl}/v2/assets?status=active&asset_class=us_equity`, AlpacaAssets, this.http());
    return assets.map((a) => ({ version: 1, symbol: a.symbol, name: a.name, assetClass: 'equity', sector: null, currency: 'USD', lotSize: 0, isTradable: a.tradable }));
  }

  async bars(symbols: readonly string[], from: IsoDate, to: IsoDate): Promise<Bar[]> {
    const out: Bar[] = [];
    const batch = this.o.batch ?? 100;
    for (let i = 0; i < symbols.length; i += batch) {
      const chunk = symbols.slice(i, i + batch);
      let token: string | null | undefined;
      let pages = 0;
      do {
        const q = new URLSearchParams({
          symbols: chunk.join(','),
          timeframe: '1Day',
          // RFC-3339 bounds: the day bar of `to` is stamped at midnight New York (04:00 or 05:00 UTC).
          start: `${from}T00:00:00Z`,
          end: `${to}T23:59:59Z`,
          limit: String(this.o.pageLimit ?? 10_000),
          adjustment: this.o.adjustment ?? 'split',
          feed: this.o.feed ?? 'iex',
        });
        if (token) q.set('page_token', token);
        const res = await getJson(`${this.dataUrl}/v2/stocks/bars?${q.toString()}`, AlpacaBarsResponse, this.http());
        for (const [symbol, list] of Object.entries(res.bars ?? {})) {
          for (const b of list) out.push({ version: 1, symbol, date: b.t.slice(0, 10), open: b.o, high: b.h, low: b.l, close: b.c, volume: b.v });
        }
        token = res.next_page_token;
        if (++pages > 10_000) throw new ProviderError(this.name, 'bad_response', 'more than 10,000 pages: next_page_token does not end');
      } while (token);
    }
    return out;
  }
}
