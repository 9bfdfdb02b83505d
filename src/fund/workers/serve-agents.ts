import { randomUUID } from 'node:crypto';
import type { WorkerSessionRef } from '../../contracts/index.ts';
import type { NatsRpc } from '../../bus/index.ts';
import { AgentWorker } from './agent-worker.ts';
import { batchSubject, sessionSubject } from './session.ts';

/** The queue group agent workers join: each propose request goes to one of them. */
export const WORKER_QUEUE = 'keel-agent-workers';

export interface ServeAgentsOptions {
  /** The subject prefix (a fund config's `worker.nats`), e.g. "keel.agents". */
  readonly prefix: string;
  /** Agent ids to serve (`<prefix>.<id>` each); null: every agent (`<prefix>.*`). */
  readonly agents: readonly string[] | null;
  /** How long fetching one chunk of a session may take, ms (default 10 s). */
  readonly chunkTimeoutMs?: number;
}

/**
 * Runs an agent worker on a NATS connection: joins the queue group on the agents' subjects, serves
 * its own subject for the requests of a cycle of the agents pinned to it, as one batch
 * (`<prefix>.pin.<worker>`, see `NatsWorkerChannel.ask`), and answers each propose request (`AgentWorker`), fetching a run's session from the fund's process
 * the first time it sees it. Returns the worker (its counters) and a function that stops serving.
 */
export function serveAgents(rpc: NatsRpc, o: ServeAgentsOptions): { worker: AgentWorker; stop: () => void } {
  const timeout = o.chunkTimeoutMs ?? 10_000;
  const fetchSession = async (ref: WorkerSessionRef): Promise<Uint8Array> => {
    const out = new Uint8Array(ref.bytes);
    const chunks = Math.ceil(ref.bytes / ref.chunkBytes);
    for (let i = 0; i < chunks; i++) out.set(await rpc.requestBytes(sessionSubject(o.prefix, ref.id), String(i), timeout), i * ref.chunkBytes);
    return out;
  };
  const worker = new AgentWorker(fetchSession, o.agents ? new Set(o.agents) : null);
  const name = randomUUID().slice(0, 8);
  // an answer larger than the server's largest message would not arrive: say so at once instead
  const fits = <T extends string | Uint8Array>(answer: T): T => {
    const size = typeof answer === 'string' ? Buffer.byteLength(answer) : answer.length;
    if (size > rpc.maxPayload) throw new Error(`the answer is ${size} bytes, more than the NATS server's largest message (${rpc.maxPayload} bytes); raise max_payload on the server`);
    return answer;
  };
  const handler = async (body: Uint8Array): Promise<string | Uint8Array> => fits(await worker.respond(body, name));
  const ids = o.agents ?? ['*'];
  const stops = [
    ...ids.map((id) => rpc.serve(`${o.prefix}.${id}`, WORKER_QUEUE, handler)),
    // this worker's own subject: the fund's process sends the requests of the agents pinned to it here
    rpc.serve(batchSubject(o.prefix, name), null, async (body) => fits(await worker.respondAll(body, name))),
  ];
  return { worker, stop: () => stops.forEach((s) => s()) };
}
