// Data comes in by itself (issue 14, item 4), through the user's path: the real `keel market
// fetch`, `keel run --once` and `keel daemon` (child processes on a shifted clock) against local
// fakes of Alpaca's Market Data API, Polygon and FRED. The story: a backfill by hand; day 1
// fetched and traded by `keel run --once`; day 2 not yet published, so the daemon's cycle is
// refused with an alert naming the source, then day 2 appears and the daemon fetches it itself and
// runs; day 3 by the daemon's schedule; day 4 with Alpaca failing and Polygon as the fallback;
// day 5 with every source failing: refused, the alert naming each.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.ts';
import type { CliIo } from '../../../src/cli/output.ts';
import { defaultFundConfigInput } from '../../../src/contracts/index.ts';
import { openStore } from '../../../src/store/index.ts';
import { FakeAlpacaMarketData } from '../../fakes/alpaca-market-data.ts';
import { writeClock } from '../../fakes/fake-clock.ts';
import { FakeFred } from '../../fakes/fred.ts';
import { marketTape, type Tape } from '../../fakes/market-tape.ts';
import { FakePolygon } from '../../fakes/polygon.ts';
import { runKeel, spawnKeel } from '../cli/keel-process.ts';

const DAY0 = '2024-03-01';
const DAY = ['2024-03-04', '2024-03-05', '2024-03-06', '2024-03-07', '2024-03-08'] as const;
/** 17:00 New York (EST until 10 March 2024): after the session of `date`. */
const evening = (date: string) => `${date}T22:00:00Z`;
const N = 30;
const HISTORY = 300;

const alpaca = new FakeAlpacaMarketData();
const polygon = new FakePolygon();
const fred = new FakeFred();
let tape: Tape;
const home = mkdtempSync(path.join(os.tmpdir(), 'keel-data-feed-'));
const clockFile = path.join(home, 'clock.json');
let env: Record<string, string>;

/** Every provider publishes the sessions up to `date` (FRED's levels and series a day later). */
function publish(date: string, fredDate: string): void {
  alpaca.publishedThrough = date;
  polygon.publishedThrough = date;
  fred.publishedThrough = fredDate;
}

async function keelInProcess(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += `${t}\n`), err: (t) => void (err += `${t}\n`), isTTY: false, env, cwd: process.cwd() };
  const code = await main(args, io);
  return { code, out, err };
}

async function withStore<T>(f: (s: Awaited<ReturnType<typeof openStore>>) => Promise<T>): Promise<T> {
  const store = await openStore({ home });
  try {
    return await f(store);
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  await Promise.all([alpaca.start(), polygon.start(), fred.start()]);
  tape = marketTape({ symbols: N, end: DAY[4], days: HISTORY + 5, seed: 7 });
  for (const [s, bars] of tape.bars) {
    alpaca.addBars(s, bars);
    polygon.addBars(s, bars);
  }
  polygon.addBars('I:SPX', tape.index);
  polygon.notEntitled.add('I:VIX');
  const level = (bars: Tape['index']) => bars.map((b) => ({ date: b.date, value: b.close }));
  fred.addObservations('SP500', level(tape.index));
  fred.addObservations('VIXCLS', level(tape.vix));
  fred.addObservations('T10Y2Y', tape.dates.map((date, t) => ({ date, value: t % 50 === 7 ? null : Math.round((0.5 + Math.sin(t / 40)) * 100) / 100 })));
  fred.addObservations('BAA10Y', tape.dates.map((date, t) => ({ date, value: Math.round((2 + 0.3 * Math.cos(t / 30)) * 100) / 100 })));
  fred.addObservations('UNRATE', [...new Set(tape.dates.map((d) => `${d.slice(0, 7)}-01`))].map((date, i) => ({ date, value: 3.5 + 0.1 * (i % 4) })));
  publish(DAY0, DAY0);
  const config = { ...defaultFundConfigInput(10_000_000), data: { minHistoryRows: 250, degradedMinRows: 100, minQuality: 0.6, providers: ['alpaca', 'polygon', 'fred'] } };
  writeFileSync(path.join(home, 'fund.json'), JSON.stringify(config, null, 2));
  env = {
    KEEL_HOME: home,
    KEEL_TEST_CLOCK_FILE: clockFile,
    APCA_API_KEY_ID: alpaca.keyId,
    APCA_API_SECRET_KEY: alpaca.secret,
    APCA_API_DATA_URL: alpaca.url,
    POLYGON_API_KEY: polygon.apiKey,
    POLYGON_BASE_URL: polygon.url,
    FRED_API_KEY: fred.apiKey,
    FRED_BASE_URL: fred.url,
  };
});
afterAll(async () => {
  await Promise.all([alpaca.stop(), polygon.stop(), fred.stop()]);
});

