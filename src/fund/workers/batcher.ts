import type { WorkerAnswer, WorkerRequest } from '../../contracts/index.ts';
import { decodeBatch } from './answer-codec.ts';
import { readAnswer } from './worker-agent.ts';

/** A request waiting in a batch, with how to settle its `ask`. */
export interface Pending {
  readonly request: WorkerRequest;
  readonly symbols: readonly string[];
  readonly signal: AbortSignal;
  readonly resolve: (a: WorkerAnswer) => void;
  readonly reject: (e: unknown) => void;
}

/**
 * Gathers the requests a cycle sends one worker into one message: a cycle asks all its agents in
 * one go (`askRemoteAgents`), so the requests queued for a destination before the next turn of the
 * event loop go together (`send` gets those not aborted and the longest of their deadlines).
 */
export class Batcher {
  private readonly open = new Map<string, { items: Pending[]; timeoutMs: number }>();
  constructor(
    private readonly send: (to: string, items: Pending[], timeoutMs: number) => Promise<void>,
    /** The most requests in one message (their answers must fit the transport's largest message). */
    private readonly maxItems = Number.POSITIVE_INFINITY,
  ) {}

  add(to: string, request: WorkerRequest, symbols: readonly string[], timeoutMs: number, signal: AbortSignal): Promise<WorkerAnswer> {
    return new Promise<WorkerAnswer>((resolve, reject) => {
      let batch = this.open.get(to);
      if (!batch || batch.items.length >= this.maxItems) {
        const fresh = { items: [] as Pending[], timeoutMs: 0 };
        this.open.set(to, (batch = fresh));
        setImmediate(() => {
          if (this.open.get(to) === fresh) this.open.delete(to);
          const live = fresh.items.filter((i) => !i.signal.aborted);
          if (live.length > 0) this.send(to, live, fresh.timeoutMs).catch((e: unknown) => live.forEach((i) => i.reject(e)));
        });
      }
      batch.items.push({ request, symbols, signal, resolve, reject });
      batch.timeoutMs = Math.max(batch.timeoutMs, timeoutMs);
      signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
    });
  }
}

/** Settles each request of a batch from the batch's answer (`encodeBatch`), in order; `where` names the destination in errors. */
export function settle(items: readonly Pending[], bytes: Uint8Array, where: string, onAnswer: (agentId: string, a: WorkerAnswer) => void = () => undefined): void {
  const answers = decodeBatch(bytes);
  items.forEach((i, k) => {
    const item = answers[k];
    const agent = `${where} (agent ${i.request.agentId})`;
    try {
      if (!item) throw new Error(`${where} answered ${answers.length} of ${items.length} requests`);
      if ('error' in item) throw new Error(`${agent} answered an error: ${item.error}`);
      const answer = readAnswer(item.answer, i.symbols, agent);
      onAnswer(i.request.agentId, answer);
      i.resolve(answer);
    } catch (e) {
      i.reject(e);
    }
  });
}
