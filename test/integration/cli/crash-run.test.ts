/**
 * A live cycle killed at each successive order submission (issue 14, "Done when"): `keel run
 * --once` (a real child process, on Alpaca's fake Trading API) is SIGKILLed as soon as the broker
 * has accepted an order but not yet answered; it is run again, which reconciles, re-finds the
 * cycle's own orders by their derived client ids and is killed at its next submission, and so on
 * until a run finishes. Then: every order reached the broker exactly once, the broker holds
 * exactly the cycle's orders, and after the next session the books Keel trades from equal the
 * broker's positions. `KEEL_CRASH_FIGURES=<file>` writes the figures (orders, kills, POSTs).
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultFundConfigInput } from '../../../src/contracts/index.ts';
import { spawnKeel } from './keel-process.ts';
import { DAY, DAY0, LiveWorld } from './live-path-world.ts';

const FUND = 'crash';
const w = new LiveWorld({ fundId: FUND, names: 16, history: 160, seed: 21, cash: 1_000_000 });
const { broker, tape } = w;
/** Kills at most: a bound on the test's time (a cycle here sends about 15–25 orders). */
const MAX_KILLS = 30;

beforeAll(async () => {
  const input = defaultFundConfigInput(1_000_000);
  await w.start({ ...input, fund: { ...input.fund, id: FUND }, data: { minHistoryRows: 120, degradedMinRows: 60, minQuality: 0.5, providers: ['alpaca'] }, execution: { broker: 'alpaca' } });
  const r = await w.keel(['market', 'fetch', '--from', tape.dates[0] ?? '', '--to', DAY0, '--symbols', tape.symbols.join(','), '--json']);
  expect(r.code, r.err).toBe(0);
}, 120_000);
afterAll(() => w.stop());

const clientId = (body: unknown): string => String((body as { client_order_id?: unknown } | null)?.client_order_id);

describe('keel run --once killed at every order submission', () => {
  it('sends no order twice, and the books it trades from equal the broker', async () => {
    w.session(DAY[0]);
    let kills = 0;
    for (;;) {
      broker.hangAfterAccept(1, 0);
      const held = broker.hanging();
      const run = spawnKeel(['run', '--once', '--json'], w.env);
      // wait until the broker holds back an answer (then kill), or the run ends by itself
      while (broker.hanging() === held && run.child.exitCode === null) await new Promise((r) => setTimeout(r, 5));
      if (broker.hanging() === held) {
        const end = await run.exited;
        expect(end.code, end.err.slice(-2000)).toBe(0);
        break;
      }
      run.child.kill('SIGKILL');
      await run.exited;
      kills += 1;
      const hung = clientId(broker.posts().at(-1)?.body);
      expect(broker.byClientId(hung)?.status).toBe('accepted');
      expect(kills).toBeLessThanOrEqual(MAX_KILLS);
    }
    broker.hangAfterAccept(0, 0);
    const posted = broker.posts().map((p) => clientId(p.body));
    const orders = await w.withStore((s) => w.ordersOf(s, DAY[0]));
    // killed at each submission in turn: one kill per order but the last's, which finished the run
    expect(kills).toBeGreaterThanOrEqual(orders.length - 1);
    expect(new Set(posted).size).toBe(posted.length); // no client order id posted twice
    expect([...broker.orders.values()].map((o) => o.client_order_id).sort()).toEqual(orders.map((o) => o.id).sort());
    for (const o of orders) expect(o.status, o.id).not.toMatch(/PENDING|REJECTED/);
    // a run after the last submission sends nothing new
    const again = await spawnKeel(['run', '--once', '--json'], w.env).exited;
    expect(broker.posts()).toHaveLength(posted.length);
    expect(again.code).not.toBe(0); // the day's cycle has run
    // the next session fills what was queued; the next day's cycle books it: the books equal the broker's
    w.session(DAY[1]);
    const next = await spawnKeel(['run', '--once', '--json'], w.env).exited;
    expect(next.code, next.err.slice(-2000)).toBe(0);
    await w.withStore(async (s) => expect(await w.storedHoldings(s)).toEqual(broker.holdings()));
    // KEEL_CRASH_FIGURES=<file>: what the run did
    const out = process.env.KEEL_CRASH_FIGURES;
    if (out) writeFileSync(out, JSON.stringify({ orders: orders.length, kills, posts: posted.length, holdings: Object.keys(broker.holdings()).length }));
  }, 300_000);
});
