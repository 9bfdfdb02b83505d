import { nullLogger, type IsoDate, type Logger } from '../../core/index.ts';
import type { Bar, Fundamentals, Instrument, MacroObservation } from '../../contracts/index.ts';
import type { MarketSource } from './market-source.ts';
import { ProviderError, type ProviderFailure } from './provider-error.ts';

export type RouteOp = 'instruments' | 'bars' | 'fundamentals' | 'macro';

/** One try of one source: the route of a call is data, kept in `DataRouter.lastRoute`. */
export interface RouteAttempt {
  readonly source: string;
  readonly op: RouteOp;
  /** 1-based try number for this source. */
  readonly attempt: number;
  readonly outcome: 'ok' | 'empty' | ProviderFailure | 'error';
  readonly httpStatus?: number;
  readonly message?: string;
}

export interface DataRouterOptions {
  /** Retries of a transient failure per source (default 2: at most 3 tries). */
  readonly maxRetries?: number;
  /** First back-off in ms, doubled on each retry (default 250). */
  readonly backoffMs?: number;
  /**
   * Longest wait a provider's Retry-After may impose, in ms (default 60,000). A longer one is not
   * waited for: the router falls back to the next source at once.
   */
  readonly maxRetryAfterMs?: number;
  /** Injected for tests (default setTimeout). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Move on to the next source when one returns no rows for a non-empty request (default true). */
  readonly fallbackOnEmpty?: boolean;
  readonly logger?: Logger;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Tries sources in priority order (seed: Yahoo → Polygon → Alpaca; here whatever order is
 * given). Entitlement failures (HTTP 400/401/403), not-found, unsupported and malformed
 * responses are never retried: the router falls back to the next source at once. Transient
 * failures (5xx, 429, network) are retried up to `maxRetries` times with doubling back-off (or
 * the provider's Retry-After when longer, up to `maxRetryAfterMs`), then the router falls back. When every source fails, it throws a ProviderError listing them.
 */
export class DataRouter implements MarketSource {
  readonly name = 'router';
  /** Every attempt of the most recent call, in order. */
  lastRoute: RouteAttempt[] = [];
  private readonly maxRetries: number;
  private readonly backoffMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly log: Logger;

  constructor(
    private readonly sources: readonly MarketSource[],
    private readonly options: DataRouterOptions = {},
  ) {
    this.maxRetries = options.maxRetries ?? 2;
    this.backoffMs = options.backoffMs ?? 250;
    this.sleep = options.sleep ?? defaultSleep;
    this.log = options.logger ?? nullLogger;
  }

  /** The names of the sources, in priority order. */
  get sourceNames(): string[] {
    return this.sources.map((s) => s.name);
  }

  /** The same router without the named sources (e.g. those that already failed in this fetch). */
  except(names: Iterable<string>): DataRouter {
    const drop = new Set(names);
    // eslint-disable-next-line no-restricted-syntax -- a narrowing of a router the kernel built, not a new source
    return new DataRouter(this.sources.filter((s) => !drop.has(s.name)), this.options);
  }

  instruments(): Promise<Instrument[]> {
    return this.route('instruments', (s) => s.instruments(), false);
  }

  bars(symbols: readonly string[], from: IsoDate, to: IsoDate): Promise<Bar[]> {
    return this.route('bars', (s) => s.bars(symbols, from, to), symbols.length > 0);
  }

  fundamentals(): Promise<Fundamentals[]> {
    return this.route('fundamentals', (s) => (s.fundamentals ? s.fundamentals() : undefined), false);
  }

  macro(series: readonly string[], from: IsoDate, to: IsoDate): Promise<MacroObservation[]> {
    return this.route('macro', (s) => (s.macro ? s.macro(series, from, to) : undefined), series.length > 0);
  }

  private async route<T>(op: RouteOp, call: (s: MarketSource) => Promise<T[]> | undefined, expectRows: boolean): Promise<T[]> {
    const route: RouteAttempt[] = [];
    this.lastRoute = route;
    let emptyResult: T[] | undefined;
    for (const source of this.sources) {
      for (let attempt = 1; ; attempt++) {
        const pending = call(source);
        if (!pending) break; // the source does not offer this op
        try {
          const rows = await pending;
          if (rows.length === 0 && expectRows && (this.options.fallbackOnEmpty ?? true)) {
            route.push({ source: source.name, op, attempt, outcome: 'empty' });
            emptyResult ??= rows;
            break;
          }
          route.push({ source: source.name, op, attempt, outcome: 'ok' });
          return rows;
        } catch (e) {
          const pe = e instanceof ProviderError ? e : undefined;
          const outcome = pe ? pe.failure : 'error';
          const message = e instanceof Error ? e.message : String(e);
          route.push({ source: source.name, op, attempt, outcome, ...(pe?.httpStatus === undefined ? {} : { httpStatus: pe.httpStatus }), message });
          this.log.log('warn', 'market source failed', { source: source.name, op, attempt, outcome, httpStatus: pe?.httpStatus });
          if (!pe?.isRetryable || attempt > this.maxRetries) break;
          const backoff = this.backoffMs * 2 ** (attempt - 1);
          const asked = pe.retryAfterMs ?? 0;
          if (asked > (this.options.maxRetryAfterMs ?? 60_000)) break;
          await this.sleep(Math.max(backoff, asked));
        }
      }
    }
    if (emptyResult !== undefined) return emptyResult;
    const summary = route.map((a) => `${a.source}#${a.attempt} ${a.outcome}${a.httpStatus ? ` ${a.httpStatus}` : ''}`).join('; ');
    throw new ProviderError('router', 'unsupported', `${op}: no source succeeded (${summary || 'no source offers it'})`, undefined, { attempts: route });
  }
}
