import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataConfig, type Bar } from '../../../src/contracts/index.ts';
import type { Logger } from '../../../src/core/index.ts';
import { createKernel, readEnv } from '../../../src/fund/index.ts';
import {
  AlpacaMarketSource,
  DataRouter,
  FileMarketSource,
  FredMacroSource,
  MappedSource,
  PolygonMarketSource,
  ProviderError,
  SyntheticMarketSource,
  buildMarketDataSources,
  fetchBars,
  type MarketSource,
} from '../../../src/market/index.ts';
import { FakeAlpacaMarketData } from '../../fakes/alpaca-market-data.ts';
import { FakeFred } from '../../fakes/fred.ts';
import { LocalServer, sendJson } from '../../fakes/local-server.ts';
import { FakePolygon } from '../../fakes/polygon.ts';

const alpaca = new FakeAlpacaMarketData();
const polygon = new FakePolygon();
const fred = new FakeFred();
const failing = (status: number) => new LocalServer((_q, _u, res) => sendJson(res, status, { message: `status ${status}` }));
const forbidden = failing(403);
const badRequest = failing(400);
const unavailable = failing(503);
const servers = [alpaca.server, polygon.server, fred.server, forbidden, badRequest, unavailable];

const day = (date: string, c: number) => ({ date, open: c - 1, high: c + 1, low: c - 2, close: c, volume: 1000 });

beforeAll(async () => {
  for (const s of servers) await s.start();
  alpaca.addBars('AAPL', [day('2024-01-02', 185), day('2024-01-03', 184), day('2024-01-04', 181)]);
  alpaca.addBars('MSFT', [day('2024-01-02', 370)]);
  polygon.addBars('AAPL', [day('2024-01-02', 10), day('2024-01-03', 11)]);
  polygon.addBars('I:SPX', [day('2024-01-02', 4742.83), day('2024-01-03', 4704.81)]);
  polygon.addBars('FLAKY', [day('2024-01-02', 5)]);
  polygon.notEntitled.add('DENY');
  fred.addObservations('DGS10', [{ date: '2024-01-01', value: null }, { date: '2024-01-02', value: 3.95 }, { date: '2024-01-03', value: 3.91 }]);
  fred.addObservations('UNRATE', [{ date: '2023-12-01', value: 3.7 }]);
  fred.addObservations('VIXCLS', [{ date: '2024-01-02', value: 13.2 }, { date: '2024-01-03', value: 14.04 }]);
});
afterAll(async () => {
  for (const s of servers) await s.stop();
});

const noSleep = async () => undefined;
const alpacaAt = (base: string, extra: Partial<ConstructorParameters<typeof AlpacaMarketSource>[0]> = {}) =>
  new AlpacaMarketSource({ keyId: alpaca.keyId, secretKey: alpaca.secret, dataUrl: base, tradingUrl: base, ...extra });

