// Fixtures shared by this folder's tests (not part of the public face).
import { SimClock } from '../core/index.ts';
import type { Order, OrderAllocation } from '../contracts/index.ts';
import { createPanel, viewAt, type MarketView, type Panel } from '../market/index.ts';

export const T0 = Date.UTC(2024, 0, 2, 14, 30);

export function makeOrder(p: Partial<Order> & { id: string }): Order {
  const at = new Date(T0).toISOString();
  return {
    version: 1,
    traceId: 'trace-1',
    fundId: 'main',
    cycleId: null,
    symbol: 'AAA',
    side: 'BUY',
    type: 'MARKET',
    timeInForce: 'DAY',
    qty: 100,
    limitPrice: null,
    stopPrice: null,
    status: 'PENDING',
    filledQty: 0,
    avgFillPrice: null,
    decisionPrice: 100,
    brokerOrderId: null,
    allocations: [] as OrderAllocation[],
    denials: [],
    createdAt: at,
    updatedAt: at,
    ...p,
  };
}

export interface BarSpec {
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/**
 * A panel with the given bars per symbol (same number of rows each). Rows start on 2024-01-02
 * and move one calendar day at a time.
 */
export function makePanel(bars: Record<string, BarSpec[]>): Panel {
  const symbols = Object.keys(bars);
  const T = bars[symbols[0] ?? '']?.length ?? 0;
  const U = symbols.length;
  const f = (k: keyof BarSpec) => {
    const a = new Float64Array(T * U);
    symbols.forEach((s, u) => (bars[s] ?? []).forEach((b, t) => (a[t * U + u] = b[k])));
    return a;
  };
  const dates = Array.from({ length: T }, (_, t) => new Date(Date.UTC(2024, 0, 2 + t)).toISOString().slice(0, 10));
  return createPanel({ dates, symbols, open: f('open'), high: f('high'), low: f('low'), close: f('close'), volume: f('volume') });
}

export function flatBars(n: number, px: number, volume: number): BarSpec[] {
  return Array.from({ length: n }, () => ({ open: px, high: px, low: px, close: px, volume }));
}

export function views(panel: Panel): MarketView[] {
  return Array.from({ length: panel.T }, (_, t) => viewAt(panel, t));
}

export function clock(): SimClock {
  return new SimClock(T0);
}
