import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../../src/core/index.ts';
import {
  AlpacaMarketSource,
  DataRouter,
  FileMarketSource,
  FredMacroSource,
  PolygonMarketSource,
  ProviderError,
  SyntheticMarketSource,
  type MarketSource,
} from '../../../src/market/index.ts';

type Handler = (req: IncomingMessage, url: URL, res: ServerResponse) => void;

/** A local fake of a provider on 127.0.0.1 and a random port; counts hits per path. */
class FakeServer {
  hits = new Map<string, number>();
  private server: Server | undefined;
  base = '';
  constructor(private readonly handler: Handler) {}
  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      this.hits.set(url.pathname, (this.hits.get(url.pathname) ?? 0) + 1);
      this.handler(req, url, res);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
  total(): number {
    return [...this.hits.values()].reduce((a, b) => a + b, 0);
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const ALPACA_KEY = 'AKFAKEKEYID123';
const ALPACA_SECRET = 'fake-secret-value-xyz';
const POLYGON_KEY = 'polygon-fake-key-abc';
const FRED_KEY = 'abcdefabcdefabcdefabcdefabcdef12';

/** Alpaca: GET /v2/stocks/bars (two pages), GET /v2/assets; 403 without the key headers. */
const alpaca = new FakeServer((req, url, res) => {
  if (req.headers['apca-api-key-id'] !== ALPACA_KEY || req.headers['apca-api-secret-key'] !== ALPACA_SECRET) {
    return json(res, 403, { message: 'forbidden' });
  }
  if (url.pathname === '/v2/assets') {
    return json(res, 200, [{ id: '1', class: 'us_equity', exchange: 'NASDAQ', symbol: 'AAPL', name: 'Apple Inc.', status: 'active', tradable: true }]);
  }
  if (url.pathname === '/v2/stocks/bars') {
    const q = url.searchParams;
    if (q.get('timeframe') !== '1Day' || !q.get('symbols') || q.get('start') !== '2024-01-02' || q.get('end') !== '2024-01-04') {
      return json(res, 400, { message: 'invalid query' });
    }
    const bar = (t: string, c: number) => ({ t, o: c - 1, h: c + 1, l: c - 2, c, v: 1000, n: 10, vw: c });
    if (!q.get('page_token')) {
      return json(res, 200, { bars: { AAPL: [bar('2024-01-02T05:00:00Z', 185), bar('2024-01-03T05:00:00Z', 184)] }, next_page_token: 'p2' });
    }
    return json(res, 200, { bars: { AAPL: [bar('2024-01-04T05:00:00Z', 181)], MSFT: [bar('2024-01-02T05:00:00Z', 370)] }, next_page_token: null });
  }
  json(res, 404, { message: 'not found' });
});

/** Polygon: aggregates with next_url paging; bearer auth; 403 NOT_AUTHORIZED for ticker DENY; 503 for ticker FLAKY. */
const polygon = new FakeServer((req, url, res) => {
  if (req.headers.authorization !== `Bearer ${POLYGON_KEY}`) return json(res, 401, { status: 'ERROR', error: 'Unknown API Key' });
  const m = /^\/v2\/aggs\/ticker\/([^/]+)\/range\/1\/day\/(\d{4}-\d{2}-\d{2})\/(\d{4}-\d{2}-\d{2})$/.exec(url.pathname);
  if (m) {
    const ticker = decodeURIComponent(m[1] ?? '');
    if (ticker === 'DENY') return json(res, 403, { status: 'NOT_AUTHORIZED', message: 'You are not entitled to this data.' });
    if (ticker === 'FLAKY') return json(res, 503, { status: 'ERROR' });
    const t0 = Date.UTC(2024, 0, 2, 5);
    if (url.searchParams.get('cursor') === 'c2') {
      return json(res, 200, { ticker, status: 'OK', resultsCount: 1, results: [{ o: 10, h: 12, l: 9, c: 11, v: 500, t: t0 + 86_400_000, vw: 10.5, n: 5 }] });
    }
    return json(res, 200, {
      ticker, status: 'OK', resultsCount: 1, adjusted: true, request_id: 'r1',
      results: [{ o: 9, h: 11, l: 8, c: 10, v: 400, t: t0, vw: 9.5, n: 4 }],
      next_url: `https://api.polygon.io/v2/aggs/ticker/${ticker}/range/1/day/${m[2]}/${m[3]}?cursor=c2`,
    });
  }
  if (url.pathname === '/v3/reference/tickers') {
    return json(res, 200, { status: 'OK', results: [{ ticker: 'AAPL', name: 'Apple Inc.', market: 'stocks', active: true }] });
  }
  json(res, 404, { status: 'NOT_FOUND' });
});

/** FRED: series observations; 400 on a bad key, "." for missing values. */
const fred = new FakeServer((_req, url, res) => {
  const q = url.searchParams;
  if (url.pathname !== '/fred/series/observations') return json(res, 404, { error_code: 404, error_message: 'Not Found' });
  if (q.get('api_key') !== FRED_KEY) {
    return json(res, 400, { error_code: 400, error_message: `Bad Request. The value for variable api_key is not registered. Read https://fred.stlouisfed.org/docs/api/api_key.html (key ${q.get('api_key')})` });
  }
  if (q.get('file_type') !== 'json' || q.get('series_id') !== 'DGS10') return json(res, 400, { error_code: 400, error_message: 'Bad Request.' });
  json(res, 200, {
    realtime_start: '2024-06-01', realtime_end: '2024-06-01', observation_start: q.get('observation_start'), observation_end: q.get('observation_end'),
    units: 'lin', output_type: 1, file_type: 'json', order_by: 'observation_date', sort_order: 'asc', count: 3, offset: 0, limit: 100000,
    observations: [
      { realtime_start: '2024-06-01', realtime_end: '2024-06-01', date: '2024-01-01', value: '.' },
      { realtime_start: '2024-06-01', realtime_end: '2024-06-01', date: '2024-01-02', value: '3.95' },
      { realtime_start: '2024-06-01', realtime_end: '2024-06-01', date: '2024-01-03', value: '3.91' },
    ],
  });
});

/** Always fails with a fixed status; counts hits. */
function failing(status: number): FakeServer {
  return new FakeServer((_req, _url, res) => json(res, status, { message: `status ${status}` }));
}
const forbidden = failing(403);
const badRequest = failing(400);
const unavailable = failing(503);

const servers = [alpaca, polygon, fred, forbidden, badRequest, unavailable];
beforeAll(async () => {
  for (const s of servers) await s.start();
});
afterAll(async () => {
  for (const s of servers) await s.stop();
});

const noSleep = async () => undefined;

describe('Alpaca market data (fake server)', () => {
  it('pages daily bars across next_page_token with the key headers', async () => {
    const src = new AlpacaMarketSource({ keyId: ALPACA_KEY, secretKey: ALPACA_SECRET, dataUrl: alpaca.base, tradingUrl: alpaca.base });
    const bars = await src.bars(['AAPL', 'MSFT'], '2024-01-02', '2024-01-04');
    expect(bars.map((b) => `${b.symbol} ${b.date} ${b.close}`)).toEqual(['AAPL 2024-01-02 185', 'AAPL 2024-01-03 184', 'AAPL 2024-01-04 181', 'MSFT 2024-01-02 370']);
    expect((await src.instruments())[0]).toMatchObject({ symbol: 'AAPL', name: 'Apple Inc.', assetClass: 'equity' });
  });

  it('reads keys from the environment and never puts them in errors', async () => {
    expect(AlpacaMarketSource.fromEnv({})).toBeUndefined();
    const src = AlpacaMarketSource.fromEnv({ APCA_API_KEY_ID: 'wrong-key', APCA_API_SECRET_KEY: 'wrong-secret', APCA_API_DATA_URL: alpaca.base });
    const err = await src?.bars(['AAPL'], '2024-01-02', '2024-01-04').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).failure).toBe('entitlement');
    expect((err as ProviderError).httpStatus).toBe(403);
    expect(String((err as Error).message)).not.toMatch(/wrong-key|wrong-secret/);
  });
});

