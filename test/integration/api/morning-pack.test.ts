/**
 * The morning pack through the API after real paper cycles (issue 14 item 7): each agent's top
 * signals are its latest cycle's strongest stored signals and its 1-day P&L is its stored NAV
 * minus the stored NAV of the close before, both checked against a computation straight from the
 * `signals`, `cycles` and `nav_history` rows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessBus } from '../../../src/bus/index.ts';
import { defaultFundConfigInput, parseFundConfig, type MacroObservation } from '../../../src/contracts/index.ts';
import { nullLogger, SequentialIds, SimClock } from '../../../src/core/index.ts';
import { buildServer } from '../../../src/api/index.ts';
import { createFundMetrics, createKernel, readEnv, registerFund } from '../../../src/fund/index.ts';
import { generateSyntheticMarket, syntheticBars } from '../../../src/market/index.ts';
import type { MorningPack } from '../../../src/pms/index.ts';
import { openStore, type Store } from '../../../src/store/index.ts';

const home = mkdtempSync(path.join(os.tmpdir(), 'keel-pack-'));
const config = parseFundConfig({ ...defaultFundConfigInput(10_000_000), data: { minHistoryRows: 100, degradedMinRows: 50 } });
const FUND = config.fund.id;
const KEY = 'test-key-pack-viewer-0123456789abcdef';
let store: Store;
let app: FastifyInstance;
let dates: string[] = [];

beforeAll(async () => {
  store = await openStore({ memory: true });
  const m = generateSyntheticMarket({ symbols: 30, years: 1.5, seed: 5 });
  dates = [...m.dates];
  await store.instruments.upsert(m.instruments);
  await store.bars.load(syntheticBars(m));
  const macro: MacroObservation[] = [];
  for (const [name, values] of new Map<string, Float64Array>([['market', m.index], ['vix', m.vix], ...m.factors])) {
    m.dates.forEach((date, t) => macro.push({ version: 1, series: name, date, releaseTime: `${date}T21:00:00.000Z`, value: values[t] ?? Number.NaN }));
  }
  await store.macro.insertMany(macro);
  await store.fundamentals.insertMany([...m.fundamentals.values()].flat());
  const last = dates[dates.length - 1] ?? '';
  const clock = new SimClock(Date.parse(`${last}T22:00:00.000Z`));
  await registerFund(store, config, 'test', new Date(clock.now()).toISOString());
  const kernel = createKernel({ env: readEnv({ KEEL_HOME: home }, '/'), store, logger: nullLogger, clock });
  for (const asOf of dates.slice(-3)) {
    const r = await kernel.runCycle({ config, mode: 'paper', asOf });
    if (r.status !== 'COMPLETED') throw new Error(`cycle ${asOf}: ${r.status}`);
  }
  await store.users.create({ id: 'u-viewer', name: 'viewer', role: 'viewer', fundIds: [FUND], apiKey: KEY, createdAt: new Date(clock.now()).toISOString() });
  app = await buildServer({ store, config, bus: new InProcessBus(), metrics: createFundMetrics(), clock, ids: new SequentialIds('t'), rateLimit: { perMinute: 1_000_000, burst: 100_000 }, monteCarloPaths: 2_000, validateResponses: process.env.KEEL_VALIDATE_RESPONSES === '1' });
}, 300_000);
afterAll(async () => {
  await app.close();
  await store.close();
  rmSync(home, { recursive: true, force: true });
});

async function pack(date?: string): Promise<MorningPack> {
  const res = await app.inject({ method: 'GET', url: `/v1/funds/${FUND}/morning-pack${date ? `?date=${date}` : ''}`, headers: { authorization: `Bearer ${KEY}` } });
  expect(res.statusCode).toBe(200);
  return (res.json() as { pack: MorningPack }).pack;
}

interface Expected {
  readonly signals: { symbol: string; mu: number; sigma: number }[];
  readonly signalsAsOf: string | null;
  readonly pnl1d: number | null;
}

/** What the pack should say for an agent on `date`, from the stored rows alone. */
async function expected(agentId: string, date: string): Promise<Expected> {
  const sig = await store.db.query<{ cycleId: string; asOf: string; startedAt: string; symbol: string; mu: number; sigma: number }>(
    `SELECT s.cycle_id AS "cycleId", to_char(c.as_of, 'YYYY-MM-DD') AS "asOf", c.started_at AS "startedAt", s.symbol, s.mu, s.sigma
     FROM signals s JOIN cycles c ON c.id = s.cycle_id WHERE c.fund_id = $1 AND s.agent_id = $2`,
    [FUND, agentId],
  );
  const mine = sig.rows.filter((r) => r.asOf <= date);
  const latest = mine.reduce<(typeof mine)[number] | null>((b, r) => (b === null || r.asOf > b.asOf || (r.asOf === b.asOf && r.startedAt > b.startedAt) ? r : b), null);
  const strength = (r: { mu: number; sigma: number }): number => (r.sigma > 0 ? Math.abs(r.mu / r.sigma) : 0);
  const top = mine
    .filter((r) => r.cycleId === latest?.cycleId)
    .sort((a, b) => strength(b) - strength(a) || (a.symbol < b.symbol ? -1 : 1))
    .slice(0, 3)
    .map((r) => ({ symbol: r.symbol, mu: r.mu, sigma: r.sigma }));
  const nav = (await store.db.query<{ date: string; nav: number }>(`SELECT date, nav FROM nav_history WHERE fund_id = $1 AND agent_id = $2 AND date <= $3 ORDER BY date DESC`, [FUND, agentId, date])).rows;
  const [a, b] = nav;
  return { signals: top, signalsAsOf: latest?.asOf ?? null, pnl1d: a && b ? Math.round((a.nav - b.nav) * 100) / 100 : null };
}

