// The books follow the broker (issue 14): a live cycle killed at any order submission and run
// again sends no order twice and leaves books equal to the broker's positions; the ledger adopts
// the broker's truth; a broker that keeps failing halts the fund; every position is explained by
// stored fills. In process, against a broker whose state outlives Keel's runs (the paper
// simulator behind a plain object, as Alpaca is to Keel); the same through `keel run --once`
// and a fake Alpaca server is in test/integration/cli/crash-run.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultFundConfigInput, parseFundConfig, type FundConfig, type MacroObservation, type Order } from '../../../src/contracts/index.ts';
import { KeelError, nullLogger, RandomIds, SimClock } from '../../../src/core/index.ts';
import { PaperBroker, type Broker, type BrokerAck, type BrokerOrder, type BrokerPosition } from '../../../src/execution/index.ts';
import { AlertManager, runLiveCycle, type LiveCycleOutcome } from '../../../src/fund/index.ts';
import { generateSyntheticMarket, syntheticBars, viewAt, type MarketView, type Panel } from '../../../src/market/index.ts';
import { loadMarket } from '../../../src/fund/index.ts';
import { openStore, type Repos, type Store } from '../../../src/store/index.ts';

let store: Store;
let panel: Panel;
let dates: string[] = [];
const home = '/nonexistent-keel-home';
const noWait = { attempts: 3, baseMs: 1, sleep: async () => {} };

beforeAll(async () => {
  store = await openStore({ memory: true });
  const m = generateSyntheticMarket({ symbols: 30, years: 1.2, seed: 7 });
  dates = [...m.dates];
  await store.instruments.upsert(m.instruments);
  await store.bars.load(syntheticBars(m));
  const macro: MacroObservation[] = [];
  for (const [name, values] of new Map<string, Float64Array>([['market', m.index], ['vix', m.vix], ...m.factors])) {
    m.dates.forEach((date, t) => macro.push({ version: 1, series: name, date, releaseTime: `${date}T21:00:00.000Z`, value: values[t] ?? Number.NaN }));
  }
  await store.macro.insertMany(macro);
  await store.fundamentals.insertMany([...m.fundamentals.values()].flat());
  panel = (await loadMarket(store)).panel;
}, 60_000);
afterAll(() => store.close());

/** A fund of two agents; each test uses its own fund id (its own books, orders and ledger). */
function fund(id: string, over: Record<string, unknown> = {}): FundConfig {
  const base = defaultFundConfigInput(10_000_000);
  return parseFundConfig({
    ...base,
    fund: { id, name: id, totalCapital: 10_000_000, mode: 'autonomous' },
    agents: (base.agents ?? []).slice(0, 2).map((a) => ({ ...a, allocatedCapital: 4_000_000 })),
    data: { minHistoryRows: 100, degradedMinRows: 50 },
    oms: { maxOrderValue: 400_000 },
    ...over,
  });
}

/** The process dying at a chosen point: nothing after the throw runs. */
class Killed extends Error {}

/**
 * A broker whose state outlives Keel's runs: the paper simulator (fills at the close on receipt)
 * behind a plain object, so Keel treats it as a venue of its own. It counts every submission it
 * receives and can die around the n-th one, or fail like an unreachable server.
 */
class Venue implements Broker {
  readonly paper: PaperBroker;
  readonly received = new Map<string, number>();
  posts = 0;
  kill: { n: number; when: 'before' | 'after' } | null = null;
  /** Calls to fail (a 503) before answering again. */
  outage = 0;

