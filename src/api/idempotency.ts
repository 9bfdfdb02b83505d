import { z } from 'zod';
import { hashOf, KeelError } from '../core/index.ts';

/** The Idempotency-Key header: 1 to 200 visible ASCII characters (the OpenAPI document declares it from this schema). */
export const IdempotencyKey = z.string().min(1).max(200).regex(/^[\x21-\x7e]+$/, 'visible ASCII only');

interface Entry {
  readonly bodyHash: string;
  readonly at: number;
  readonly result: Promise<{ status: number; payload: unknown }>;
}

/**
 * Remembers the response to each (user, Idempotency-Key) for `ttlMs`: the same key and body give
 * the first response again (even while the first request is still running), a different body is a
 * conflict. Failed requests (an error thrown) are forgotten so they can be retried.
 */
export class IdempotencyCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number, private readonly ttlMs = 24 * 3_600_000) {}

  async run(
    scope: string,
    key: string,
    body: unknown,
    fn: () => Promise<{ status: number; payload: unknown }>,
  ): Promise<{ status: number; payload: unknown; isReplay: boolean }> {
    const id = `${scope}\u0000${key}`;
    const bodyHash = hashOf(body ?? null);
    const t = this.now();
    const hit = this.entries.get(id);
    if (hit && t - hit.at < this.ttlMs) {
      if (hit.bodyHash !== bodyHash) {
        throw new KeelError('KEEL_E_ILLEGAL_TRANSITION', 'Idempotency-Key was already used with a different body', { field: 'headers.idempotency-key' });
      }
      return { ...(await hit.result), isReplay: true };
    }
    const result = fn();
    this.entries.set(id, { bodyHash, at: t, result });
    try {
      return { ...(await result), isReplay: false };
    } catch (e) {
      this.entries.delete(id);
      throw e;
    }
  }
}
