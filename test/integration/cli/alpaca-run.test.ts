/**
 * `keel run --once` on a fund configured for Alpaca, as a user runs it: the real CLI in a child
 * process with the real environment variables, the real store, and a local fake of Alpaca's
 * Trading API (test/fakes/alpaca-trading.ts). Orders reach the fake and none go to a paper broker;
 * the start-up checks refuse with one line; a fund larger than the account is refused or scaled.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultFundConfigInput } from '../../../src/contracts/index.ts';
import { addDays } from '../../../src/core/index.ts';
import { loadMarket, storedFundConfig } from '../../../src/fund/index.ts';
import { openStore, type Store } from '../../../src/store/index.ts';
import { FakeAlpacaTrading } from '../../fakes/alpaca-trading.ts';
import { writeClock } from '../../fakes/fake-clock.ts';
import { cliHome } from './harness.ts';
import { keel } from './spawn.ts';

let fake: FakeAlpacaTrading;
let home: string;
let dates: string[] = [];
const opens: Record<string, number> = {};

const fundJson = (over: Record<string, unknown>) => {
  const input = defaultFundConfigInput(10_000_000);
  return JSON.stringify({ ...input, fund: { ...input.fund, id: 'alp' }, data: { minHistoryRows: 100, degradedMinRows: 50, minQuality: 0.5 }, execution: { broker: 'alpaca', ...over } });
};

async function withStore<T>(f: (s: Store) => Promise<T>): Promise<T> {
  const s = await openStore({ home });
  try {
    return await f(s);
  } finally {
    await s.close();
  }
}

const alpacaEnv = (): Record<string, string> => ({ KEEL_HOME: home, APCA_API_KEY_ID: fake.keyId, APCA_API_SECRET_KEY: fake.secret, APCA_API_BASE_URL: fake.url, KEEL_TEST_CLOCK_FILE: clockFile() });
const clockFile = (): string => path.join(home, 'clock.json');
/** Keel's clock (the child processes'): the evening of a stored day, after its close. */
const eveningOf = (date: string): void => writeClock(writeFileSync, clockFile(), `${date}T21:30:00.000Z`);

beforeAll(async () => {
  const k = cliHome();
  home = k.home;
  // the file's data thresholds govern which generated names are tradable
  writeFileSync(path.join(home, 'fund.json'), fundJson({}));
  expect((await k.run('market', 'generate', '--symbols', '12', '--years', '1.2', '--seed', '7')).code).toBe(0);
  const closes: Record<string, number> = {};
  await withStore(async (s) => {
    const m = await loadMarket(s);
    dates = [...m.panel.dates];
    const t = m.panel.T - 2;
    const last = m.panel.T - 1;
    m.panel.symbols.forEach((sym, u) => {
      closes[sym] = m.panel.close[t * m.panel.U + u] ?? 0;
      opens[sym] = m.panel.open[last * m.panel.U + u] ?? 0;
    });
  });
  fake = new FakeAlpacaTrading({ cash: 100_000, prices: closes });
  await fake.start();
  eveningOf(dates[dates.length - 2] ?? '');
}, 120_000);
afterAll(() => fake.stop());

