import { z } from 'zod';
import { addDays, type IsoDate } from '../../core/index.ts';
import type { Bar, Instrument, MacroObservation } from '../../contracts/index.ts';
import { getJson, type FetchLike } from './http.ts';
import type { MarketSource } from './market-source.ts';

/** FRED `GET /fred/series/observations?file_type=json`; missing values are ".". */
const FredObservations = z.object({
  observations: z.array(z.object({ date: z.string(), value: z.string(), realtime_start: z.string().optional() })),
  count: z.number().optional(),
  offset: z.number().optional(),
  limit: z.number().optional(),
});

/**
 * Days from an observation's date to its first publication, for common FRED series that are not
 * daily. A monthly series is dated the first of its month and published weeks after the month
 * ends: with a 1-day lag a backtest would read it a month early.
 */
export const FRED_RELEASE_LAG_DAYS: Readonly<Record<string, number>> = {
  UNRATE: 40, // Employment Situation, first Friday of the next month
  PAYEMS: 40,
  CPIAUCSL: 45, // CPI, mid next month
  CPILFESL: 45,
  PCEPI: 60,
  INDPRO: 50,
  UMCSENT: 60,
  FEDFUNDS: 35,
  GDP: 120, // quarterly, advance estimate about a month after the quarter ends
  GDPC1: 120,
};

export interface FredOptions {
  readonly apiKey: string;
  /** Default https://api.stlouisfed.org. */
  readonly baseUrl?: string;
  /**
   * Days from an observation's date to its release, per series or for all (default 1: daily
   * market series such as DGS10 or VIXCLS). Monthly series need their publication lag (CPIAUCSL
   * ≈ 45 days from the first of the month) or they leak the future into point-in-time views.
   * A record is merged over FRED_RELEASE_LAG_DAYS; a number applies to every series.
   */
  readonly releaseLagDays?: number | Readonly<Record<string, number>>;
  readonly fetch?: FetchLike;
}

/**
 * FRED (Federal Reserve Economic Data) macro series. The key travels as the documented
 * `api_key` query parameter and is scrubbed from every error message. Instruments are not FRED's
 * business; bars() serves index levels (SP500, VIXCLS) as close-only bars.
 */
export class FredMacroSource implements MarketSource {
  readonly name = 'fred';
  private readonly baseUrl: string;

  constructor(private readonly o: FredOptions) {
    this.baseUrl = (o.baseUrl ?? 'https://api.stlouisfed.org').replace(/\/$/, '');
  }

  async instruments(): Promise<Instrument[]> {
    return [];
  }

  /**
   * Close-only daily bars of FRED series (open = high = low = close, volume 0): the index and
   * volatility-index levels FRED publishes (SP500, VIXCLS), under the series id. A bar is a
   * day's close, so it carries no release lag. Stock prices are not FRED's business: ask for a
   * series id, never a ticker (a MappedSource does the mapping).
   */
  async bars(symbols: readonly string[], from: IsoDate, to: IsoDate): Promise<Bar[]> {
    const out: Bar[] = [];
    for (const id of symbols) {
      for (const ob of await this.observations(id, from, to)) {
        out.push({ version: 1, symbol: id, date: ob.date, open: ob.value, high: ob.value, low: ob.value, close: ob.value, volume: 0 });
      }
    }
    return out;
  }

  private lag(series: string): number {
    const l = this.o.releaseLagDays;
    if (typeof l === 'number') return l;
    return l?.[series] ?? FRED_RELEASE_LAG_DAYS[series] ?? 1;
  }

  async macro(series: readonly string[], from: IsoDate, to: IsoDate): Promise<MacroObservation[]> {
    const out: MacroObservation[] = [];
    for (const id of series) {
      const lag = this.lag(id);
      for (const ob of await this.observations(id, from, to)) {
        out.push({ version: 1, series: id, date: ob.date, releaseTime: `${addDays(ob.date, lag)}T21:00:00.000Z`, value: ob.value });
      }
    }
    return out;
  }

  /** One series' observations in [from, to], following offset pages; "." (no value) skipped. */
  private async observations(id: string, from: IsoDate, to: IsoDate): Promise<Array<{ date: IsoDate; value: number }>> {
    const out: Array<{ date: IsoDate; value: number }> = [];
    let offset = 0;
    for (;;) {
      const q = new URLSearchParams({ series_id: id, api_key: this.o.apiKey, file_type: 'json', observation_start: from, observation_end: to, offset: String(offset) });
      const res = await getJson(`${this.baseUrl}/fred/series/observations?${q.toString()}`, FredObservations, {
        provider: this.name,
        secrets: [this.o.apiKey],
        ...(this.o.fetch ? { fetch: this.o.fetch } : {}),
      });
      for (const ob of res.observations) {
        const value = Number(ob.value);
        if (ob.value === '.' || !Number.isFinite(value)) continue;
        out.push({ date: ob.date, value });
      }
      offset += res.observations.length;
      if (res.observations.length === 0 || res.count === undefined || offset >= res.count) break;
    }
    return out;
  }
}
