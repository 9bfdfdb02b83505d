import type { FundConfig, WorkerAnswer, WorkerRequest, WorkerSessionRef } from '../../contracts/index.ts';
import type { NatsRpc } from '../../bus/index.ts';
import type { Panel } from '../../market/index.ts';
import { SessionCache } from './session-cache.ts';
import { pinnedSubject, sessionSubject } from './session.ts';
import { readAnswer, type WorkerChannel } from './worker-agent.ts';

/** Sessions whose chunks the fund's process keeps serving. */
const SERVED_SESSIONS = 2;

/**
 * Agent workers over NATS on one connection and subject prefix: a request goes on
 * `<prefix>.<agent id>` to one worker of the queue group, then to the same worker while it
 * answers (sticky placement: a worker steps only its own agents' state); a run's session (config and panel) is
 * served in chunks on `<prefix>.session.<id>` to the workers that ask for it (each fetches it
 * once, then caches it by id).
 */
export class NatsWorkerChannel implements WorkerChannel {
  private readonly cache = new SessionCache();
  private readonly served: { id: string; stop: () => void }[] = [];
  /** Agent id → the worker that answered it last. */
  private readonly pinned = new Map<string, string>();
  constructor(
    private readonly rpc: NatsRpc,
    private readonly prefix: string,
  ) {}

  where(agentId: string): string {
    return `${this.prefix}.${agentId}`;
  }

  session(config: FundConfig, panel: Panel): WorkerSessionRef {
    const { id, bytes, isNew } = this.cache.encode(config, panel);
    const chunkBytes = Math.max(64 * 1024, Math.min(512 * 1024, this.rpc.maxPayload - 4096));
    if (isNew) {
      const stop = this.rpc.serve(sessionSubject(this.prefix, id), null, (body) => {
        const i = Number(new TextDecoder().decode(body));
        if (!Number.isInteger(i) || i < 0 || i * chunkBytes >= bytes.length) return Promise.reject(new Error(`no chunk ${String(i)} of session ${id.slice(0, 12)}…`));
        return Promise.resolve(bytes.subarray(i * chunkBytes, (i + 1) * chunkBytes));
      });
      this.served.push({ id, stop });
      while (this.served.length > SERVED_SESSIONS) this.served.shift()?.stop();
    }
    return { id, bytes: bytes.length, chunkBytes };
  }

  /**
   * Asks the worker that answered the agent last (`<prefix>.pin.<worker>.<id>`), so each worker
   * keeps stepping the same agents; the first request, and one whose worker is gone (no
   * responders), goes to the queue group (`<prefix>.<id>`) and pins the agent to whoever answers.
   */
  async ask(request: WorkerRequest, symbols: readonly string[], timeoutMs: number, signal: AbortSignal): Promise<WorkerAnswer> {
    const id = request.agentId;
    const body = JSON.stringify(request);
    const pin = this.pinned.get(id);
    let bytes: Uint8Array | undefined;
    if (pin !== undefined) {
      try {
        bytes = await this.rpc.requestBytes(pinnedSubject(this.prefix, pin, id), body, timeoutMs, signal);
      } catch (e) {
        if (!/no responders/i.test(e instanceof Error ? e.message : String(e))) throw e;
        this.pinned.delete(id);
      }
    }
    bytes ??= await this.rpc.requestBytes(this.where(id), body, timeoutMs, signal);
    const answer = readAnswer(bytes, symbols, this.where(id));
    if (answer.worker !== undefined) this.pinned.set(id, answer.worker);
    return answer;
  }
}
