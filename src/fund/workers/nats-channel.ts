import type { FundConfig, WorkerAnswer, WorkerRequest, WorkerSessionRef } from '../../contracts/index.ts';
import type { NatsRpc } from '../../bus/index.ts';
import type { Panel } from '../../market/index.ts';
import { SessionCache } from './session-cache.ts';
import { decodeBatch } from './answer-codec.ts';
import { batchSubject, sessionSubject } from './session.ts';
import { readAnswer, type WorkerChannel } from './worker-agent.ts';

interface Batch {
  readonly items: { request: WorkerRequest; symbols: readonly string[]; resolve: (a: WorkerAnswer) => void; reject: (e: unknown) => void; signal: AbortSignal }[];
  timeoutMs: number;
}

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
  /** Worker → the requests of this cycle queued for it. */
  private readonly batches = new Map<string, Batch>();
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
   * Asks the worker that answered the agent last, so each worker keeps stepping the same agents
   * (sticky placement): the requests of a cycle for one worker's agents go to it as one batch
   * (`<prefix>.pin.<worker>`, one message each way). The first request of an agent, and those
   * whose worker is gone (no responders), go to the queue group (`<prefix>.<id>`), which pins the
   * agent to whoever answers.
   */
  ask(request: WorkerRequest, symbols: readonly string[], timeoutMs: number, signal: AbortSignal): Promise<WorkerAnswer> {
    const pin = this.pinned.get(request.agentId);
    if (pin === undefined) return this.askGroup(request, symbols, timeoutMs, signal);
    return new Promise<WorkerAnswer>((resolve, reject) => {
      let batch = this.batches.get(pin);
      if (!batch) {
        const fresh: Batch = { items: [], timeoutMs: 0 };
        this.batches.set(pin, (batch = fresh));
        // the cycle asks all its agents in one go: send once they are all queued
        setImmediate(() => void this.sendBatch(pin, fresh));
      }
      batch.items.push({ request, symbols, resolve, reject, signal });
      batch.timeoutMs = Math.max(batch.timeoutMs, timeoutMs);
      signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
    });
  }

  private async askGroup(request: WorkerRequest, symbols: readonly string[], timeoutMs: number, signal: AbortSignal): Promise<WorkerAnswer> {
    const bytes = await this.rpc.requestBytes(this.where(request.agentId), JSON.stringify(request), timeoutMs, signal);
    return this.pin(request.agentId, readAnswer(bytes, symbols, this.where(request.agentId)));
  }

  private pin(agentId: string, answer: WorkerAnswer): WorkerAnswer {
    if (answer.worker !== undefined) this.pinned.set(agentId, answer.worker);
    return answer;
  }

  private async sendBatch(worker: string, batch: Batch): Promise<void> {
    this.batches.delete(worker);
    const live = batch.items.filter((i) => !i.signal.aborted);
    if (live.length === 0) return;
    const subject = batchSubject(this.prefix, worker);
    let bytes: Uint8Array;
    try {
      bytes = await this.rpc.requestBytes(subject, JSON.stringify({ requests: live.map((i) => i.request) }), batch.timeoutMs);
    } catch (e) {
      if (!/no responders/i.test(e instanceof Error ? e.message : String(e))) {
        for (const i of live) i.reject(e);
        return;
      }
      // the worker is gone: its agents go to the queue group again (and are pinned to whoever answers)
      for (const i of live) {
        this.pinned.delete(i.request.agentId);
        this.askGroup(i.request, i.symbols, batch.timeoutMs, i.signal).then(i.resolve, i.reject);
      }
      return;
    }
    try {
      const items = decodeBatch(bytes);
      live.forEach((i, k) => {
        const item = items[k];
        const where = `${subject} (agent ${i.request.agentId})`;
        if (!item) i.reject(new Error(`${subject} answered ${items.length} of ${live.length} requests`));
        else if ('error' in item) i.reject(new Error(`${where} answered an error: ${item.error}`));
        else i.resolve(this.pin(i.request.agentId, readAnswer(item.answer, i.symbols, where)));
      });
    } catch (e) {
      for (const i of live) i.reject(e);
    }
  }
}