function actual(p: MorningPack, agentId: string): Expected {
  const a = p.agents.find((x) => x.agentId === agentId);
  if (!a) throw new Error(`no view of ${agentId}`);
  return { signals: a.topSignals.map((s) => ({ symbol: s.symbol, mu: s.mu, sigma: s.sigma })), signalsAsOf: a.signalsAsOf, pnl1d: a.book.pnl1d ?? null };
}

describe('the morning pack after three paper cycles', () => {
  it("shows each agent's latest cycle's strongest signals and its 1-day P&L from the stored NAVs", async () => {
    const last = dates[dates.length - 1] ?? '';
    const p = await pack();
    expect(p.asOf).toBe(last);
    const agents = config.agents.map((a) => a.id);
    expect(p.agents.map((a) => a.agentId).sort()).toEqual([...agents].sort());
    for (const id of agents) expect(actual(p, id), id).toEqual(await expected(id, last));
    // Not vacuous: most agents signalled on the last day and every agent's book has two closes.
    expect(p.agents.filter((a) => a.topSignals.length > 0 && a.signalsAsOf === last).length).toBeGreaterThanOrEqual(agents.length / 2);
    expect(p.agents.every((a) => a.book.pnl1d !== null && a.book.pnl1dDate === last)).toBe(true);
    expect(p.agents.some((a) => a.book.pnl1d !== 0)).toBe(true);
    // a book's gross and net are fractions of its latest NAV, which the allocation moved off the
    // configured capital (vol-premium's went to the others on the first cycle): from the rows
    const rows = await store.db.query<{ agentId: string; value: number }>(
      `SELECT p.agent_id AS "agentId", p.qty * b.close AS value FROM positions p JOIN LATERAL (SELECT close FROM bars WHERE symbol = p.symbol AND date <= $2 ORDER BY date DESC LIMIT 1) b ON true WHERE p.fund_id = $1 AND p.qty <> 0`,
      [FUND, last],
    );
    let moved = 0;
    for (const id of agents) {
      const nav = (await store.db.query<{ nav: number }>(`SELECT nav FROM nav_history WHERE fund_id = $1 AND agent_id = $2 AND date <= $3 ORDER BY date DESC LIMIT 1`, [FUND, id, last])).rows[0]?.nav ?? 0;
      const configured = config.agents.find((a) => a.id === id)?.allocatedCapital ?? 0;
      if (Math.abs(nav - configured) > 0.05 * configured) moved++;
      const gross = rows.rows.filter((r) => r.agentId === id).reduce((s, r) => s + Math.abs(Number(r.value)), 0);
      expect(p.agents.find((a) => a.agentId === id)?.book.gross ?? Number.NaN, id).toBeCloseTo(nav > 0 ? gross / Number(nav) : 0, 3);
    }
    expect(moved).toBeGreaterThan(0);
  });

  it('as of an earlier date, from the rows of that date; before any cycle, none', async () => {
    const mid = dates[dates.length - 2] ?? '';
    const p = await pack(mid);
    for (const a of p.agents) expect(actual(p, a.agentId), a.agentId).toEqual(await expected(a.agentId, mid));
    expect(p.agents.every((a) => a.signalsAsOf === null || a.signalsAsOf <= mid)).toBe(true);
    const first = dates[dates.length - 3] ?? '';
    expect((await pack(first)).agents.every((a) => a.book.pnl1d === null && a.book.pnl1dDate === first)).toBe(true);
    const before = await pack(dates[dates.length - 10]);
    expect(before.agents.every((a) => a.topSignals.length === 0 && a.signalsAsOf === null && a.book.pnl1d === null)).toBe(true);
  });

  it("the regime is the one the overlay applied at the fund's last cycle on or before the day, not a second reading of the market", async () => {
    const last = dates[dates.length - 1] ?? '';
    const applied = await store.db.query<{ regime: string }>(`SELECT summary->>'regime' AS regime FROM cycles WHERE fund_id = $1 AND as_of = $2`, [FUND, last]);
    const shown = (await pack()).market.regime;
    expect(shown).toBe(applied.rows[0]?.regime);
    // the stored snapshot is the source: another regime written there is the one the pack shows
    const other = ['BULL_QUIET', 'BULL_VOLATILE', 'BEAR_QUIET', 'BEAR_CRISIS'].find((r) => r !== shown) ?? '';
    await store.db.query(`UPDATE risk_snapshots SET metrics = jsonb_set(metrics, '{regime}', to_jsonb($3::text)) WHERE fund_id = $1 AND as_of = $2`, [FUND, last, other]);
    try {
      expect((await pack()).market.regime).toBe(other);
    } finally {
      await store.db.query(`UPDATE risk_snapshots SET metrics = jsonb_set(metrics, '{regime}', to_jsonb($3::text)) WHERE fund_id = $1 AND as_of = $2`, [FUND, last, applied.rows[0]?.regime ?? '']);
    }
  });

  it("GET /agents carries each book's latest NAV beside its configured capital, from the rows", async () => {
    const res = await app.inject({ method: 'GET', url: `/v1/funds/${FUND}/agents`, headers: { authorization: `Bearer ${KEY}` } });
    expect(res.statusCode).toBe(200);
    const list = (res.json() as { agents: { id: string; allocatedCapital: number; nav: number | null; navDate: string | null }[] }).agents;
    const last = dates[dates.length - 1] ?? '';
    for (const a of list) {
      const row = (await store.db.query<{ nav: number }>(`SELECT nav FROM nav_history WHERE fund_id = $1 AND agent_id = $2 ORDER BY date DESC LIMIT 1`, [FUND, a.id])).rows[0];
      expect(a.nav, a.id).toBeCloseTo(Number(row?.nav), 2);
      expect(a.navDate).toBe(last);
    }
    // vol-premium cannot trade this market: its configured capital went to the others
    expect(list.find((a) => a.id === 'vol-premium')?.nav).toBe(0);
    expect(list.find((a) => a.id === 'vol-premium')?.allocatedCapital).toBeGreaterThan(0);
  });

  it('the narrative says each P&L with its date', async () => {
    const last = dates[dates.length - 1] ?? '';
    const res = await app.inject({ method: 'GET', url: `/v1/funds/${FUND}/morning-pack`, headers: { authorization: `Bearer ${KEY}` } });
    expect((res.json() as { narrative: { text: string } }).narrative.text).toContain(`on ${last}`);
  });
});
