/**
 * ATR stops rest at Alpaca between cycles: `keel run --once` (the real CLI in a child process, the
 * real store, the local fake of Alpaca's Trading API) on a long-only fund with `risk.atrStops` on. The day
 * after the positions fill, the cycle places a GTC stop order per held name at its level (whole
 * shares, a sell under a long); the next day's cycle cancels them before it plans and places them
 * again for what is then held.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultFundConfigInput } from '../../../src/contracts/index.ts';
import { loadMarket } from '../../../src/fund/index.ts';
import { openStore } from '../../../src/store/index.ts';
import { FakeAlpacaTrading, type AlpacaOrderRecord } from '../../fakes/alpaca-trading.ts';
import { writeClock } from '../../fakes/fake-clock.ts';
import { cliHome } from './harness.ts';
import { keel } from './spawn.ts';

let fake: FakeAlpacaTrading;
let home: string;
let dates: string[] = [];
const opensOf: Record<string, number>[] = [];
const closesOf: Record<string, number>[] = [];

const fundJson = () => {
  const input = defaultFundConfigInput(100_000);
  return JSON.stringify({
    ...input,
    fund: { ...input.fund, id: 'stp' },
    // long-only agents: every resting stop is a sell under a long (agents on opposite sides of one name share Alpaca's net position)
    agents: (input.agents ?? []).filter((a) => ['momentum', 'quality-value', 'dividend-growth'].includes(a.id)),
    data: { minHistoryRows: 100, degradedMinRows: 50, minQuality: 0.5 },
    execution: { broker: 'alpaca' },
    defaults: { atrStops: true },
  });
};

// Keel's clock (the child processes') is the evening of the day each cycle runs: Alpaca trades today's market
const clockFile = (): string => path.join(home, 'clock.json');
const env = (): Record<string, string> => ({ KEEL_HOME: home, APCA_API_KEY_ID: fake.keyId, APCA_API_SECRET_KEY: fake.secret, APCA_API_BASE_URL: fake.url, KEEL_TEST_CLOCK_FILE: clockFile() });
const restingAt = (): AlpacaOrderRecord[] => [...fake.orders.values()].filter((o) => o.type === 'stop');

beforeAll(async () => {
  const k = cliHome();
  home = k.home;
  writeFileSync(path.join(home, 'fund.json'), fundJson());
  expect((await k.run('market', 'generate', '--symbols', '12', '--years', '1.2', '--seed', '7')).code).toBe(0);
  const s = await openStore({ home });
  try {
    const m = await loadMarket(s);
    dates = [...m.panel.dates];
    for (let t = m.panel.T - 3; t < m.panel.T; t++) {
      const o: Record<string, number> = {};
      const c: Record<string, number> = {};
      m.panel.symbols.forEach((sym, u) => {
        o[sym] = m.panel.open[t * m.panel.U + u] ?? 0;
        c[sym] = m.panel.close[t * m.panel.U + u] ?? 0;
      });
      opensOf.push(o);
      closesOf.push(c);
    }
  } finally {
    await s.close();
  }
  fake = new FakeAlpacaTrading({ cash: 100_000, prices: closesOf[0] ?? {} });
  await fake.start();
}, 120_000);
afterAll(() => fake.stop());

describe('keel run --once with atrStops on Alpaca', () => {
  it('places GTC stops for the held names the day after they fill, cancels and replaces them the next day', async () => {
    const day = (k: number) => dates[dates.length - 3 + k] ?? '';
    // day 0: the books are bought (queued for the open); nothing is held yet, so nothing rests
    writeClock(writeFileSync, clockFile(), `${day(0)}T21:30:00.000Z`);
    const d0 = await keel(['run', '--once', '--no-fetch', '--as-of', day(0)], env());
    expect(d0.code, d0.err).toBe(0);
    expect(restingAt()).toEqual([]);
    fake.openMarket(opensOf[1]);
    fake.closeMarket();
    // day 1: fills booked; each held name with a level rests as a stop
    writeClock(writeFileSync, clockFile(), `${day(1)}T21:30:00.000Z`);
    const d1 = await keel(['run', '--once', '--no-fetch', '--as-of', day(1)], env());
    expect(d1.code, d1.err).toBe(0);
    const first = restingAt();
    expect(first.length).toBeGreaterThan(0);
    const holdings = fake.holdings();
    for (const o of first) {
      expect(o.time_in_force).toBe('gtc');
      expect(o.status).toBe('accepted');
      expect(Number(o.qty)).toBe(Math.floor(Number(o.qty)));
      expect(o.side).toBe('sell');
      expect(Number(o.qty)).toBeLessThanOrEqual(holdings[o.symbol] ?? 0);
      expect(Number(o.stop_price)).toBeGreaterThan(0);
      expect(o.client_order_id).toMatch(/:stop-[a-z-]+:[A-Z0-9]+:0$/);
    }
    fake.openMarket(opensOf[2]);
    fake.closeMarket();
    // day 2: yesterday's stops cancelled before the plan, today's placed
    writeClock(writeFileSync, clockFile(), `${day(2)}T21:30:00.000Z`);
    const d2 = await keel(['run', '--once', '--no-fetch', '--as-of', day(2)], env());
    expect(d2.code, d2.err).toBe(0);
    const ids = new Set(first.map((o) => o.id));
    for (const o of restingAt().filter((x) => ids.has(x.id))) expect(o.status).toBe('canceled');
    const again = restingAt().filter((o) => !ids.has(o.id));
    expect(again.length).toBeGreaterThan(0);
    for (const o of again) expect(o.status).toBe('accepted');
  }, 300_000);
});
