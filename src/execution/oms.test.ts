import { describe, expect, it } from 'vitest';
import type { SimClock } from '../core/index.ts';
import { ExecutionConfig, OmsConfig, type Order, type TradingState } from '../contracts/index.ts';
import type { MarketView } from '../market/index.ts';
import { KeelError } from '../core/index.ts';
import { InMemoryOrderJournal, Oms, PaperBroker, positionBreaks, replayOrderEvents, type Broker, type OrderEvent } from './index.ts';
import { Crash, CrashingJournal, RecordingBroker, type BrokerCrashPlan, type JournalCrashPlan } from './crash-support.ts';
import { clock, flatBars, makeOrder, makePanel, views } from './test-support.ts';

interface World {
  journal: InMemoryOrderJournal;
  paper: PaperBroker;
  broker: RecordingBroker;
  clock: SimClock;
  vs: MarketView[];
  state: { trading: TradingState };
}

function world(volume = 1e6): World {
  const vs = views(makePanel({ AAA: flatBars(5, 10, volume), BBB: flatBars(5, 20, volume), CCC: flatBars(5, 30, volume) }));
  const c = clock();
  const paper = new PaperBroker({ clock: c, config: ExecutionConfig.parse({}), mode: 'backtest', initialCash: 1e7, costModel: { slippageBps: 0, impactK: 0 } });
  paper.setMarket(row(vs, 0));
  return { journal: new InMemoryOrderJournal(), paper, broker: new RecordingBroker(paper), clock: c, vs, state: { trading: 'ACTIVE' } };
}

function row(vs: readonly MarketView[], i: number): MarketView {
  const v = vs[i];
  if (!v) throw new Error(`no row ${i}`);
  return v;
}

const noWait = { attempts: 3, baseMs: 1000, sleep: async () => {} };

function omsOver(w: World, plans: { broker?: BrokerCrashPlan; journal?: JournalCrashPlan; via?: Broker; config?: Record<string, number> } = {}): Oms {
  const inner = plans.via ?? w.broker;
  const broker = plans.broker ? new RecordingBroker(inner, plans.broker) : inner;
  const journal = plans.journal ? new CrashingJournal(w.journal, plans.journal) : w.journal;
  const prices: Record<string, number> = { AAA: 10, BBB: 20, CCC: 30 };
  return new Oms({
    journal,
    broker,
    clock: w.clock,
    config: OmsConfig.parse(plans.config ?? {}),
    market: { tradingState: () => w.state.trading, nav: () => 1e8, price: (s) => prices[s] ?? Number.NaN, positionQty: () => 0 },
    retry: noWait,
  });
}

/** A broker whose calls fail with `error` while `failing` is above zero (one call each). */
function flaky(inner: Broker, error: () => Error): Broker & { failing: number; calls: string[] } {
  const b = {
    failing: 0,
    calls: [] as string[],
    gate<T>(name: string, f: () => Promise<T>): Promise<T> {
      b.calls.push(name);
      if (b.failing > 0) {
        b.failing--;
        return Promise.reject(error());
      }
      return f();
    },
    submit: (o: Order) => b.gate('submit', () => inner.submit(o)),
    cancel: (id: string) => b.gate('cancel', () => inner.cancel(id)),
    account: () => b.gate('account', () => inner.account()),
    positions: () => b.gate('positions', () => inner.positions()),
    orders: (since?: string) => b.gate('orders', () => inner.orders(since)),
    getOrderByClientId: (id: string) => b.gate('lookup', () => inner.getOrderByClientId(id)),
  };
  return b;
}

const outage = () => new KeelError('KEEL_E_BROKER', 'alpaca GET /v2/orders:by_client_order_id failed with HTTP 503', { status: 503 });

const batch = (): Order[] =>
  ['AAA', 'BBB', 'CCC', 'AAA', 'BBB'].map((symbol, i) =>
    makeOrder({ id: `o${i}`, symbol, qty: 100 + i, allocations: [{ agentId: 'a', qty: 60 + i }, { agentId: 'b', qty: 40 }] }),
  );