describe('Polygon aggregates (fake server)', () => {
  it('follows next_url on our base URL with bearer auth', async () => {
    const src = new PolygonMarketSource({ apiKey: POLYGON_KEY, baseUrl: polygon.base });
    const bars = await src.bars(['AAPL'], '2024-01-02', '2024-01-03');
    expect(bars).toEqual([
      { version: 1, symbol: 'AAPL', date: '2024-01-02', open: 9, high: 11, low: 8, close: 10, volume: 400 },
      { version: 1, symbol: 'AAPL', date: '2024-01-03', open: 10, high: 12, low: 9, close: 11, volume: 500 },
    ]);
    expect((await src.instruments()).map((i) => i.symbol)).toEqual(['AAPL']);
  });

  it('classifies 403 as entitlement and 503 as transient', async () => {
    const src = new PolygonMarketSource({ apiKey: POLYGON_KEY, baseUrl: polygon.base });
    await expect(src.bars(['DENY'], '2024-01-02', '2024-01-03')).rejects.toMatchObject({ failure: 'entitlement', httpStatus: 403 });
    await expect(src.bars(['FLAKY'], '2024-01-02', '2024-01-03')).rejects.toMatchObject({ failure: 'transient', httpStatus: 503 });
  });
});

describe('FRED series observations (fake server)', () => {
  it('skips "." values and releases each observation after its date', async () => {
    const src = new FredMacroSource({ apiKey: FRED_KEY, baseUrl: fred.base });
    const obs = await src.macro(['DGS10'], '2024-01-01', '2024-01-03');
    expect(obs).toEqual([
      { version: 1, series: 'DGS10', date: '2024-01-02', releaseTime: '2024-01-03T21:00:00.000Z', value: 3.95 },
      { version: 1, series: 'DGS10', date: '2024-01-03', releaseTime: '2024-01-04T21:00:00.000Z', value: 3.91 },
    ]);
  });

  it('scrubs the api_key from URLs and echoed error bodies', async () => {
    const src = new FredMacroSource({ apiKey: 'not-a-registered-key-0000000000', baseUrl: fred.base });
    const err = (await src.macro(['DGS10'], '2024-01-01', '2024-01-03').catch((e: unknown) => e)) as ProviderError;
    expect(err.failure).toBe('entitlement');
    expect(err.message).toContain('api_key=[redacted]');
    expect(err.message).not.toContain('not-a-registered-key');
    await expect(src.bars()).rejects.toMatchObject({ failure: 'unsupported' });
  });
});