  /** `works`: orders are accepted and work until a next bar that never comes here (nothing fills). */
  constructor(config: FundConfig, clock: SimClock, works = false) {
    this.paper = new PaperBroker({ clock, config: config.execution, mode: works ? 'backtest' : 'live', initialCash: config.fund.totalCapital });
  }
  at(view: MarketView): this {
    this.paper.setMarket(view);
    return this;
  }
  private gate(): void {
    if (this.outage > 0) {
      this.outage--;
      throw new KeelError('KEEL_E_BROKER', 'alpaca GET /v2/orders:by_client_order_id failed with HTTP 503', { status: 503 });
    }
  }
  async submit(o: Order): Promise<BrokerAck> {
    this.gate();
    this.posts++;
    if (this.kill?.when === 'before' && this.posts === this.kill.n) throw new Killed(`killed before submission ${this.posts}`);
    this.received.set(o.id, (this.received.get(o.id) ?? 0) + 1);
    const ack = await this.paper.submit(o);
    if (this.kill?.when === 'after' && this.posts === this.kill.n) throw new Killed(`killed after submission ${this.posts}`);
    return ack;
  }
  async cancel(id: string): Promise<void> {
    this.gate();
    return this.paper.cancel(id);
  }
  account() {
    return this.paper.account();
  }
  async positions(): Promise<BrokerPosition[]> {
    this.gate();
    return this.paper.positions();
  }
  async orders(since?: string): Promise<BrokerOrder[]> {
    this.gate();
    return this.paper.orders(since);
  }
  async getOrderByClientId(id: string): Promise<BrokerOrder | null> {
    this.gate();
    return this.paper.getOrderByClientId(id);
  }
}

const asOf = (back: number): string => dates[dates.length - back] ?? '';

function run(config: FundConfig, venue: Venue, day: string, clock: SimClock, on: Store = store): Promise<LiveCycleOutcome> {
  venue.at(viewAt(panel, panel.dates.indexOf(day)));
  // the venue stands in for the broker the kernel would open (a paper broker with faults)
  const alerts = new AlertManager({ clock, ids: new RandomIds(), channels: [], logger: nullLogger });
  return runLiveCycle({ store: on, config, mode: 'paper', home, asOf: day, logger: nullLogger, clock, openBroker: () => Promise.resolve({ broker: venue, kind: 'paper', alpaca: null }), alerts, retry: noWait });
}

/** The store, except that the process dies while storing the cycle (its transaction rolls back): after every order was sent. */
function dyingOnSave(s: Store): Store {
  const bound = (o: object) => (k: string | symbol) => {
    const v: unknown = Reflect.get(o, k);
    return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(o) : v;
  };
  const txOf = (tx: Repos): Repos =>
    new Proxy(tx, {
      get: (t, k) => (k === 'cycles' ? new Proxy(t.cycles, { get: (c, m) => (m === 'finish' ? () => Promise.reject(new Killed('killed while storing the cycle')) : bound(c)(m)) }) : bound(t)(k)),
    });
  return new Proxy(s, {
    get: (t, k) => (k === 'transaction' ? <T>(fn: (tx: Repos) => Promise<T>) => t.transaction((tx) => fn(txOf(tx))) : bound(t)(k)),
  });
}

/** Signed shares per symbol over every stored book of the fund (what the next cycle trades from). */
async function storedBooks(fundId: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const b of (await store.ledger.load(fundId))?.books ?? []) for (const h of b.holdings) out.set(h.symbol, (out.get(h.symbol) ?? 0) + h.qty4);
  return new Map([...out].filter(([, u]) => u !== 0).map(([s, u]) => [s, u / 1e4]));
}

async function brokerBooks(v: Venue): Promise<Map<string, number>> {
  return new Map((await v.paper.positions()).filter((p) => p.qty !== 0).map((p) => [p.symbol, Math.round(p.qty * 1e4) / 1e4]));
}

const sorted = (m: Map<string, number>) => [...m].sort(([a], [b]) => (a < b ? -1 : 1));

