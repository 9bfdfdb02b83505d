import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimClock, ValidationError } from '../../../src/core/index.ts';
import { OmsConfig, type Order } from '../../../src/contracts/index.ts';
import { AlpacaBroker, InMemoryOrderJournal, Oms } from '../../../src/execution/index.ts';
import { FakeAlpaca } from './fake-alpaca.ts';

const AT = '2024-01-02T15:00:00.000Z';
function order(p: Partial<Order> & { id: string }): Order {
  return {
    version: 1, traceId: 't', fundId: 'main', cycleId: null, symbol: 'AAA', side: 'BUY', type: 'MARKET', timeInForce: 'DAY',
    qty: 10, limitPrice: null, stopPrice: null, status: 'PENDING', filledQty: 0, avgFillPrice: null, decisionPrice: 10,
    brokerOrderId: null, allocations: [], denials: [], createdAt: AT, updatedAt: AT, ...p,
  };
}

let fake: FakeAlpaca;
let sleeps: number[];

function broker(extra: Partial<ConstructorParameters<typeof AlpacaBroker>[0]> = {}): AlpacaBroker {
  return new AlpacaBroker({
    baseUrl: fake.url,
    keyId: fake.keyId,
    secretKey: fake.secret,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    timeoutMs: 2000,
    ...extra,
  });
}

beforeEach(async () => {
  fake = new FakeAlpaca();
  sleeps = [];
  await fake.start();
});
afterEach(async () => {
  await fake.stop();
});

