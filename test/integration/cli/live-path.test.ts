/**
 * The live path end to end (issue 14, "Done when"): the real `keel daemon` (a child process on a
 * shifted clock) trades a fund configured for Alpaca for five market days against local fakes of
 * Alpaca's Trading API and Market Data API, fetching every session's bars itself. The story:
 *
 * - days 1–2 under the daemon's own schedule (the clock moves to day 2's evening, the daemon runs it);
 * - between days 2 and 3 the daemon is stopped and an agent is paused through `keel serve`'s API
 *   (the embedded store is single-writer, so the server runs while the daemon does not);
 * - day 3 with the broker answering 503, 429 (Retry-After) and resets, and the data API a 429;
 * - day 4: the daemon is killed with SIGKILL while an order it sent is accepted at the broker but
 *   not yet answered; restarted, it reconciles and finishes the day; day 5 comes by its schedule,
 *   is killed the same way at its first order, and is finished by a restart under failures again.
 *
 * Every day: the session's bars came from the market-data fake; the orders reach the fake broker
 * (Alpaca's ids, none a paper broker's); the fund hedges SPY when its beta is above the threshold;
 * the books equal the broker's positions (each reconciliation finds no break, and the stored
 * positions equal the broker's whenever the daemon is stopped); no order is lost or sent twice.
 * `KEEL_LIVE_PATH_FIGURES=<file>` writes what the run did (orders per day, POSTs, hedge orders,
 * kills survived, scripted failures, reconciliations) to that file.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultFundConfigInput, HEDGE_BOOK } from '../../../src/contracts/index.ts';
import type { Store } from '../../../src/store/index.ts';
import { serveKeel, spawnKeel, type KeelChild } from './keel-process.ts';
import { cycleCompleted as completed, DAEMON_ARGS as daemonArgs, DAY, DAY0, LiveWorld } from './live-path-world.ts';

const FUND = 'live';
const NAMES = 20;
const HISTORY = 160;
const BETA_THRESHOLD = 0.02;

const w = new LiveWorld({ fundId: FUND, names: NAMES, history: HISTORY, seed: 14, cash: 1_000_000 });
const { data, broker, tape } = w;
const figures = { ordersPerDay: {} as Record<string, number>, orders: 0, posts: 0, hedgeOrders: 0, kills: 0, scriptedFailures: 0, reconciliations: 0, pausedAgent: '' };
const session = (date: string) => w.session(date);
const withStore = <T>(f: (s: Store) => Promise<T>) => w.withStore(f);
const ordersOf = (s: Store, date: string) => w.ordersOf(s, date);
const cycleOf = (date: string) => w.cycleOf(date);

async function stop(daemon: KeelChild): Promise<void> {
  daemon.child.kill('SIGTERM');
  const end = await daemon.exited;
  expect(end.err).toContain('daemon stopped');
}

/** What must hold after each stretch of the daemon: the stored books equal the broker's; every day so far fetched its bars and sent its orders to Alpaca. */
async function checkBooks(days: readonly string[]): Promise<void> {
  await withStore(async (s) => {
    expect(await w.storedHoldings(s)).toEqual(broker.holdings());
    // every position of every book is explained by the stored fills (the broker's, the planner's
    // crosses, reconciliation's adjustments): their sum per book and name is the stored position
    const units = new Map<string, number>();
    for (const { fill: f } of await s.fills.listBooked(FUND)) {
      const sign = f.side === 'BUY' ? 1 : -1;
      for (const a of f.allocations.length > 0 ? f.allocations : [{ agentId: '_fund', qty: f.qty }]) {
        const k = `${a.agentId}/${f.symbol}`;
        units.set(k, (units.get(k) ?? 0) + sign * Math.round(a.qty * 1e4));
      }
    }
    const held = new Map((await s.positions.list(FUND, { openOnly: true })).map((p) => [`${p.agentId}/${p.symbol}`, Math.round(p.qty * 1e4)] as const));
    expect(new Map([...units].filter(([, u]) => u !== 0).sort()), 'positions explained by fills').toEqual(new Map([...held].sort()));
    const atBroker = new Map([...broker.orders.values()].map((o) => [o.client_order_id, o]));
    for (const d of days) {
      expect((await s.cycles.get(cycleOf(d)))?.status, d).toBe('COMPLETED');
      expect(data.barRequests(), `bars of ${d} fetched by Keel`).toBeGreaterThan(w.barRequestsBefore[d] ?? Number.POSITIVE_INFINITY);
      expect(await s.bars.count({ from: d, to: d, symbols: [...tape.symbols] }), d).toBe(NAMES);
      const orders = await ordersOf(s, d);
      figures.ordersPerDay[d] = orders.length;
      expect(orders.length, d).toBeGreaterThan(0);
      for (const o of orders) {
        // sent to Alpaca and acknowledged under Keel's id: Alpaca's order id, never a paper broker's
        expect(o.status, `${o.id} ${o.status}`).not.toMatch(/PENDING|SUBMITTED|REJECTED/);
        expect(o.brokerOrderId, o.id).toBe(atBroker.get(o.id)?.id);
      }
    }
  });
}

