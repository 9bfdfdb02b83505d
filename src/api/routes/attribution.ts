import { z } from 'zod';
import { ensureDefined } from '../../core/index.ts';
import { attributionReport, pnlHistoryReport } from '../attribution-report.ts';
import { DEFAULT_LOOKBACK, exposuresReport } from '../exposures-report.ts';
import { route, type AnyRoute } from '../route.ts';
import { dateRange, FundAgentParams, FundParams, qDate, qInt } from './schemas.ts';
import * as R from '../responses/index.ts';

const Window = dateRange(z.object({ from: qDate.optional(), to: qDate.optional() }));
const History = dateRange(z.object({ by: z.enum(['fund', 'agent', 'name']).default('fund'), from: qDate.optional(), to: qDate.optional() }));
const Lookback = z.object({ lookback: qInt(20, 1260).default(DEFAULT_LOOKBACK) });

/** Attribution (P&L by agent, bucket, sector, factor and name; Brinson by sector), P&L history, factor exposures. */
export const attributionRoutes: readonly AnyRoute[] = [
  route({
    method: 'GET', url: '/v1/funds/:fundId/attribution', tag: 'attribution', access: 'any', params: FundParams, query: Window,
    summary: 'P&L attribution over a window (default: the last 63 trading days): by agent, bucket, sector, factor and name; Brinson–Hood–Beebower by sector against the benchmark',
    response: R.Attribution,
    handler: async ({ rt, fund, query }) => {
      const f = ensureDefined(fund, 'fund');
      return rt.cache.get(f.id, `attribution:${query.from ?? ''}:${query.to ?? ''}`, () => attributionReport({ rt, fund: f, from: query.from, to: query.to }), rt.reportTtl);
    },
  }),
  route({
    method: 'GET', url: '/v1/funds/:fundId/pnl-history', tag: 'attribution', access: 'any', params: FundParams, query: History,
    summary: 'Daily P&L by fund, agent or name (default: the last 63 trading days); the parts add up to the fund to the cent each day',
    response: R.PnlHistory,
    handler: async ({ rt, fund, query }) => {
      const f = ensureDefined(fund, 'fund');
      return rt.cache.get(f.id, `pnl-history:${query.by}:${query.from ?? ''}:${query.to ?? ''}`, () => pnlHistoryReport({ rt, fund: f, by: query.by, from: query.from, to: query.to }), rt.reportTtl);
    },
  }),
  route({
    method: 'GET', url: '/v1/funds/:fundId/exposures', tag: 'attribution', access: 'any', params: FundParams, query: Lookback,
    summary: "Every agent's factor exposures from its current book (and the fund's)",
    response: R.Exposures,
    handler: async ({ rt, fund, query }) => {
      const f = ensureDefined(fund, 'fund');
      return rt.cache.get(f.id, `exposures:${query.lookback}`, () => exposuresReport({ rt, fund: f, lookback: query.lookback }), rt.reportTtl);
    },
  }),
  route({
    method: 'GET', url: '/v1/funds/:fundId/agents/:agentId/exposures', tag: 'attribution', access: 'any', params: FundAgentParams, query: Lookback,
    summary: "One agent's factor exposures with each held name's loadings",
    response: R.AgentExposures,
    handler: async ({ rt, fund, params, query }) => {
      const f = ensureDefined(fund, 'fund');
      return rt.cache.get(f.id, `exposures:${params.agentId}:${query.lookback}`, () => exposuresReport({ rt, fund: f, lookback: query.lookback, agentId: params.agentId }), rt.reportTtl);
    },
  }),
];
