import type { FundConfig, WorkerAnswer, WorkerRequest, WorkerSessionRef } from '../../contracts/index.ts';
import type { NatsRpc } from '../../bus/index.ts';
import type { Panel } from '../../market/index.ts';
import { SessionCache } from './session-cache.ts';
import { Batcher, settle, type Pending } from './batcher.ts';
import { Placement } from './placement.ts';
import { batchSubject, sessionSubject } from './session.ts';
import { readAnswer, type WorkerChannel } from './worker-agent.ts';

/**
 * The most requests in one NATS message: their answers come back in one message, which must fit
 * the server's largest (1 MB by default); a built-in's answer is at most ≈ 40 KB (400 names).
 */
const NATS_BATCH_ITEMS = 16;

/** Sessions whose chunks the fund's process keeps serving. */
const SERVED_SESSIONS = 2;

/**
 * Agent workers over NATS on one connection and subject prefix: a request goes on
 * `<prefix>.<agent id>` to one worker of the queue group, then to the same worker while it
 * answers (sticky placement: a worker steps only its own agents' state, in one message a cycle),
 * with the agents spread evenly over the workers that answered (`Placement`);
 * a run's session (config and panel) is served in chunks on `<prefix>.session.<id>` to the workers that ask for it (each fetches it
 * once, then caches it by id).
 */
export class NatsWorkerChannel implements WorkerChannel {
  private readonly cache = new SessionCache();
  private readonly served: { id: string; stop: () => void }[] = [];
  /** Which worker each agent's requests go to. */
  private readonly placement = new Placement();
  private readonly batcher = new Batcher((worker, items, timeoutMs) => this.sendBatch(worker, items, timeoutMs), NATS_BATCH_ITEMS);
  constructor(
    private readonly rpc: NatsRpc,
    private readonly prefix: string,
  ) {}

  /** The queue group's subject of an agent. */
  private where(agentId: string): string {
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
   * Asks the agent's worker (`Placement`: the one that answered it first, unless that worker holds
   * more than its share), so each worker keeps stepping the same agents: the requests of a cycle for one worker's agents go to it as one batch
   * (`<prefix>.pin.<worker>`, one message each way). The first request of an agent, and those
   * whose worker is gone (no responders), go to the queue group (`<prefix>.<id>`), which pins the
   * agent to whoever answers.
   */
  ask(request: WorkerRequest, symbols: readonly string[], timeoutMs: number, signal: AbortSignal): Promise<WorkerAnswer> {
    const pin = this.placement.workerFor(request.agentId);
    return pin === undefined ? this.askGroup(request, symbols, timeoutMs, signal) : this.batcher.add(pin, request, symbols, timeoutMs, signal);
  }

  private async askGroup(request: WorkerRequest, symbols: readonly string[], timeoutMs: number, signal: AbortSignal): Promise<WorkerAnswer> {
    const bytes = await this.rpc.requestBytes(this.where(request.agentId), JSON.stringify(request), timeoutMs, signal);
    const answer = readAnswer(bytes, symbols, this.where(request.agentId));
    this.pin(request.agentId, answer);
    return answer;
  }

  private pin(agentId: string, answer: WorkerAnswer): void {
    if (answer.worker !== undefined) this.placement.pin(agentId, answer.worker);
    if (answer.ms !== undefined) this.placement.measured(agentId, answer.ms);
  }

  private async sendBatch(worker: string, items: Pending[], timeoutMs: number): Promise<void> {
    const subject = batchSubject(this.prefix, worker);
    let bytes: Uint8Array;
    try {
      bytes = await this.rpc.requestBytes(subject, JSON.stringify({ requests: items.map((i) => i.request) }), timeoutMs);
    } catch (e) {
      if (!/no responders/i.test(e instanceof Error ? e.message : String(e))) throw e;
      // the worker is gone: its agents go to the queue group again (and are pinned to whoever answers)
      this.placement.drop(worker);
      for (const i of items) {
        this.askGroup(i.request, i.symbols, timeoutMs, i.signal).then(i.resolve, i.reject);
      }
      return;
    }
    settle(items, bytes, subject, (id, a) => this.pin(id, a));
  }
}
