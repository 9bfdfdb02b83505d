import type { FundConfig, WorkerAnswer, WorkerRequest, WorkerSessionRef } from '../../contracts/index.ts';
import type { Panel } from '../../market/index.ts';
import { SessionCache } from './session-cache.ts';
import { BATCH_PATH, HTTP_SESSION_UNKNOWN, sessionPath } from './http-routes.ts';
import { Batcher, settle, type Pending } from './batcher.ts';
import type { WorkerChannel } from './worker-agent.ts';

/**
 * Agent workers over HTTP: one `keel agents serve --http` server at `base`. The requests of a cycle
 * are POSTed together as JSON to `<base>/batch` and answered in one body (`encodeBatch`; a non-2xx
 * status is a failure of them all, as for a remote agent; one agent's error fails that agent).
 * A run's session (config and panel) is PUT once to `<base>/sessions/<sha256>` before the first
 * request that names it, and again when the server answers 409 (it restarted and lost it).
 */
export class HttpWorkerChannel implements WorkerChannel {
  private readonly cache = new SessionCache();
  private readonly uploads = new Map<string, Promise<void>>();
  private readonly batcher = new Batcher((_, items, timeoutMs) => this.sendBatch(items, timeoutMs));
  private readonly base: string;
  constructor(
    base: string,
    private readonly fetchFn: typeof fetch = fetch,
  ) {
    this.base = base.replace(/\/+$/, '');
  }

  session(config: FundConfig, panel: Panel): WorkerSessionRef {
    const { id, bytes } = this.cache.encode(config, panel);
    return { id, bytes: bytes.length, chunkBytes: bytes.length };
  }

  ask(request: WorkerRequest, symbols: readonly string[], timeoutMs: number, signal: AbortSignal): Promise<WorkerAnswer> {
    return this.batcher.add(this.base, request, symbols, timeoutMs, signal);
  }

  /** POSTs a cycle's requests together; a 409 (the server lost the session) sends the session again and asks again. */
  private async sendBatch(items: Pending[], timeoutMs: number): Promise<void> {
    const body = JSON.stringify({ requests: items.map((i) => i.request) });
    const sessions = [...new Set(items.map((i) => i.request.session.id))];
    const deadline = AbortSignal.timeout(timeoutMs);
    await Promise.all(sessions.map((id) => this.upload(id, deadline)));
    let res = await this.post(body, deadline);
    if (res.status === HTTP_SESSION_UNKNOWN) {
      await res.body?.cancel();
      for (const id of sessions) this.uploads.delete(id);
      await Promise.all(sessions.map((id) => this.upload(id, deadline)));
      res = await this.post(body, deadline);
    }
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (!res.ok) throw new Error(`HTTP ${res.status} from ${this.base}${BATCH_PATH}: ${new TextDecoder().decode(bytes.subarray(0, 300))}`);
    settle(items, bytes, `${this.base}${BATCH_PATH}`);
  }

  private post(body: string, signal: AbortSignal): Promise<Response> {
    return this.fetchTwice(`${this.base}${BATCH_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal });
  }

  /**
   * Fetches, and once more when the connection failed before an answer (a kept-alive socket the
   * server closed when it restarted): a propose request and a session upload are idempotent.
   */
  private async fetchTwice(url: string, init: RequestInit & { signal: AbortSignal }): Promise<Response> {
    try {
      return await this.fetchFn(url, init);
    } catch (e) {
      if (init.signal.aborted) throw e;
      return this.fetchFn(url, init);
    }
  }

  /** PUTs the session once (concurrent requests of a cycle share the upload); a failed upload is tried again by the next request. */
  private upload(id: string, signal: AbortSignal): Promise<void> {
    let p = this.uploads.get(id);
    if (!p) {
      const bytes = this.cache.get(id);
      if (!bytes) return Promise.reject(new Error(`session ${id.slice(0, 12)}… is no longer kept by the fund's process`));
      const url = `${this.base}${sessionPath(id)}`;
      // the session bytes are on an ArrayBuffer (never shared memory): fetch's body type under the DOM lib wants it said
      p = this.fetchTwice(url, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: bytes as Uint8Array<ArrayBuffer>, signal }).then(async (res) => {
        const text = await res.text();
        if (!res.ok) throw new Error(`HTTP ${res.status} from PUT ${url}: ${text.slice(0, 300)}`);
      });
      this.uploads.set(id, p);
      p.catch(() => this.uploads.delete(id));
    }
    return p;
  }
}