describe('keel run --once with execution.broker "alpaca"', () => {
  it('refuses with one line when the keys are missing or Alpaca does not answer, before sending anything', async () => {
    const noKeys = await keel(['run', '--once', '--no-fetch'], { KEEL_HOME: home, APCA_API_BASE_URL: fake.url });
    expect(noKeys.code).toBe(1);
    expect(noKeys.err.trim().split('\n')).toEqual([expect.stringMatching(/^error KEEL_E_VALIDATION: APCA_API_KEY_ID: .*set APCA_API_KEY_ID and APCA_API_SECRET_KEY/)]);
    const down = await keel(['run', '--once', '--no-fetch'], { ...alpacaEnv(), APCA_API_BASE_URL: 'http://127.0.0.1:9' });
    expect(down.code).toBe(1);
    expect(down.err.trim().split('\n')).toEqual([expect.stringMatching(/^error KEEL_E_BROKER: Alpaca did not answer GET \/v2\/account at http:\/\/127\.0\.0\.1:9 .*check APCA_API_KEY_ID/)]);
    fake.fail('GET', '/v2/clock', 503);
    fake.fail('GET', '/v2/clock', 503);
    fake.fail('GET', '/v2/clock', 503);
    fake.fail('GET', '/v2/clock', 503);
    const noClock = await keel(['run', '--once', '--no-fetch'], alpacaEnv());
    expect(noClock.code).toBe(1);
    expect(noClock.err).toMatch(/^error KEEL_E_BROKER: Alpaca did not answer GET \/v2\/clock/m);
    expect(fake.posts()).toHaveLength(0);
  }, 120_000);

  it('refuses a fund larger than the account by default, saying so (message and alert)', async () => {
    const r = await keel(['run', '--once', '--as-of', dates[dates.length - 2] ?? ''], alpacaEnv());
    expect(r.code).toBe(1);
    expect(r.out).toContain("cycle refused: fund.totalCapital $10,000,000 is larger than the broker account's equity $100,000");
    expect(fake.posts()).toHaveLength(0);
    const alerts = await withStore((s) => s.alerts.list({ fundId: 'alp' }));
    expect(alerts.map((a) => a.message)).toContainEqual(expect.stringContaining("larger than the broker account's equity"));
  }, 120_000);

  it('with accountMismatch "scale" (applied with keel config apply) the fund is scaled to the account and its orders reach Alpaca, none a paper broker', async () => {
    writeFileSync(path.join(home, 'fund.json'), fundJson({ accountMismatch: 'scale' }));
    const apply = await keel(['config', 'apply', '--note', 'trade at the account size'], { KEEL_HOME: home });
    expect(apply.code, apply.err).toBe(0);
    expect(apply.out).toContain('execution.accountMismatch: "refuse" → "scale"');

    const r = await keel(['run', '--once', '--as-of', dates[dates.length - 2] ?? '', '--json'], alpacaEnv());
    expect(r.code, r.err).toBe(0);
    const cycle = JSON.parse(r.out) as { orders: { id: string; status: string; brokerOrderId: string | null }[] };
    expect(cycle.orders.length).toBeGreaterThan(0);
    // every order the cycle sent went to Alpaca (its broker id is Alpaca's), none to a paper broker
    const sent = cycle.orders.filter((o) => o.status !== 'REJECTED' || o.brokerOrderId !== null);
    const atAlpaca = new Set([...fake.orders.values()].map((o) => o.client_order_id));
    const acknowledged = cycle.orders.filter((o) => o.status === 'ACKNOWLEDGED');
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const o of acknowledged) {
      expect(atAlpaca.has(o.id), o.id).toBe(true);
      expect(o.brokerOrderId).toBe(fake.byClientId(o.id)?.id);
    }
    expect(sent.every((o) => !(o.brokerOrderId ?? '').startsWith('paper-'))).toBe(true);
    expect(fake.posts().length).toBeGreaterThanOrEqual(acknowledged.length);
    // the market is closed: Alpaca queues them for the open
    expect([...fake.orders.values()].every((o) => o.status === 'accepted')).toBe(true);
    await withStore(async (s) => {
      const cfg = await storedFundConfig(s, 'alp');
      expect(cfg?.config.fund.totalCapital).toBe(100_000);
      expect(cfg?.config.agents.reduce((x, a) => x + a.allocatedCapital, 0)).toBeLessThanOrEqual(100_000);
      expect((await s.audit.list({ entity: 'fund', entityId: 'alp' })).map((a) => a.action)).toContain('ConfigScaledToAccount');
      const stored = await s.orders.listForFund('alp', { limit: 1000 });
      expect(stored.filter((o) => o.status === 'ACKNOWLEDGED').map((o) => o.brokerOrderId).sort()).toEqual(acknowledged.map((o) => o.brokerOrderId).sort());
    });
    expect(r.err).toContain('fund scaled to the broker account');
  }, 120_000);

  it('refuses to trade Alpaca on a past day or on bars not brought up to date, naming the day, the last session and the fix', async () => {
    eveningOf(dates[dates.length - 1] ?? '');
    const before = fake.posts().length;
    for (const args of [['--as-of', dates[dates.length - 3] ?? ''], ['--no-fetch']]) {
      // --no-fetch: the latest stored bar is the day before; the last completed session is today
      if (args[0] === '--no-fetch') eveningOf(addDays(dates[dates.length - 1] ?? '', 7));
      const r = await keel(['run', '--once', ...args], alpacaEnv());
      expect(r.code, r.err).toBe(1);
      expect(r.out).toMatch(/cycle refused: the market data ends \d{4}-\d{2}-\d{2}, \d+ session\(s\) before the last completed one \(\d{4}-\d{2}-\d{2}\), and Alpaca fills at today's prices: bring the bars up to date/);
    }
    expect(fake.posts()).toHaveLength(before);
    const alerts = await withStore((s) => s.alerts.list({ fundId: 'alp' }));
    expect(alerts.map((a) => a.message)).toContainEqual(expect.stringContaining("Alpaca fills at today's prices"));
  }, 120_000);

  it('the next day books what Alpaca filled at the open: the ledger holds what the broker holds', async () => {
    eveningOf(dates[dates.length - 1] ?? '');
    fake.openMarket(opens);
    fake.closeMarket();
    const filled = [...fake.orders.values()].filter((o) => o.status === 'filled').length;
    expect(filled).toBeGreaterThan(0);
    // the bars are in the store already (the fake market-data server is another test's)
    const r = await keel(['run', '--once', '--no-fetch', '--json'], alpacaEnv());
    expect(r.code, r.err).toBe(0);
    const held = await withStore(async (s) => {
      const byName = new Map<string, number>();
      for (const p of await s.positions.list('alp')) byName.set(p.symbol, Math.round(((byName.get(p.symbol) ?? 0) + p.qty) * 1e4) / 1e4);
      return Object.fromEntries([...byName].filter(([, q]) => q !== 0));
    });
    expect(held).toEqual(fake.holdings());
  }, 120_000);
});