describe('Alpaca market data (fake server)', () => {
  it('pages daily bars across next_page_token (limit counts points across symbols) with the key headers', async () => {
    alpaca.server.clear();
    const bars = await alpacaAt(alpaca.url, { pageLimit: 2 }).bars(['AAPL', 'MSFT'], '2024-01-02', '2024-01-04');
    expect(bars.map((b) => `${b.symbol} ${b.date} ${b.close}`)).toEqual(['AAPL 2024-01-02 185', 'AAPL 2024-01-03 184', 'AAPL 2024-01-04 181', 'MSFT 2024-01-02 370']);
    expect(alpaca.barRequests()).toBe(2);
    const first = alpaca.server.requests[0];
    expect(first?.query.get('start')).toBe('2024-01-02T00:00:00Z');
    expect(first?.query.get('end')).toBe('2024-01-04T23:59:59Z');
    expect(first?.query.get('feed')).toBe('iex');
    expect((await alpacaAt(alpaca.url).instruments())[0]).toMatchObject({ symbol: 'AAPL', name: 'AAPL Inc.', assetClass: 'equity' });
  });

  it('the kernel builds it from the environment table, and never puts the keys in errors (403 wrong keys, 401 none)', async () => {
    const keyless = createKernel({ env: readEnv({}, '/') }).marketData(DataConfig.parse({ providers: ['alpaca'] }));
    expect(keyless.active).toEqual([]);
    const k = createKernel({ env: readEnv({ APCA_API_KEY_ID: 'wrong-key', APCA_API_SECRET_KEY: 'wrong-secret', APCA_API_DATA_URL: alpaca.url }, '/') });
    const router = k.marketData(DataConfig.parse({ providers: ['alpaca'] }), { sleep: noSleep }).router;
    const err = await router.bars(['AAPL'], '2024-01-02', '2024-01-04').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect(router.lastRoute).toEqual([expect.objectContaining({ source: 'alpaca', outcome: 'entitlement', httpStatus: 403 })]);
    expect(String((err as Error).message)).not.toMatch(/wrong-key|wrong-secret/);
    expect(JSON.stringify(router.lastRoute)).not.toMatch(/wrong-key|wrong-secret/);
    const none = await fetch(`${alpaca.url}/v2/stocks/bars?symbols=AAPL&timeframe=1Day`);
    expect(none.status).toBe(401);
  });

  it('answers a bad request with 422 (timeframe) or 400 (symbol), and a SIP query without the subscription with 403', async () => {
    const h = { 'APCA-API-KEY-ID': alpaca.keyId, 'APCA-API-SECRET-KEY': alpaca.secret };
    expect((await fetch(`${alpaca.url}/v2/stocks/bars?symbols=AAPL&timeframe=1Decade`, { headers: h })).status).toBe(422);
    expect((await fetch(`${alpaca.url}/v2/stocks/bars?symbols=aa%20pl&timeframe=1Day`, { headers: h })).status).toBe(400);
    const sip = await alpacaAt(alpaca.url, { feed: 'sip' }).bars(['AAPL'], '2024-01-02', '2024-01-04').catch((e: unknown) => e);
    expect(sip).toMatchObject({ failure: 'entitlement', httpStatus: 403 });
    expect((sip as Error).message).toContain('subscription does not permit');
  });

  it('a 429 carries Retry-After, which the router waits for (longer than its own back-off)', async () => {
    alpaca.failNext(429, 1, 3);
    const sleeps: number[] = [];
    const router = new DataRouter([alpacaAt(alpaca.url)], { backoffMs: 100, sleep: async (ms) => void sleeps.push(ms) });
    expect(await router.bars(['AAPL'], '2024-01-02', '2024-01-04')).toHaveLength(3);
    expect(sleeps).toEqual([3000]);
    expect(router.lastRoute.map((a) => a.outcome)).toEqual(['rate_limited', 'ok']);
  });

  it('a Retry-After beyond maxRetryAfterMs is not waited for: the router falls back at once', async () => {
    alpaca.failNext(429, 1, 3600);
    const sleeps: number[] = [];
    const router = new DataRouter([alpacaAt(alpaca.url), new PolygonMarketSource({ apiKey: polygon.apiKey, baseUrl: polygon.url })], { sleep: async (ms) => void sleeps.push(ms) });
    const bars = await router.bars(['AAPL'], '2024-01-02', '2024-01-03');
    expect(bars.map((b) => b.close)).toEqual([10, 11]);
    expect(sleeps).toEqual([]);
    expect(router.lastRoute.map((a) => `${a.source}:${a.outcome}`)).toEqual(['alpaca:rate_limited', 'polygon:ok']);
  });
});

