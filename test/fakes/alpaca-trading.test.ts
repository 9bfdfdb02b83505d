/** The fake follows Alpaca's documented behaviour (checked over HTTP, as a client sees it). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeAlpacaTrading } from './alpaca-trading.ts';

let fake: FakeAlpacaTrading;
beforeEach(async () => {
  fake = new FakeAlpacaTrading({ cash: 10_000, prices: { AAA: 10, BBB: 20 } });
  await fake.start();
});
afterEach(() => fake.stop());

async function call(method: string, path: string, body?: unknown, auth: 'ok' | 'none' | 'wrong' = 'ok') {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (auth !== 'none') {
    headers['APCA-API-KEY-ID'] = auth === 'ok' ? fake.keyId : 'nope';
    headers['APCA-API-SECRET-KEY'] = auth === 'ok' ? fake.secret : 'nope';
  }
  const r = await fetch(`${fake.url}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await r.text();
  return { status: r.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null, retryAfter: r.headers.get('retry-after') };
}

const order = (o: Record<string, unknown>) => ({ symbol: 'AAA', side: 'buy', type: 'market', time_in_force: 'day', qty: '10', ...o });

describe('fake Alpaca Trading API', () => {
  it('401 without keys, 403 with wrong ones', async () => {
    expect((await call('GET', '/v2/account', undefined, 'none')).status).toBe(401);
    expect((await call('GET', '/v2/account', undefined, 'wrong')).status).toBe(403);
    expect((await call('GET', '/v2/account')).body).toMatchObject({ status: 'ACTIVE', cash: '10000', equity: '10000', buying_power: '20000' });
  });

  it('queues an order sent after the close and fills it at the next open', async () => {
    const r = await call('POST', '/v2/orders', order({ client_order_id: 'c1' }));
    expect(r.body).toMatchObject({ status: 'accepted', filled_qty: '0' });
    expect((await call('GET', '/v2/clock')).body).toMatchObject({ is_open: false });
    fake.openMarket({ AAA: 11 });
    expect((await call('GET', '/v2/orders:by_client_order_id?client_order_id=c1')).body).toMatchObject({ status: 'filled', filled_qty: '10', filled_avg_price: '11' });
    expect((await call('GET', '/v2/positions')).body).toEqual([expect.objectContaining({ symbol: 'AAA', qty: '10', side: 'long', avg_entry_price: '11' })]);
    expect(fake.cash).toBe(10_000 - 110);
  });

  it('a duplicate client_order_id is 422 and creates nothing', async () => {
    expect((await call('POST', '/v2/orders', order({ client_order_id: 'dup' }))).status).toBe(200);
    const again = await call('POST', '/v2/orders', order({ client_order_id: 'dup' }));
    expect(again).toMatchObject({ status: 422, body: { message: 'client_order_id must be unique' } });
    expect(fake.orders.size).toBe(1);
  });

  it('refuses a fractional short sale (403) and a fractional limit order (422); whole-share shorts go through', async () => {
    expect(await call('POST', '/v2/orders', order({ side: 'sell', qty: '1.5' }))).toMatchObject({ status: 403, body: { message: 'fractional orders cannot be sold short' } });
    expect((await call('POST', '/v2/orders', order({ qty: '1.5', type: 'limit', limit_price: '10' }))).status).toBe(422);
    expect((await call('POST', '/v2/orders', order({ side: 'sell', qty: '2' }))).body).toMatchObject({ status: 'accepted' });
  });

  it('a buy above buying power is 403', async () => {
    expect(await call('POST', '/v2/orders', order({ qty: '2001' }))).toMatchObject({ status: 403, body: { message: 'insufficient buying power' } });
  });

  it('scripted 429 carries Retry-After; cancel answers 204, then 422 once done', async () => {
    fake.fail('GET', '/v2/account', 429, '2');
    expect(await call('GET', '/v2/account')).toMatchObject({ status: 429, retryAfter: '2' });
    const o = (await call('POST', '/v2/orders', order({ client_order_id: 'k' }))).body as { id: string };
    expect((await call('DELETE', `/v2/orders/${o.id}`)).status).toBe(204);
    expect((await call('DELETE', `/v2/orders/${o.id}`)).status).toBe(422);
    expect(((await call('GET', '/v2/orders?status=closed')).body as unknown as unknown[]).length).toBe(1);
  });

  it('DAY orders still working at the close expire', async () => {
    fake.openMarket();
    await call('POST', '/v2/orders', order({ type: 'limit', limit_price: '5', client_order_id: 'low' }));
    fake.closeMarket();
    expect(fake.byClientId('low')?.status).toBe('expired');
  });
});
