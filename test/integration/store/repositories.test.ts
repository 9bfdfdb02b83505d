import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OverlayDecision } from '../../../src/contracts/index.ts';
import { IllegalTransitionError } from '../../../src/core/index.ts';
import { createRepos, type Store } from '../../../src/store/index.ts';
import { DRIVERS } from './drivers.ts';
import { alert, decision, fill, order, overlayDecision, position, riskAction, T0, T1 } from './fixtures.ts';

describe.each(DRIVERS)('repositories on $name', (driver) => {
  let store: Store;
  beforeAll(async () => {
    store = await driver.open();
  });
  afterAll(async () => {
    await store.close();
  });

  describe('fund hedges', () => {
    it('round-trips a cycle\'s hedge-book rows (signed shares to 1e-4, dollars to the cent), replaces a re-stored cycle\'s, lists by date', async () => {
      const row = { fundId: 'FH', cycleId: 'c-1', asOf: '2024-06-03', instrument: 'SPY', kind: 'beta' as const, targetQty: -15_432.12345, targetNotional: -7_000_000.456,
        currentQty: 0, price: 453.6, exposureBefore: 7_000_000.12, exposureAfter: 0, reason: 'aggregate beta 0.70× capital beyond ±0.3: short SPY' };
      await store.hedges.insertMany([row]);
      await store.hedges.insertMany([{ ...row, cycleId: 'c-2', asOf: '2024-06-04', targetQty: 0, targetNotional: 0, currentQty: -15_432.1235, exposureBefore: null, exposureAfter: null, reason: 'unwound' }]);
      await store.hedges.insertMany([{ ...row, targetQty: -15_000 }]); // c-1 again: replaced
      const rows = await store.hedges.list('FH');
      expect(rows).toEqual([
        { ...row, targetQty: -15_000, targetNotional: -7_000_000.46 },
        { ...row, cycleId: 'c-2', asOf: '2024-06-04', targetQty: 0, targetNotional: 0, currentQty: -15_432.1235, exposureBefore: null, exposureAfter: null, reason: 'unwound' },
      ]);
      expect((await store.hedges.list('FH', { from: '2024-06-04' })).map((r) => r.cycleId)).toEqual(['c-2']);
      expect((await store.hedges.list('FH', { limit: 1 })).map((r) => r.cycleId)).toEqual(['c-2']);
      expect(await store.hedges.list('other')).toEqual([]);
    });
  });

  describe('orders, events and fills', () => {
    it('round-trips an order through the contract and finds it by client order id', async () => {
      const o = order('o-1');
      await store.orders.insertPending(o);
      expect(await store.orders.findByClientOrderId('o-1')).toEqual(o);
      expect(await store.orders.findByClientOrderId('nope')).toBeUndefined();
    });

    it('transitions with an appended event, and refuses a stale transition', async () => {
      const sub = await store.orders.transition('o-1', { from: 'PENDING', to: 'SUBMITTED', at: T1, eventType: 'OrderSubmitted',
        brokerOrderId: 'brk-1' });
      expect(sub).toMatchObject({ status: 'SUBMITTED', brokerOrderId: 'brk-1', updatedAt: T1 });
      const part = await store.orders.transition('o-1', { from: 'SUBMITTED', to: 'PARTIALLY_FILLED', at: T1,
        eventType: 'OrderPartiallyFilled', filledQty: 100.0001, avgFillPrice: 189.0999, payload: { fillId: 'f-1' } });
      expect(part).toMatchObject({ filledQty: 100.0001, avgFillPrice: 189.0999, brokerOrderId: 'brk-1' });
      await expect(
        store.orders.transition('o-1', { from: 'SUBMITTED', to: 'FILLED', at: T1, eventType: 'OrderFilled' }),
      ).rejects.toBeInstanceOf(IllegalTransitionError);
      const events = await store.orders.events('o-1');
      expect(events.map((e) => [e.seq, e.type, e.fromStatus, e.toStatus])).toEqual([
        [1, 'OrderCreated', null, 'PENDING'],
        [2, 'OrderSubmitted', 'PENDING', 'SUBMITTED'],
        [3, 'OrderPartiallyFilled', 'SUBMITTED', 'PARTIALLY_FILLED'],
      ]);
      expect(events[2]?.payload).toEqual({ fillId: 'f-1' });
      expect((await store.orders.findByBrokerOrderId('brk-1'))?.id).toBe('o-1');
    });

    it('lists open orders only', async () => {
      await store.orders.insertPending(order('o-2', { side: 'SELL', type: 'MARKET', limitPrice: null }));
      await store.orders.insertPending(order('o-3'));
      await store.orders.transition('o-3', { from: 'PENDING', to: 'REJECTED', at: T1, eventType: 'OrderRejected' });
      expect((await store.orders.listOpen('F1')).map((o) => o.id)).toEqual(['o-1', 'o-2']);
      expect(await store.orders.listOpen('other-fund')).toEqual([]);
    });

    it('refuses to insert an order that is not PENDING, and a duplicate client order id', async () => {
      await expect(store.orders.insertPending(order('o-4', { status: 'FILLED', filledQty: 123.4567 }))).rejects.toBeInstanceOf(
        IllegalTransitionError,
      );
      await expect(store.orders.insertPending(order('o-1'))).rejects.toThrow();
      expect(await store.orders.events('o-1')).toHaveLength(3);
    });

    it('round-trips fills; a redelivered fill is a no-op', async () => {
      const f = fill('f-1', 'o-1');
      expect(await store.fills.insert(f)).toBe(true);
      expect(await store.fills.insert(f)).toBe(false);
      expect(await store.fills.listByOrder('o-1')).toEqual([f]);
      expect(await store.fills.listBetween(T0, '2024-06-04T00:00:00.000Z')).toEqual([f]);
    });
  });

  describe('books', () => {
    it('round-trips positions and replaces them by key', async () => {
      const a = position('mom', 'AAPL', 100.0001);
      const b = position('mom', 'MSFT', -50.5);
      const c = position('qv', 'AAPL', 0);
      await store.positions.upsert([a, b, c]);
      expect(await store.positions.list('F1')).toEqual([a, b, c]);
      const a2 = { ...a, qty: 150.25, realizedPnl: 10.01 };
      await store.positions.upsert([a2]);
      expect(await store.positions.list('F1', { agentId: 'mom' })).toEqual([a2, b]);
      expect((await store.positions.list('F1', { openOnly: true })).map((p) => p.symbol)).toEqual(['AAPL', 'MSFT']);
    });

    it('replaceBook closes the rows the book no longer holds, in this fund only', async () => {
      const a = position('mom', 'AAPL', 100);
      const b = position('mom', 'MSFT', -50);
      const c = position('qv', 'XOM', 10);
      const other = { ...position('mom', 'AAPL', 7), fundId: 'F2' };
      await store.positions.upsert([a, b, c, other]);
      const at = '2024-06-05T20:00:00.000Z';
      await store.positions.replaceBook('F1', [{ ...a, qty: 120, updatedAt: at }], at);
      const open = await store.positions.list('F1', { openOnly: true });
      expect(open.map((p) => [p.agentId, p.symbol, p.qty])).toEqual([['mom', 'AAPL', 120]]);
      const all = await store.positions.list('F1');
      expect(all.find((p) => p.symbol === 'MSFT')).toMatchObject({ qty: 0, realizedPnl: b.realizedPnl });
      expect((await store.positions.list('F2')).map((p) => p.qty)).toEqual([7]);
      await store.positions.replaceBook('F1', [], at);
      expect(await store.positions.list('F1', { openOnly: true })).toEqual([]);
    });

    it('keeps the cash ledger in exact cents', async () => {
      // Ten 10-cent entries sum to exactly one dollar (0.1 added ten times in float64 would not).
      const entries = Array.from({ length: 10 }, (_, i) => ({ fundId: 'F1', agentId: 'mom', at: T0, kind: 'FEE',
        amountCents: 10, ref: `x${i}`, note: '' }));
      await store.cash.append([{ fundId: 'F1', agentId: 'mom', at: T0, kind: 'DEPOSIT', amountCents: 1_000_000_000_00,
        ref: null, note: 'seed' }, ...entries]);
      expect(await store.cash.balanceCents('F1', 'mom')).toBe(1_000_000_000_00 + 100);
      expect(await store.cash.balanceCents('F1', 'mom', '2024-01-01T00:00:00.000Z')).toBe(0);
      await expect(store.cash.append([{ ...entries[0], amountCents: 0.5 } as never])).rejects.toThrow(/integer number of cents/);
      expect((await store.cash.list('F1', 'mom'))[0]).toMatchObject({ kind: 'DEPOSIT', amountCents: 100_000_000_000 });
    });

    it('keeps the stored ledger exact: books in opening order, holdings by symbol, NaN marks, flat holdings removed', async () => {
      const book = (agentId: string, cash: number, holdings: { symbol: string; qty4: number; costCents: number; mark: number }[]) =>
        ({ agentId, initialCents: 1_000_000_000_00, cashCents: cash, realizedCents: -7, feesCents: 3, adjustmentsCents: 0, holdings });
      const ledger = { books: [book('zeta', 99_000_000_000_01, [{ symbol: 'MSFT', qty4: -505_000, costCents: -2_000_000_00, mark: Number.NaN }]), book('alpha', 5, [])] };
      expect(await store.ledger.has('L1')).toBe(false);
      expect(await store.ledger.init('L1', ledger, T0)).toBe(true);
      expect(await store.ledger.init('L1', { books: [] }, T0)).toBe(false);
      const back = await store.ledger.load('L1');
      expect(back?.books.map((b) => b.agentId)).toEqual(['zeta', 'alpha']);
      expect(back?.books[0]?.cashCents).toBe(99_000_000_000_01);
      expect(back?.books[0]?.holdings[0]?.mark).toBeNaN();
      expect(back?.books[0]?.holdings[0]).toMatchObject({ symbol: 'MSFT', qty4: -505_000, costCents: -2_000_000_00 });
      // an entry in AAPL: alpha buys, a new book opens after the others; zeta's MSFT is not touched
      const touched = await store.ledger.books('L1', ['alpha', 'new'], 'AAPL');
      expect(touched.map((b) => b.agentId)).toEqual(['alpha']);
      await store.ledger.saveBooks('L1', [book('alpha', 4, [{ symbol: 'AAPL', qty4: 10_000, costCents: 19_000, mark: 190 }]), book('new', 0, [])], 'AAPL', T1);
      const after = await store.ledger.load('L1');
      expect(after?.books.map((b) => [b.agentId, b.cashCents, b.holdings.map((h) => h.symbol)])).toEqual([['zeta', 99_000_000_000_01, ['MSFT']], ['alpha', 4, ['AAPL']], ['new', 0, []]]);
      await store.ledger.saveBooks('L1', [book('alpha', 19_004, [])], 'AAPL', T1); // sold flat
      expect((await store.ledger.load('L1'))?.books[1]?.holdings).toEqual([]);
      expect(await store.ledger.load('L2')).toBeNull();
    });

    it('stores NAV to the cent', async () => {
      const p = { fundId: 'F1', agentId: '', date: '2024-06-03', nav: 9_999_999_999.99, cash: 1234567.89,
        grossExposure: 1.5e9, netExposure: -2.5e8, highWaterMark: 10_000_000_000, dailyReturn: null, drawdown: -1e-12 };
      await store.nav.upsert([p, { ...p, date: '2024-06-04', nav: 10_000_000_000.01, dailyReturn: 0.0000000020000000002 }]);
      const h = await store.nav.history('F1');
      expect(h).toHaveLength(2);
      expect(h[0]).toEqual(p);
      expect(h[1]?.nav).toBe(10_000_000_000.01);
      expect(h[1]?.dailyReturn).toBe(0.0000000020000000002);
      expect((await store.nav.latest('F1'))?.date).toBe('2024-06-04');
    });

    it("finds each agent's latest signals (strongest first) and last two NAVs, as of a date", async () => {
      const sig = (agentId: string, symbol: string, asOf: string, mu: number, sigma: number) => ({ version: 1 as const, traceId: `tr-${agentId}`, symbol, mu, sigma, horizonDays: 5, confidence: 0.5, regime: 'BULL_QUIET' as const, agentId, modelVersion: 'v1', asOf });
      const cycle = async (id: string, asOf: string, status: 'COMPLETED' | 'FAILED') => {
        await store.cycles.start({ id, fundId: 'SIG', asOf, mode: 'paper', inputsHash: 'ih', configHash: 'h', startedAt: `${asOf}T21:00:00.000Z` });
        await store.cycles.finish(id, { status, finishedAt: `${asOf}T21:01:00.000Z` });
      };
      await cycle('sig-1', '2024-06-03', 'COMPLETED');
      await cycle('sig-2', '2024-06-04', 'COMPLETED');
      await cycle('sig-3', '2024-06-05', 'FAILED');
      await store.signals.insertMany('sig-1', [sig('a', 'OLD', '2024-06-03', 1, 1), sig('b', 'B1', '2024-06-03', 0.1, 1)]);
      await store.signals.insertMany('sig-2', [sig('a', 'X', '2024-06-04', 0.01, 0.1), sig('a', 'Y', '2024-06-04', -0.05, 0.1), sig('a', 'Z', '2024-06-04', 0.02, 0), sig('a', 'W', '2024-06-04', 0.01, 0.1)]);
      await store.signals.insertMany('sig-3', [sig('a', 'FAILED', '2024-06-05', 9, 1)]);
      const latest = (asOf: string | null) => store.signals.latestByAgent('SIG', ['b', 'a', 'none'], { asOf, perAgent: 3 }).then((r) => r.map((x) => `${x.agentId}:${x.symbol}`));
      // b signalled nothing on the 4th: its last view is the 3rd's; the failed cycle never counts.
      expect(await latest(null)).toEqual(['b:B1', 'a:Y', 'a:W', 'a:X']);
      expect(await latest('2024-06-03')).toEqual(['b:B1', 'a:OLD']);
      expect(await latest('2024-06-02')).toEqual([]);
      expect(await store.signals.latestByAgent('OTHER', ['a'], { perAgent: 3 })).toEqual([]);

      const nav = (agentId: string, date: string, v: number) => ({ fundId: 'SIG', agentId, date, nav: v, cash: 0, grossExposure: 0, netExposure: 0, highWaterMark: v, dailyReturn: null, drawdown: 0 });
      await store.nav.upsert([nav('', '2024-06-04', 3), nav('a', '2024-06-03', 100.1), nav('a', '2024-06-04', 101.2), nav('a', '2024-06-07', 99.99), nav('b', '2024-06-04', 50)]);
      const pts = async (asOf: string | null) => (await store.nav.latestPerAgent('SIG', { asOf, n: 2 })).map((p) => `${p.agentId}:${p.date}:${p.nav}`);
      expect(await pts(null)).toEqual(['a:2024-06-07:99.99', 'a:2024-06-04:101.2', 'b:2024-06-04:50']);
      expect(await pts('2024-06-05')).toEqual(['a:2024-06-04:101.2', 'a:2024-06-03:100.1', 'b:2024-06-04:50']);
      // one book's point on or before a date (attribution's base and end NAV)
      expect((await store.nav.onOrBefore('SIG', '2024-06-06', 'a'))?.nav).toBe(101.2);
      expect((await store.nav.onOrBefore('SIG', '2024-06-07', 'a'))?.nav).toBe(99.99);
      expect((await store.nav.onOrBefore('SIG', '2024-06-04'))?.nav).toBe(3);
      expect(await store.nav.onOrBefore('SIG', '2024-06-02', 'a')).toBeUndefined();
    });
  });

  describe('per-cycle audit records', () => {
    it('round-trips decision records through the contract', async () => {
      const recs = [decision('cy1', 'AAPL'), decision('cy1', 'MSFT'), { ...decision('cy1', 'XOM'), stopLoss: null }];
      expect(await store.decisions.insertMany(recs, 'F1')).toBe(3);
      expect(await store.decisions.listByCycle('cy1')).toEqual(recs);
      expect(await store.decisions.listBySymbol('XOM')).toEqual([recs[2]]);
    });

    it('round-trips risk actions and overlay decisions', async () => {
      const ras = [riskAction('ra-1'), { ...riskAction('ra-2'), actionType: 'OK' as const, decisionId: 'd-9', details: {} }];
      expect(await store.riskActions.insertMany(ras, { cycleId: 'cy1', fundId: 'F1' })).toBe(2);
      expect(await store.riskActions.listByCycle('cy1')).toEqual(ras);
      const ods = [overlayDecision('cy1', 'mom'), overlayDecision('cy1', 'qv')];
      expect(await store.overlayActions.insertMany(ods, 'F1')).toBe(2);
      expect(await store.overlayActions.listByCycle('cy1')).toEqual(ods);
    });

    it('writes a cycle atomically: when one insert fails, nothing of the cycle remains', async () => {
      await expect(
        store.transaction(async (tx) => {
          await tx.decisions.insertMany([decision('cy2', 'AAPL')]);
          await tx.riskActions.insertMany([riskAction('ra-new')], { cycleId: 'cy2' });
          await tx.riskActions.insertMany([riskAction('ra-1')], { cycleId: 'cy2' }); // duplicate key
        }),
      ).rejects.toThrow();
      expect(await store.decisions.listByCycle('cy2')).toEqual([]);
      expect(await store.riskActions.listByCycle('cy2')).toEqual([]);
    });

    it('refuses (PGlite) or runs outside (PostgreSQL) a statement sent through the outer store inside a transaction', async () => {
      // On PGlite's single connection it would otherwise wait for the open transaction forever.
      const outcome = await store.transaction(async () =>
        store.alerts.list().then(
          () => 'ran',
          (e: unknown) => (e as { code?: string }).code,
        ),
      );
      expect(outcome).toBe(driver.name === 'pglite' ? 'KEEL_E_STORE' : 'ran');
      expect(await store.alerts.list({ fundId: 'nobody' })).toEqual([]);
    });

    it('rolls back only the inner part of a nested transaction (savepoint)', async () => {
      await store.db.transaction(async (tx) => {
        await createRepos(tx).decisions.insertMany([decision('cy3', 'AAPL')]);
        await expect(
          tx.transaction(async (inner) => {
            await createRepos(inner).decisions.insertMany([decision('cy3', 'MSFT')]);
            await createRepos(inner).decisions.insertMany([{ ...decision('cy3', 'XOM'), finalDecision: 'BOGUS' as never }]);
          }),
        ).rejects.toThrow();
        // The outer transaction is still usable after the inner failure.
        await createRepos(tx).decisions.insertMany([decision('cy3', 'IBM')]);
      });
      expect((await store.decisions.listByCycle('cy3')).map((d) => d.symbol)).toEqual(['AAPL', 'IBM']);
    });
  });

  describe('fund-scoped reads (blotter, fills, overlay history)', () => {
    const at = (d: string) => `${d}T15:00:00.000Z`;
    beforeAll(async () => {
      // fund G1: three orders on three days (one filled, one rejected), fund G2: one order on the same symbol
      await store.orders.insertPending(order('g-1', { fundId: 'G1', symbol: 'AAPL', createdAt: at('2024-07-01'), updatedAt: at('2024-07-01') }));
      await store.orders.insertPending(order('g-2', { fundId: 'G1', symbol: 'MSFT', createdAt: at('2024-07-02'), updatedAt: at('2024-07-02') }));
      await store.orders.insertPending(order('g-3', { fundId: 'G1', symbol: 'AAPL', createdAt: at('2024-07-03'), updatedAt: at('2024-07-03') }));
      await store.orders.insertPending(order('h-1', { fundId: 'G2', symbol: 'AAPL', createdAt: at('2024-07-02'), updatedAt: at('2024-07-02') }));
      await store.orders.transition('g-2', { from: 'PENDING', to: 'REJECTED', at: at('2024-07-02'), eventType: 'OrderRejected',
        denials: [{ code: 'TRADING_HALTED', message: 'halted', limit: null, actual: null }] });
      await store.fills.insert({ ...fill('gf-1', 'g-1'), timestamp: at('2024-07-01') });
      await store.fills.insert({ ...fill('gf-3', 'g-3'), timestamp: at('2024-07-03') });
      await store.fills.insert({ ...fill('hf-1', 'h-1'), timestamp: at('2024-07-02') });
      await store.overlayActions.insertMany([overlayDecision('gc1', 'mom'), overlayDecision('gc1', 'qv')].map((d) => ({ ...d, asOf: '2024-07-01' })), 'G1');
      await store.overlayActions.insertMany([{ ...overlayDecision('gc2', 'mom'), asOf: '2024-07-02' }], 'G1');
      await store.overlayActions.insertMany([{ ...overlayDecision('hc1', 'mom'), asOf: '2024-07-05' }], 'G2');
    });

    it('orders of one fund, newest first, by status, symbol and inclusive dates; one order only within its fund', async () => {
      const ids = async (f: Parameters<typeof store.orders.listForFund>[1]) => (await store.orders.listForFund('G1', f)).map((o) => o.id);
      expect(await ids({ limit: 10 })).toEqual(['g-3', 'g-2', 'g-1']);
      expect(await ids({ limit: 2 })).toEqual(['g-3', 'g-2']);
      expect(await ids({ symbol: 'AAPL', limit: 10 })).toEqual(['g-3', 'g-1']);
      expect(await ids({ status: 'REJECTED', limit: 10 })).toEqual(['g-2']);
      expect(await ids({ from: '2024-07-02', to: '2024-07-02', limit: 10 })).toEqual(['g-2']);
      expect(await ids({ from: '2024-07-02', limit: 10 })).toEqual(['g-3', 'g-2']);
      expect((await store.orders.listForFund('G1', { status: 'REJECTED', limit: 1 }))[0]?.denials.map((d) => d.code)).toEqual(['TRADING_HALTED']);
      expect(await store.orders.getForFund('G1', 'g-1')).toEqual(await store.orders.findByClientOrderId('g-1'));
      expect(await store.orders.getForFund('G1', 'h-1')).toBeUndefined();
    });

    it("fills of one fund's orders, newest first, by dates and by orders", async () => {
      const ids = async (fundId: string, f: Parameters<typeof store.fills.listForFund>[1]) => (await store.fills.listForFund(fundId, f)).map((x) => x.id);
      expect(await ids('G1', { limit: 10 })).toEqual(['gf-3', 'gf-1']);
      expect(await ids('G1', { to: '2024-07-02', limit: 10 })).toEqual(['gf-1']);
      expect(await ids('G1', { orderIds: ['g-3', 'h-1'], limit: 10 })).toEqual(['gf-3']);
      expect(await ids('G2', { limit: 10 })).toEqual(['hf-1']);
      expect((await store.fills.listForFund('G1', { orderIds: ['g-1'], limit: 1 }))[0]).toEqual({ ...fill('gf-1', 'g-1'), timestamp: at('2024-07-01') });
    });

    it('replay pages give every fill of the fund once, week by week, in the order of listBooked (the positions read model replays them)', async () => {
      // fund K: five fills at one instant (a day's crosses), two the next day, one a month later, one in the next year
      const same = at('2024-08-30');
      for (const id of ['k-e', 'k-a', 'k-c', 'k-b', 'k-d']) await store.fills.insert({ ...fill(id, 'g-1'), timestamp: same }, { fundId: 'K', cycleId: null, kind: 'CROSS' });
      for (const [id, ts] of [['k-g', '2024-08-31T21:00:00.000Z'], ['k-f', '2024-08-31T21:00:00.000Z'], ['k-h', '2024-09-30T21:00:00.000Z'], ['k-i', '2025-01-02T21:00:00.000Z']] as const) {
        await store.fills.insert({ ...fill(id, 'g-1'), timestamp: ts }, { fundId: 'K', cycleId: null, kind: 'BROKER' });
      }
      const booked = (await store.fills.listBooked('K')).map(({ fill: f }) => ({ symbol: f.symbol, side: f.side, qty: f.qty, price: f.price, commission: f.commission, timestamp: f.timestamp, allocations: f.allocations }));
      expect(booked).toHaveLength(9);
      const pages: number[] = [];
      const replayed = [];
      for await (const page of store.fills.replayPages('K')) {
        pages.push(page.length);
        replayed.push(...page);
      }
      expect(pages).toEqual([7, 1, 1]); // the week from 30 August, the week of 30 September, the week of 2 January (empty weeks yield nothing)
      expect(replayed).toEqual(booked);
      // from a day on (the attribution book's window): the fills of that day and after, paged the same way
      const since = [];
      for await (const page of store.fills.replayPages('K', { from: '2024-08-31' })) since.push(...page);
      expect(since).toEqual(booked.filter((f) => f.timestamp >= '2024-08-31'));
      const none = [];
      for await (const page of store.fills.replayPages('nobody')) none.push(page);
      expect(none).toEqual([]);
    });

    it("overlay decisions of one fund: history newest first (optionally one agent's), and each agent's latest", async () => {
      expect((await store.overlayActions.listForFund('G1', { limit: 10 })).map((d) => [d.cycleId, d.agentId])).toEqual([['gc2', 'mom'], ['gc1', 'mom'], ['gc1', 'qv']]);
      expect((await store.overlayActions.listForFund('G1', { agentId: 'mom', limit: 1 })).map((d) => d.cycleId)).toEqual(['gc2']);
      expect((await store.overlayActions.latestForFund('G1')).map((d) => [d.agentId, d.cycleId])).toEqual([['mom', 'gc2'], ['qv', 'gc1']]);
      expect((await store.overlayActions.latestForFund('G2')).map((d) => d.cycleId)).toEqual(['hc1']);
      expect(await store.overlayActions.latestForFund('nobody')).toEqual([]);
      // the headlines (the Morning Pack's): the same decisions without checks, targets and risk actions
      const headline = ({ decisionId, cycleId, agentId, asOf, action, scale, reasons, summary }: OverlayDecision) => ({ decisionId, cycleId, agentId, asOf, action, scale, reasons, summary });
      expect(await store.overlayActions.latestHeadlinesForFund('G1')).toEqual((await store.overlayActions.latestForFund('G1')).map(headline));
      expect(await store.overlayActions.latestHeadlinesForFund('nobody')).toEqual([]);
    });
  });

  describe('operations', () => {
    it('round-trips alerts and finds the last one by dedup key', async () => {
      const a = alert('al-1');
      expect(await store.alerts.insert(a)).toBe(true);
      expect(await store.alerts.insert(a)).toBe(false);
      expect(await store.alerts.lastByDedupKey('var:F1', '2024-06-03T00:00:00.000Z')).toEqual(a);
      expect(await store.alerts.lastByDedupKey('var:F1', '2024-06-04T00:00:00.000Z')).toBeUndefined();
      expect(await store.alerts.acknowledge('al-1', 'pm', T1)).toBe(true);
      expect(await store.alerts.list({ unacknowledgedOnly: true })).toEqual([]);
      expect(await store.alerts.list()).toEqual([a]);
    });

    it('approves config versions by hash', async () => {
      expect(await store.configVersions.save({ hash: 'h1', fundId: 'F1', config: { a: [1, 2] }, createdAt: T0, createdBy: 'pm' })).toBe(true);
      expect(await store.configVersions.save({ hash: 'h1', fundId: 'F1', config: {}, createdAt: T0, createdBy: 'pm' })).toBe(false);
      expect(await store.configVersions.isApproved('h1')).toBe(false);
      await store.configVersions.approve('h1', 'risk-officer', T1);
      expect(await store.configVersions.isApproved('h1')).toBe(true);
      expect(await store.configVersions.isApproved('never-saved')).toBe(false);
      await expect(store.configVersions.approve('never-saved', 'x', T1)).rejects.toMatchObject({ code: 'KEEL_E_NOT_FOUND' });
      expect(await store.configVersions.get('h1')).toMatchObject({ approvedBy: 'risk-officer', approvedAt: T1, config: { a: [1, 2] } });
    });

    it('records cycles and backtests', async () => {
      await store.cycles.start({ id: 'cy1', fundId: 'F1', asOf: '2024-06-03', mode: 'backtest', inputsHash: 'ih', configHash: 'h1', startedAt: T0 });
      await store.cycles.finish('cy1', { status: 'COMPLETED', finishedAt: T1, summary: { orders: 3 } });
      expect(await store.cycles.get('cy1')).toMatchObject({ status: 'COMPLETED', asOf: '2024-06-03', inputsHash: 'ih',
        summary: { orders: 3 }, startedAt: T0, finishedAt: T1 });
      await expect(store.cycles.finish('cy1', { status: 'FAILED', finishedAt: T1 })).rejects.toMatchObject({ code: 'KEEL_E_NOT_FOUND' });
      await store.backtests.create({ id: 'bt1', fundId: 'F1', params: { years: 5 }, createdAt: T0 });
      await store.backtests.update('bt1', { status: 'RUNNING', progress: 0.25, at: T0 });
      await store.backtests.update('bt1', { status: 'COMPLETED', progress: 1, results: { sharpe: 1.1 }, at: T1 });
      expect(await store.backtests.get('bt1')).toMatchObject({ status: 'COMPLETED', progress: 1, results: { sharpe: 1.1 },
        startedAt: T0, finishedAt: T1 });
    });

    it('stores only a hash of API keys and finds users by key', async () => {
      await store.users.create({ id: 'u1', name: 'ana', role: 'pm', fundIds: ['F1'], apiKey: 'secret-key-1', createdAt: T0 });
      expect((await store.users.findByApiKey('secret-key-1'))?.fundIds).toEqual(['F1']);
      expect(await store.users.findByApiKey('wrong')).toBeUndefined();
      const raw = await store.db.query<{ api_key_hash: string }>('SELECT api_key_hash FROM users');
      expect(raw.rows[0]?.api_key_hash).not.toContain('secret');
      await store.users.disable('u1', T1);
      expect(await store.users.findByApiKey('secret-key-1')).toBeUndefined();
    });

    it('keeps a journal', async () => {
      const id = await store.journal.add({ fundId: 'F1', at: T0, author: 'pm', kind: 'OVERRIDE', title: 'cut energy',
        body: 'oil shock', tags: ['energy', 'risk'], refs: { orderId: 'o-1' } });
      expect(id).toBeGreaterThan(0);
      expect(await store.journal.list('F1', { tag: 'energy' })).toEqual([{ id, fundId: 'F1', at: T0, author: 'pm',
        kind: 'OVERRIDE', title: 'cut energy', body: 'oil shock', tags: ['energy', 'risk'], refs: { orderId: 'o-1' } }]);
    });
  });
});