describe('Polygon aggregates (fake server)', () => {
  it('follows next_url on our base URL with bearer auth', async () => {
    polygon.pageSize = 1;
    const src = new PolygonMarketSource({ apiKey: polygon.apiKey, baseUrl: polygon.url });
    const bars = await src.bars(['AAPL'], '2024-01-02', '2024-01-03');
    polygon.pageSize = 50_000;
    expect(bars).toEqual([
      { version: 1, symbol: 'AAPL', date: '2024-01-02', open: 9, high: 11, low: 8, close: 10, volume: 1000 },
      { version: 1, symbol: 'AAPL', date: '2024-01-03', open: 10, high: 12, low: 9, close: 11, volume: 1000 },
    ]);
    expect((await src.instruments()).map((i) => i.symbol)).toEqual(['AAPL', 'FLAKY']);
  });

  it('reads a few days of many tickers from the grouped daily endpoint (one request a day), indices per ticker', async () => {
    polygon.server.clear();
    const src = new PolygonMarketSource({ apiKey: polygon.apiKey, baseUrl: polygon.url });
    const bars = await src.bars(['AAPL', 'FLAKY', 'NOPE', 'I:SPX'], '2024-01-02', '2024-01-03');
    expect(bars.map((b) => `${b.symbol} ${b.date}`).sort()).toEqual(['AAPL 2024-01-02', 'AAPL 2024-01-03', 'FLAKY 2024-01-02', 'I:SPX 2024-01-02', 'I:SPX 2024-01-03']);
    expect(polygon.server.requests.map((r) => r.path)).toEqual([
      '/v2/aggs/grouped/locale/us/market/stocks/2024-01-02',
      '/v2/aggs/grouped/locale/us/market/stocks/2024-01-03',
      '/v2/aggs/ticker/I%3ASPX/range/1/day/2024-01-02/2024-01-03',
    ]);
  });

  it('classifies 403 as entitlement, 401 as entitlement and 503 as transient', async () => {
    const src = new PolygonMarketSource({ apiKey: polygon.apiKey, baseUrl: polygon.url });
    await expect(src.bars(['DENY'], '2024-01-02', '2024-01-03')).rejects.toMatchObject({ failure: 'entitlement', httpStatus: 403 });
    // a ticker outside the plan is left out for another source; the others are served
    expect((await src.bars(['DENY', 'AAPL'], '2024-01-02', '2024-01-03')).map((b) => b.symbol)).toEqual(['AAPL', 'AAPL']);
    polygon.failNext(503);
    await expect(src.bars(['FLAKY'], '2024-01-02', '2024-01-03')).rejects.toMatchObject({ failure: 'transient', httpStatus: 503 });
    await expect(new PolygonMarketSource({ apiKey: 'nope', baseUrl: polygon.url }).bars(['AAPL'], '2024-01-02', '2024-01-03')).rejects.toMatchObject({ failure: 'entitlement', httpStatus: 401 });
  });
});

describe('FRED series observations (fake server)', () => {
  it('skips "." values and releases each observation after its date (monthly series after their publication lag)', async () => {
    const src = new FredMacroSource({ apiKey: fred.apiKey, baseUrl: fred.url });
    expect(await src.macro(['DGS10'], '2024-01-01', '2024-01-03')).toEqual([
      { version: 1, series: 'DGS10', date: '2024-01-02', releaseTime: '2024-01-03T21:00:00.000Z', value: 3.95 },
      { version: 1, series: 'DGS10', date: '2024-01-03', releaseTime: '2024-01-04T21:00:00.000Z', value: 3.91 },
    ]);
    expect((await src.macro(['UNRATE'], '2023-12-01', '2023-12-31'))[0]?.releaseTime).toBe('2024-01-10T21:00:00.000Z');
    const overridden = new FredMacroSource({ apiKey: fred.apiKey, baseUrl: fred.url, releaseLagDays: { UNRATE: 36 } });
    expect((await overridden.macro(['UNRATE'], '2023-12-01', '2023-12-31'))[0]?.releaseTime).toBe('2024-01-06T21:00:00.000Z');
  });

  it('serves index levels as close-only bars', async () => {
    const src = new FredMacroSource({ apiKey: fred.apiKey, baseUrl: fred.url });
    expect(await src.bars(['VIXCLS'], '2024-01-01', '2024-01-03')).toEqual([
      { version: 1, symbol: 'VIXCLS', date: '2024-01-02', open: 13.2, high: 13.2, low: 13.2, close: 13.2, volume: 0 },
      { version: 1, symbol: 'VIXCLS', date: '2024-01-03', open: 14.04, high: 14.04, low: 14.04, close: 14.04, volume: 0 },
    ]);
  });

  it('scrubs the api_key from URLs and echoed error bodies', async () => {
    const src = new FredMacroSource({ apiKey: 'notaregisteredkey000000000000000', baseUrl: fred.url });
    const err = (await src.macro(['DGS10'], '2024-01-01', '2024-01-03').catch((e: unknown) => e)) as ProviderError;
    expect(err.failure).toBe('entitlement');
    expect(err.message).toContain('api_key=[redacted]');
    expect(err.message).toContain('not registered');
    expect(err.message).not.toContain('notaregisteredkey');
  });
});

