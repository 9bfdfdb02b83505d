import type { z } from 'zod';
import { ProviderError, failureOfStatus } from './provider-error.ts';

/** The subset of `fetch` the adapters use (global fetch in Node 20; injectable in tests). */
export type FetchLike = (url: string, init: { headers: Record<string, string>; signal: AbortSignal }) => Promise<{
  ok: boolean;
  status: number;
  /** Response headers (global fetch has them; `Retry-After` is read from a 429 or 503). */
  headers?: { get(name: string): string | null };
  text(): Promise<string>;
}>;

export interface HttpOptions {
  readonly provider: string;
  readonly headers?: Record<string, string>;
  /** Secrets to blank out of any error message (API keys in URLs or echoed bodies). */
  readonly secrets?: readonly string[];
  readonly fetch?: FetchLike;
  readonly timeoutMs?: number;
}

/** Removes secrets and secret-looking query parameters from text meant for errors and logs. */
export function scrub(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(/([?&](?:api_?key|apiKey|token|key)=)[^&\s"]*/gi, '$1[redacted]');
  for (const s of secrets) if (s.length > 0) out = out.split(s).join('[redacted]');
  return out;
}

/**
 * The wait a `Retry-After` header asks for, in ms: delay-seconds or an HTTP date (RFC 9110
 * §10.2.3), else `X-RateLimit-Reset` (Unix seconds, Alpaca). Undefined when absent or unreadable.
 */
export function retryAfterMs(headers: { get(name: string): string | null } | undefined, nowMs: number): number | undefined {
  const ra = headers?.get('retry-after')?.trim();
  if (ra) {
    if (/^\d+$/.test(ra)) return Number(ra) * 1000;
    const at = Date.parse(ra);
    if (Number.isFinite(at)) return Math.max(0, at - nowMs);
  }
  const reset = headers?.get('x-ratelimit-reset')?.trim();
  if (reset && /^\d+$/.test(reset)) return Math.max(0, Number(reset) * 1000 - nowMs);
  return undefined;
}

/**
 * GET a JSON document and validate it against `schema`. Non-2xx → ProviderError classified by
 * status; network failure or timeout → transient; body not matching the schema → bad_response.
 * Messages never contain the keys (`secrets` and key-like query parameters are scrubbed).
 */
export async function getJson<S extends z.ZodType>(url: string, schema: S, o: HttpOptions): Promise<z.infer<S>> {
  const f: FetchLike = o.fetch ?? ((u, init) => fetch(u, init));
  const secrets = o.secrets ?? [];
  const full = scrub(url, secrets);
  // A multi-symbol query can be kilobytes long: keep error messages and alerts readable.
  const where = full.length > 160 ? `${full.slice(0, 157)}…` : full;
  let res: Awaited<ReturnType<FetchLike>>;
  try {
    res = await f(url, { headers: { accept: 'application/json', ...o.headers }, signal: AbortSignal.timeout(o.timeoutMs ?? 30_000) });
  } catch (e) {
    throw new ProviderError(o.provider, 'transient', `request failed (${scrub(String((e as Error).message ?? e), secrets)}) for ${where}`);
  }
  const body = await res.text().catch(() => '');
  if (!res.ok) {
    const failure = failureOfStatus(res.status);
    const wait = failure === 'rate_limited' || failure === 'transient' ? retryAfterMs(res.headers, Date.now()) : undefined;
    throw new ProviderError(o.provider, failure, `HTTP ${res.status} (${failure}) for ${where}: ${scrub(body.slice(0, 200), secrets)}`, res.status, wait === undefined ? {} : { retryAfterMs: wait });
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new ProviderError(o.provider, 'bad_response', `response is not JSON for ${where}`, res.status);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ProviderError(o.provider, 'bad_response', `unexpected response shape at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? ''} for ${where}`, res.status);
  }
  return parsed.data;
}
