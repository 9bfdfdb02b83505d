import type { Order } from '../../../src/contracts/index.ts';

/** The batch the kill test's "fund" intends to send (deterministic ids, like a replayed cycle). */
export function killBatch(): Order[] {
  const at = '2024-01-02T15:00:00.000Z';
  return ['AAA', 'BBB', 'CCC', 'AAA'].map((symbol, i) => ({
    version: 1, traceId: 'kill', id: `kill-o${i}`, fundId: 'main', cycleId: 'c1', symbol, side: 'BUY', type: 'MARKET',
    timeInForce: 'DAY', qty: 10 + i, limitPrice: null, stopPrice: null, status: 'PENDING', filledQty: 0, avgFillPrice: null,
    decisionPrice: 10, brokerOrderId: null, allocations: [{ agentId: 'a', qty: 10 + i }], denials: [], createdAt: at, updatedAt: at,
  }));
}
