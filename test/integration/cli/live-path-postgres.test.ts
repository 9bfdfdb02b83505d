/**
 * The live path with the store on PostgreSQL, where the daemon and `keel serve` run side by side
 * (the embedded store admits one process; docs/paper-trading.md): while the real `keel daemon`
 * trades on the fake Alpaca, an agent is paused and then the kill switch tripped through the
 * running server's API. The next scheduled cycle honours each: the paused agent trades nothing,
 * and the tripped fund's cycle is refused with nothing sent. Other `keel` commands run meanwhile.
 * Needs TEST_DATABASE_URL (a server where the test may create and drop a database).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultFundConfigInput } from '../../../src/contracts/index.ts';
import { serveKeel, spawnKeel, type KeelChild } from './keel-process.ts';
import { cycleCompleted, DAEMON_ARGS, DAY, DAY0, LiveWorld } from './live-path-world.ts';

const FUND = 'side';
const base = process.env['TEST_DATABASE_URL'];
const dbName = `keel_live_path_${process.pid}_${Date.now()}`;
const dbUrl = (() => {
  if (!base) return undefined;
  const u = new URL(base);
  u.pathname = `/${dbName}`;
  return u.toString();
})();

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

const w = new LiveWorld({ fundId: FUND, names: 12, history: 140, seed: 21, cash: 1_000_000, ...(dbUrl ? { databaseUrl: dbUrl } : {}) });
let daemon: KeelChild | null = null;
let server: KeelChild | null = null;

beforeAll(async () => {
  if (!base) return;
  await admin(`CREATE DATABASE ${dbName}`);
  const input = defaultFundConfigInput(1_000_000);
  await w.start({ ...input, fund: { ...input.fund, id: FUND }, data: { minHistoryRows: 120, degradedMinRows: 60, minQuality: 0.5, providers: ['alpaca'] }, execution: { broker: 'alpaca' } });
  const r = await w.keel(['market', 'fetch', '--from', w.tape.dates[0] ?? '', '--to', DAY0, '--symbols', w.tape.symbols.join(',')]);
  expect(r.code, r.err).toBe(0);
}, 120_000);

afterAll(async () => {
  if (!base) return;
  for (const p of [daemon, server]) {
    if (p && p.child.exitCode === null) {
      p.child.kill('SIGTERM');
      await p.exited;
    }
  }
  await w.stop();
  await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
});

describe.skipIf(!base)('the live path on PostgreSQL: the daemon and keel serve side by side (needs TEST_DATABASE_URL)', () => {
  it('a pause and a kill-switch trip made through the running API reach the running daemon’s next cycles', async () => {
    w.session(DAY[0]);
    daemon = spawnKeel(DAEMON_ARGS, w.env);
    await daemon.waitFor(cycleCompleted(DAY[0]));

    // With the daemon running: other commands, a user, and the server on the same store.
    const list = await w.keel(['fund', 'list']);
    expect(list.code, list.err).toBe(0);
    expect(list.out).toMatch(new RegExp(`^${FUND}\\s+ACTIVE`, 'm'));
    const add = await w.keel(['user', 'add', 'rita', '--role', 'risk', '--fund', FUND, '--json']);
    expect(add.code, add.err).toBe(0);
    const { apiKey } = JSON.parse(add.out) as { apiKey: string };
    const served = await serveKeel(w.env);
    server = served.server;
    const url = served.url;
    const post = async (route: string) => {
      const res = await fetch(`${url}/v1/funds/${FUND}${route}`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'from the API while the daemon runs' }) });
      expect(res.status, await res.clone().text()).toBe(200);
    };

    const traded = await w.withStore(async (s) => (await w.ordersOf(s, DAY[0])).flatMap((o) => o.allocations.map((a) => a.agentId)));
    const agent = traded.find((a) => !a.startsWith('_')) ?? '';
    expect(agent).not.toBe('');
    await post(`/agents/${agent}/pause`);

    w.session(DAY[1]);
    await daemon.waitFor(cycleCompleted(DAY[1]));
    await w.withStore(async (s) => {
      const day2 = await w.ordersOf(s, DAY[1]);
      expect(day2.length).toBeGreaterThan(0);
      for (const o of day2) expect(o.allocations.map((a) => a.agentId), o.id).not.toContain(agent);
      // read while the daemon holds the store: the books equal the broker's
      expect(await w.storedHoldings(s)).toEqual(w.broker.holdings());
    });

    await post('/kill-switch/trip');
    const posts = w.broker.posts().length;
    w.session(DAY[2]);
    // two scheduled cycles on day 3's evening, both refused
    const refusals = () => (daemon?.err() ?? '').split('\n').filter((l) => /"cycle refused".*kill switch/.test(l));
    const seen = refusals().length;
    const deadline = Date.now() + 60_000;
    while (refusals().length < seen + 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(refusals().at(-1)).toContain(`funds/${FUND}/KILL_SWITCH`);
    expect(w.broker.posts()).toHaveLength(posts);
    await w.withStore(async (s) => {
      expect(await s.cycles.get(w.cycleOf(DAY[2]))).toBeUndefined();
      expect((await s.funds.get(FUND))?.tradingState).toBe('HALTED');
    });
  }, 240_000);
});
