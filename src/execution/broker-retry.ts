import { isKeelError, KeelError } from '../core/index.ts';

/** How often and how patiently a broker call is tried again. */
export interface RetryPolicy {
  /** Attempts in all, ≥ 1. */
  readonly attempts: number;
  /** Wait before the second attempt, ms; it doubles each time (a 429's Retry-After is the adapter's). */
  readonly baseMs: number;
  readonly sleep: (ms: number) => Promise<void>;
}

/** Five attempts, 1 s, 2 s, 4 s, 8 s apart (on top of the adapter's own retries of each request). */
export function defaultRetry(sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms))): RetryPolicy {
  return { attempts: 5, baseMs: 1000, sleep };
}

/**
 * A broker failure that may pass: no answer (a reset, a timeout), a 5xx, a 429. A 4xx refusal
 * (bad keys, a forbidden call) will not, and neither will a reply Keel cannot read.
 */
export function isTransientBrokerError(e: unknown): boolean {
  if (!isKeelError(e)) return false;
  if (e.code === 'KEEL_E_RATE_LIMITED') return true;
  if (e.code !== 'KEEL_E_BROKER') return false;
  const status = e.details.status;
  return typeof status !== 'number' || status >= 500;
}

/**
 * Runs `call`, trying again after transient failures with exponential backoff; throws
 * KEEL_E_UNRECONCILED naming `what` and the last error when the attempts run out (or at once on
 * a failure that will not pass).
 */
export async function withBrokerRetries<T>(what: string, call: () => Promise<T>, p: RetryPolicy): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (e) {
      const transient = isTransientBrokerError(e);
      if (!transient || attempt >= p.attempts) {
        const why = e instanceof Error ? e.message : String(e);
        throw new KeelError('KEEL_E_UNRECONCILED', `${what} failed${transient ? ` after ${attempt} attempts` : ''}: ${why}`, { what, attempts: attempt });
      }
      await p.sleep(p.baseMs * 2 ** (attempt - 1));
    }
  }
}
