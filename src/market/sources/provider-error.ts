import { KeelError } from '../../core/index.ts';

/**
 * How a provider failed, which decides what the router does:
 * `entitlement` (HTTP 400/401/403: bad request, no key, plan does not cover it) — never retried;
 * `not_found` (404) and `unsupported` (the source has no such data) — not retried;
 * `rate_limited` (429) and `transient` (5xx, network error, timeout) — retried with back-off;
 * `bad_response` (a 2xx body not in the documented shape) — not retried.
 */
export type ProviderFailure = 'entitlement' | 'not_found' | 'unsupported' | 'rate_limited' | 'transient' | 'bad_response';

export class ProviderError extends KeelError {
  readonly provider: string;
  readonly failure: ProviderFailure;
  readonly httpStatus: number | undefined;
  /** How long the provider asked us to wait before retrying (Retry-After), in ms. */
  readonly retryAfterMs: number | undefined;

  constructor(provider: string, failure: ProviderFailure, message: string, httpStatus?: number, details: Record<string, unknown> = {}) {
    super('KEEL_E_PROVIDER', `${provider}: ${message}`, { provider, failure, httpStatus, ...details });
    this.name = 'ProviderError';
    this.provider = provider;
    this.failure = failure;
    this.httpStatus = httpStatus;
    this.retryAfterMs = typeof details.retryAfterMs === 'number' ? details.retryAfterMs : undefined;
  }

  get isRetryable(): boolean {
    return this.failure === 'transient' || this.failure === 'rate_limited';
  }
}

/** The failure class of an HTTP status (non-2xx). */
export function failureOfStatus(status: number): ProviderFailure {
  if (status === 400 || status === 401 || status === 403) return 'entitlement';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'transient';
  return 'entitlement';
}
