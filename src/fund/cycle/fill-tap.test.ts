import { describe, expect, it } from 'vitest';
import { IllegalTransitionError } from '../../core/index.ts';
import type { Fill, Order } from '../../contracts/index.ts';
import type { OrderEvent } from '../../execution/index.ts';
import { TappedJournal } from './fill-tap.ts';

const AT = '2024-01-02T15:00:00.000Z';

function order(id: string): Order {
  return {
    version: 1, traceId: 't', id, fundId: 'main', cycleId: null, symbol: 'AAA', side: 'BUY', type: 'MARKET', timeInForce: 'DAY',
    qty: 10, limitPrice: null, stopPrice: null, status: 'PENDING', filledQty: 0, avgFillPrice: null, decisionPrice: 10,
    brokerOrderId: null, allocations: [], denials: [], createdAt: AT, updatedAt: AT,
  };
}

function fill(orderId: string, n: number, qty: number): Fill {
  return { version: 1, traceId: 't', id: `${orderId}-f${n}`, orderId, symbol: 'AAA', side: 'BUY', qty, price: 10, commission: 1, timestamp: AT, allocations: [] };
}

const life = (id: string): OrderEvent[] => [
  { type: 'OrderCreated', orderId: id, at: AT, order: order(id) },
  { type: 'OrderSubmitted', orderId: id, at: AT },
  { type: 'OrderPartiallyFilled', orderId: id, at: AT, fill: fill(id, 1, 4) },
];

describe('TappedJournal', () => {
  it('hands over each appended fill exactly once, in order, whichever way it was written', async () => {
    const j = new TappedJournal(life('old')); // history replayed at construction is not new
    await j.savePending(order('a'));
    await j.appendEvent({ type: 'OrderSubmitted', orderId: 'a', at: AT });
    await j.appendEvent({ type: 'OrderPartiallyFilled', orderId: 'a', at: AT, fill: fill('a', 1, 4) });
    j.immediate.appendEvent({ type: 'OrderFilled', orderId: 'old', at: AT, fill: fill('old', 2, 6) });
    j.immediate.appendEvent({ type: 'OrderFilled', orderId: 'a', at: AT, fill: fill('a', 2, 6) });
    expect(j.drainFills().map((f) => f.id)).toEqual(['a-f1', 'old-f2', 'a-f2']);
    expect(j.drainFills()).toEqual([]);
  });

  it('an event the state machine refuses is not handed over', async () => {
    const j = new TappedJournal(life('a'));
    const overfill: OrderEvent = { type: 'OrderPartiallyFilled', orderId: 'a', at: AT, fill: fill('a', 2, 60) };
    await expect(j.appendEvent(overfill)).rejects.toThrow(/over-fills/);
    expect(() => j.immediate.appendEvent({ type: 'OrderSubmitted', orderId: 'a', at: AT })).toThrow(IllegalTransitionError);
    expect(j.drainFills()).toEqual([]);
  });
});