describe('MappedSource and the configured router', () => {
  it('asks each provider under its own name and returns the stored name; FRED only for mapped symbols', async () => {
    const poly = new MappedSource(new PolygonMarketSource({ apiKey: polygon.apiKey, baseUrl: polygon.url }), { SPX: 'I:SPX', VIX: null });
    expect((await poly.bars(['SPX'], '2024-01-02', '2024-01-03')).map((b) => `${b.symbol} ${b.close}`)).toEqual(['SPX 4742.83', 'SPX 4704.81']);
    await expect(poly.bars(['VIX'], '2024-01-02', '2024-01-03')).rejects.toMatchObject({ failure: 'unsupported' });
    const fredBars = new MappedSource(new FredMacroSource({ apiKey: fred.apiKey, baseUrl: fred.url }), { VIX: 'VIXCLS' }, true);
    await expect(fredBars.bars(['AAPL'], '2024-01-02', '2024-01-03')).rejects.toMatchObject({ failure: 'unsupported' });
    expect((await fredBars.bars(['VIX', 'AAPL'], '2024-01-02', '2024-01-03')).map((b) => b.symbol)).toEqual(['VIX', 'VIX']);
    expect(fred.server.requests.some((r) => r.query.get('series_id') === 'AAPL')).toBe(false);
  });

  it('buildMarketDataSources: providers in config order, skipped without keys, the index from Polygon and the VIX from FRED', async () => {
    const env = readEnv({ APCA_API_KEY_ID: alpaca.keyId, APCA_API_SECRET_KEY: alpaca.secret, APCA_API_DATA_URL: alpaca.url, POLYGON_API_KEY: polygon.apiKey, POLYGON_BASE_URL: polygon.url, FRED_API_KEY: fred.apiKey, FRED_BASE_URL: fred.url }, '/');
    const data = DataConfig.parse({});
    const all = buildMarketDataSources(data, env, { sleep: noSleep });
    expect(all.active).toEqual(['alpaca', 'polygon', 'fred']);
    expect(await all.router.bars(['SPX'], '2024-01-02', '2024-01-03')).toHaveLength(2);
    expect(all.router.lastRoute.map((a) => `${a.source}:${a.outcome}`)).toEqual(['alpaca:unsupported', 'polygon:ok']);
    expect((await all.router.bars(['VIX'], '2024-01-02', '2024-01-03')).map((b) => b.close)).toEqual([13.2, 14.04]);
    expect(all.router.lastRoute.map((a) => `${a.source}:${a.outcome}`)).toEqual(['alpaca:unsupported', 'polygon:empty', 'fred:ok']);
    const some = buildMarketDataSources(DataConfig.parse({ providers: ['polygon', 'alpaca'] }), readEnv({ POLYGON_API_KEY: polygon.apiKey, POLYGON_BASE_URL: polygon.url }, '/'));
    expect(some.active).toEqual(['polygon']);
    expect(some.skipped).toEqual([{ provider: 'alpaca', reason: 'APCA_API_KEY_ID and APCA_API_SECRET_KEY not set' }]);
  });
});

