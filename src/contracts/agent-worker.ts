import { z } from 'zod';
import { AgentBookMessage } from './agent-request.ts';
import { id, isoDate, traceId } from './common.ts';

/**
 * What a worker needs once per run (a "session"): the fund config and the market panel, sent as
 * bytes (`encodeSession`) and fetched by the worker in chunks from the cycle's process on
 * `<prefix>.session.<id>`; `id` is the sha256 of the bytes, so a worker checks what it got.
 */
export const WorkerSessionRef = z.object({
  id: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().positive(),
  chunkBytes: z.number().int().positive(),
});
export type WorkerSessionRef = z.infer<typeof WorkerSessionRef>;

/** A propose request to an agent worker: the session, the as-of row of its panel, the agent and its book. */
export const WorkerRequest = z.object({
  contract: z.string(),
  session: WorkerSessionRef,
  asOf: isoDate,
  row: z.number().int().min(0),
  agentId: id,
  cycleId: id,
  traceId,
  book: AgentBookMessage,
  /** `binary`: the fund's process reads a compact binary answer (a worker that does not know it answers JSON). */
  encoding: z.enum(['json', 'binary']).optional(),
});
export type WorkerRequest = z.infer<typeof WorkerRequest>;

/**
 * A worker's answer: the agent's proposal (checked by the cycle like any remote answer) or the
 * error its `propose` threw, and its readiness (`unready`: why it cannot trade this market).
 */
export const WorkerAnswer = z.object({
  proposal: z.unknown().optional(),
  error: z.string().optional(),
  unready: z.string().optional(),
  /** Which worker process answered (NATS: the fund's process sends the agent's next requests to it). */
  worker: z.string().optional(),
  /** Milliseconds the worker spent on the agent's readiness check and proposal (NATS: placement balances workers by it). */
  ms: z.number().min(0).optional(),
});
export type WorkerAnswer = z.infer<typeof WorkerAnswer>;
