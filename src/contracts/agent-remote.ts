import { z } from 'zod';

/**
 * The agent contract's semantic version (docs/agents.md "The contract"): the propose request, the
 * `AgentProposal` answer and the `Agent` interface of `keel/agents`. A change that breaks an agent
 * written against it bumps the major; a plug-in module or remote agent declaring another major is
 * refused when the roster loads.
 */
export const AGENT_CONTRACT_VERSION = '1.1.0';

/** The contract major an agent declares (`contract: '1'`, `'1.0'` or `'1.0.0'`): the number before the first dot. */
export function contractMajor(v: string): number {
  return Number(v.split('.')[0]);
}

/** Price fields a remote agent may ask for (the columns of `MarketView`). */
export const PriceFieldName = z.enum(['open', 'high', 'low', 'close', 'volume', 'ret', 'adv20', 'vol20', 'marketCap']);
export type PriceFieldName = z.infer<typeof PriceFieldName>;

/** The point-in-time data a remote agent needs with each request: rows up to the as-of date, never after it. */
export const AgentDataNeeds = z.strictObject({
  /** Price fields, each a rows × symbols table. */
  fields: z.array(PriceFieldName).min(1).default(['close']),
  /** Trading days of history ending at the as-of row (1 = the as-of row only). */
  lookbackDays: z.number().int().min(1).max(2520).default(21),
  /** The latest fundamentals released by the as-of date, per symbol. */
  fundamentals: z.boolean().default(false),
  /** Macro series, each its latest value released by the as-of date. */
  macro: z.array(z.string().min(1)).default([]),
  /** Reference series (e.g. `market`, `vix`), each over the lookback. */
  reference: z.array(z.string().min(1)).default([]),
});
export type AgentDataNeeds = z.infer<typeof AgentDataNeeds>;

function isHttpUrl(s: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(s).protocol);
  } catch {
    return false;
  }
}

const NATS_SUBJECT = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/**
 * Where a remote agent answers: `http` (POST the request, answer the proposal) or `nats` (a
 * request on the subject, answered by the agent or a worker of its queue group), exactly one.
 */
export const RemoteAgentConfig = z
  .strictObject({
    http: z.string().optional(),
    nats: z.string().optional(),
    /** How long the cycle waits for the answer; a late answer makes the agent hold this cycle. */
    timeoutMs: z.number().int().min(10).max(300_000).default(5_000),
    data: AgentDataNeeds.default(AgentDataNeeds.parse({})),
  })
  .superRefine((r, ctx) => {
    if ((r.http === undefined) === (r.nats === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['http'], message: 'a remote agent has exactly one of http (e.g. "http://127.0.0.1:9400/propose") or nats (e.g. "keel.agents.py-value")' });
      return;
    }
    if (r.http !== undefined) {
      if (!isHttpUrl(r.http)) ctx.addIssue({ code: 'custom', path: ['http'], message: `'${r.http}' is not an http(s) URL; write the agent's endpoint in full, e.g. "http://127.0.0.1:9400/propose"` });
    }
    if (r.nats !== undefined && !NATS_SUBJECT.test(r.nats)) {
      ctx.addIssue({ code: 'custom', path: ['nats'], message: `'${r.nats}' is not a NATS subject; use dot-separated tokens of letters, digits, _ and -, e.g. "keel.agents.py-value"` });
    }
  });
export type RemoteAgentConfig = z.infer<typeof RemoteAgentConfig>;

/**
 * Runs a built-in or plug-in agent in agent worker processes (`keel agents serve`) instead of in
 * the fund's process, over NATS or HTTP (exactly one): with `nats` the cycle sends its propose
 * request on `<nats>.<agent id>` and one worker of the queue group answers; with `http` it POSTs
 * it to `<http>/agents/<agent id>/propose` (`keel agents serve --http`). The cycle waits at most
 * `timeoutMs` (late or failed: the agent holds, as a remote agent does). The worker computes
 * exactly the in-process proposal.
 */
export const AgentWorkerConfig = z
  .strictObject({
    /** The subject prefix the workers serve (`keel agents serve --nats … --subject`), e.g. "keel.agents". */
    nats: z.string().regex(NATS_SUBJECT, 'a NATS subject prefix: dot-separated tokens of letters, digits, _ and -, e.g. "keel.agents"').optional(),
    /** The base URL of a `keel agents serve --http` server, e.g. "http://127.0.0.1:9500". */
    http: z.string().optional(),
    /** How long the cycle waits for the answer (the first request of a run also carries the market to the worker). */
    timeoutMs: z.number().int().min(10).max(300_000).default(30_000),
  })
  .superRefine((w, ctx) => {
    if ((w.http === undefined) === (w.nats === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['nats'], message: 'a worker agent has exactly one of nats (a subject prefix, e.g. "keel.agents") or http (a keel agents serve --http server, e.g. "http://127.0.0.1:9500")' });
      return;
    }
    if (w.http !== undefined && !isHttpUrl(w.http)) {
      ctx.addIssue({ code: 'custom', path: ['http'], message: `'${w.http}' is not an http(s) URL; write the server's base URL in full, e.g. "http://127.0.0.1:9500"` });
    }
  });
export type AgentWorkerConfig = z.infer<typeof AgentWorkerConfig>;
