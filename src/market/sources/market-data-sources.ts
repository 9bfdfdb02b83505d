import type { Logger } from '../../core/index.ts';
import type { DataConfig, DataProvider } from '../../contracts/index.ts';
import { AlpacaMarketSource } from './alpaca.ts';
import { DataRouter } from './data-router.ts';
import { FredMacroSource } from './fred.ts';
import type { FetchLike } from './http.ts';
import { MappedSource, type SymbolMap } from './mapped-source.ts';
import type { MarketSource } from './market-source.ts';
import { PolygonMarketSource } from './polygon.ts';

const KEYS: Record<DataProvider, string> = {
  alpaca: 'APCA_API_KEY_ID and APCA_API_SECRET_KEY',
  polygon: 'POLYGON_API_KEY',
  fred: 'FRED_API_KEY',
};

export interface MarketDataSources {
  /**
   * The configured providers that have keys, in `data.providers` order: bars from Alpaca and
   * Polygon (under `data.symbolMap` names) and from FRED for the symbols the map gives a FRED
   * series; macro series from FRED.
   */
  readonly router: DataRouter;
  /** Providers that take part, in order. */
  readonly active: readonly DataProvider[];
  /** Configured providers left out, each with the reason (their keys are not set). */
  readonly skipped: ReadonlyArray<{ readonly provider: DataProvider; readonly reason: string }>;
}

export interface MarketDataDeps {
  readonly fetch?: FetchLike;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly logger?: Logger;
  /** Router retries of a transient failure per source (default 2) and first back-off (default 250 ms). */
  readonly maxRetries?: number;
  readonly backoffMs?: number;
}

/** The provider's names for stored symbols, from `data.symbolMap` (absent: the same name). */
export function symbolMapFor(provider: DataProvider, symbolMap: DataConfig['symbolMap']): SymbolMap {
  const out: Record<string, string | null> = {};
  for (const [symbol, names] of Object.entries(symbolMap)) {
    const n = names[provider];
    if (n !== undefined) out[symbol] = n;
  }
  return out;
}

/** The providers' keys and base URLs (the kernel reads them from the environment table: `KeelEnv` fits). */
export interface ProviderKeys {
  readonly alpaca: { readonly keyId: string | null; readonly secretKey: string | null; readonly dataUrl: string | null; readonly baseUrl: string | null };
  readonly polygon: { readonly apiKey: string | null; readonly baseUrl: string | null };
  readonly fred: { readonly apiKey: string | null; readonly baseUrl: string | null };
}

function sourceOf(provider: DataProvider, data: DataConfig, keys: ProviderKeys, deps: MarketDataDeps): MarketSource | undefined {
  const extra = deps.fetch ? { fetch: deps.fetch } : {};
  switch (provider) {
    case 'alpaca': {
      const { keyId, secretKey, dataUrl, baseUrl } = keys.alpaca;
      if (keyId === null || secretKey === null) return undefined;
      return new AlpacaMarketSource({ keyId, secretKey, ...(dataUrl !== null ? { dataUrl } : {}), ...(baseUrl !== null ? { tradingUrl: baseUrl } : {}), ...extra, feed: data.alpacaFeed });
    }
    case 'polygon':
      if (keys.polygon.apiKey === null) return undefined;
      return new PolygonMarketSource({ apiKey: keys.polygon.apiKey, ...(keys.polygon.baseUrl !== null ? { baseUrl: keys.polygon.baseUrl } : {}), ...extra });
    case 'fred':
      if (keys.fred.apiKey === null) return undefined;
      return new FredMacroSource({ apiKey: keys.fred.apiKey, ...(keys.fred.baseUrl !== null ? { baseUrl: keys.fred.baseUrl } : {}), ...extra, releaseLagDays: data.macroReleaseLagDays });
    default: {
      const never: never = provider;
      throw new Error(`unknown provider ${String(never)}`);
    }
  }
}

/**
 * Builds the market-data router from the fund's `data` section and the providers' keys and base
 * URLs. The one place sources are constructed; the kernel calls it (`Kernel.marketData`) for the
 * daemon, `keel run` and `keel market fetch`.
 */
export function buildMarketDataSources(data: DataConfig, keys: ProviderKeys, deps: MarketDataDeps = {}): MarketDataSources {
  const sources: MarketSource[] = [];
  const active: DataProvider[] = [];
  const skipped: Array<{ provider: DataProvider; reason: string }> = [];
  for (const provider of data.providers) {
    const source = sourceOf(provider, data, keys, deps);
    if (!source) {
      skipped.push({ provider, reason: `${KEYS[provider]} not set` });
      continue;
    }
    active.push(provider);
    sources.push(new MappedSource(source, symbolMapFor(provider, data.symbolMap), provider === 'fred'));
  }
  const router = new DataRouter(sources, {
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
    ...(deps.logger ? { logger: deps.logger } : {}),
    ...(deps.maxRetries === undefined ? {} : { maxRetries: deps.maxRetries }),
    ...(deps.backoffMs === undefined ? {} : { backoffMs: deps.backoffMs }),
  });
  return { router, active, skipped };
}