beforeAll(async () => {
  const input = defaultFundConfigInput(1_000_000);
  await w.start({
    ...input,
    fund: { ...input.fund, id: FUND },
    data: { minHistoryRows: 120, degradedMinRows: 60, minQuality: 0.5, providers: ['alpaca'] },
    execution: { broker: 'alpaca' },
    hedging: { enabled: true, instrument: 'SPY', betaThreshold: BETA_THRESHOLD },
  });
}, 60_000);
afterAll(async () => {
  await w.stop();
  const out = process.env.KEEL_LIVE_PATH_FIGURES;
  if (out) writeFileSync(out, JSON.stringify(figures, null, 2));
});

describe('the live path: keel daemon on Alpaca for five market days', () => {
  it('backfills with keel market fetch', async () => {
    const r = await w.keel(['market', 'fetch', '--from', tape.dates[0] ?? '', '--to', DAY0, '--symbols', tape.symbols.join(','), '--json']);
    expect(r.code, r.err).toBe(0);
    await withStore(async (s) => expect(await s.bars.count()).toBe(NAMES * HISTORY));
  }, 120_000);

  it('days 1 and 2 under the daemon: it fetches each session, trades on Alpaca, hedges; the books equal the broker', async () => {
    session(DAY[0]);
    const daemon = spawnKeel(daemonArgs, w.env);
    try {
      await daemon.waitFor(completed(DAY[0]));
      session(DAY[1]);
      await daemon.waitFor(completed(DAY[1]));
    } finally {
      await stop(daemon);
    }
    await checkBooks(DAY.slice(0, 2));
  }, 180_000);

  it('between days 2 and 3, with the daemon stopped, an agent is paused through the API (keel serve)', async () => {
    const traded = await withStore(async (s) => (await ordersOf(s, DAY[1])).flatMap((o) => o.allocations.map((a) => a.agentId)));
    const agent = traded.find((a) => !a.startsWith('_')) ?? '';
    expect(agent).not.toBe('');
    figures.pausedAgent = agent;
    pausedBook = await withStore(async (s) => bookOf(s, agent));
    const add = await w.keel(['user', 'add', 'rita', '--role', 'risk', '--fund', FUND, '--json']);
    expect(add.code, add.err).toBe(0);
    const { apiKey } = JSON.parse(add.out) as { apiKey: string };
    const { server, url } = await serveKeel(w.env);
    try {
      const res = await fetch(`${url}/v1/funds/${FUND}/agents/${agent}/pause`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'review before day 3' }) });
      expect(res.status, await res.clone().text()).toBe(200);
    } finally {
      server.child.kill('SIGTERM');
    }
    expect((await server.exited).code).toBe(0);
  }, 120_000);

  it('day 3 with the broker answering 503, 429 and resets and the data API a 429: nothing lost, nothing sent twice', async () => {
    session(DAY[2]);
    broker.fail('GET', '/v2/account', 503);
    broker.fail('POST', '/v2/orders', 503);
    broker.fail('POST', '/v2/orders', 429, '1');
    broker.fail('POST', '/v2/orders', 'reset');
    broker.fail('GET', '/v2/positions', 503);
    broker.fail('GET', '/v2/orders:by_client_order_id', 'reset');
    data.failNext(429, 1, 1);
    figures.scriptedFailures += 7;
    postFailures += 3;
    const daemon = spawnKeel(daemonArgs, w.env);
    try {
      await daemon.waitFor(completed(DAY[2]));
    } finally {
      await stop(daemon);
    }
    await checkBooks(DAY.slice(0, 3));
  }, 180_000);

  it('day 4: the daemon is killed (SIGKILL) while an order is accepted at Alpaca but unanswered; restarted, it reconciles and sends nothing twice; day 5 comes by its schedule and survives another kill and failures', async () => {
    session(DAY[3]);
    broker.hangAfterAccept(1, 2);
    await killWhenHung(spawnKeel(daemonArgs, w.env));
    expect(broker.posts().filter((p) => clientId(p.body).startsWith(cycleOf(DAY[3])))).toHaveLength(3);
    let daemon = spawnKeel(daemonArgs, w.env);
    try {
      await daemon.waitFor(completed(DAY[3]));
      // day 5 by the schedule of the running daemon, killed at its first order
      broker.hangAfterAccept(1, 0);
      session(DAY[4]);
      await killWhenHung(daemon);
    } finally {
      daemon.child.kill('SIGTERM');
    }
    broker.fail('POST', '/v2/orders', 500);
    broker.fail('POST', '/v2/orders', 'reset');
    broker.fail('GET', '/v2/clock', 429, '1');
    figures.scriptedFailures += 3;
    postFailures += 2;
    daemon = spawnKeel(daemonArgs, w.env);
    try {
      await daemon.waitFor(completed(DAY[4]));
    } finally {
      await stop(daemon);
    }
    await checkBooks(DAY);
  }, 240_000);

  it('over the five days: every reconciliation found the books equal to the broker; each order reached Alpaca once; the paused agent traded nothing; hedges were sent', async () => {
    await withStore(async (s) => {
      const recs = (await s.db.query<{ ok: boolean; report: { breaks?: unknown[]; unknown?: unknown[]; positionsChecked?: boolean } }>('SELECT ok, report FROM broker_reconciliations WHERE fund_id = $1', [FUND])).rows;
      expect(recs.length).toBeGreaterThanOrEqual(DAY.length);
      for (const r of recs) expect(r).toMatchObject({ ok: true, report: { breaks: [], unknown: [], positionsChecked: true } });

      // each order Keel stored is at Alpaca once, and Alpaca has no order Keel did not send
      const stored = (await Promise.all(DAY.map((d) => ordersOf(s, d)))).flat();
      expect([...broker.orders.values()].map((o) => o.client_order_id).sort()).toEqual(stored.map((o) => o.id).sort());
      // an order is posted again only after a failure that left it unsent (5xx, 429, reset before acceptance)
      const posts = new Map<string, number>();
      for (const p of broker.posts()) {
        const cid = clientId(p.body);
        posts.set(cid, (posts.get(cid) ?? 0) + 1);
      }
      expect([...posts.values()].reduce((a, n) => a + n - 1, 0)).toBe(postFailures);
      figures.orders = stored.length;
      figures.posts = broker.posts().length;
      figures.reconciliations = recs.length;

      // the paused agent: no order from the pause on, its book as it was
      for (const d of DAY.slice(2)) {
        for (const o of await ordersOf(s, d)) expect(o.allocations.map((a) => a.agentId), `${o.id}`).not.toContain(figures.pausedAgent);
      }
      // its book as the pause left it, once the orders it had sent before the pause filled (at day 3's open)
      const held = new Map(pausedBook);
      for (const o of await ordersOf(s, DAY[1])) {
        const mine = o.allocations.find((a) => a.agentId === figures.pausedAgent);
        if (mine) held.set(o.symbol, (held.get(o.symbol) ?? 0) + (o.side === 'BUY' ? mine.qty : -mine.qty));
      }
      const round = (x: number) => Math.round(x * 1e4) / 1e4;
      const expected = Object.fromEntries([...held].map(([sym, q]) => [sym, round(q)] as const).filter(([, q]) => q !== 0));
      const book = Object.fromEntries((await bookOf(s, figures.pausedAgent)).map(([sym, q]) => [sym, round(q)] as const).filter(([, q]) => q !== 0));
      expect(book).toEqual(expected);

      // hedges: the fund's beta above the threshold moved the hedge, and the hedge order was sent to Alpaca
      const hedges = await s.hedges.list(FUND);
      expect(hedges.map((h) => h.asOf).sort()).toEqual([...DAY]);
      for (const h of hedges) {
        const sent = (await ordersOf(s, h.asOf)).filter((o) => o.symbol === 'SPY' && o.allocations.some((a) => a.agentId === HEDGE_BOOK));
        if (Math.abs(h.targetQty - h.currentQty) >= 1) {
          expect(sent.length, `hedge of ${h.asOf}`).toBeGreaterThan(0);
          for (const o of sent) expect(broker.byClientId(o.id)).toBeDefined();
        }
        figures.hedgeOrders += sent.length;
      }
      // day 1: the fund's beta above the threshold and no hedge yet, so a SPY short went out
      const first = hedges.find((h) => h.asOf === DAY[0]);
      expect((first?.exposureBefore ?? 0) / 1_000_000).toBeGreaterThan(BETA_THRESHOLD);
      expect(first?.targetQty).toBeLessThan(0);
      expect(figures.hedgeOrders).toBeGreaterThan(0);
    });
  }, 60_000);
});

let pausedBook: Array<[string, number]> = [];
let postFailures = 0;

async function bookOf(s: Store, agentId: string): Promise<Array<[string, number]>> {
  return (await s.positions.list(FUND, { agentId })).map((p) => [p.symbol, p.qty]);
}

const clientId = (body: unknown): string => String((body as { client_order_id?: unknown } | null)?.client_order_id);

/**
 * SIGKILLs the daemon as soon as the broker holds back the answer to an order it accepted; the
 * store then has that order as sent and unanswered (SUBMITTED), and the broker has it.
 */
async function killWhenHung(daemon: KeelChild): Promise<void> {
  const held = broker.hanging();
  const deadline = Date.now() + 120_000;
  while (broker.hanging() === held) {
    if (daemon.child.exitCode !== null || Date.now() > deadline) throw new Error(`the daemon never reached an order:\n${daemon.err().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  daemon.child.kill('SIGKILL');
  expect((await daemon.exited).code).toBeNull();
  figures.kills += 1;
  const hung = clientId(broker.posts().at(-1)?.body);
  expect(broker.byClientId(hung)?.status).toBe('accepted');
  expect((await withStore((s) => s.orders.getForFund(FUND, hung)))?.status).toBe('SUBMITTED');
}
