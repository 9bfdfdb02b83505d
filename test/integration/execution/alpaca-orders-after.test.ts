import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlpacaBroker } from '../../../src/execution/index.ts';
import { FakeAlpaca, type FakeOrder } from './fake-alpaca.ts';

let fake: FakeAlpaca;
beforeEach(async () => {
  fake = new FakeAlpaca();
  await fake.start();
});
afterEach(() => fake.stop());

/** `n` orders at the fake, submitted one second apart from `t0`. */
function seed(n: number, t0: number): void {
  for (let i = 0; i < n; i++) {
    const at = new Date(t0 + i * 1000).toISOString();
    const o: FakeOrder = {
      id: `ord-${i}`, client_order_id: `c-${i}`, created_at: at, updated_at: at, submitted_at: at, filled_at: null, symbol: 'AAA',
      asset_class: 'us_equity', qty: '1', filled_qty: '0', filled_avg_price: null, order_class: '', order_type: 'market', type: 'market',
      side: 'buy', time_in_force: 'day', limit_price: null, stop_price: null, status: 'accepted', extended_hours: false,
    };
    fake.orders.set(o.id, o);
  }
}

describe('the broker orders checked for unknown ones', () => {
  it('are those submitted after the last reconciliation, every page of them, not the oldest 500', async () => {
    const t0 = Date.parse('2024-01-02T14:30:00.000Z');
    seed(1203, t0);
    const b = new AlpacaBroker({ baseUrl: fake.url, keyId: fake.keyId, secretKey: fake.secret, sleep: async () => {} });
    const since = new Date(t0 + 99_500).toISOString(); // after order 99
    const got = await b.orders(since);
    expect(got).toHaveLength(1103);
    expect(got[0]?.clientOrderId).toBe('c-100');
    expect(got.at(-1)?.clientOrderId).toBe('c-1202');
    const lists = fake.requests.filter((r) => r.method === 'GET' && r.path === '/v2/orders');
    expect(lists).toHaveLength(3); // 500 + 500 + 103
    // without a time, the oldest page only (what Keel asked before it kept the time of its last reconciliation)
    expect((await b.orders()).map((o) => o.clientOrderId).slice(0, 2)).toEqual(['c-0', 'c-1']);
  });
});
