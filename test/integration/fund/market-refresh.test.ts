// The pre-cycle step's decisions that need no provider answer: nothing configured, nothing to
// fetch, a store too far behind to catch up by itself (a backfill, not a surprise download).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataConfig } from '../../../src/contracts/index.ts';
import { MAX_CATCH_UP_SESSIONS, marketDataGate, readEnv, refreshMarket } from '../../../src/fund/index.ts';
import { buildMarketDataSources, instrumentsFor } from '../../../src/market/index.ts';
import { openStore, type Store } from '../../../src/store/index.ts';
import { FakeAlpacaMarketData } from '../../fakes/alpaca-market-data.ts';

const alpaca = new FakeAlpacaMarketData();
let store: Store;
const evening = (date: string) => Date.parse(`${date}T22:00:00Z`);

beforeAll(async () => {
  await alpaca.start();
  store = await openStore({ memory: true });
  await store.instruments.upsert(instrumentsFor(['AAA']));
  await store.bars.load([{ symbol: 'AAA', date: '2024-03-04', open: 10, high: 11, low: 9, close: 10.5, volume: 1000 }]);
});
afterAll(async () => {
  await alpaca.stop();
  await store.close();
});

const data = DataConfig.parse({ providers: ['alpaca'], macroSeries: [] });
const sources = () => buildMarketDataSources(data, readEnv({ APCA_API_KEY_ID: alpaca.keyId, APCA_API_SECRET_KEY: alpaca.secret, APCA_API_DATA_URL: alpaca.url }, '/'));

describe('refreshMarket without asking a provider', () => {
  it('with no provider keys: unavailable, the gate passes, the cycle runs on the stored data', async () => {
    const r = await refreshMarket(store, buildMarketDataSources(data, readEnv({}, '/')), [], evening('2024-03-05'));
    expect(r).toEqual({ status: 'unavailable', reason: 'no market data source configured (alpaca: APCA_API_KEY_ID and APCA_API_SECRET_KEY not set)' });
    expect(marketDataGate(r)).toMatchObject({ gate: 'market_data', passed: true });
  });

  it('up to date: fresh, and nothing is requested', async () => {
    alpaca.server.clear();
    const r = await refreshMarket(store, sources(), [], evening('2024-03-04'));
    expect(r).toMatchObject({ status: 'fresh', session: '2024-03-04', report: null });
    expect(alpaca.server.hits()).toBe(0);
  });

  it(`more than ${MAX_CATCH_UP_SESSIONS} sessions behind: refused, not retryable, pointing at keel market fetch, nothing requested`, async () => {
    alpaca.server.clear();
    const r = await refreshMarket(store, sources(), [], evening('2024-05-01'));
    expect(r).toMatchObject({ status: 'stale', retryable: false, latest: '2024-03-04' });
    expect(marketDataGate(r)).toMatchObject({ passed: false, retryable: false, detail: expect.stringContaining('keel market fetch --from 2024-03-05 --to 2024-05-01') });
    expect(alpaca.server.hits()).toBe(0);
  });

  it('behind by a few sessions the provider has not published: stale and retryable', async () => {
    const r = await refreshMarket(store, sources(), [], evening('2024-03-06'));
    expect(r).toMatchObject({ status: 'stale', retryable: true, reason: 'latest bar 2024-03-04 is older than the last completed session 2024-03-06: alpaca returned no bars for 2024-03-06' });
    expect(alpaca.server.hits()).toBe(1);
  });
});