describe('fetchBars', () => {
  it('asks the next source only for the symbols the first did not deliver, and skips a failed source for later chunks', async () => {
    forbidden.clear();
    const batches: Array<{ source: string; symbols: string[] }> = [];
    const revoked = alpacaAt(forbidden.base);
    const renamed: MarketSource = { name: 'revoked', instruments: () => revoked.instruments(), bars: (s, f, t) => revoked.bars(s, f, t) };
    const router = new DataRouter([renamed, alpacaAt(alpaca.url), new PolygonMarketSource({ apiKey: polygon.apiKey, baseUrl: polygon.url })], { sleep: noSleep });
    const r = await fetchBars(router, ['AAPL', 'MSFT', 'FLAKY', 'NOPE'], '2024-01-02', '2024-01-02', {
      chunkSize: 2,
      onBatch: async (b) => void batches.push({ source: b.source, symbols: [...new Set(b.bars.map((x: Bar) => x.symbol))] }),
    });
    expect(batches).toEqual([
      { source: 'alpaca', symbols: ['AAPL', 'MSFT'] },
      { source: 'polygon', symbols: ['FLAKY'] },
    ]);
    expect(r.missing).toEqual(['NOPE']);
    expect(forbidden.hits()).toBe(1); // the second chunk did not ask the failed source again
    expect(r.failures).toEqual([expect.objectContaining({ source: 'revoked', outcome: 'entitlement', httpStatus: 403, symbols: 2 })]);
  });

  it('drops bars dated after the range', async () => {
    const early: MarketSource = { name: 'early', instruments: async () => [], bars: async () => [{ version: 1, symbol: 'X', date: '2024-01-03', open: 1, high: 1, low: 1, close: 1, volume: 1 }, { version: 1, symbol: 'X', date: '2024-01-04', open: 1, high: 1, low: 1, close: 1, volume: 1 }] };
    const kept: Bar[] = [];
    const r = await fetchBars(new DataRouter([early]), ['X'], '2024-01-03', '2024-01-03', { onBatch: async (b) => void kept.push(...b.bars) });
    expect(kept.map((b) => b.date)).toEqual(['2024-01-03']);
    expect(r.dropped).toBe(1);
  });
});

describe('DataRouter', () => {
  it('never retries an entitlement failure (403, 400) and falls back at once', async () => {
    forbidden.clear();
    badRequest.clear();
    const router = new DataRouter([alpacaAt(forbidden.base), new PolygonMarketSource({ apiKey: polygon.apiKey, baseUrl: badRequest.base }), alpacaAt(alpaca.url)], { sleep: noSleep });
    const bars = await router.bars(['AAPL'], '2024-01-02', '2024-01-04');
    expect(bars.length).toBeGreaterThan(0);
    expect(forbidden.hits()).toBe(1);
    expect(badRequest.hits()).toBe(1);
    expect(router.lastRoute.map((a) => `${a.source}:${a.outcome}`)).toEqual(['alpaca:entitlement', 'polygon:entitlement', 'alpaca:ok']);
  });

  it('retries transient failures a bounded number of times, then falls back', async () => {
    unavailable.clear();
    const sleeps: number[] = [];
    const router = new DataRouter([alpacaAt(unavailable.base), alpacaAt(alpaca.url)], { maxRetries: 2, backoffMs: 100, sleep: async (ms) => void sleeps.push(ms) });
    const bars = await router.bars(['AAPL'], '2024-01-02', '2024-01-04');
    expect(bars).toHaveLength(3);
    expect(unavailable.hits()).toBe(3);
    expect(sleeps).toEqual([100, 200]);
    expect(router.lastRoute.map((a) => a.outcome)).toEqual(['transient', 'transient', 'transient', 'ok']);
  });

  it('treats a refused connection as transient', async () => {
    const closed = new LocalServer((_q, _u, res) => sendJson(res, 200, {}));
    const base = await closed.start();
    await closed.stop();
    const router = new DataRouter([alpacaAt(base)], { maxRetries: 1, sleep: noSleep });
    const err = (await router.bars(['AAPL'], '2024-01-02', '2024-01-04').catch((e: unknown) => e)) as ProviderError;
    expect(err).toBeInstanceOf(ProviderError);
    expect(router.lastRoute.map((a) => a.outcome)).toEqual(['transient', 'transient']);
    expect(err.message).toMatch(/no source succeeded/);
  });

  it('recovers when a transient failure clears on retry', async () => {
    let calls = 0;
    const flaky: MarketSource = {
      name: 'flaky',
      instruments: async () => {
        calls++;
        if (calls < 2) throw new ProviderError('flaky', 'transient', 'HTTP 502', 502);
        return [{ version: 1, symbol: 'X', name: '', assetClass: 'equity', sector: null, currency: 'USD', lotSize: 0, isTradable: true }];
      },
      bars: async () => [],
    };
    const router = new DataRouter([flaky], { sleep: noSleep });
    expect(await router.instruments()).toHaveLength(1);
    expect(router.lastRoute.map((a) => a.outcome)).toEqual(['transient', 'ok']);
  });

  it('skips sources without an operation and never logs keys', async () => {
    const lines: string[] = [];
    const logger: Logger = { log: (_l, msg, f) => void lines.push(JSON.stringify({ msg, ...f })), child: () => logger };
    const fredBars = new MappedSource(new FredMacroSource({ apiKey: fred.apiKey, baseUrl: fred.url }), {}, true);
    const router = new DataRouter([alpacaAt(forbidden.base), fredBars, new SyntheticMarketSource({ seed: 1, symbols: 3, years: 1 })], { sleep: noSleep, logger });
    const obs = await router.macro(['DGS10'], '2024-01-01', '2024-01-03');
    expect(obs).toHaveLength(2);
    expect(router.lastRoute.map((a) => `${a.source}:${a.outcome}`)).toEqual(['fred:ok']);
    const bars = await router.bars(['SYN001'], '2018-01-01', '2018-01-31');
    expect(bars.length).toBeGreaterThan(15);
    expect(router.lastRoute.map((a) => `${a.source}:${a.outcome}`)).toEqual(['alpaca:entitlement', 'fred:unsupported', 'synthetic:ok']);
    expect(lines.join('\n')).not.toMatch(new RegExp(`${alpaca.keyId}|${alpaca.secret}|${fred.apiKey}`));
    expect((await router.fundamentals()).length).toBeGreaterThan(0);
  });
});

