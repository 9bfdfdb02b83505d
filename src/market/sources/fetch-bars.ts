import type { IsoDate } from '../../core/index.ts';
import type { Bar } from '../../contracts/index.ts';
import type { DataRouter, RouteAttempt } from './data-router.ts';

/** Bars one source delivered for part of a fetch. */
export interface BarBatch {
  readonly source: string;
  readonly bars: readonly Bar[];
}

/** A source that failed during a fetch: its last attempt, and how many symbols it was asked for. */
export interface FetchFailure {
  readonly source: string;
  readonly outcome: RouteAttempt['outcome'];
  readonly httpStatus?: number;
  readonly message?: string;
  readonly symbols: number;
}

export interface FetchBarsOptions {
  /** Symbols per router call (default 100): the unit of progress and of fallback. */
  readonly chunkSize?: number;
  /** A symbol counts as delivered once a source returns its bar for this date (default `to`). */
  readonly expectDate?: IsoDate;
  /** Receives each source's bars as they arrive (store them here). */
  readonly onBatch: (batch: BarBatch) => Promise<void>;
  /** Symbols settled so far, of the total. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface FetchBarsResult {
  /** Each failing source once per kind of failure, with the symbols it was asked for in total. */
  readonly failures: readonly FetchFailure[];
  /** Symbols no source delivered a bar of `expectDate` for. */
  readonly missing: readonly string[];
  /** Bars dated after `to`, dropped (a session not complete when asked). */
  readonly dropped: number;
}

const FAILED = (a: RouteAttempt) => a.outcome !== 'ok' && a.outcome !== 'empty' && a.outcome !== 'unsupported';

/**
 * Fetches daily bars in [from, to] through the router, chunk by chunk. Symbols a source returns no
 * bar of `expectDate` for are asked of the next sources; a source that fails (entitlement, outage
 * after retries, malformed answer) is not asked again in this fetch. Nothing dated after `to` is
 * kept: providers may include a session still in progress.
 */
export async function fetchBars(router: DataRouter, symbols: readonly string[], from: IsoDate, to: IsoDate, o: FetchBarsOptions): Promise<FetchBarsResult> {
  const expect = o.expectDate ?? to;
  const size = Math.max(1, o.chunkSize ?? 100);
  const dead = new Set<string>();
  const failures = new Map<string, { f: FetchFailure; symbols: number }>();
  const missing: string[] = [];
  let dropped = 0;
  let done = 0;
  for (let i = 0; i < symbols.length; i += size) {
    let pending = symbols.slice(i, i + size);
    let route = router.except(dead);
    while (pending.length > 0 && route.sourceNames.length > 0) {
      let bars: Bar[] = [];
      let error = false;
      try {
        bars = await route.bars(pending, from, to);
      } catch {
        error = true;
      }
      const tried = new Set<string>();
      const last = new Map<string, RouteAttempt>();
      for (const a of route.lastRoute) last.set(a.source, a); // a retry that succeeded is no failure
      for (const a of last.values()) {
        tried.add(a.source);
        if (!FAILED(a)) continue;
        dead.add(a.source);
        const key = `${a.source}:${a.outcome}`;
        const prev = failures.get(key);
        failures.set(key, {
          f: { source: a.source, outcome: a.outcome, ...(a.httpStatus === undefined ? {} : { httpStatus: a.httpStatus }), ...(a.message === undefined ? {} : { message: a.message }), symbols: 0 },
          symbols: (prev?.symbols ?? 0) + pending.length,
        });
      }
      const ok = route.lastRoute.find((a) => a.outcome === 'ok');
      if (error || !ok || bars.length === 0) break;
      const kept = bars.filter((b) => b.date >= from && b.date <= to);
      dropped += bars.length - kept.length;
      await o.onBatch({ source: ok.source, bars: kept });
      const delivered = new Set(kept.filter((b) => b.date === expect).map((b) => b.symbol));
      pending = pending.filter((s) => !delivered.has(s));
      route = route.except(tried);
    }
    missing.push(...pending);
    done += Math.min(size, symbols.length - i);
    o.onProgress?.(done, symbols.length);
  }
  return { failures: [...failures.values()].map(({ f, symbols: n }) => ({ ...f, symbols: n })), missing, dropped };
}

/** `alpaca: HTTP 403 (entitlement) …` lines for a report or an alert, keys never included. */
export function describeFailures(failures: readonly FetchFailure[]): string {
  return failures
    .map((f) => `${f.source}: ${f.message ?? f.outcome}${f.message === undefined && f.httpStatus !== undefined ? ` (HTTP ${f.httpStatus})` : ''}`)
    .join('; ');
}
