import { z } from 'zod';
import { OrderStatus, type Fill, type Order, type Position } from '../../contracts/index.ts';
import { KeelError } from '../../core/index.ts';
import { rawJson, route, type AnyRoute } from '../route.ts';
import type { ApiRuntime } from '../runtime.ts';
import { dateRange, FundParams, qBool, qDate, qInt, qSymbol } from './schemas.ts';
import { id } from '../../contracts/index.ts';

/** A position with its P&L: dollars; `lastPrice` falls back to the average cost when never marked. */
export interface PositionView {
  readonly agentId: string;
  readonly symbol: string;
  readonly qty: number;
  readonly avgCost: number;
  readonly lastPrice: number;
  readonly marketValue: number;
  readonly unrealizedPnl: number;
  readonly realizedPnl: number;
  readonly updatedAt: string;
}

const cents = (x: number): number => Math.round(x * 100) / 100;

export function positionView(p: Position): PositionView {
  const last = p.lastPrice ?? p.avgCost;
  return {
    agentId: p.agentId, symbol: p.symbol, qty: p.qty, avgCost: p.avgCost, lastPrice: last,
    marketValue: cents(p.qty * last), unrealizedPnl: cents(p.qty * (last - p.avgCost)), realizedPnl: cents(p.realizedPnl), updatedAt: p.updatedAt,
  };
}

function totals(rows: readonly { marketValue: number; unrealizedPnl: number; realizedPnl: number }[]) {
  let mv = 0, u = 0, r = 0, g = 0;
  for (const p of rows) {
    mv += p.marketValue;
    u += p.unrealizedPnl;
    r += p.realizedPnl;
    g += Math.abs(p.marketValue);
  }
  return { marketValue: cents(mv), unrealizedPnl: cents(u), realizedPnl: cents(r), gross: cents(g), net: cents(mv) };
}

/** Cached: the positions read model of a fund (all agents, open and closed). */
export function cachedPositions(rt: ApiRuntime, fundId: string): Promise<PositionView[]> {
  return rt.cache.get(fundId, 'positions', async () => (await rt.store.positions.list(fundId)).map(positionView));
}

/** Transaction cost analysis of one order from its fills: slippage in bps, positive = cost. */
export function tca(o: Order, fills: readonly Fill[]) {
  if (fills.length === 0) return null;
  let q = 0, px = 0, fee = 0;
  for (const f of fills) {
    q += f.qty;
    px += f.qty * f.price;
    fee += f.commission;
  }
  const avg = q > 0 ? px / q : null;
  const sign = o.side === 'BUY' ? 1 : -1;
  const slippageBps = avg !== null && o.decisionPrice !== null ? sign * (avg / o.decisionPrice - 1) * 1e4 : null;
  return { fills: fills.length, filledQty: q, avgFillPrice: avg, decisionPrice: o.decisionPrice, slippageBps, commission: cents(fee) };
}

const PositionsQuery = z.object({ agentId: id.optional(), openOnly: qBool.default(true) });
const OrdersQuery = dateRange(z.object({ status: OrderStatus.optional(), symbol: qSymbol.optional(), from: qDate.optional(), to: qDate.optional(), limit: qInt(1, 1000).default(200) }));
const FillsQuery = dateRange(z.object({ from: qDate.optional(), to: qDate.optional(), limit: qInt(1, 5000).default(500) }));

/** Positions (by agent and by name, with P&L), the order blotter with TCA, and fills. */
export const bookRoutes: readonly AnyRoute[] = [
  route({
    method: 'GET', url: '/v1/funds/:fundId/positions', tag: 'books', access: 'any', params: FundParams, query: PositionsQuery,
    summary: 'Positions by agent with P&L', returns: '{ positions: [{ agentId, symbol, qty, avgCost, lastPrice, marketValue, unrealizedPnl, realizedPnl }], totals }',
    handler: async ({ rt, params, query }) =>
      rt.cache.get(params.fundId, `positions-json:${query.agentId ?? '*'}:${String(query.openOnly)}`, async () => {
        const all = await cachedPositions(rt, params.fundId);
        const positions = all.filter((p) => (query.agentId === undefined || p.agentId === query.agentId) && (!query.openOnly || p.qty !== 0));
        return rawJson({ positions, totals: totals(positions) });
      }),
  }),
  route({
    method: 'GET', url: '/v1/funds/:fundId/positions/by-name', tag: 'books', access: 'any', params: FundParams,
    summary: 'Positions netted by name across agents', returns: '{ names: [{ symbol, qty, marketValue, unrealizedPnl, realizedPnl, agents }], totals }',
    handler: async ({ rt, params }) => {
      const names = await rt.cache.get(params.fundId, 'by-name', async () => {
        const by = new Map<string, { symbol: string; qty: number; marketValue: number; unrealizedPnl: number; realizedPnl: number; agents: string[] }>();
        for (const p of await cachedPositions(rt, params.fundId)) {
          const n = by.get(p.symbol) ?? { symbol: p.symbol, qty: 0, marketValue: 0, unrealizedPnl: 0, realizedPnl: 0, agents: [] };
          n.qty += p.qty;
          n.marketValue = cents(n.marketValue + p.marketValue);
          n.unrealizedPnl = cents(n.unrealizedPnl + p.unrealizedPnl);
          n.realizedPnl = cents(n.realizedPnl + p.realizedPnl);
          if (p.qty !== 0) n.agents.push(p.agentId);
          by.set(p.symbol, n);
        }
        return [...by.values()].sort((a, b) => Math.abs(b.marketValue) - Math.abs(a.marketValue) || (a.symbol < b.symbol ? -1 : 1));
      });
      return { names, totals: totals(names) };
    },
  }),
  route({
    method: 'GET', url: '/v1/funds/:fundId/orders', tag: 'books', access: 'any', params: FundParams, query: OrdersQuery,
    summary: 'Order blotter (newest first) with TCA', returns: '{ orders: [Order & { tca }] }',
    handler: async ({ rt, params, query }) => {
      const orders = await rt.store.orders.listForFund(params.fundId, query);
      const fills = orders.length === 0 ? [] : await rt.store.fills.listForFund(params.fundId, { limit: 100_000, orderIds: orders.map((o) => o.id) });
      const byOrder = new Map<string, Fill[]>();
      for (const f of fills) byOrder.set(f.orderId, [...(byOrder.get(f.orderId) ?? []), f]);
      return { orders: orders.map((o) => ({ ...o, tca: tca(o, byOrder.get(o.id) ?? []) })) };
    },
  }),
  route({
    method: 'GET', url: '/v1/funds/:fundId/orders/:orderId', tag: 'books', access: 'any', params: z.object({ fundId: id, orderId: id }),
    summary: 'One order with its fills, events and TCA', returns: '{ order, fills, events, tca }',
    handler: async ({ rt, params }) => {
      const order = await rt.store.orders.getForFund(params.fundId, params.orderId);
      if (!order) throw new KeelError('KEEL_E_NOT_FOUND', `order ${params.orderId} does not exist`, { field: 'params.orderId' });
      const [fills, events] = await Promise.all([rt.store.fills.listByOrder(order.id), rt.store.orders.events(order.id)]);
      return { order, fills, events, tca: tca(order, fills) };
    },
  }),
  route({
    method: 'GET', url: '/v1/funds/:fundId/fills', tag: 'books', access: 'any', params: FundParams, query: FillsQuery,
    summary: "The fund's fills (newest first)", returns: '{ fills: [Fill] }',
    handler: async ({ rt, params, query }) => ({ fills: await rt.store.fills.listForFund(params.fundId, query) }),
  }),
];