describe('market data comes in by itself', () => {
  it('keel market fetch backfills by hand with a summary per source; fetching again stores nothing twice', async () => {
    const symbols = [...tape.symbols, 'SPX', 'VIX'].join(',');
    const first = tape.dates[0] ?? '';
    const r = await keelInProcess(['market', 'fetch', '--from', first, '--to', DAY0, '--symbols', symbols, '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as { bySource: Record<string, { bars: { new: number; stored: number }; observations: { new: number; stored: number } }>; newInstruments: string[] };
    expect(report.bySource.alpaca?.bars).toEqual({ new: N * HISTORY, stored: 0 });
    expect(report.bySource.polygon?.bars).toEqual({ new: HISTORY, stored: 0 }); // SPX as I:SPX
    expect(report.bySource.fred?.bars).toEqual({ new: HISTORY, stored: 0 }); // VIX as VIXCLS (I:VIX is not in the Polygon plan)
    expect(report.bySource.fred?.observations.new).toBeGreaterThan(2 * HISTORY);
    expect(report.newInstruments).toHaveLength(N + 2);

    const again = await keelInProcess(['market', 'fetch', '--from', first, '--to', DAY0]);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(new RegExp(`alpaca\\s+0\\s+${N * HISTORY}\\s+0\\s+0`));
    expect(again.out).toMatch(/fred\s+0\s+300\s+0\s+\d+/);
    await withStore(async (s) => {
      expect(await s.bars.count()).toBe((N + 2) * HISTORY);
      expect((await s.instruments.list()).find((i) => i.symbol === 'VIX')?.assetClass).toBe('volatility_index');
    });
    expect((await keelInProcess(['market', 'quality'])).code).toBe(0);
  });

  it('day 1: keel run --once fetches the new session itself, point in time, and trades', async () => {
    publish(DAY[0], DAY0);
    writeClock(writeFileSync, clockFile, evening(DAY[0]));
    const r = await runKeel(['run', '--once', '--json'], env);
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out) as { asOf: string; orders: unknown[]; gates: Array<{ gate: string; passed: boolean; detail: string }> };
    expect(out.asOf).toBe(DAY[0]);
    expect(out.orders.length).toBeGreaterThan(0);
    expect(out.gates.find((g) => g.gate === 'market_data')).toMatchObject({ passed: true, detail: expect.stringContaining(`alpaca: ${N} bars new, 0 already stored`) });
    await withStore(async (s) => {
      expect(await s.bars.count({ from: DAY[0], to: DAY[0] })).toBe(N + 1); // the universe and SPX (Polygon); VIX lags at FRED
      const macro = await s.macro.query({ series: ['UNRATE'] });
      // a monthly figure is released about 40 days after the first of its month, never on its date
      expect(macro.every((o) => o.releaseTime >= `${o.date.slice(0, 8)}31`)).toBe(true);
      // governance follows the new session: assessed as of it, without a hand-run keel market quality
      expect(new Set((await s.dataQuality.latest()).map((q) => q.asOf))).toEqual(new Set([DAY[0]]));
      const warn = (await s.alerts.list()).find((a) => a.category === 'MARKET_DATA' && a.severity === 'MEDIUM');
      expect(warn?.message).toContain(`VIX: latest bar ${DAY0}, session ${DAY[0]}`);
    });
  });

  it('the daemon: day 2 not yet published is refused with an alert naming the source; once it appears the daemon fetches it and runs; day 3 by its schedule', async () => {
    writeClock(writeFileSync, clockFile, evening(DAY[1]));
    const daemon = spawnKeel(['daemon', '--run-now', '--cron', '*/2 * * * * *', '--stale-retry', '2s', '--stale-give-up', '10m', '--heartbeat', '3600'], env);
    try {
      const refused = await daemon.waitFor(/"cycle refused".*market data is stale/);
      expect(refused).toContain(`latest bar ${DAY[0]} is older than the last completed session ${DAY[1]}`);
      expect(refused).toMatch(/alpaca, polygon, fred returned no bars/);
      publish(DAY[1], DAY[0]);
      await daemon.waitFor(new RegExp(`"cycle completed".*${DAY[1]}`));
      publish(DAY[2], DAY[1]);
      writeClock(writeFileSync, clockFile, evening(DAY[2]));
      await daemon.waitFor(new RegExp(`"cycle completed".*${DAY[2]}`));
    } finally {
      daemon.child.kill('SIGTERM');
    }
    const end = await daemon.exited;
    expect(end.err).toContain('daemon stopped');
    await withStore(async (s) => {
      const cycles = await s.cycles.list('main');
      expect(cycles.filter((c) => c.status === 'COMPLETED').map((c) => c.asOf).sort()).toEqual([DAY[0], DAY[1], DAY[2]]);
      for (const d of [DAY[1], DAY[2]]) expect(await s.bars.count({ from: d, to: d, symbols: [...tape.symbols] })).toBe(N);
      const stale = (await s.alerts.list()).find((a) => a.category === 'MARKET_DATA' && a.severity === 'CRITICAL');
      expect(stale?.message).toMatch(new RegExp(`market data is stale: latest bar ${DAY[0]}.*returned no bars for ${DAY[1]}`));
      expect(await s.bars.count({ symbols: [...tape.symbols] })).toBe(N * (HISTORY + 3)); // nothing stored twice
    });
  });

  it('day 4: Alpaca refuses the key, Polygon serves the bars and the cycle runs', async () => {
    publish(DAY[3], DAY[2]);
    writeClock(writeFileSync, clockFile, evening(DAY[3]));
    polygon.server.clear();
    const r = await runKeel(['run', '--once', '--json'], { ...env, APCA_API_SECRET_KEY: 'revoked-secret' });
    // the universe in one grouped daily request, the index under its Polygon name
    expect(polygon.server.requests.map((q) => decodeURIComponent(q.path)).sort()).toEqual([
      `/v2/aggs/grouped/locale/us/market/stocks/${DAY[3]}`,
      `/v2/aggs/ticker/I:SPX/range/1/day/${DAY[2]}/${DAY[3]}`,
      `/v2/aggs/ticker/I:VIX/range/1/day/${DAY[2]}/${DAY[3]}`,
    ]);
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out) as { asOf: string; gates: Array<{ gate: string; detail: string }> };
    expect(out.asOf).toBe(DAY[3]);
    expect(out.gates.find((g) => g.gate === 'market_data')?.detail).toContain(`polygon: ${N + 1} bars new`);
    expect(r.out + r.err).not.toContain('revoked-secret');
  });

  it('day 5: every source fails, so the cycle is refused with an alert naming each source and why', async () => {
    publish(DAY[4], DAY[3]);
    writeClock(writeFileSync, clockFile, evening(DAY[4]));
    polygon.failNext(503, 1000);
    fred.failNext(503, 1000);
    const r = await runKeel(['run', '--once'], { ...env, APCA_API_SECRET_KEY: 'revoked-secret' });
    polygon.failNext(200, 0);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`cycle refused: market data is stale: latest bar ${DAY[3]} is older than the last completed session ${DAY[4]}`);
    await withStore(async (s) => {
      const alert = (await s.alerts.list()).find((a) => a.category === 'MARKET_DATA' && a.severity === 'CRITICAL' && a.message.includes(DAY[4]));
      expect(alert?.message).toMatch(/alpaca: HTTP 403 \(entitlement\)/);
      expect(alert?.message).toMatch(/polygon: HTTP 503 \(transient\)/);
      expect((await s.cycles.list('main')).some((c) => c.asOf === DAY[4])).toBe(false);
    });
  });
});
