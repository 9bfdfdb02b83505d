import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExecutionConfig, OmsConfig, type Order } from '../contracts/index.ts';
import type { MarketView } from '../market/index.ts';
import { InMemoryOrderJournal, Oms, PaperBroker, replayOrderEvents, type Broker, type OrderJournal } from './index.ts';
import { Crash, CrashingJournal, RecordingBroker } from './crash-support.ts';
import { clock, flatBars, makeOrder, makePanel, views } from './test-support.ts';

function row(vs: readonly MarketView[], i: number): MarketView {
  const v = vs[i];
  if (!v) throw new Error(`no row ${i}`);
  return v;
}

function oms(journal: OrderJournal, broker: Broker, c: ReturnType<typeof clock>): Oms {
  return new Oms({
    journal,
    broker,
    clock: c,
    config: OmsConfig.parse({}),
    market: { tradingState: () => 'ACTIVE', nav: () => 1e8, price: () => 10, positionQty: () => 0 },
  });
}

describe('reconciliation property', () => {
  // Invariant: whatever step the process dies at and however much trades while it is down,
  // after recovery every intended order reached the broker exactly once and the journal's
  // fills, statuses and per-agent positions agree with the broker.
  it('crash anywhere, trade while down, recover: exactly once and in agreement', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }),
        fc.constantFrom('store', 'submitted', 'before-send', 'after-send', 'ack'),
        fc.nat(),
        fc.integer({ min: 0, max: 3 }),
        fc.array(fc.constantFrom<'GTC' | 'DAY' | 'IOC'>('GTC', 'DAY', 'IOC'), { minLength: 6, maxLength: 6 }),
        async (n, kind, kRaw, barsWhileDown, tifs) => {
          const vs = views(makePanel({ AAA: flatBars(8, 10, 3000), BBB: flatBars(8, 20, 3000) }));
          const c = clock();
          const paper = new PaperBroker({ clock: c, config: ExecutionConfig.parse({}), mode: 'backtest', initialCash: 1e7, costModel: { slippageBps: 1, impactK: 0.1 } });
          paper.setMarket(row(vs, 0));
          const counted = new RecordingBroker(paper);
          const journal = new InMemoryOrderJournal();
          const orders: Order[] = Array.from({ length: n }, (_, i) =>
            makeOrder({
              id: `o${i}`,
              symbol: i % 2 ? 'BBB' : 'AAA',
              side: i % 3 === 2 ? 'SELL' : 'BUY',
              qty: 150 + 37 * i, // above the 300-share cap per bar for later orders: partial fills
              timeInForce: tifs[i] ?? 'GTC',
              allocations: [{ agentId: 'a', qty: 100 }, { agentId: 'b', qty: 50 + 37 * i }],
            }),
          );
          const id = `o${kRaw % n}`;
          const j =
            kind === 'store' ? new CrashingJournal(journal, { afterSavePendingOf: id })
            : kind === 'submitted' ? new CrashingJournal(journal, { afterEvent: { orderId: id, type: 'OrderSubmitted' } })
            : kind === 'ack' ? new CrashingJournal(journal, { afterEvent: { orderId: id, type: 'OrderAcknowledged' } })
            : journal;
          const b =
            kind === 'before-send' ? new RecordingBroker(counted, { beforeSubmitOf: id })
            : kind === 'after-send' ? new RecordingBroker(counted, { afterSubmitOf: id })
            : counted;
          await expect(oms(j, b, c).submitAll(orders)).rejects.toThrow(Crash);
          for (let t = 1; t <= barsWhileDown; t++) paper.onBar(row(vs, t));
          const restarted = oms(journal, counted, c);
          const report = await restarted.recover();
          await restarted.submitAll(orders);
          for (let t = barsWhileDown + 1; t <= barsWhileDown + 2; t++) paper.onBar(row(vs, t));
          await restarted.sync();

          expect(orders.map((o) => counted.delivered.get(o.id) ?? 0)).toEqual(orders.map(() => 1));
          expect(report.unknown).toEqual([]);
          for (const o of orders) {
            const mine = await journal.byClientId(o.id);
            const theirs = await paper.getOrderByClientId(o.id);
            expect(mine?.filledQty).toBe(theirs?.filledQty);
            expect(mine?.status).toBe(theirs?.status);
            if (theirs && theirs.filledQty > 0) expect(mine?.avgFillPrice).toBeCloseTo(theirs.avgFillPrice ?? 0, 9);
          }
          const state = replayOrderEvents(await journal.events());
          const net = new Map<string, number>();
          for (const p of state.positions.values()) net.set(p.symbol, (net.get(p.symbol) ?? 0) + Math.round(p.qty * 1e4));
          const brokerPos = await paper.positions();
          for (const p of brokerPos) expect(net.get(p.symbol)).toBe(Math.round(p.qty * 1e4));
          for (const [symbol, units] of net) if (!brokerPos.some((p) => p.symbol === symbol)) expect(units).toBe(0);
        },
      ),
      { numRuns: 150 },
    );
  });
});
