import { RandomIds, type Clock, type IdSource } from '../core/index.ts';
import type { FundConfig } from '../contracts/index.ts';
import type { EventBus } from '../bus/index.ts';
import { availableParallelism } from 'node:os';
import { BacktestQueue, loadMarket, marketCacheDir, sharePanel, openBroker, readEnv, storedFundConfig, type BrokerSession, type LoadedMarket } from '../fund/index.ts';
import { addJournalEntry, type ControlDeps, type JournalEntry } from '../pms/index.ts';
import type { FundRow, Repos, Store } from '../store/index.ts';
import { Authenticator } from './auth.ts';
import { IdempotencyCache } from './idempotency.ts';
import type { ServerOptions } from './options.ts';
import { ReadCache } from './read-cache.ts';

/** Background jobs at once when not configured: a core is left for the API. */
export function defaultJobConcurrency(): number {
  return Math.max(1, availableParallelism() - 1);
}

/** The services every route handler shares; built once per server. */
export class ApiRuntime {
  readonly store: Store;
  readonly bus: EventBus;
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly auth: Authenticator;
  readonly idempotency: IdempotencyCache;
  readonly cache: ReadCache;
  /** Backtests (and other long jobs) run outside the request path, in worker threads. */
  readonly backtests: BacktestQueue;
  private market: { value: Promise<LoadedMarket>; until: number } | undefined;

  constructor(readonly opts: ServerOptions) {
    this.store = opts.store;
    this.bus = opts.bus;
    this.clock = opts.clock;
    this.ids = opts.ids ?? new RandomIds();
    const now = (): number => this.clock.now();
    this.auth = new Authenticator(opts.store, now, opts.sessionTtlMs ?? 12 * 3_600_000);
    this.idempotency = new IdempotencyCache(now);
    this.cache = new ReadCache(now, opts.cacheTtlMs ?? 30_000);
    this.backtests = new BacktestQueue({
      store: this.store,
      bus: this.bus,
      market: () => this.loadedMarket(),
      concurrency: opts.jobConcurrency ?? defaultJobConcurrency(),
      maxQueued: opts.jobQueueMax ?? 50,
      now: () => this.nowIso(),
      ...(opts.kernel ? { logger: opts.kernel.logger } : {}),
    });
  }

  /** How long costly reports stay cached (ServerOptions.reportTtlMs): writes and bus events refresh them, not time. */
  get reportTtl(): number {
    return this.opts.reportTtlMs ?? 600_000;
  }

  nowIso(): string {
    return new Date(this.clock.now()).toISOString();
  }

  /**
   * The stored market, loaded once and kept until `invalidateMarket` (a completed cycle, which
   * follows new data) or an hour has passed; a failed load is retried on the next call. Loading
   * takes seconds of CPU, so it is kept off the hot path.
   */
  loadedMarket(): Promise<LoadedMarket> {
    const t = this.clock.now();
    if (this.market && this.market.until > t) return this.market.value;
    // on shared memory: each backtest thread reads this copy instead of receiving its own
    const home = this.home;
    const value = loadMarket(this.store, home ? { cacheDir: marketCacheDir(home) } : {}).then((m) => ({ ...m, panel: sharePanel(m.panel) }));
    const slot = { value, until: t + 3_600_000 };
    this.market = slot;
    value.catch(() => {
      if (this.market === slot) this.market = undefined;
    });
    return value;
  }

  invalidateMarket(): void {
    this.market = undefined;
  }

  /** The fund's config: the stored version it runs with, else (a fund without one) the server's config. */
  async configFor(fund: FundRow): Promise<FundConfig> {
    try {
      return (await storedFundConfig(this.store, fund.id))?.config ?? this.opts.config;
    } catch {
      // a stored config that no longer parses: fall back to the server's
      return this.opts.config;
    }
  }

  /** Keel's home (kill-switch files), null when the server runs without a kernel. */
  get home(): string | null {
    return this.opts.kernel?.home ?? null;
  }

  /** What a control (kill switch, agent, config, fund) needs, acting now. */
  controlDeps(): ControlDeps {
    return { store: this.store, bus: this.bus, ids: this.ids, now: this.nowIso(), home: this.home };
  }

  /** The fund's broker from the kernel; without a kernel, the paper broker (a config for Alpaca is refused). */
  openBroker(config: FundConfig): Promise<BrokerSession> {
    if (this.opts.kernel) return this.opts.kernel.broker(config, 'paper');
    return openBroker({ config, env: readEnv({}, '/'), clock: this.clock, mode: 'paper' });
  }

  /** Writes a PMS journal entry to the store (inside `tx` when given). Returns the row id. */
  addJournal(e: JournalEntry, tx: Repos = this.store): Promise<number> {
    return addJournalEntry(tx, e);
  }
}