describe('AlpacaBroker against a local fake of Trading API v2', () => {
  it('sends the documented payload and headers; client_order_id is Keel order id', async () => {
    const ack = await broker().submit(order({ id: 'keel-o1', qty: 12.34567, type: 'LIMIT', limitPrice: 10.259, timeInForce: 'GTC' }));
    expect(ack).toMatchObject({ clientOrderId: 'keel-o1', status: 'ACKNOWLEDGED', reason: null });
    const post = fake.posts()[0];
    expect(post?.body).toEqual({ symbol: 'AAA', qty: '12.3457', side: 'buy', type: 'limit', time_in_force: 'gtc', client_order_id: 'keel-o1', limit_price: '10.25' }); // a buy limit rounds down to the tick
    expect(post?.headers['apca-api-key-id']).toBe(fake.keyId);
    expect(ack.brokerOrderId).toBe(fake.byClientId('keel-o1')?.id);
  });

  it('refuses to start without keys, naming the variables', () => {
    expect(() => new AlpacaBroker({ keyId: '', secretKey: '' })).toThrow(/APCA_API_KEY_ID and APCA_API_SECRET_KEY/);
    expect(() => new AlpacaBroker({ keyId: '', secretKey: '' })).toThrow(ValidationError);
  });

  it('partial fills flow through the OMS into fills and then FILLED', async () => {
    const journal = new InMemoryOrderJournal();
    const oms = new Oms({
      journal, broker: broker(), clock: new SimClock(Date.parse(AT)), config: OmsConfig.parse({}),
      market: { tradingState: () => 'ACTIVE', nav: () => 1e7, price: () => 10, positionQty: () => 0 },
    });
    await oms.submit(order({ id: 'p1', qty: 100, allocations: [{ agentId: 'a', qty: 75 }, { agentId: 'b', qty: 25 }] }));
    fake.fill('p1', 40, 10);
    expect(await oms.syncOne('p1')).toMatchObject({ status: 'PARTIALLY_FILLED', filledQty: 40, avgFillPrice: 10 });
    fake.fill('p1', 60, 10.5);
    const done = await oms.syncOne('p1');
    expect(done).toMatchObject({ status: 'FILLED', filledQty: 100 });
    expect(done.avgFillPrice).toBeCloseTo(10.3, 10);
    const fills = (await journal.events('p1')).flatMap((e) => (e.type === 'OrderPartiallyFilled' || e.type === 'OrderFilled' ? [e.fill] : []));
    expect(fills.map((f) => [f.qty, +f.price.toFixed(10), f.allocations.map((a) => a.qty)])).toEqual([
      [40, 10, [30, 10]],
      [60, 10.5, [45, 15]],
    ]);
  });

  it('a rejection (403 insufficient buying power) is stored with the order and not retried', async () => {
    const journal = new InMemoryOrderJournal();
    const oms = new Oms({
      journal, broker: broker(), clock: new SimClock(Date.parse(AT)), config: OmsConfig.parse({}),
      market: { tradingState: () => 'ACTIVE', nav: () => 1e8, price: () => 500, positionQty: () => 0 },
    });
    const o = await oms.submit(order({ id: 'r1', symbol: 'SPY', qty: 1000 }));
    expect(o.status).toBe('REJECTED');
    expect(o.denials).toEqual([{ code: 'BROKER_REJECTED', message: 'insufficient buying power', limit: null, actual: null }]);
    expect(fake.posts()).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('a duplicate client_order_id (422) returns the existing order instead of a second one', async () => {
    const b = broker();
    const first = await b.submit(order({ id: 'd1' }));
    const again = await b.submit(order({ id: 'd1' }));
    expect(fake.posts()).toHaveLength(2);
    expect(fake.orders.size).toBe(1);
    expect(again.brokerOrderId).toBe(first.brokerOrderId);
    const unknown = await b.submit(order({ id: 'd2', symbol: 'NOPE' }));
    expect(unknown).toMatchObject({ status: 'REJECTED', reason: 'asset "NOPE" not found' });
  });

  it('429 honours Retry-After; 5xx backs off exponentially up to 3 retries; other 4xx are not retried', async () => {
    fake.fail('POST', '/v2/orders', 429, '2');
    expect((await broker().submit(order({ id: 'q1' }))).status).toBe('ACKNOWLEDGED');
    expect(sleeps).toEqual([2000]);
    sleeps = [];
    for (let i = 0; i < 4; i++) fake.fail('GET', '/v2/account', 503);
    await expect(broker({ backoffMs: 100 }).account()).rejects.toMatchObject({ code: 'KEEL_E_BROKER' });
    expect(sleeps).toEqual([100, 200, 400]);
    sleeps = [];
    for (let i = 0; i < 2; i++) fake.fail('GET', '/v2/account', 500);
    expect((await broker({ backoffMs: 100 }).account()).equity).toBe(100250.75);
    expect(sleeps).toEqual([100, 200]);
    sleeps = [];
    fake.fail('GET', '/v2/positions', 400);
    await expect(broker().positions()).rejects.toMatchObject({ code: 'KEEL_E_BROKER' });
    expect(sleeps).toEqual([]);
  });

  it('a 5xx on POST looks the order up before resending', async () => {
    fake.fail('POST', '/v2/orders', 502);
    const ack = await broker({ backoffMs: 10 }).submit(order({ id: 'g1' }));
    expect(ack.status).toBe('ACKNOWLEDGED');
    expect(fake.orders.size).toBe(1);
    expect(fake.posts()).toHaveLength(2); // the 502 never reached the order book, so it was sent again
  });

  it('a timeout after the order was accepted finds it by client_order_id and never resends', async () => {
    fake.hangAfterAccept(1);
    const ack = await broker({ timeoutMs: 150 }).submit(order({ id: 't1', qty: 7 }));
    expect(ack).toMatchObject({ clientOrderId: 't1', status: 'ACKNOWLEDGED' });
    expect(fake.posts()).toHaveLength(1);
    expect(fake.orders.size).toBe(1);
    const lookups = fake.requests.filter((r) => r.path === '/v2/orders:by_client_order_id');
    expect(lookups).toHaveLength(1);
  });

  it('account, positions, clock, list and cancel follow the documented shapes', async () => {
    const b = broker();
    expect(await b.account()).toEqual({ cash: 100000.5, equity: 100250.75, buyingPower: 100_000, currency: 'USD' });
    expect(await b.positions()).toEqual([
      { symbol: 'AAA', qty: 12.5, avgEntryPrice: 10.1, marketValue: 126.25 },
      { symbol: 'BBB', qty: -3, avgEntryPrice: 20, marketValue: -60 },
    ]);
    expect((await b.clock()).is_open).toBe(true);
    await b.submit(order({ id: 'c1', type: 'STOP', stopPrice: 0.5, timeInForce: 'DAY' }));
    expect(fake.posts()[0]?.body).toMatchObject({ type: 'stop', stop_price: '0.5000' });
    await b.cancel('c1');
    expect(await b.getOrderByClientId('c1')).toMatchObject({ status: 'CANCELLED', type: 'STOP' });
    await b.cancel('c1'); // 422 not cancelable: fine
    expect((await b.orders()).map((o) => o.clientOrderId)).toEqual(['c1']);
    expect(await b.getOrderByClientId('nope')).toBeNull();
  });

  it('never exposes the secret key in errors or JSON', async () => {
    for (let i = 0; i < 4; i++) fake.fail('GET', '/v2/account', 500);
    const b = broker({ backoffMs: 1 });
    const e = await b.account().catch((x: unknown) => x);
    const text = `${String(e)} ${JSON.stringify(e)} ${JSON.stringify((e as { details?: unknown }).details)} ${JSON.stringify(b)}`;
    expect(text).not.toContain(fake.secret);
    expect(text).not.toContain(fake.keyId);
    const bad = new AlpacaBroker({ baseUrl: fake.url, keyId: 'wrong', secretKey: 'also-wrong-secret', sleep: async () => {} });
    const denied = await bad.account().catch((x: unknown) => x);
    expect(denied).toMatchObject({ code: 'KEEL_E_FORBIDDEN' });
    expect(String(denied)).not.toContain('also-wrong-secret');
  });
});
