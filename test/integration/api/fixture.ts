/**
 * A small world for API tests: a synthetic market (20 names, ~1 year), two funds (fund-a, fund-b)
 * with books, orders, fills, proposals, overlay actions, journal, stress, backtest and alert rows, and
 * users of every role: viewer/pm/risk/admin of fund-a, pm of fund-b, and a root admin (`*`).
 * In-memory PGlite by default; PostgreSQL in a fresh schema (dropped on close) when
 * TEST_DATABASE_URL is set.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { InProcessBus } from '../../../src/bus/index.ts';
import { defaultFundConfigInput, parseFundConfig, type AgentProposal, type FundConfig, type MacroObservation, type OverlayDecision } from '../../../src/contracts/index.ts';
import { addDays, SequentialIds, SimClock } from '../../../src/core/index.ts';
import { createFundMetrics, registerFund } from '../../../src/fund/index.ts';
import { generateSyntheticMarket, syntheticBars } from '../../../src/market/index.ts';
import { buildServer, type ServerOptions } from '../../../src/api/index.ts';
import { openStore, type Store } from '../../../src/store/index.ts';

export const USERS = {
  viewerA: { role: 'viewer', funds: ['fund-a'] },
  pmA: { role: 'pm', funds: ['fund-a'] },
  riskA: { role: 'risk', funds: ['fund-a'] },
  adminA: { role: 'admin', funds: ['fund-a'] },
  pmB: { role: 'pm', funds: ['fund-b'] },
  root: { role: 'admin', funds: ['*'] },
} as const;
export type UserName = keyof typeof USERS;

export interface World {
  readonly store: Store;
  readonly bus: InProcessBus;
  readonly clock: SimClock;
  readonly config: FundConfig;
  readonly keys: Record<UserName, string>;
  readonly symbols: readonly string[];
  readonly lastDate: string;
  readonly auth: (u: UserName) => Record<string, string>;
  close(): Promise<void>;
}

export const keyOf = (u: string): string => `test-key-${u}-0123456789abcdef`;

function configFor(id: string, name: string): FundConfig {
  const input = defaultFundConfigInput() as Record<string, unknown> & { fund: Record<string, unknown> };
  return parseFundConfig({ ...input, fund: { ...input.fund, id, name }, data: { minHistoryRows: 100, degradedMinRows: 50, minQuality: 0.5 } });
}

function overlayDecision(fundTag: string, agentId: string, asOf: string, n: number): OverlayDecision {
  return {
    version: 1, traceId: `tr-${fundTag}-${agentId}-${n}`, decisionId: `dec-${fundTag}-${agentId}-${n}`, cycleId: `cyc-${fundTag}-${n}`, agentId, asOf,
    action: n % 2 === 0 ? 'APPROVE' : 'SCALE', scale: n % 2 === 0 ? 1 : 0.5,
    reasons: n % 2 === 0 ? [] : [{ code: 'RISK_BUDGET', rule: 'risk_budget', message: 'over budget', limit: 0.02, actual: 0.03, symbol: null, sector: null, bucket: null }],
    checks: [], targets: [], riskActions: [], summary: `${fundTag} ${agentId} cycle ${n}`,
  };
}

export function agentProposal(agentId: string, cycleId: string, asOf: string, targets: { symbol: string; weight: number }[]): AgentProposal {
  return {
    version: 1, traceId: `tr-${cycleId}-${agentId}`, cycleId, agentId, strategy: 'momentum', asOf, signals: [],
    targets: targets.map((t) => ({ symbol: t.symbol, weight: t.weight, stopLoss: null, takeProfit: null })), agentRisk: [], reasoning: `${agentId} likes ${targets.map((t) => t.symbol).join(' ')}`,
  };
}

const pgUrl = process.env['TEST_DATABASE_URL'];

async function openTestStore(): Promise<Store> {
  if (!pgUrl) return openStore({ memory: true });
  const schema = `keel_api_${process.pid}_${randomBytes(4).toString('hex')}`;
  const store = await openStore({ url: pgUrl, schema });
  return {
    ...store,
    close: async () => {
      await store.close();
      const c = new pg.Client({ connectionString: pgUrl });
      await c.connect();
      try {
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await c.end();
      }
    },
  };
}

/** Builds the world and a server over it. */
export async function makeWorld(): Promise<World> {
  const store = await openTestStore();
  const m = generateSyntheticMarket({ symbols: 20, years: 1.2, seed: 11 });
  await store.instruments.upsert(m.instruments);
  await store.bars.load(syntheticBars(m));
  const macro: MacroObservation[] = [];
  for (const [name, values] of [['market', m.index], ['vix', m.vix]] as const) {
    m.dates.forEach((date, t) => macro.push({ version: 1, series: name, date, releaseTime: `${date}T21:00:00.000Z`, value: values[t] ?? Number.NaN }));
  }
  await store.macro.insertMany(macro);
  const symbols = m.instruments.filter((i) => i.assetClass === 'equity').map((i) => i.symbol);
  const lastDate = m.dates[m.dates.length - 1] ?? '2019-01-01';
  const clock = new SimClock(Date.parse(`${lastDate}T12:00:00.000Z`));
  const now = new Date(clock.now()).toISOString();
  const config = configFor('fund-a', 'Fund A');
  await registerFund(store, config, 'test', now);
  await registerFund(store, configFor('fund-b', 'Fund B'), 'test', now);
  const s = (i: number): string => symbols[i] ?? 'S000';
  const close = async (sym: string): Promise<number> => {
    const bars = await store.bars.range({ symbols: [sym], from: lastDate, to: lastDate });
    return bars[0]?.close ?? 100;
  };
  for (const [fundId, agent, picks] of [['fund-a', 'momentum', [0, 1, 2]], ['fund-a', 'trend', [3, 4]], ['fund-b', 'momentum', [5, 6]]] as const) {
    const rows = [];
    for (const i of picks) {
      const px = await close(s(i));
      rows.push({ version: 1 as const, fundId, agentId: agent, symbol: s(i), qty: 1000 * (i + 1), avgCost: px * 0.95, lastPrice: px, realizedPnl: 10 * i, updatedAt: now });
    }
    await store.positions.upsert(rows);
  }
  for (const [fundId, tag, sym] of [['fund-a', 'a', s(0)], ['fund-b', 'b', s(5)]] as const) {
    const px = await close(sym);
    await store.orders.insertPending({
      version: 1, traceId: `tr-ord-${tag}`, id: `ord-${tag}-1`, fundId, cycleId: `cyc-${tag}-1`, symbol: sym, side: 'BUY', type: 'MARKET', timeInForce: 'DAY',
      qty: 100, limitPrice: null, stopPrice: null, status: 'PENDING', filledQty: 0, avgFillPrice: null, decisionPrice: px, brokerOrderId: null,
      allocations: [{ agentId: 'momentum', qty: 100 }], denials: [], createdAt: now, updatedAt: now,
    });
    await store.fills.insert({ version: 1, traceId: `tr-ord-${tag}`, id: `fill-${tag}-1`, orderId: `ord-${tag}-1`, symbol: sym, side: 'BUY', qty: 100, price: px * 1.001, commission: 1, timestamp: now, allocations: [{ agentId: 'momentum', qty: 100 }] });
    const expiresAt = `${addDays(lastDate, 1)}T00:00:00.000Z`;
    await store.proposals.insert({ id: `prop-${tag}-1`, fundId, proposal: agentProposal('momentum', `cyc-${tag}-1`, lastDate, [{ symbol: sym, weight: 0.05 }]), createdBy: 'system:agent:momentum', createdAt: now, expiresAt });
    await store.proposals.insert({ id: `prop-${tag}-2`, fundId, proposal: agentProposal('trend', `cyc-${tag}-1`, lastDate, [{ symbol: sym, weight: 0.02 }]), createdBy: 'system:agent:trend', createdAt: now, expiresAt });
    await store.overlayActions.insertMany([overlayDecision(tag, 'momentum', lastDate, 1), overlayDecision(tag, 'trend', lastDate, 1), overlayDecision(tag, 'momentum', lastDate, 2)], fundId);
    await store.journal.add({ fundId, at: now, author: 'seed', kind: 'NOTE', title: `secret note of ${fundId}`, body: `secret note of ${fundId} about ${sym}`, tags: [sym], refs: {} });
    await store.risk.addStressResults([{ fundId, cycleId: null, asOf: lastDate, scenario: 'gfc_2008', pnlImpact: -1000, pnlImpactPct: -0.01, perAgent: {}, details: {} }]);
    await store.backtests.create({ id: `bt-${tag}-seed`, fundId, params: { from: '2018-01-01', to: '2018-06-01' }, createdAt: now });
    await store.alerts.insert({ version: 1, id: `al-${tag}-1`, traceId: `cyc-${tag}-1`, fundId, severity: 'MEDIUM', category: 'TRADING', title: `seed alert of ${fundId}`, message: 'seed', dedupKey: `seed:${tag}`, timestamp: `${lastDate}T21:00:00.000Z`, context: {} });
  }
  const keys = {} as Record<UserName, string>;
  for (const [name, u] of Object.entries(USERS) as [UserName, (typeof USERS)[UserName]][]) {
    keys[name] = keyOf(name);
    await store.users.create({ id: `u-${name}`, name, role: u.role, fundIds: [...u.funds], apiKey: keys[name], createdAt: now });
  }
  const bus = new InProcessBus();
  return {
    store, bus, clock, config, keys, symbols, lastDate,
    auth: (u) => ({ authorization: `Bearer ${keys[u]}` }),
    close: () => store.close(),
  };
}

/** KEEL_VALIDATE_RESPONSES=1 (vitest.config.ts sets it): servers built in tests check every answer against its response schema. */
export const validateResponses = process.env.KEEL_VALIDATE_RESPONSES === '1';

/** A server over the world (override options per test). */
export function serverFor(w: World, extra: Partial<ServerOptions> = {}): Promise<FastifyInstance> {
  return buildServer({ store: w.store, config: w.config, bus: w.bus, metrics: createFundMetrics(), clock: w.clock, ids: new SequentialIds('t'), rateLimit: { perMinute: 1_000_000, burst: 100_000 }, monteCarloPaths: 2_000, validateResponses, ...extra });
}
