import { z } from 'zod';
import { OrderStatus, type Fill, type Order, type Position } from '../../contracts/index.ts';
import { KeelError } from '../../core/index.ts';
import { bookFill, positionKey, type PositionBook } from '../../execution/index.ts';
import { rawJson, route, type AnyRoute } from '../route.ts';
import type { ApiRuntime } from '../runtime.ts';
import { dateRange, FundParams, qBool, qDate, qInt, qSymbol } from './schemas.ts';
import { id } from '../../contracts/index.ts';
import * as R from '../responses/index.ts';

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

/**
 * Totals of the rows shown. `gross` is the fund's definition everywhere (the gross limit's): Σ over
 * names of |the net market value across the books shown|; `booksGross` is Σ |market value| of each
 * book's line (larger when books hold opposite sides of a name). `realizedPnl` is over `realisedOf`:
 * every line, open and closed, of the agents shown.
 */
function totals(rows: readonly { symbol: string; marketValue: number; unrealizedPnl: number }[], realisedOf: readonly { realizedPnl: number }[]) {
  let mv = 0, u = 0, r = 0, bg = 0;
  const bySymbol = new Map<string, number>();
  for (const p of rows) {
    mv += p.marketValue;
    u += p.unrealizedPnl;
    bg += Math.abs(p.marketValue);
    bySymbol.set(p.symbol, (bySymbol.get(p.symbol) ?? 0) + p.marketValue);
  }
  let g = 0;
  for (const v of bySymbol.values()) g += Math.abs(v);
  for (const p of realisedOf) r += p.realizedPnl;
  return { marketValue: cents(mv), unrealizedPnl: cents(u), realizedPnl: cents(r), gross: cents(g), booksGross: cents(bg), net: cents(mv) };
}

/** The fund's stored fills (broker fills, internal crosses, reconciliation adjustments) replayed oldest first at average cost. */
async function replayFills(rt: ApiRuntime, fundId: string): Promise<PositionBook> {
  const book: PositionBook = new Map();
  for await (const page of rt.store.fills.replayPages(fundId)) {
    for (const fill of page) bookFill(book, fundId, fill);
    await new Promise<void>((resolve) => setImmediate(resolve)); // other requests between pages
  }
  return book;
}

/**
 * Cached: the positions read model of a fund, every agent's lines open and closed. Quantities, costs
 * and marks are the stored books'; realised P&L (dollars, gross of commissions) is replayed from the
 * stored fills, and lines the fills closed are listed at zero quantity with what they realised.
 */
export function cachedPositions(rt: ApiRuntime, fundId: string): Promise<PositionView[]> {
  return rt.cache.get(fundId, 'positions', async () => {
    const [rows, replayed] = await Promise.all([rt.store.positions.list(fundId), replayFills(rt, fundId)]);
    const stored = new Set(rows.map((p) => positionKey(p.agentId, p.symbol)));
    const closed = [...replayed.entries()].filter(([k, p]) => !stored.has(k) && p.qty === 0).map(([, p]) => p);
    const open = rows.map((p) => ({ ...p, realizedPnl: replayed.get(positionKey(p.agentId, p.symbol))?.realizedPnl ?? p.realizedPnl }));
    return [...open, ...closed].map(positionView).sort((a, b) => (a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
  });
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
    summary: 'Positions by agent with P&L (realised from the stored fills, gross of commissions; openOnly=false adds the closed lines)', response: R.PositionsAnswer,
    handler: async ({ rt, params, query }) =>
      rt.cache.get(params.fundId, `positions-json:${query.agentId ?? '*'}:${String(query.openOnly)}`, async () => {
        const mine = (await cachedPositions(rt, params.fundId)).filter((p) => query.agentId === undefined || p.agentId === query.agentId);
        const positions = mine.filter((p) => !query.openOnly || p.qty !== 0);
        return rawJson({ positions, totals: totals(positions, mine) });
      }),
  }),
  route({
    method: 'GET', url: '/v1/funds/:fundId/positions/by-name', tag: 'books', access: 'any', params: FundParams,
    summary: 'Open positions netted by name across agents (totals: realised P&L of every line, open and closed)', response: R.PositionsByNameAnswer,
    handler: async ({ rt, params }) => {
      const { names, booksGross } = await rt.cache.get(params.fundId, 'by-name', async () => {
        const by = new Map<string, { symbol: string; qty: number; marketValue: number; unrealizedPnl: number; realizedPnl: number; agents: string[] }>();
        // Σ |each book's line|, as /positions gives it: the netted names below would give the gross again
        let books = 0;
        for (const p of await cachedPositions(rt, params.fundId)) {
          books += Math.abs(p.marketValue);
          const n = by.get(p.symbol) ?? { symbol: p.symbol, qty: 0, marketValue: 0, unrealizedPnl: 0, realizedPnl: 0, agents: [] };
          n.qty += p.qty;
          n.marketValue = cents(n.marketValue + p.marketValue);
          n.unrealizedPnl = cents(n.unrealizedPnl + p.unrealizedPnl);
          n.realizedPnl = cents(n.realizedPnl + p.realizedPnl);
          if (p.qty !== 0) n.agents.push(p.agentId);
          by.set(p.symbol, n);
        }
        return { names: [...by.values()].sort((a, b) => Math.abs(b.marketValue) - Math.abs(a.marketValue) || (a.symbol < b.symbol ? -1 : 1)), booksGross: cents(books) };
      });
      return { names: names.filter((n) => n.agents.length > 0), totals: { ...totals(names, names), booksGross } };
    },
  }),
  route({
    method: 'GET', url: '/v1/funds/:fundId/orders', tag: 'books', access: 'any', params: FundParams, query: OrdersQuery,
    summary: 'Order blotter (newest first) with TCA', response: R.OrdersAnswer,
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
    summary: 'One order with its fills, events and TCA', response: R.OrderDetail,
    handler: async ({ rt, params }) => {
      const order = await rt.store.orders.getForFund(params.fundId, params.orderId);
      if (!order) throw new KeelError('KEEL_E_NOT_FOUND', `order ${params.orderId} does not exist`, { field: 'params.orderId' });
      const [fills, events] = await Promise.all([rt.store.fills.listByOrder(order.id), rt.store.orders.events(order.id)]);
      return { order, fills, events, tca: tca(order, fills) };
    },
  }),
  route({
    method: 'GET', url: '/v1/funds/:fundId/fills', tag: 'books', access: 'any', params: FundParams, query: FillsQuery,
    summary: "The fund's fills (newest first)", response: R.FillsAnswer,
    handler: async ({ rt, params, query }) => ({ fills: await rt.store.fills.listForFund(params.fundId, query) }),
  }),
];