describe('a live cycle killed at an order submission, then run again', () => {
  // Kill points: the first
  // two, the middle and the last two, each before the broker got it and after (its reply lost),
  // and after the last one.
  it('sends no order twice and leaves the books equal to the broker', async () => {
    const day1 = asOf(2);
    const day2 = asOf(1);
    // the reference: the same cycles, never interrupted
    const refConfig = fund('ref');
    const ref = new Venue(refConfig, new SimClock(Date.parse(`${day1}T21:00:00.000Z`)));
    const refOut = await run(refConfig, ref, day1, new SimClock(Date.parse(`${day1}T21:00:00.000Z`)));
    expect(refOut.status).toBe('COMPLETED');
    const n = ref.posts;
    expect(n).toBeGreaterThanOrEqual(6);
    // orders above oms.maxOrderValue went out as children, never refused for their size
    const refOrders = refOut.status === 'COMPLETED' ? refOut.result.orders : [];
    expect(refOrders.some((o) => o.id.endsWith(':1'))).toBe(true);
    expect(refOrders.filter((o) => o.denials.some((d) => d.code === 'ORDER_VALUE'))).toEqual([]);
    const refIds = [...ref.received.keys()].map((id) => id.replace('ref-', '')).sort();
    const refBooks = sorted(await brokerBooks(ref));
    const refDay2 = await run(refConfig, ref, day2, new SimClock(Date.parse(`${day2}T21:00:00.000Z`)));
    expect(refDay2.status).toBe('COMPLETED');
    const refBooks2 = sorted(await brokerBooks(ref));

    let killPoints = 0;
    const ks = [...new Set([1, 2, Math.ceil(n / 2), n - 1, n, n + 1])];
    for (const k of ks) {
      for (const when of ['before', 'after'] as const) {
        if (k === n + 1 && when === 'before') continue; // "after its last one" is k = n + 1 before: no such submission, so killed after the cycle sent everything
        const config = fund(`kill-${k}-${when}`);
        const clock = new SimClock(Date.parse(`${day1}T21:00:00.000Z`));
        const venue = new Venue(config, clock);
        venue.kill = k <= n ? { n: k, when } : null;
        // k = n + 1: killed after the last submission, while the cycle was being stored (nothing of it commits)
        await expect(run(config, venue, day1, clock, k <= n ? store : dyingOnSave(store))).rejects.toBeInstanceOf(Killed);
        killPoints++;
        venue.kill = null;
        clock.advance(60_000);
        const again = await run(config, venue, day1, clock);
        expect(again.status, `rerun after kill ${k} ${when}`).toBe('COMPLETED');
        // no order reached the broker twice, and it got exactly the reference's orders
        expect([...venue.received.values()].every((c) => c === 1), `kill ${k} ${when}: an order was sent twice`).toBe(true);
        const strip = (id: string) => id.replace(`${config.fund.id}-`, '');
        expect([...venue.received.keys()].map(strip).sort()).toEqual(refIds);
        // the books the next cycle trades from are the broker's positions, which are the reference's
        expect(sorted(await storedBooks(config.fund.id)), `kill ${k} ${when}`).toEqual(sorted(await brokerBooks(venue)));
        expect(sorted(await brokerBooks(venue))).toEqual(refBooks);
        // and the next cycle trades from them as the uninterrupted fund does
        if (k === 1 || k === n || k === n + 1) {
          clock.set(Date.parse(`${day2}T21:00:00.000Z`));
          expect((await run(config, venue, day2, clock)).status).toBe('COMPLETED');
          expect(sorted(await storedBooks(config.fund.id))).toEqual(sorted(await brokerBooks(venue)));
          expect(sorted(await brokerBooks(venue))).toEqual(refBooks2);
          expect(venue.received.size).toBe(ref.received.size);
        }
      }
    }
    expect(killPoints).toBe(2 * ks.length - 1);
  }, 600_000);
});

