import { AGENT_CONTRACT_VERSION, WorkerAnswer, type AgentWorkerConfig, type FundConfig, type RiskDriver, type StrategyType, type WorkerRequest, type WorkerSessionRef } from '../../contracts/index.ts';
import { InvariantError } from '../../core/index.ts';
import type { AgentBook, AgentContext, RemoteAgent, RemoteReply } from '../../agents/index.ts';
import type { NatsRpc } from '../../bus/index.ts';
import { panelOf, type MarketView, type Panel } from '../../market/index.ts';
import { encodeSession, sessionSubject } from './session.ts';

/** Sessions a fund's process keeps serving; older ones are dropped (a worker that still needs one has moved on). */
const KEPT_SESSIONS = 2;

/**
 * The fund's side of its agent workers on one NATS connection and subject prefix: publishes a
 * session (config and panel) once per run and serves its chunks to the workers that ask for it on
 * `<prefix>.session.<id>` (every worker fetches it once, then caches it by id).
 */
export class SessionHost {
  private readonly byPanel = new WeakMap<Panel, Map<FundConfig, WorkerSessionRef>>();
  private readonly served: { id: string; stop: () => void }[] = [];
  constructor(
    private readonly rpc: NatsRpc,
    private readonly prefix: string,
  ) {}

  /** The session of (config, panel), served from the first call on. */
  publish(config: FundConfig, panel: Panel): WorkerSessionRef {
    let perConfig = this.byPanel.get(panel);
    if (!perConfig) this.byPanel.set(panel, (perConfig = new Map()));
    const known = perConfig.get(config);
    if (known) return known;
    const { id, bytes } = encodeSession(config, panel);
    const chunkBytes = Math.max(64 * 1024, Math.min(512 * 1024, this.rpc.maxPayload - 4096));
    const stop = this.rpc.serve(sessionSubject(this.prefix, id), null, (body) => {
      const i = Number(new TextDecoder().decode(body));
      if (!Number.isInteger(i) || i < 0 || i * chunkBytes >= bytes.length) return Promise.reject(new Error(`no chunk ${String(i)} of session ${id.slice(0, 12)}…`));
      return Promise.resolve(bytes.subarray(i * chunkBytes, (i + 1) * chunkBytes));
    });
    this.served.push({ id, stop });
    while (this.served.length > KEPT_SESSIONS) this.served.shift()?.stop();
    const ref = { id, bytes: bytes.length, chunkBytes };
    perConfig.set(config, ref);
    return ref;
  }
}

/**
 * A built-in or plug-in agent run by agent workers (`keel agents serve`): the cycle sends it a
 * `WorkerRequest` (the session, the as-of row, its book) on `<prefix>.<agent id>`, one worker of
 * the queue group answers with the proposal its own copy of the agent made from the same panel,
 * config and book, and its readiness.
 */
export class WorkerAgent implements RemoteAgent {
  readonly id: string;
  readonly strategy: StrategyType;
  readonly riskDrivers: readonly RiskDriver[];
  readonly bucket: string;
  readonly isRemote = true as const;
  readonly timeoutMs: number;
  constructor(
    ctx: AgentContext,
    private readonly config: FundConfig,
    private readonly worker: AgentWorkerConfig,
    private readonly rpc: NatsRpc,
    private readonly host: SessionHost,
  ) {
    this.id = ctx.id;
    this.strategy = ctx.strategy;
    this.riskDrivers = ctx.riskDrivers;
    this.bucket = ctx.bucket;
    this.timeoutMs = worker.timeoutMs;
  }

  async ask(view: MarketView, book: AgentBook, signal: AbortSignal): Promise<RemoteReply> {
    const panel = panelOf(view);
    if (!panel) throw new InvariantError(`agent ${this.id} runs on workers, which need a view made by viewAt`);
    const request: WorkerRequest = {
      contract: AGENT_CONTRACT_VERSION,
      session: this.host.publish(this.config, panel),
      asOf: view.asOf,
      row: view.t,
      agentId: this.id,
      cycleId: book.cycleId,
      traceId: book.traceId,
      book: { ...book, positions: book.positions.map((p) => ({ ...p })), drawdown: { ...book.drawdown } },
    };
    const text = await this.rpc.request(`${this.worker.nats}.${this.id}`, JSON.stringify(request), this.timeoutMs, signal);
    const answer = WorkerAnswer.safeParse(JSON.parse(text));
    if (!answer.success) throw new Error(`the worker's answer on ${this.worker.nats}.${this.id} is not a worker answer`);
    // the worker ran the agent as this process would (see RemoteReply.isKeelWorker)
    return { ...answer.data, isKeelWorker: true };
  }
}