describe('FileMarketSource', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'keel-file-source-'));
  writeFileSync(path.join(dir, 'bars.csv'), 'date,open,high,low,close,volume,Name\n2020-01-02,1,2,0.5,1.5,10,AAA\n2020-01-03,1,2,0.5,1.6,10,AAA\n2020-01-02,5,6,4,5.5,10,BBB\n');
  writeFileSync(path.join(dir, 'sectors.csv'), 'Symbol,Security,GICS Sector\nAAA,Triple A,Energy\n');
  writeFileSync(path.join(dir, 'ff.csv'), 'date,mkt_rf\n2020-01-02,1.5\n');

  it('serves instruments with sectors, bars by symbol and range, and series', async () => {
    const src = new FileMarketSource({ bars: path.join(dir, 'bars.csv'), sectors: path.join(dir, 'sectors.csv'), series: [{ path: path.join(dir, 'ff.csv') }] });
    expect((await src.instruments()).map((i) => `${i.symbol}:${i.sector ?? '-'}`)).toEqual(['AAA:Energy', 'BBB:-']);
    expect((await src.bars(['AAA'], '2020-01-03', '2020-01-31')).map((b) => b.close)).toEqual([1.6]);
    expect((await src.macro(['mkt_rf'], '2020-01-01', '2020-01-31'))[0]?.value).toBeCloseTo(0.015, 12);
  });

  it('a missing file is not retried: the router falls back to the next source', async () => {
    const router = new DataRouter([new FileMarketSource({ bars: path.join(dir, 'missing.csv') }), new SyntheticMarketSource({ seed: 2, symbols: 2, years: 1 })], { sleep: noSleep });
    expect((await router.instruments()).map((i) => i.symbol)).toEqual(['SYN001', 'SYN002']);
    expect(router.lastRoute.map((a) => `${a.source}:${a.outcome}:${a.attempt}`)).toEqual(['file:error:1', 'synthetic:ok:1']);
  });
});