describe('Oms', () => {
  it('stores, checks, sends and books fills per agent', async () => {
    const w = world();
    const oms = omsOver(w);
    const o = await oms.submit(makeOrder({ id: 'o1', qty: 100, allocations: [{ agentId: 'a', qty: 70 }, { agentId: 'b', qty: 30 }] }));
    expect(o.status).toBe('ACKNOWLEDGED');
    expect((await w.journal.events('o1')).map((e) => e.type)).toEqual(['OrderCreated', 'OrderSubmitted', 'OrderAcknowledged']);
    w.paper.onBar(row(w.vs, 1));
    const [done] = await oms.sync();
    expect(done).toMatchObject({ status: 'FILLED', filledQty: 100, avgFillPrice: 10 });
    const pos = replayOrderEvents(await w.journal.events()).positions;
    expect([...pos.values()].map((p) => [p.agentId, p.symbol, p.qty])).toEqual([['a', 'AAA', 70], ['b', 'AAA', 30]]);
  });

  it('compact forgets the events of finished orders only; their final state stays', async () => {
    const w = world();
    const oms = omsOver(w);
    await oms.submit(makeOrder({ id: 'done', qty: 100 }));
    w.paper.onBar(row(w.vs, 1));
    await oms.sync();
    await oms.submit(makeOrder({ id: 'open', symbol: 'BBB', qty: 50 }));
    w.journal.compact();
    expect(await w.journal.events('done')).toEqual([]);
    expect((await w.journal.events()).map((e) => e.orderId)).toEqual(['open', 'open', 'open']);
    expect((await w.journal.byClientId('done'))?.status).toBe('FILLED');
    expect((await w.journal.open()).map((o) => o.id)).toEqual(['open']);
    w.paper.onBar(row(w.vs, 2));
    const [filled] = await oms.sync();
    expect(filled).toMatchObject({ id: 'open', status: 'FILLED', filledQty: 50 });
  });

  it('stores every denial with the order (PENDING → REJECTED) and sends nothing', async () => {
    const w = world();
    const oms = omsOver(w);
    const o = await oms.submit(makeOrder({ id: 'big', qty: 200_000 })); // $2,000,000 and 2% of NAV
    expect(o.status).toBe('REJECTED');
    expect(o.denials).toEqual([{ code: 'ORDER_VALUE', message: expect.any(String), limit: 1_000_000, actual: 2_000_000 }]);
    expect(w.broker.delivered.size).toBe(0);
    expect((await w.journal.byClientId('big'))?.denials).toHaveLength(1);
  });

  it('HALTED sends nothing but still cancels; the sixth open order on a symbol is denied', async () => {
    const w = world();
    const oms = omsOver(w);
    const sent = await oms.submitAll([1, 2, 3, 4, 5, 6].map((i) => makeOrder({ id: `s${i}`, qty: 10, timeInForce: 'GTC' })));
    expect(sent.map((o) => o.status)).toEqual(['ACKNOWLEDGED', 'ACKNOWLEDGED', 'ACKNOWLEDGED', 'ACKNOWLEDGED', 'ACKNOWLEDGED', 'REJECTED']);
    expect(sent[5]?.denials[0]).toMatchObject({ code: 'OPEN_ORDERS', limit: 5, actual: 6 });
    w.state.trading = 'HALTED';
    const denied = await oms.submit(makeOrder({ id: 'h', symbol: 'BBB', qty: 1 }));
    expect(denied.denials.map((d) => d.code)).toEqual(['TRADING_HALTED']);
    expect((await oms.cancel('s1')).status).toBe('CANCELLED');
  });

  it('live paper mode: the ack already carries the fill, which the OMS books at once', async () => {
    const w = world();
    const live = new PaperBroker({ clock: w.clock, config: ExecutionConfig.parse({}), mode: 'live', initialCash: 1e6, costModel: { slippageBps: 0, impactK: 0 } });
    live.setMarket(row(w.vs, 2));
    const oms = omsOver({ ...w, broker: new RecordingBroker(live) });
    const o = await oms.submit(makeOrder({ id: 'l1', symbol: 'BBB', qty: 5 }));
    expect(o).toMatchObject({ status: 'FILLED', filledQty: 5, avgFillPrice: 20 });
    expect((await w.journal.events('l1')).map((e) => e.type)).toEqual(['OrderCreated', 'OrderSubmitted', 'OrderAcknowledged', 'OrderFilled']);
  });

  it('refuses an order whose allocations do not sum to its quantity (a broken invariant)', async () => {
    const w = world();
    await expect(omsOver(w).submit(makeOrder({ id: 'bad', qty: 10, allocations: [{ agentId: 'a', qty: 9 }] }))).rejects.toThrow(/allocations sum to 9/);
    expect(await w.journal.byClientId('bad')).toBeNull();
  });

  it('submitting the same order id twice sends it once', async () => {
    const w = world();
    const oms = omsOver(w);
    await oms.submit(makeOrder({ id: 'x' }));
    await oms.submit(makeOrder({ id: 'x' }));
    expect(w.broker.delivered.get('x')).toBe(1);
  });
});

