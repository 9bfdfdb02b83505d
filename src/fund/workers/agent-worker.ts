import { AGENT_CONTRACT_VERSION, WorkerRequest, type WorkerAnswer, type WorkerSessionRef } from '../../contracts/index.ts';
import { encodeAnswer, encodeBatch, type BatchItem } from './answer-codec.ts';
import { ValidationError } from '../../core/index.ts';
import type { Agent } from '../../agents/index.ts';
import { viewAt } from '../../market/index.ts';
import { inProcessAgent } from '../roster/load-roster.ts';
import { decodeSession, type WorkerSession } from './session.ts';

/** Sessions a worker keeps (a fund's run and the next); older ones are dropped with their agents. */
const KEPT_SESSIONS = 2;

interface Loaded {
  readonly session: WorkerSession;
  readonly agents: Map<string, Promise<Agent>>;
}

/**
 * The worker half of agent workers, independent of the transport: answers a `WorkerRequest` with
 * the proposal of its own copy of the agent, built from the session's config (as the fund's
 * process builds it) and kept for the session, proposing on a view of the session's panel at the
 * request's row, from the request's book. Same panel, config, row and book: the same proposal.
 */
export class AgentWorker {
  private readonly sessions = new Map<string, Promise<Loaded>>();
  /** Requests answered (tests and logs). */
  answered = 0;
  constructor(
    /** The session's bytes (fetched from the fund's process). */
    private readonly fetchSession: (ref: WorkerSessionRef) => Promise<Uint8Array>,
    /** Agent ids this worker serves; null: any agent of the session's config. */
    private readonly only: ReadonlySet<string> | null = null,
  ) {}

  async handle(body: unknown): Promise<WorkerAnswer> {
    return (await this.propose(body)).answer;
  }

  /**
   * The answer to a request's bytes, as the request asks: compact binary (`encodeAnswer`) when it
   * says `encoding: 'binary'` and the proposal fits, else JSON; `worker` names this process.
   * `body`: the request's bytes (JSON) or the request already parsed (one of a batch).
   */
  async respond(body: Uint8Array | unknown, worker?: string): Promise<string | Uint8Array> {
    const request: unknown = body instanceof Uint8Array ? JSON.parse(new TextDecoder().decode(body)) : body;
    const { answer, symbols, encoding } = await this.propose(request);
    const named = worker !== undefined ? { ...answer, worker } : answer;
    return (encoding === 'binary' ? encodeAnswer(named, symbols) : null) ?? JSON.stringify(named);
  }

  /**
   * A batch's answers (`encodeBatch`), one per request in order: each its answer's bytes, or the
   * error that request met (as a single request's handler would have thrown it). `body`: the
   * batch's bytes (JSON `{ "requests": [...] }`) or the batch already parsed.
   */
  async respondAll(body: Uint8Array | unknown, worker?: string): Promise<Uint8Array> {
    const parsed: unknown = body instanceof Uint8Array ? JSON.parse(new TextDecoder().decode(body)) : body;
    const requests = typeof parsed === 'object' && parsed !== null && 'requests' in parsed && Array.isArray(parsed.requests) ? (parsed.requests as unknown[]) : null;
    if (!requests) throw new ValidationError('request', 'not a batch of worker requests: expected { "requests": [...] }');
    const out: BatchItem[] = [];
    for (const r of requests) {
      try {
        out.push({ answer: await this.respond(r, worker) });
      } catch (e) {
        out.push({ error: e instanceof Error ? e.message : String(e) });
      }
    }
    return encodeBatch(out);
  }

  private async propose(body: unknown): Promise<{ answer: WorkerAnswer; symbols: readonly string[]; encoding: WorkerRequest['encoding'] }> {
    const parsed = WorkerRequest.safeParse(body);
    if (!parsed.success) throw new ValidationError('request', `not a worker request: ${parsed.error.issues[0]?.message ?? ''}`);
    const q = parsed.data;
    if (q.contract.split('.')[0] !== AGENT_CONTRACT_VERSION.split('.')[0]) throw new ValidationError('request.contract', `contract ${q.contract}; this worker speaks ${AGENT_CONTRACT_VERSION}`);
    if (this.only && !this.only.has(q.agentId)) throw new ValidationError('request.agentId', `this worker does not serve agent ${q.agentId}`);
    const { session, agents } = await this.load(q.session);
    if (session.panel.dates[q.row] !== q.asOf) throw new ValidationError('request.row', `row ${q.row} of the session's panel is ${String(session.panel.dates[q.row])}, not ${q.asOf}`);
    let agent = agents.get(q.agentId);
    if (!agent) {
      const config = session.config.agents.find((a) => a.id === q.agentId);
      if (!config) throw new ValidationError('request.agentId', `the fund's config has no agent ${q.agentId}`);
      agent = inProcessAgent(config, session.config);
      agents.set(q.agentId, agent);
      agent.catch(() => agents.delete(q.agentId));
    }
    const a = await agent;
    const view = viewAt(session.panel, q.row);
    const t0 = performance.now();
    let unready: string | undefined;
    try {
      const r = a.readiness?.(view) ?? { ok: true as const };
      if (!r.ok) unready = r.reason;
    } catch (e) {
      unready = `readiness check failed: ${e instanceof Error ? e.message : String(e)}`;
    }
    const extra = unready !== undefined ? { unready } : {};
    this.answered++;
    const done = (answer: WorkerAnswer) => ({ answer: { ...answer, ms: performance.now() - t0 }, symbols: session.panel.symbols, encoding: q.encoding });
    // as in-process: a plug-in's proposal is checked against the schema by its CheckedAgent, a built-in's is Keel's own
    try {
      return done({ proposal: a.propose(view, q.book), ...extra });
    } catch (e) {
      return done({ error: e instanceof Error ? e.message : String(e), ...extra });
    }
  }

  private load(ref: WorkerSessionRef): Promise<Loaded> {
    let p = this.sessions.get(ref.id);
    if (!p) {
      p = this.fetchSession(ref).then((bytes) => ({ session: decodeSession(ref, bytes), agents: new Map<string, Promise<Agent>>() }));
      this.sessions.set(ref.id, p);
      p.catch(() => this.sessions.delete(ref.id));
      for (const id of this.sessions.keys()) if (this.sessions.size > KEPT_SESSIONS && id !== ref.id) this.sessions.delete(id);
    }
    return p;
  }
}