/** Every book's positions, from its stored fills (broker fills, crosses, adjustments): signed 1e-4 units per book and symbol. */
async function fromFills(fundId: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const { fill } of await store.fills.listBooked(fundId)) {
    const sign = fill.side === 'BUY' ? 1 : -1;
    const allocs = fill.allocations.length > 0 ? fill.allocations : [{ agentId: '_fund', qty: fill.qty }];
    for (const a of allocs) {
      const k = `${a.agentId}/${fill.symbol}`;
      out.set(k, (out.get(k) ?? 0) + sign * Math.round(a.qty * 1e4));
    }
  }
  return new Map([...out].filter(([, u]) => u !== 0));
}

async function ledgerUnits(fundId: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const b of (await store.ledger.load(fundId))?.books ?? []) for (const h of b.holdings) out.set(`${b.agentId}/${h.symbol}`, h.qty4);
  return out;
}

describe('the ledger follows the broker', () => {
  it("adopts the broker's positions where the books differ: an ADJUSTMENT fill of the fund book, journaled, audited and alerted", async () => {
    const config = fund('adopt');
    const day1 = asOf(2);
    const clock = new SimClock(Date.parse(`${day1}T21:00:00.000Z`));
    const venue = new Venue(config, clock);
    expect((await run(config, venue, day1, clock)).status).toBe('COMPLETED');
    // someone trades by hand on the account: 25 shares Keel never ordered
    const [symbol] = (await brokerBooks(venue)).keys();
    const now = new Date(clock.now()).toISOString();
    await venue.paper.submit({ version: 1, traceId: 'by-hand', id: 'by-hand-1', fundId: 'adopt', cycleId: null, symbol: symbol ?? '', side: 'BUY', type: 'MARKET', timeInForce: 'DAY', qty: 25, limitPrice: null, stopPrice: null, status: 'PENDING', filledQty: 0, avgFillPrice: null, decisionPrice: null, brokerOrderId: null, allocations: [], denials: [], createdAt: now, updatedAt: now });
    const before = await storedBooks('adopt');
    clock.set(Date.parse(`${asOf(1)}T21:00:00.000Z`));
    const out = await run(config, venue, asOf(1), clock);
    expect(out.status).toBe('COMPLETED');
    const adjustments = await store.fills.listBooked('adopt', { kind: 'ADJUSTMENT' });
    expect(adjustments.map((a) => [a.fill.symbol, a.fill.side, a.fill.qty, a.fill.allocations])).toEqual([[symbol, 'BUY', 25, [{ agentId: '_fund', qty: 25 }]]]);
    expect((await store.ledger.load('adopt'))?.books.find((b) => b.agentId === '_fund')?.holdings.find((h) => h.symbol === symbol)?.qty4).toBe(250_000);
    expect(sorted(await storedBooks('adopt'))).toEqual(sorted(await brokerBooks(venue)));
    expect((before.get(symbol ?? '') ?? 0) + 25).toBeCloseTo((await brokerBooks(venue)).get(symbol ?? '') ?? 0, 4);
    const alerts = await store.alerts.list({ fundId: 'adopt' });
    expect(alerts.map((a) => a.title)).toEqual(expect.arrayContaining(['unknown broker orders', 'books differed from the broker in 1 name(s)']));
    const journal = await store.journal.list('adopt');
    expect(journal.find((j) => j.kind === 'RECONCILIATION')?.body).toContain(`${symbol} `);
    expect((await store.audit.verify()).ok).toBe(true);
    expect((await store.reconciliations.latest('adopt'))?.report).toMatchObject({ unknown: ['by-hand-1'], breaks: [{ symbol, brokerQty: expect.any(Number) }] });
    // every position of every book is explained by its stored fills, the adjustment included
    expect(sorted(await fromFills('adopt'))).toEqual(sorted(await ledgerUnits('adopt')));
  });

  it('a broker that keeps failing halts the fund with an alert and sends nothing; a short outage is retried and trades', async () => {
    const config = fund('outage');
    const day = asOf(1);
    const clock = new SimClock(Date.parse(`${day}T21:00:00.000Z`));
    const venue = new Venue(config, clock);
    venue.outage = 1_000;
    const out = await run(config, venue, day, clock);
    expect(out.status).toBe('REFUSED');
    expect(out.status === 'REFUSED' ? out.reason : '').toMatch(/could not be reconciled with the broker .*503.*HALTED/);
    expect(venue.posts).toBe(0);
    expect((await store.funds.get('outage'))?.tradingState).toBe('HALTED');
    expect((await store.alerts.list({ fundId: 'outage' })).map((a) => [a.severity, a.title])).toContainEqual(['CRITICAL', 'fund HALTED: books not reconciled with the broker']);
    expect((await store.reconciliations.latest('outage'))?.ok).toBe(false);
    expect((await store.journal.list('outage'))[0]?.kind).toBe('RECONCILIATION');
    // re-armed by a person; the broker now fails twice (less than the three attempts) and answers
    await store.funds.setTradingState('outage', 'ACTIVE');
    venue.outage = 2;
    const again = await run(config, venue, day, clock);
    expect(again.status).toBe('COMPLETED');
    expect(venue.posts).toBeGreaterThan(0);
    expect(sorted(await storedBooks('outage'))).toEqual(sorted(await brokerBooks(venue)));
  });

  it("an order of an earlier cycle the broker never received is cancelled, never sent beside the next day's orders", async () => {
    const config = fund('late');
    const day1 = asOf(2);
    const clock = new SimClock(Date.parse(`${day1}T21:00:00.000Z`));
    const venue = new Venue(config, clock);
    venue.kill = { n: 3, when: 'before' };
    await expect(run(config, venue, day1, clock)).rejects.toBeInstanceOf(Killed);
    venue.kill = null;
    const unsent = (await store.orders.listOpen('late')).filter((o) => !venue.received.has(o.id));
    expect(unsent.length).toBeGreaterThan(0);
    clock.set(Date.parse(`${asOf(1)}T21:00:00.000Z`));
    expect((await run(config, venue, asOf(1), clock)).status).toBe('COMPLETED');
    for (const o of unsent) {
      expect(venue.received.has(o.id), o.id).toBe(false);
      expect((await store.orders.findByClientOrderId(o.id))?.status).toBe('CANCELLED');
    }
    expect([...venue.received.values()].every((c) => c === 1)).toBe(true);
    expect(sorted(await storedBooks('late'))).toEqual(sorted(await brokerBooks(venue)));
    expect(sorted(await fromFills('late'))).toEqual(sorted(await ledgerUnits('late')));
  });

  it('the planner nets open orders: orders still working at the broker are not bought again the next day', async () => {
    const config = fund('open');
    const day1 = asOf(2);
    const clock = new SimClock(Date.parse(`${day1}T21:00:00.000Z`));
    const venue = new Venue(config, clock, true);
    const d1 = await run(config, venue, day1, clock);
    if (d1.status !== 'COMPLETED') throw new Error('day 1 did not complete');
    const gross = (orders: readonly Order[]) => orders.reduce((s, o) => s + o.qty * (o.decisionPrice ?? 0), 0);
    expect(d1.result.orders.every((o) => o.status === 'ACKNOWLEDGED')).toBe(true);
    clock.set(Date.parse(`${asOf(1)}T21:00:00.000Z`));
    const d2 = await run(config, venue, asOf(1), clock);
    if (d2.status !== 'COMPLETED') throw new Error('day 2 did not complete');
    // what day 1 ordered is on its way: day 2 orders only the change of targets, a fraction of it
    expect(gross(d2.result.orders)).toBeLessThan(0.5 * gross(d1.result.orders));
    const twice = d2.result.orders.filter((o) => d1.result.orders.some((p) => p.symbol === o.symbol && p.side === o.side && Math.abs(p.qty - o.qty) < 1e-3));
    expect(twice).toEqual([]);
  });
});