describe('journal access', () => {
  /** Submits, fills, cancels and denies through `oms`, returning what the OMS answered. */
  async function scenario(w: World, oms: Oms): Promise<Order[]> {
    const gtc = (o: Order): Order => ({ ...o, timeInForce: 'GTC' });
    const out = await oms.submitAll([...batch().map(gtc), makeOrder({ id: 'big', qty: 200_000 }), makeOrder({ id: 'g', symbol: 'BBB', qty: 7, timeInForce: 'GTC' })]);
    w.paper.onBar(row(w.vs, 1));
    out.push(...(await oms.sync()));
    out.push(await oms.submit(makeOrder({ id: 'later', symbol: 'CCC', qty: 3, timeInForce: 'GTC' })));
    out.push(await oms.cancel('later'), await oms.cancel('o0'));
    w.paper.onBar(row(w.vs, 2));
    out.push(...(await oms.sync()));
    return out;
  }

  // Invariant: the OMS writes the same events in the same order, and answers the same, whether
  // the journal answers at once (in memory) or only through promises (storage).
  it('an in-memory journal and the same journal behind promises record identical histories', async () => {
    // 600 shares a bar, 60 tradable per symbol (10% cap): partial fills whose split and
    // commission depend on the fills before them
    const direct = world(600);
    const viaPromises = world(600);
    const a = await scenario(direct, omsOver(direct));
    const b = await scenario(viaPromises, omsOver(viaPromises, { journal: {} })); // a CrashingJournal that never crashes: promises only
    expect(b).toEqual(a);
    expect(await viaPromises.journal.events()).toEqual(await direct.journal.events());
    const types = (await direct.journal.events()).map((e) => e.type);
    expect(types.filter((t) => t === 'OrderPartiallyFilled').length).toBeGreaterThanOrEqual(3);
    expect(types).toContain('OrderFilled');
    expect(a.map((o) => o.status)).toContain('REJECTED');
  });

  it('a journal subclass that overrides the async methods is called through them', async () => {
    class Counting extends InMemoryOrderJournal {
      appended: string[] = [];
      override async appendEvent(e: OrderEvent): Promise<void> {
        this.appended.push(e.type);
        return super.appendEvent(e);
      }
    }
    const w = world();
    const journal = new Counting();
    await omsOver({ ...w, journal }).submit(makeOrder({ id: 'o1' }));
    expect(journal.appended).toEqual(['OrderSubmitted', 'OrderAcknowledged']);
  });
});

type CrashKind = 'after store' | 'after submitted recorded' | 'before broker receives' | 'after broker accepted';

async function crashAndRestart(kind: CrashKind, k: number): Promise<World> {
  const w = world();
  const orders = batch();
  const id = `o${k}`;
  const plans =
    kind === 'after store'
      ? { journal: { afterSavePendingOf: id } }
      : kind === 'after submitted recorded'
        ? { journal: { afterEvent: { orderId: id, type: 'OrderSubmitted' as const } } }
        : kind === 'before broker receives'
          ? { broker: { beforeSubmitOf: id } }
          : { broker: { afterSubmitOf: id } };
  await expect(omsOver(w, plans).submitAll(orders)).rejects.toThrow(Crash);
  // restart: a new OMS over the same journal and broker state
  const oms = omsOver(w);
  await oms.recover();
  await oms.submitAll(orders); // the fund re-runs the same (deterministic) batch
  return w;
}

