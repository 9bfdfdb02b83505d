import { KeelError } from '../../core/index.ts';

export interface AlpacaHttpOptions {
  readonly baseUrl: string;
  readonly keyId: string;
  readonly secretKey: string;
  readonly fetchFn: typeof fetch;
  readonly sleep: (ms: number) => Promise<void>;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly backoffMs: number;
  /** Wall clock, ms (for Retry-After given as an HTTP date). */
  readonly now: () => number;
}

export interface HttpResponse {
  readonly status: number;
  readonly body: unknown;
  readonly retryAfterMs: number | null;
}

/** The request never got an answer (network error or timeout): it may or may not have arrived. */
export class TransportError extends KeelError {
  constructor(method: string, path: string, cause: string) {
    super('KEEL_E_BROKER', `alpaca ${method} ${path}: no response (${cause})`, { method, path });
    this.name = 'TransportError';
  }
}

/** Retry-After in ms: delta-seconds or an HTTP date; null if absent or unreadable. */
export function parseRetryAfter(v: string | null, nowMs: number): number | null {
  if (v === null) return null;
  const s = Number(v);
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const d = Date.parse(v);
  return Number.isFinite(d) ? Math.max(0, d - nowMs) : null;
}

/**
 * A thin HTTP client for Alpaca. The keys live only in this closure and in request headers;
 * they never appear in errors, logs or JSON. `send` makes ONE attempt; `request` retries
 * 5xx and transport errors with exponential backoff (backoffMs · 2^attempt, up to maxRetries)
 * and honours 429 Retry-After; other 4xx are returned to the caller unretried.
 */
export function createAlpacaHttp(o: AlpacaHttpOptions) {
  const headers = (): Record<string, string> => ({
    'APCA-API-KEY-ID': o.keyId,
    'APCA-API-SECRET-KEY': o.secretKey,
    'content-type': 'application/json',
    accept: 'application/json',
  });

  async function send(method: string, path: string, body?: unknown): Promise<HttpResponse> {
    let res: Response;
    try {
      const init: RequestInit = { method, headers: headers(), signal: AbortSignal.timeout(o.timeoutMs) };
      if (body !== undefined) init.body = JSON.stringify(body);
      res = await o.fetchFn(`${o.baseUrl}${path}`, init);
    } catch (e) {
      const name = e instanceof Error ? e.name : 'error';
      throw new TransportError(method, path, name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network error');
    }
    let parsed: unknown;
    try {
      const text = await res.text();
      parsed = text.length > 0 ? JSON.parse(text) : null;
    } catch {
      parsed = null;
    }
    return { status: res.status, body: parsed, retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), o.now()) };
  }

  /** Delay before retry `attempt` (0-based): Retry-After when given, else exponential backoff. */
  const delay = (attempt: number, r: HttpResponse | null): number => r?.retryAfterMs ?? o.backoffMs * 2 ** attempt;

  async function request(method: string, path: string, body?: unknown): Promise<HttpResponse> {
    for (let attempt = 0; ; attempt++) {
      let r: HttpResponse;
      try {
        r = await send(method, path, body);
      } catch (e) {
        if (!(e instanceof TransportError) || attempt >= o.maxRetries) throw e;
        await o.sleep(delay(attempt, null));
        continue;
      }
      const retryable = r.status === 429 || r.status >= 500;
      if (!retryable) return r;
      if (attempt >= o.maxRetries) throw brokerError(method, path, r);
      await o.sleep(delay(attempt, r));
    }
  }

  return { send, request, delay };
}

export type AlpacaHttp = ReturnType<typeof createAlpacaHttp>;

/** A KeelError for a failed call, naming the status and Alpaca's message (never the keys). */
export function brokerError(method: string, path: string, r: HttpResponse): KeelError {
  const msg = typeof r.body === 'object' && r.body !== null && 'message' in r.body ? String((r.body as { message: unknown }).message) : '';
  const code = r.status === 429 ? 'KEEL_E_RATE_LIMITED' : r.status === 403 ? 'KEEL_E_FORBIDDEN' : r.status === 401 ? 'KEEL_E_UNAUTHORIZED' : 'KEEL_E_BROKER';
  return new KeelError(code, `alpaca ${method} ${path} failed with HTTP ${r.status}${msg ? `: ${msg}` : ''}`, { method, path, status: r.status });
}
