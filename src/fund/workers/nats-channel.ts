import type { FundConfig, WorkerRequest, WorkerSessionRef } from '../../contracts/index.ts';
import type { NatsRpc } from '../../bus/index.ts';
import type { Panel } from '../../market/index.ts';
import { SessionCache } from './session-cache.ts';
import { sessionSubject } from './session.ts';
import type { WorkerChannel } from './worker-agent.ts';

/** Sessions whose chunks the fund's process keeps serving. */
const SERVED_SESSIONS = 2;

/**
 * Agent workers over NATS on one connection and subject prefix: a request goes on
 * `<prefix>.<agent id>` to one worker of the queue group; a run's session (config and panel) is
 * served in chunks on `<prefix>.session.<id>` to the workers that ask for it (each fetches it
 * once, then caches it by id).
 */
export class NatsWorkerChannel implements WorkerChannel {
  private readonly cache = new SessionCache();
  private readonly served: { id: string; stop: () => void }[] = [];
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

  send(request: WorkerRequest, timeoutMs: number, signal: AbortSignal): Promise<string> {
    return this.rpc.request(this.where(request.agentId), JSON.stringify(request), timeoutMs, signal);
  }
}
