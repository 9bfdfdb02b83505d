import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IllegalTransitionError, InvariantError } from '../core/index.ts';
import { Order, type Fill, type OrderStatus } from '../contracts/index.ts';
import {
  InMemoryOrderJournal,
  ORDER_TRANSITIONS,
  canTransition,
  isTerminal,
  replayOrderEvents,
  splitFill,
  transition,
  type OrderEvent,
} from './index.ts';
import { makeOrder } from './test-support.ts';

const AT = '2024-01-02T15:00:00.000Z';
const ALL: OrderStatus[] = ['PENDING', 'SUBMITTED', 'ACKNOWLEDGED', 'PARTIALLY_FILLED', 'FILLED', 'CANCELLED', 'REJECTED', 'EXPIRED'];

function fill(orderId: string, qty: number, price: number, n = 1): Fill {
  return { version: 1, traceId: 't', id: `${orderId}-f${n}`, orderId, symbol: 'AAA', side: 'BUY', qty, price, commission: 1, timestamp: AT, allocations: [] };
}

describe('order state machine', () => {
  it('has exactly the documented transitions, including the shortcuts', () => {
    const legal = ALL.flatMap((a) => ALL.filter((b) => canTransition(a, b)).map((b) => `${a}>${b}`));
    expect(legal.sort()).toEqual(
      [
        'PENDING>SUBMITTED', 'PENDING>REJECTED', 'PENDING>CANCELLED',
        'SUBMITTED>ACKNOWLEDGED', 'SUBMITTED>PARTIALLY_FILLED', 'SUBMITTED>FILLED', 'SUBMITTED>REJECTED', 'SUBMITTED>CANCELLED', 'SUBMITTED>EXPIRED',
        'ACKNOWLEDGED>PARTIALLY_FILLED', 'ACKNOWLEDGED>FILLED', 'ACKNOWLEDGED>REJECTED', 'ACKNOWLEDGED>CANCELLED', 'ACKNOWLEDGED>EXPIRED',
        'PARTIALLY_FILLED>PARTIALLY_FILLED', 'PARTIALLY_FILLED>FILLED', 'PARTIALLY_FILLED>CANCELLED', 'PARTIALLY_FILLED>EXPIRED',
      ].sort(),
    );
    expect(ALL.filter(isTerminal)).toEqual(['FILLED', 'CANCELLED', 'REJECTED', 'EXPIRED']);
  });

  it('every status is reachable from PENDING and every live status can end', () => {
    const seen = new Set<OrderStatus>(['PENDING']);
    const queue: OrderStatus[] = ['PENDING'];
    while (queue.length > 0) {
      for (const n of ORDER_TRANSITIONS[queue.shift() ?? 'PENDING']) {
        if (!seen.has(n)) {
          seen.add(n);
          queue.push(n);
        }
      }
    }
    expect(seen.size).toBe(ALL.length);
    for (const s of ALL) if (!isTerminal(s)) expect(ORDER_TRANSITIONS[s].some(isTerminal)).toBe(true);
  });

  it('a pre-trade denial goes PENDING → REJECTED and keeps the typed reasons', () => {
    const o = makeOrder({ id: 'o1' });
    const d = { code: 'ORDER_VALUE', message: 'too big', limit: 1_000_000, actual: 2_000_000 };
    const r = transition(o, { type: 'OrderRejected', orderId: 'o1', at: AT, denials: [d] });
    expect(r.status).toBe('REJECTED');
    expect(r.denials).toEqual([d]);
    expect(o.status).toBe('PENDING');
  });

  it('an illegal transition is a typed error', () => {
    const filled = makeOrder({ id: 'o1', status: 'FILLED', filledQty: 100 });
    expect(() => transition(filled, { type: 'OrderCancelled', orderId: 'o1', at: AT, reason: 'x' })).toThrow(IllegalTransitionError);
    const pending = makeOrder({ id: 'o2' });
    expect(() => transition(pending, { type: 'OrderAcknowledged', orderId: 'o2', at: AT, brokerOrderId: 'b' })).toThrow(IllegalTransitionError);
  });

  it('fills before the ack are allowed and average prices are volume weighted', () => {
    let o = transition(makeOrder({ id: 'o1' }), { type: 'OrderSubmitted', orderId: 'o1', at: AT });
    o = transition(o, { type: 'OrderPartiallyFilled', orderId: 'o1', at: AT, fill: fill('o1', 60, 10, 1) });
    o = transition(o, { type: 'OrderFilled', orderId: 'o1', at: AT, fill: fill('o1', 40, 11, 2) });
    expect(o.status).toBe('FILLED');
    expect(o.filledQty).toBe(100);
    expect(o.avgFillPrice).toBeCloseTo((60 * 10 + 40 * 11) / 100, 12);
  });

  it('a transition carries every other field of the order over, in contract order', () => {
    const o = makeOrder({ id: 'o1', cycleId: 'c1', limitPrice: 9, stopPrice: 8, type: 'STOP_LIMIT', allocations: [{ agentId: 'a', qty: 100 }] });
    const sub = transition(o, { type: 'OrderSubmitted', orderId: 'o1', at: AT });
    const ack = transition(sub, { type: 'OrderAcknowledged', orderId: 'o1', at: AT, brokerOrderId: 'b1' });
    const part = transition(ack, { type: 'OrderPartiallyFilled', orderId: 'o1', at: AT, fill: fill('o1', 40, 10) });
    const gone = transition(part, { type: 'OrderCancelled', orderId: 'o1', at: AT, reason: 'x' });
    // Independent expectation: the input with only the changed fields replaced.
    expect(gone).toEqual({ ...o, status: 'CANCELLED', updatedAt: AT, brokerOrderId: 'b1', filledQty: 40, avgFillPrice: 10 });
    expect(Object.keys(gone)).toEqual(Object.keys(Order.parse(gone)));
    expect(o).toEqual(makeOrder({ id: 'o1', cycleId: 'c1', limitPrice: 9, stopPrice: 8, type: 'STOP_LIMIT', allocations: [{ agentId: 'a', qty: 100 }] }));
  });

  it('rejects over-fills and an OrderFilled that does not complete the order', () => {
    const o = transition(makeOrder({ id: 'o1' }), { type: 'OrderSubmitted', orderId: 'o1', at: AT });
    expect(() => transition(o, { type: 'OrderFilled', orderId: 'o1', at: AT, fill: fill('o1', 50, 10) })).toThrow(InvariantError);
    expect(() => transition(o, { type: 'OrderPartiallyFilled', orderId: 'o1', at: AT, fill: fill('o1', 150, 10) })).toThrow(InvariantError);
  });
});

