import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/store/index.ts';
import { DRIVERS } from './drivers.ts';
import { order, position } from './fixtures.ts';

describe.each(DRIVERS)('NUMERIC precision on $name', (driver) => {
  let store: Store;
  beforeAll(async () => {
    store = await driver.open();
  });
  afterAll(async () => {
    await store.close();
  });

  it('keeps share quantities to 1e-4, rounding half away from zero beyond that', async () => {
    await store.orders.insertPending(order('q-1', { qty: 1234567.1234 }));
    await store.orders.insertPending(order('q-2', { qty: 0.00005, allocations: [] }));
    await store.orders.insertPending(order('q-3', { qty: 10.00014999, allocations: [] }));
    expect((await store.orders.findByClientOrderId('q-1'))?.qty).toBe(1234567.1234);
    expect((await store.orders.findByClientOrderId('q-2'))?.qty).toBe(0.0001);
    expect((await store.orders.findByClientOrderId('q-3'))?.qty).toBe(10.0001);
    await store.positions.upsert([position('a', 'XYZ', -0.00015)]);
    expect((await store.positions.list('F1'))[0]?.qty).toBe(-0.0002);
  });

  it('keeps prices exactly as given, however many decimals', async () => {
    await store.orders.insertPending(order('p-1', { limitPrice: 0.000123456789, decisionPrice: 98765.4321098 }));
    const o = await store.orders.findByClientOrderId('p-1');
    expect(o?.limitPrice).toBe(0.000123456789);
    expect(o?.decisionPrice).toBe(98765.4321098);
  });

  it('does exact decimal arithmetic on money in SQL', async () => {
    // 0.1 + 0.2 in NUMERIC is exactly 0.3 (in float64 it is 0.30000000000000004).
    const r = await store.db.query<{ s: number; big: number }>(
      `SELECT (0.1::numeric(20,2) + 0.2::numeric(20,2)) AS s, (123456789012.34::numeric(20,2) * 1) AS big`,
    );
    expect(r.rows[0]).toEqual({ s: 0.3, big: 123456789012.34 });
    const p = { fundId: 'F9', agentId: '', date: '2024-01-02', nav: 123456789012.34, cash: 0.01, grossExposure: 0,
      netExposure: 0, highWaterMark: 123456789012.35, dailyReturn: null, drawdown: 0 };
    await store.nav.upsert([p, { ...p, date: '2024-01-03', nav: 1.005, cash: 2.675 }]);
    const h = await store.nav.history('F9');
    expect(h[0]?.nav).toBe(123456789012.34);
    // NAV is NUMERIC(20,2): sub-cent inputs round half away from zero at the ledger boundary.
    expect([h[1]?.nav, h[1]?.cash]).toEqual([1.01, 2.68]);
  });

  it('counts come back as numbers on both drivers', async () => {
    const r = await store.db.query<{ n: unknown; s: unknown }>('SELECT count(*) AS n, sum(x)::bigint AS s FROM generate_series(1, 10) x');
    expect(r.rows[0]).toEqual({ n: 10, s: 55 });
  });
});