describe('crash safety: every intended order reaches the broker exactly once', () => {
  const kinds: CrashKind[] = ['after store', 'after submitted recorded', 'before broker receives', 'after broker accepted'];
  for (const kind of kinds) {
    it(`crash ${kind}, at each position of a batch`, async () => {
      for (let k = 0; k < batch().length; k++) {
        const w = await crashAndRestart(kind, k);
        const ids = batch().map((o) => o.id);
        expect(ids.map((id) => w.broker.delivered.get(id) ?? 0)).toEqual(ids.map(() => 1));
        expect(w.paper.orderCount()).toBe(ids.length);
        const open = await w.journal.open();
        expect(open.every((o) => o.status === 'ACKNOWLEDGED')).toBe(true);
        expect(open).toHaveLength(ids.length);
      }
    });
  }

  it('adopts fills made while Keel was down and splits them over the agents', async () => {
    const w = world();
    await expect(omsOver(w, { broker: { afterSubmitOf: 'o2' } }).submitAll(batch())).rejects.toThrow(Crash);
    w.paper.onBar(row(w.vs, 1)); // the market trades while Keel is down: o0, o1, o2 fill
    const oms = omsOver(w);
    const report = await oms.recover();
    expect(report.adopted.map((e) => `${e.orderId}:${e.type}`)).toEqual(['o0:OrderFilled', 'o1:OrderFilled', 'o2:OrderAcknowledged', 'o2:OrderFilled']);
    expect(report.unsent).toEqual([]);
    expect(report.unknown).toEqual([]);
    const o2 = await w.journal.byClientId('o2');
    expect(o2).toMatchObject({ status: 'FILLED', filledQty: 102, avgFillPrice: 30, brokerOrderId: 'paper-o2' });
    const fill = (await w.journal.events('o2')).find((e) => e.type === 'OrderFilled');
    expect(fill?.type === 'OrderFilled' ? fill.fill.allocations : []).toEqual([{ agentId: 'a', qty: 62 }, { agentId: 'b', qty: 40 }]);
  });

  it('flags broker orders the journal does not know; the ledger (not the journal) is compared with the broker positions', async () => {
    const w = world();
    await w.paper.submit(makeOrder({ id: 'manual-1', qty: 5 })); // placed by hand at the broker
    w.paper.onBar(row(w.vs, 1));
    const report = await omsOver(w).recover();
    expect(report.unknown.map((o) => o.clientOrderId)).toEqual(['manual-1']);
    const ledger = new Map([['AAA', 0], ['BBB', 7]]);
    expect(positionBreaks(ledger, await w.paper.positions())).toEqual([
      { symbol: 'AAA', ledgerQty: 0, brokerQty: 5 },
      { symbol: 'BBB', ledgerQty: 7, brokerQty: 0 },
    ]);
  });

  it('an unsent order of another cycle is cancelled on recovery, never sent late; one of the running cycle is sent', async () => {
    const w = world();
    const orders = batch().map((o, i) => ({ ...o, cycleId: i === 0 ? 'day-1' : 'day-2' }));
    await expect(omsOver(w, { journal: { afterSavePendingOf: 'o1' } }).submitAll(orders)).rejects.toThrow(Crash);
    const o0 = await w.journal.byClientId('o0');
    expect(o0?.status).toBe('ACKNOWLEDGED');
    // o0 was sent; o1 (day-2) was stored but never sent. Simulate a day-1 order lost on its way: stored SUBMITTED, unknown to the broker.
    await w.journal.savePending(makeOrder({ id: 'lost', cycleId: 'day-1' }));
    await w.journal.appendEvent({ type: 'OrderSubmitted', orderId: 'lost', at: o0?.createdAt ?? '' });
    const report = await omsOver(w).recover({ isCurrent: (o) => o.cycleId === 'day-2' });
    expect(report.cancelled.map((o) => [o.id, o.status])).toEqual([['lost', 'CANCELLED']]);
    expect(report.resent.map((o) => [o.id, o.status])).toEqual([['o1', 'ACKNOWLEDGED']]);
    expect(w.broker.delivered.has('lost')).toBe(false);
    expect((await w.journal.events('lost')).at(-1)).toMatchObject({ type: 'OrderCancelled', reason: expect.stringContaining('never sent late') });
  });

  it('a broker lookup that fails transiently is retried; one that keeps failing stops recovery with KEEL_E_UNRECONCILED', async () => {
    const w = world();
    await expect(omsOver(w, { broker: { afterSubmitOf: 'o1' } }).submitAll(batch())).rejects.toThrow(Crash);
    const b = flaky(w.broker, outage);
    b.failing = 2; // less than the 3 attempts
    const report = await omsOver(w, { via: b }).recover();
    expect(report.adopted.map((e) => `${e.orderId}:${e.type}`)).toEqual(['o1:OrderAcknowledged']);
    expect(report.resent.map((o) => o.id)).toEqual([]);
    expect(b.calls.slice(0, 3)).toEqual(['lookup', 'lookup', 'lookup']);
    b.failing = 1_000;
    await expect(omsOver(w, { via: b }).recover()).rejects.toMatchObject({ code: 'KEEL_E_UNRECONCILED', message: expect.stringContaining('after 3 attempts') });
    b.failing = 0;
    expect((await omsOver(w, { via: b }).recover()).unsent).toEqual([]);
  });

  it('a 4xx answer to a lookup is not retried', async () => {
    const w = world();
    await omsOver(w).submit(makeOrder({ id: 'o1' }));
    const b = flaky(w.broker, () => new KeelError('KEEL_E_FORBIDDEN', 'alpaca GET /v2/orders:by_client_order_id failed with HTTP 403', { status: 403 }));
    b.failing = 1;
    await expect(omsOver(w, { via: b }).recover()).rejects.toMatchObject({ code: 'KEEL_E_UNRECONCILED' });
    expect(b.calls).toEqual(['lookup']);
  });
});