describe('DataRouter', () => {
  const alpacaAt = (base: string) => new AlpacaMarketSource({ keyId: ALPACA_KEY, secretKey: ALPACA_SECRET, dataUrl: base, tradingUrl: base });

  it('never retries an entitlement failure (403, 400) and falls back at once', async () => {
    forbidden.hits.clear();
    badRequest.hits.clear();
    const router = new DataRouter([alpacaAt(forbidden.base), new PolygonMarketSource({ apiKey: POLYGON_KEY, baseUrl: badRequest.base }), alpacaAt(alpaca.base)], { sleep: noSleep });
    const bars = await router.bars(['AAPL'], '2024-01-02', '2024-01-04');
    expect(bars.length).toBeGreaterThan(0);
    expect(forbidden.total()).toBe(1);
    expect(badRequest.total()).toBe(1);
    expect(router.lastRoute.map((a) => `${a.source}:${a.outcome}`)).toEqual(['alpaca:entitlement', 'polygon:entitlement', 'alpaca:ok']);
  });

  it('retries transient failures a bounded number of times, then falls back', async () => {
    unavailable.hits.clear();
    const sleeps: number[] = [];
    const router = new DataRouter([alpacaAt(unavailable.base), alpacaAt(alpaca.base)], {
      maxRetries: 2,
      backoffMs: 100,
      sleep: async (ms) => void sleeps.push(ms),
    });
    const bars = await router.bars(['AAPL'], '2024-01-02', '2024-01-04');
    expect(bars).toHaveLength(4);
    expect(unavailable.total()).toBe(3);
    expect(sleeps).toEqual([100, 200]);
    expect(router.lastRoute.map((a) => a.outcome)).toEqual(['transient', 'transient', 'transient', 'ok']);
  });

  it('treats a refused connection as transient', async () => {
    const closed = new FakeServer((_q, _u, res) => json(res, 200, {}));
    await closed.start();
    const base = closed.base;
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
    const router = new DataRouter([alpacaAt(forbidden.base), new FredMacroSource({ apiKey: FRED_KEY, baseUrl: fred.base }), new SyntheticMarketSource({ seed: 1, symbols: 3, years: 1 })], {
      sleep: noSleep,
      logger,
    });
    const obs = await router.macro(['DGS10'], '2024-01-01', '2024-01-03');
    expect(obs).toHaveLength(2);
    expect(router.lastRoute.map((a) => `${a.source}:${a.outcome}`)).toEqual(['fred:ok']);
    const bars = await router.bars(['SYN001'], '2018-01-01', '2018-01-31');
    expect(bars.length).toBeGreaterThan(15);
    expect(router.lastRoute.map((a) => `${a.source}:${a.outcome}`)).toEqual(['alpaca:entitlement', 'fred:unsupported', 'synthetic:ok']);
    expect(lines.join('\n')).not.toMatch(new RegExp(`${ALPACA_KEY}|${ALPACA_SECRET}|${FRED_KEY}`));
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
