import { z } from 'zod';
import { addDays, type IsoDate } from '../../core/index.ts';
import type { Bar, Instrument, MacroObservation } from '../../contracts/index.ts';
import { getJson, type FetchLike } from './http.ts';
import type { MarketSource } from './market-source.ts';
import { ProviderError } from './provider-error.ts';

/** FRED `GET /fred/series/observations?file_type=json`; missing values are ".". */
const FredObservations = z.object({
  observations: z.array(z.object({ date: z.string(), value: z.string(), realtime_start: z.string().optional() })),
  count: z.number().optional(),
  offset: z.number().optional(),
  limit: z.number().optional(),
});

export interface FredOptions {
  readonly apiKey: string;
  /** Default https://api.stlouisfed.org (env FRED_BASE_URL). */
  readonly baseUrl?: string;
  /**
   * Days from an observation's date to its release, per series or for all (default 1: daily
   * market series such as DGS10 or VIXCLS). Monthly series need their publication lag (CPIAUCSL
   * ≈ 45 days from the first of the month) or they leak the future into point-in-time views.
   */
  readonly releaseLagDays?: number | Readonly<Record<string, number>>;
  readonly fetch?: FetchLike;
}

/**
 * FRED (Federal Reserve Economic Data) macro series. The key travels as the documented
 * `api_key` query parameter and is scrubbed from every error message. Bars and instruments are
 * not FRED's business: bars() fails as `unsupported` so a router moves on.
 */
export class FredMacroSource implements MarketSource {
  readonly name = 'fred';
  private readonly baseUrl: string;

  constructor(private readonly o: FredOptions) {
    this.baseUrl = (o.baseUrl ?? 'https://api.stlouisfed.org').replace(/\/$/, '');
  }

  /** From FRED_API_KEY (and optional FRED_BASE_URL); undefined without a key. */
  static fromEnv(env: Record<string, string | undefined>, extra: Partial<FredOptions> = {}): FredMacroSource | undefined {
    if (!env.FRED_API_KEY) return undefined;
    return new FredMacroSource({ apiKey: env.FRED_API_KEY, ...(env.FRED_BASE_URL ? { baseUrl: env.FRED_BASE_URL } : {}), ...extra });
  }

  async instruments(): Promise<Instrument[]> {
    return [];
  }

  async bars(): Promise<Bar[]> {
    throw new ProviderError(this.name, 'unsupported', 'FRED has no price bars');
  }

  private lag(series: string): number {
    const l = this.o.releaseLagDays;
    if (typeof l === 'number') return l;
    return l?.[series] ?? 1;
  }

  async macro(series: readonly string[], from: IsoDate, to: IsoDate): Promise<MacroObservation[]> {
    const out: MacroObservation[] = [];
    for (const id of series) {
      const lag = this.lag(id);
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
          out.push({ version: 1, series: id, date: ob.date, releaseTime: `${addDays(ob.date, lag)}T21:00:00.000Z`, value });
        }
        offset += res.observations.length;
        if (res.observations.length === 0 || res.count === undefined || offset >= res.count) break;
      }
    }
    return out;
  }
}