describe('orders worked in one batch', () => {
  it('sends orders written ahead as PENDING, and returns the ones already sent as they are', async () => {
    const w = world();
    const orders = batch();
    for (const o of orders) await w.journal.savePending(o);
    const sent = await omsOver(w).submitAll(orders);
    expect(sent.map((o) => o.status)).toEqual(orders.map(() => 'ACKNOWLEDGED'));
    const again = await omsOver(w).submitAll(orders);
    expect(again).toEqual(sent);
    expect(orders.map((o) => w.broker.delivered.get(o.id))).toEqual(orders.map(() => 1));
  });

  it("the children of one planned order count once against the open-order limit (other orders each count), and each is checked with the earlier ones' shares", async () => {
    const w = world();
    // limit 2 open orders per symbol; concentration 10% of $100M = $10M: 900k AAA shares ($9M) pass in three children, a fourth 200k ($2M) does not
    const config = { maxOpenOrdersPerSymbol: 2, maxPositionConcentration: 0.1, maxOrderValue: 5_000_000 };
    const kids = [0, 1, 2].map((i) => makeOrder({ id: `p:${i}`, qty: 300_000 }));
    const familyOf = (o: Order) => o.id.split(':')[0] ?? o.id;
    const sent = await omsOver(w, { config }).submitAll([...kids, makeOrder({ id: 'p:3', qty: 200_000 })], { familyOf });
    expect(sent.map((o) => o.status)).toEqual(['ACKNOWLEDGED', 'ACKNOWLEDGED', 'ACKNOWLEDGED', 'REJECTED']);
    expect(sent[3]?.denials.map((d) => d.code)).toEqual(['CONCENTRATION']);
    // a later batch sees one open family in AAA: one more is allowed, a second is not
    const later = await omsOver(w, { config }).submitAll([makeOrder({ id: 'q:0', qty: 1, side: 'SELL' }), makeOrder({ id: 'q:1', qty: 1, side: 'SELL' })], { familyOf });
    expect(later.map((o) => o.status)).toEqual(['ACKNOWLEDGED', 'ACKNOWLEDGED']);
    const third = await omsOver(w, { config }).submit(makeOrder({ id: 's:0', qty: 1, side: 'SELL' }));
    expect(third.denials.map((d) => d.code)).toEqual(['OPEN_ORDERS']);
  });

  it('settle sends an unanswered order again within its cycle: adopted if it had arrived, sent once if not', async () => {
    const w = world();
    const b = flaky(w.broker, outage);
    b.failing = 1;
    const [o] = await omsOver(w, { via: b }).submitAll([makeOrder({ id: 'x:0' })]);
    expect(o?.status).toBe('SUBMITTED');
    expect(w.broker.delivered.get('x:0')).toBeUndefined();
    const [settled] = await omsOver(w, { via: b }).settle(o ? [o] : []);
    expect(settled?.status).toBe('ACKNOWLEDGED');
    expect(w.broker.delivered.get('x:0')).toBe(1);
    // still unreachable: it stays SUBMITTED for the next start's reconciliation
    b.failing = 1_000;
    const [y] = await omsOver(w, { via: b }).submitAll([makeOrder({ id: 'y:0' })]);
    const [stuck] = await omsOver(w, { via: b }).settle(y ? [y] : []);
    expect(stuck?.status).toBe('SUBMITTED');
    expect(b.calls.filter((c) => c === 'submit')).toHaveLength(1 + 1 + 1 + 2);
  });
});
