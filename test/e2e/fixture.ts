/**
 * The e2e fixture: the real API (`buildServer`) over an in-memory store seeded with a small
 * synthetic market, the default fund (a few agents), one short stored backtest and an admin user
 * with a known key, serving the built dashboard from web/dist.
 */
import path from 'node:path';
import type { MacroObservation } from '../../src/contracts/index.ts';
import { agentBucket, agentRiskDrivers, configHash, defaultFundConfigInput, parseFundConfig, resolveAgentRisk, type FundConfig } from '../../src/contracts/index.ts';
import { LiveClock } from '../../src/core/index.ts';
import { InProcessBus } from '../../src/bus/index.ts';
import { createFundMetrics, runStoredBacktest } from '../../src/fund/index.ts';
import { assessPanelQuality, generateSyntheticMarket, syntheticBars, syntheticPanel, type SyntheticMarket } from '../../src/market/index.ts';
import { openStore, type Store } from '../../src/store/index.ts';
import { buildServer } from '../../src/api/index.ts';
import { seedBook } from './seed-book.ts';

export const FUND_ID = 'e2e';
export const ADMIN = { name: 'e2e-admin', key: 'keel-e2e-admin-key-0123456789abcdef' } as const;
export const VIEWER = { name: 'e2e-viewer', key: 'keel-e2e-viewer-key-0123456789abcdef' } as const;
/** Agents the e2e fund runs (a few, to keep the seeding backtest short). */
const AGENTS = ['momentum', 'trend', 'reversal'];

export interface Fixture {
  readonly url: string;
  readonly store: Store;
  readonly config: FundConfig;
  /** Market dates (oldest first). */
  readonly dates: readonly string[];
  close(): Promise<void>;
}

async function seedMarket(store: Store, cfg: FundConfig, years: number): Promise<SyntheticMarket> {
  const m = generateSyntheticMarket({ symbols: 24, years, seed: 11 });
  const macro: MacroObservation[] = [];
  const series = new Map<string, Float64Array>([['market', m.index], ['vix', m.vix], ...m.factors]);
  for (const [name, values] of series) m.dates.forEach((date, t) => macro.push({ version: 1, series: name, date, releaseTime: `${date}T21:00:00.000Z`, value: values[t] ?? Number.NaN }));
  await store.instruments.upsert(m.instruments);
  await store.bars.load(syntheticBars(m));
  await store.fundamentals.insertMany([...m.fundamentals.values()].flat());
  await store.macro.insertMany(macro);
  await store.dataQuality.upsert(assessPanelQuality(syntheticPanel(m), { config: cfg.data }));
  return m;
}

async function registerFund(store: Store, cfg: FundConfig, now: string): Promise<void> {
  const hash = configHash(cfg);
  await store.funds.upsert({ id: cfg.fund.id, name: cfg.fund.name, baseCurrency: cfg.fund.currency, initialCapital: cfg.fund.totalCapital, tradingState: 'ACTIVE', drawdownState: 'normal', highWaterMark: null, hwmDate: null, configHash: hash });
  await store.funds.upsertAgents(
    cfg.agents.map((a) => ({
      fundId: cfg.fund.id, id: a.id, strategy: a.strategy, bucket: agentBucket(a), riskDrivers: [...agentRiskDrivers(a)], allocatedCapital: a.allocatedCapital,
      riskParams: resolveAgentRisk(cfg, a), drawdownState: 'normal', highWaterMark: null, hwmDate: null, isEnabled: a.enabled, metrics: {},
    })),
  );
  await store.configVersions.save({ hash, fundId: cfg.fund.id, config: cfg, createdAt: now, createdBy: 'e2e' });
}

/** Seeds and starts the server on an ephemeral port. */
export async function startFixture(o: { webDist: string; years?: number; backtestDays?: number }): Promise<Fixture> {
  const now = new Date().toISOString();
  const input = defaultFundConfigInput(10_000_000);
  const config = parseFundConfig({
    ...input,
    fund: { ...input.fund, id: FUND_ID, name: 'E2E Fund' },
    data: { minHistoryRows: 250, degradedMinRows: 200, minQuality: 0.5 },
    // the seeded backtest reallocates within its 40 days (weekly, after 20 days of record), so the
    // pages that read it see capital moved between the agents' books
    allocation: { minHistoryDays: 20, rebalance: 'weekly' },
    agents: (input.agents ?? []).filter((a) => AGENTS.includes(a.id)),
  });
  const store = await openStore({ memory: true });
  const market = await seedMarket(store, config, o.years ?? 1.6);
  const dates = [...market.dates];
  await registerFund(store, config, now);
  const days = o.backtestDays ?? 40;
  const from = dates[dates.length - days] ?? dates[0] ?? '';
  const to = dates[dates.length - 1] ?? '';
  const { result } = await runStoredBacktest(store, { config, from, to });
  await seedBook(store, market, FUND_ID, config.agents.map((a) => a.id), result.fund.equity, result.dates);
  await store.users.create({ id: 'u-admin', name: ADMIN.name, role: 'admin', fundIds: ['*'], apiKey: ADMIN.key, createdAt: now });
  await store.users.create({ id: 'u-viewer', name: VIEWER.name, role: 'viewer', fundIds: [FUND_ID], apiKey: VIEWER.key, createdAt: now });
  const server = await buildServer({ store, config, bus: new InProcessBus(), metrics: createFundMetrics(), clock: new LiveClock(), webDist: path.resolve(o.webDist), validateResponses: process.env.KEEL_VALIDATE_RESPONSES === '1' });
  const address = await server.listen({ port: 0, host: '127.0.0.1' });
  return {
    url: address,
    store,
    config,
    dates,
    close: async () => {
      await server.close();
      await store.close();
    },
  };
}
