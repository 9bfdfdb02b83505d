import type { Clock, IdSource } from '../core/index.ts';
import type { FundConfig } from '../contracts/index.ts';
import type { EventBus } from '../bus/index.ts';
import type { FundMetrics, Kernel } from '../fund/index.ts';
import type { Store } from '../store/index.ts';

/** Rate limit per credential: a token bucket refilled at `perMinute`, holding at most `burst`. */
export interface RateLimitOptions {
  readonly perMinute: number;
  readonly burst: number;
}

/** What `buildServer` needs: the composition root builds these and passes them in (no globals). */
export interface ServerOptions {
  readonly store: Store;
  /** The fund config used for funds whose stored config version cannot be found. */
  readonly config: FundConfig;
  readonly bus: EventBus;
  readonly metrics: FundMetrics;
  readonly clock: Clock;
  /** Ids of sessions, notes, proposals; default RandomIds. */
  readonly ids?: IdSource;
  /** Origins allowed by CORS; default none (closed). `keel serve` reads KEEL_CORS_ORIGINS. */
  readonly corsOrigins?: readonly string[];
  readonly rateLimit?: RateLimitOptions;
  /**
   * Fastify logging: false (default) or true / pino options. Credentials are always redacted.
   */
  readonly logger?: boolean | Record<string, unknown>;
  /** The morning-pack LLM narrator endpoint (KEEL_LLM_URL); absent = template only. */
  readonly llmUrl?: string;
  /** The dashboard build to serve at `/` when it exists. */
  readonly webDist?: string;
  /** How long cached read models (positions, fund rows) live, ms; default 30 000. Writes invalidate at once. */
  readonly cacheTtlMs?: number;
  /**
   * How long a fund's costly reports live, ms; default 600 000 (`reportTtl`): the risk monitor, the
   * VaR drill-down, attribution, P&L history and exposures (the agent page's P&L with them). Each
   * takes up to seconds of CPU (attribution over five years of the demo: 6–7 s), so they are
   * refreshed by writes and bus events (fills, orders, cycles) rather than by time.
   */
  readonly reportTtlMs?: number;
  /** Session idle lifetime, ms; default 12 h. */
  readonly sessionTtlMs?: number;
  /**
   * The kernel the server's parts come from (`keel serve`): Keel's home, where a trip writes the
   * fund's kill-switch file and a re-arm removes it, as `keel kill-switch` does, and the brokers
   * approvals execute on. Absent (tests of the HTTP layer): the state only, no files, and the
   * paper broker for approvals of paper funds.
   */
  readonly kernel?: Kernel;
  /** Backtests run at once, each in a worker thread (KEEL_JOB_CONCURRENCY); default CPU cores − 1, at least 1. */
  readonly jobConcurrency?: number;
  /** Backtests that may wait QUEUED at once (KEEL_JOB_QUEUE_MAX); one more is refused (429). Default 50. */
  readonly jobQueueMax?: number;
  /**
   * Load the stored market when the server starts (`keel serve`), in the background, so the first
   * Morning Pack, risk report or backtest does not wait for it. Default false.
   */
  readonly warmMarket?: boolean;
  /**
   * Check every JSON answer against its route's response schema; a mismatch answers 500
   * KEEL_E_INVARIANT naming the route and the field (KEEL_VALIDATE_RESPONSES=1; on in the tests).
   * Default false: the check parses each answer again.
   */
  readonly validateResponses?: boolean;
  /** Monte Carlo paths of the risk monitor; default 5 000. */
  readonly monteCarloPaths?: number;
}
