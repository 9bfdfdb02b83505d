/**
 * Fetching market data from providers into the store, against the local fakes of
 * test/fakes (HTTP on 127.0.0.1, so the figures are Keel's cost, not a provider's latency):
 * one new session of 500 names from Alpaca (5 requests of 100 symbols) and from Polygon (the
 * grouped daily endpoint, 1 request; and one request per ticker, 500), and a year's backfill of 500 names (126,000 bars, 13 pages) fetched
 * again onto a store that has it. Each timed run of a one-day case fetches a different day, so
 * every run stores new bars. Store: in-memory PGlite.
 */
import type { BenchCase, BenchSuite } from '../harness.ts';
import { fetchRange } from '../../src/fund/index.ts';
import { AlpacaMarketSource, DataRouter, PolygonMarketSource } from '../../src/market/index.ts';
import { openStore, type Store } from '../../src/store/index.ts';
import { FakeAlpacaMarketData } from '../../test/fakes/alpaca-market-data.ts';
import { marketTape } from '../../test/fakes/market-tape.ts';
import { FakePolygon } from '../../test/fakes/polygon.ts';

const N = 500;
const DAYS = 300;
const tape = marketTape({ symbols: N, end: '2024-03-08', days: DAYS, seed: 3 });
const alpaca = new FakeAlpacaMarketData();
const polygon = new FakePolygon();
alpaca.rateLimit = { limit: 1_000_000, windowMs: 60_000 };
for (const [s, bars] of tape.bars) {
  alpaca.addBars(s, bars);
  polygon.addBars(s, bars);
}

async function startFakes(): Promise<void> {
  if (alpaca.url) return;
  await Promise.all([alpaca.start(), polygon.start()]);
  alpaca.server.unref();
  polygon.server.unref();
}

interface State {
  store: Store;
  router: DataRouter;
  next: number;
}

/** One new day per run, from the last days backwards. */
function oneDay(name: string, router: () => DataRouter): BenchCase {
  return {
    name,
    setup: async (): Promise<State> => {
      await startFakes();
      return { store: await openStore({ memory: true }), router: router(), next: DAYS - 1 };
    },
    run: async (s) => {
      const st = s as State;
      const day = tape.dates[st.next--] ?? '';
      const r = await fetchRange(st.store, st.router, { from: day, to: day, symbols: tape.symbols });
      const stored = Object.values(r.bySource).reduce((n, t) => n + t.bars.new, 0);
      if (stored !== N) throw new Error(`expected ${N} new bars on ${day}, got ${stored}`);
      return stored;
    },
    opsPerRun: N,
    warmup: 2,
    runs: 12,
  };
}

const cases: BenchCase[] = [
  oneDay('Alpaca 500 names × 1 new day (5 requests) into PGlite', () => new DataRouter([new AlpacaMarketSource({ keyId: alpaca.keyId, secretKey: alpaca.secret, dataUrl: alpaca.url })])),
  oneDay('Polygon 500 names × 1 new day (grouped daily: 1 request) into PGlite', () => new DataRouter([new PolygonMarketSource({ apiKey: polygon.apiKey, baseUrl: polygon.url })])),
  oneDay('Polygon 500 names × 1 new day (per ticker: 500 requests) into PGlite', () => new DataRouter([new PolygonMarketSource({ apiKey: polygon.apiKey, baseUrl: polygon.url, groupedMaxDays: 0 })])),
  {
    name: 'Alpaca 500 names × 252 days again (126,000 bars, all already stored)',
    setup: async (): Promise<State> => {
      await startFakes();
      const store = await openStore({ memory: true });
      const router = new DataRouter([new AlpacaMarketSource({ keyId: alpaca.keyId, secretKey: alpaca.secret, dataUrl: alpaca.url })]);
      await fetchRange(store, router, { from: tape.dates[DAYS - 252] ?? '', to: tape.dates[DAYS - 1] ?? '', symbols: tape.symbols });
      return { store, router, next: 0 };
    },
    run: async (s) => {
      const st = s as State;
      const r = await fetchRange(st.store, st.router, { from: tape.dates[DAYS - 252] ?? '', to: tape.dates[DAYS - 1] ?? '', symbols: tape.symbols });
      return Object.values(r.bySource).reduce((n, t) => n + t.bars.stored, 0);
    },
    opsPerRun: N * 252,
    warmup: 1,
    runs: 3,
  },
];

export const suites: BenchSuite[] = [{ name: 'market-fetch', cases }];