/** Drives a random but legal life for several orders and returns the events. */
function randomHistory(choices: readonly number[], nOrders: number): { events: OrderEvent[]; expected: Map<string, number> } {
  const journal = new InMemoryOrderJournal();
  const events: OrderEvent[] = [];
  const expected = new Map<string, number>(); // agent|symbol → signed units of 1e-4, computed independently
  const orders = Array.from({ length: nOrders }, (_, i) =>
    makeOrder({
      id: `o${i}`,
      symbol: i % 2 === 0 ? 'AAA' : 'BBB',
      side: i % 3 === 0 ? 'SELL' : 'BUY',
      qty: 10 + i,
      allocations: [
        { agentId: 'a', qty: 4 + i },
        { agentId: 'b', qty: 6 },
      ],
    }),
  );
  const state = new Map(orders.map((o) => [o.id, { o, given: [0, 0], filled: 0, n: 0 }]));
  const emit = (e: OrderEvent): void => {
    const snap = journal.snapshot().orders.get(e.orderId);
    if (e.type !== 'OrderCreated' && snap) transition(snap, e); // legal by construction; throws otherwise
    void journal.appendEvent(e);
    events.push(e);
  };
  for (const o of orders) emit({ type: 'OrderCreated', orderId: o.id, at: AT, order: o });
  for (const c of choices) {
    const s = state.get(`o${c % nOrders}`);
    if (!s) continue;
    const cur = journal.snapshot().orders.get(s.o.id);
    if (!cur || isTerminal(cur.status)) continue;
    const id = s.o.id;
    const action = Math.floor(c / nOrders) % 6;
    if (cur.status === 'PENDING') emit(action === 5 ? { type: 'OrderRejected', orderId: id, at: AT, denials: [] } : { type: 'OrderSubmitted', orderId: id, at: AT });
    else if (action <= 2) {
      const rest = Math.round((s.o.qty - s.filled) * 1e4);
      const q = action === 2 ? rest : Math.max(1, Math.floor(rest / 3));
      const qty = q / 1e4 > 0 ? q / 1e4 : rest / 1e4;
      const allocations = splitFill(s.o.allocations, qty, s.given);
      allocations.forEach((a, i) => {
        s.given[i] = Math.round(((s.given[i] ?? 0) + a.qty) * 1e4) / 1e4;
        const key = `${a.agentId}|${s.o.symbol}`;
        expected.set(key, (expected.get(key) ?? 0) + (s.o.side === 'BUY' ? 1 : -1) * Math.round(a.qty * 1e4));
      });
      s.filled = Math.round((s.filled + qty) * 1e4) / 1e4;
      s.n += 1;
      const f: Fill = { ...fill(id, qty, 50 + s.n, s.n), symbol: s.o.symbol, side: s.o.side, allocations };
      emit(s.filled >= s.o.qty ? { type: 'OrderFilled', orderId: id, at: AT, fill: f } : { type: 'OrderPartiallyFilled', orderId: id, at: AT, fill: f });
    } else if (action === 3 && cur.status === 'SUBMITTED') emit({ type: 'OrderAcknowledged', orderId: id, at: AT, brokerOrderId: `b-${id}` });
    else if (action === 4) emit({ type: 'OrderCancelled', orderId: id, at: AT, reason: 'test' });
    else if (action === 5) emit({ type: 'OrderExpired', orderId: id, at: AT });
  }
  return { events, expected };
}

describe('replay', () => {
  // Invariant: replaying the recorded events rebuilds exactly the live order and position state.
  it('replay equals the live state, and positions equal the independently summed fills', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(200), { maxLength: 80 }), fc.integer({ min: 1, max: 5 }), (choices, n) => {
        const { events, expected } = randomHistory(choices, n);
        const live = new InMemoryOrderJournal(events).snapshot();
        const replayed = replayOrderEvents(events);
        expect(replayed.orders).toEqual(live.orders);
        expect(replayed.positions).toEqual(live.positions);
        for (const p of replayed.positions.values()) {
          expect(Math.round(p.qty * 1e4)).toBe(expected.get(`${p.agentId}|${p.symbol}`) ?? 0);
        }
        for (const [key, units] of expected) {
          const [agentId, symbol] = key.split('|');
          if (units !== 0) expect([...replayed.positions.values()].some((p) => p.agentId === agentId && p.symbol === symbol)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('a journal refuses an illegal event and stays unchanged', async () => {
    const j = new InMemoryOrderJournal();
    await j.savePending(makeOrder({ id: 'o1' }));
    await expect(j.appendEvent({ type: 'OrderFilled', orderId: 'o1', at: AT, fill: fill('o1', 100, 10) })).rejects.toThrow(IllegalTransitionError);
    expect((await j.events()).length).toBe(1);
    expect((await j.byClientId('o1'))?.status).toBe('PENDING');
  });
});
