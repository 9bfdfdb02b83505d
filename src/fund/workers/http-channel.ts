import type { FundConfig, WorkerAnswer, WorkerRequest, WorkerSessionRef } from '../../contracts/index.ts';
import type { Panel } from '../../market/index.ts';
import { SessionCache } from './session-cache.ts';
import { HTTP_SESSION_UNKNOWN, proposePath, sessionPath } from './http-routes.ts';
import { readAnswer, type WorkerChannel } from './worker-agent.ts';

/**
 * Agent workers over HTTP: one `keel agents serve --http` server at `base`. A request is POSTed as
 * JSON to `<base>/agents/<id>/propose` (the answer is the response's JSON body; a non-2xx status
 * is a failure, as for a remote agent). A run's session (config and panel) is PUT once to
 * `<base>/sessions/<sha256>` before the first request that names it, and again when the server
 * answers 409 (it restarted and lost it).
 */
export class HttpWorkerChannel implements WorkerChannel {
  private readonly cache = new SessionCache();
  private readonly uploads = new Map<string, Promise<void>>();
  private readonly base: string;
  constructor(
    base: string,
    private readonly fetchFn: typeof fetch = fetch,
  ) {
    this.base = base.replace(/\/+$/, '');
  }

  where(agentId: string): string {
    return `${this.base}${proposePath(agentId)}`;
  }

  session(config: FundConfig, panel: Panel): WorkerSessionRef {
    const { id, bytes } = this.cache.encode(config, panel);
    return { id, bytes: bytes.length, chunkBytes: bytes.length };
  }

  async ask(request: WorkerRequest, symbols: readonly string[], _timeoutMs: number, signal: AbortSignal): Promise<WorkerAnswer> {
    const body = JSON.stringify(request);
    await this.upload(request.session.id, signal);
    let res = await this.post(request.agentId, body, signal);
    if (res.status === HTTP_SESSION_UNKNOWN) {
      await res.body?.cancel();
      this.uploads.delete(request.session.id);
      await this.upload(request.session.id, signal);
      res = await this.post(request.agentId, body, signal);
    }
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (!res.ok) throw new Error(`HTTP ${res.status} from ${this.where(request.agentId)}: ${new TextDecoder().decode(bytes.subarray(0, 300))}`);
    return readAnswer(bytes, symbols, this.where(request.agentId));
  }

  private post(agentId: string, body: string, signal: AbortSignal): Promise<Response> {
    return this.fetchTwice(this.where(agentId), { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal });
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
      p = this.fetchTwice(url, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: bytes, signal }).then(async (res) => {
        const text = await res.text();
        if (!res.ok) throw new Error(`HTTP ${res.status} from PUT ${url}: ${text.slice(0, 300)}`);
      });
      this.uploads.set(id, p);
      p.catch(() => this.uploads.delete(id));
    }
    return p;
  }
}
