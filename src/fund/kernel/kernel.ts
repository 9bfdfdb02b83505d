import { InProcessBus, NatsBus, NatsRpc, type EventBus } from '../../bus/index.ts';
import type { DataConfig, FundConfig } from '../../contracts/index.ts';
import { LiveClock, RandomIds, nullLogger, type Clock, type Logger } from '../../core/index.ts';
import { buildMarketDataSources, type FetchLike, type MarketDataSources } from '../../market/index.ts';
import { openStore, type Store } from '../../store/index.ts';
import { AlertManager, type AlertChannel } from '../alerts/alert-manager.ts';
import { alertChannels } from '../alerts/channels.ts';
import type { MarketRefresh } from '../live/market-refresh.ts';
import { runLiveCycle, type LiveCycleOutcome, type ProposalDesk } from '../live/run-live.ts';
import { createFundMetrics, type FundMetrics } from '../observability/metrics.ts';
import { openBroker, type BrokerSession } from './brokers.ts';
import type { KeelEnv } from './env.ts';
import type { RemoteLinks } from '../roster/transports.ts';
import { fundKillSwitchFile, sharedKillSwitchFile } from './kill-switch-files.ts';

export interface KernelOptions {
  /** The environment, read once (`readEnv`). */
  readonly env: KeelEnv;
  /** An open store to use instead of opening the one the environment names (tests, a server's). */
  readonly store?: Store;
  /** Default: the wall clock. */
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** The PMS's approval desk for a fund (the kernel sits below the PMS, so the caller hands it in). */
  readonly desk?: (store: Store, config: FundConfig) => ProposalDesk;
  /** Remote calls (Alpaca trading, market data providers); default the global fetch. Tests point it at fakes. */
  readonly fetch?: typeof fetch;
  /** Waits between broker retries (tests make them instant). */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** One live or paper cycle, as `keel run` and the daemon ask for it. */
export interface KernelCycleRequest {
  readonly config: FundConfig;
  readonly mode: 'paper' | 'live';
  readonly asOf?: string;
  /** Approvals: settle the fund's proposals before the cycle (default true when the kernel has a desk). */
  readonly settleProposals?: boolean;
  /** The pre-cycle market-data step (see `refreshMarket`): fetch the sessions since the latest stored bar. */
  readonly refreshMarket?: (now: number) => Promise<MarketRefresh>;
}

/**
 * The composition root (ARCHITECTURE.md "The kernel"): from the environment table and a fund's
 * config it builds everything a fund runs with — store, clock, bus, metrics, alert channels,
 * the market data router (`buildMarketDataSources`), the broker (paper or Alpaca), and the cycle's OMS, roster and journal
 * (through `runLiveCycle`). Backtest, `keel run`, the daemon, approvals, the API and the CLI get
 * their parts here; nothing else constructs a broker, a bus or a market source (a lint rule
 * enforces it). Built parts are kept: one store, one bus, one metrics registry per kernel.
 */
export interface Kernel {
  readonly env: KeelEnv;
  /** Keel's home (KEEL_HOME). */
  readonly home: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: FundMetrics;
  readonly channels: readonly AlertChannel[];
  /** The store (PGlite under KEEL_HOME, held by this process alone, or PostgreSQL by DATABASE_URL), opened and migrated once. */
  store(): Promise<Store>;
  /** The event bus: NATS JetStream when NATS_URL is set, else in-process. Opened once. */
  bus(): Promise<EventBus>;
  /** How the fund's remote agents are reached: HTTP by fetch, NATS by request/reply on NATS_URL (connected on first use). */
  readonly remote: RemoteLinks;
  /** A fund's alert manager: the channels, the dedup window (ALERT_DEDUP_WINDOW or the config's), the notify level. */
  alerts(config: FundConfig): AlertManager;
  /** The market data router over the fund's `data.providers` that have keys (and which were skipped, why). */
  marketData(data: DataConfig, o?: { readonly fetch?: FetchLike; readonly sleep?: (ms: number) => Promise<void>; readonly logger?: Logger }): MarketDataSources;
  /** The config's broker: paper, or Alpaca after its start-up checks (keys, GET /v2/account, GET /v2/clock). */
  broker(config: FundConfig, mode: 'paper' | 'live'): Promise<BrokerSession>;
  /** One live or paper cycle of a fund on its broker (kill switch, gates, approvals, reconciliation, the cycle, one transaction). */
  runCycle(r: KernelCycleRequest): Promise<LiveCycleOutcome>;
  /** The fund's kill-switch file (`$KEEL_HOME/funds/<id>/KILL_SWITCH`) and the shared one every fund obeys. */
  killSwitchFiles(fundId: string): { readonly fund: string; readonly shared: string };
  /** Closes what the kernel opened (not an injected store). */
  close(): Promise<void>;
}

export function createKernel(o: KernelOptions): Kernel {
  const env = o.env;
  const clock = o.clock ?? new LiveClock();
  const logger = o.logger ?? nullLogger;
  const metrics = createFundMetrics();
  const channels = alertChannels(env.alerts, logger);
  let store: Promise<Store> | null = o.store ? Promise.resolve(o.store) : null;
  let bus: Promise<EventBus> | null = null;
  let rpc: Promise<NatsRpc> | null = null;
  const fetchFn = o.fetch;
  const kernel: Kernel = {
    env,
    home: env.home,
    clock,
    logger,
    metrics,
    channels,
    store() {
      store ??= openStore({ home: env.home, url: env.databaseUrl, logger });
      return store;
    },
    bus() {
      bus ??= env.natsUrl !== null ? NatsBus.connect({ url: env.natsUrl, logger }) : Promise.resolve(new InProcessBus(logger));
      return bus;
    },
    alerts(config) {
      return new AlertManager({ clock, ids: new RandomIds(), channels, logger, dedupWindowSec: env.alerts.dedupWindowSec ?? config.alerts.dedupWindowSec, minSeverity: env.alerts.minSeverity });
    },
    marketData(data, r = {}) {
      const f = r.fetch ?? (fetchFn ? (u: string, init: { headers: Record<string, string>; signal: AbortSignal }) => fetchFn(u, init) : undefined);
      return buildMarketDataSources(data, env, { ...(r.logger ? { logger: r.logger } : {}), ...(f ? { fetch: f } : {}), ...(r.sleep ? { sleep: r.sleep } : {}) });
    },
    broker(config, mode) {
      return openBroker({ config, env, clock, mode, ...(fetchFn ? { fetchFn } : {}), ...(o.sleep ? { sleep: o.sleep } : {}) });
    },
    async runCycle(r) {
      const s = await kernel.store();
      const desk = o.desk;
      return runLiveCycle({
        store: s,
        config: r.config,
        mode: r.mode,
        home: env.home,
        openBroker: (config) => kernel.broker(config, r.mode),
        alerts: kernel.alerts(r.config),
        clock,
        logger,
        bus: await kernel.bus(),
        remote: kernel.remote,
        metrics,
        ...(r.asOf ? { asOf: r.asOf } : {}),
        ...(r.refreshMarket ? { refreshMarket: r.refreshMarket } : {}),
        ...(desk && r.settleProposals !== false ? { desk: (config: FundConfig) => desk(s, config) } : {}),
      });
    },
    remote: {
      ...(fetchFn ? { fetch: fetchFn } : {}),
      ...(env.natsUrl !== null ? { nats: () => (rpc ??= NatsRpc.connect(env.natsUrl ?? '')) } : {}),
    },
    killSwitchFiles(fundId) {
      return { fund: fundKillSwitchFile(env.home, fundId), shared: sharedKillSwitchFile(env.home) };
    },
    async close() {
      const [b, st, r] = [bus, o.store ? null : store, rpc];
      bus = null;
      rpc = null;
      if (r) await r.then((x) => x.close(), () => undefined);
      store = null;
      // A part that failed to open has nothing to close.
      if (b) await b.then((x) => x.close(), () => undefined);
      if (st) await st.then((x) => x.close(), () => undefined);
    },
  };
  return kernel;
}
