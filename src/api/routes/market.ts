import { z } from 'zod';
import { AssetClass } from '../../contracts/index.ts';
import { KeelError } from '../../core/index.ts';
import { route, type AnyRoute } from '../route.ts';
import { dateRange, qDate, qInt, qSymbol } from './schemas.ts';
import * as R from '../responses/index.ts';

const InstrumentQuery = z.object({ assetClass: AssetClass.optional(), sector: z.string().min(1).max(100).optional() });
const BarsQuery = dateRange(z.object({ from: qDate.optional(), to: qDate.optional(), limit: qInt(1, 10_000).default(5_000) }));

/** Market data: instruments, bars, data quality (the market is shared by every fund). */
export const marketRoutes: readonly AnyRoute[] = [
  route({
    method: 'GET', url: '/v1/market/instruments', tag: 'market', access: 'any', query: InstrumentQuery, summary: 'Instruments',
    response: R.InstrumentsAnswer,
    handler: async ({ rt, query }) => ({
      instruments: await rt.store.instruments.list({ ...(query.assetClass ? { assetClass: query.assetClass } : {}), ...(query.sector ? { sector: query.sector } : {}) }),
    }),
  }),
  route({
    method: 'GET', url: '/v1/market/bars/:symbol', tag: 'market', access: 'any', params: z.object({ symbol: qSymbol }), query: BarsQuery,
    summary: 'Daily bars of one symbol over a date range (inclusive)', response: R.BarsAnswer,
    handler: async ({ rt, params, query }) => {
      const inst = await rt.store.instruments.get(params.symbol);
      if (!inst) throw new KeelError('KEEL_E_NOT_FOUND', `instrument ${params.symbol} does not exist`, { field: 'params.symbol' });
      const rows = await rt.store.bars.range({ symbols: [params.symbol], ...(query.from ? { from: query.from } : {}), ...(query.to ? { to: query.to } : {}) });
      const bars = rows.slice(Math.max(0, rows.length - query.limit)).map((b) => ({ date: b.date, open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume }));
      return { symbol: params.symbol, bars };
    },
  }),
  route({
    method: 'GET', url: '/v1/market/quality', tag: 'market', access: 'any', query: z.object({ asOf: qDate.optional() }),
    summary: 'Latest data-quality assessment per symbol', response: R.QualityAnswer,
    handler: async ({ rt, query }) => ({ quality: await rt.store.dataQuality.latest(query.asOf) }),
  }),
];
