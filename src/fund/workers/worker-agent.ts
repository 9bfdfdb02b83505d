import { AGENT_CONTRACT_VERSION, WorkerAnswer, type FundConfig, type RiskDriver, type StrategyType, type WorkerRequest, type WorkerSessionRef } from '../../contracts/index.ts';
import { InvariantError } from '../../core/index.ts';
import type { AgentBook, AgentContext, RemoteAgent, RemoteReply } from '../../agents/index.ts';
import { panelOf, type MarketView, type Panel } from '../../market/index.ts';

/**
 * How the fund's process reaches its agent workers (NATS: `NatsWorkerChannel`, HTTP:
 * `HttpWorkerChannel`): it makes a run's session available to them and sends each request.
 */
export interface WorkerChannel {
  /** Where an agent's requests go, for messages (a subject, a URL). */
  where(agentId: string): string;
  /** The session of (config, panel), which the workers can get from the first request naming it on. */
  session(config: FundConfig, panel: Panel): WorkerSessionRef;
  /** Sends a request to a worker; resolves to the answer's JSON text, rejects on a transport failure or when `signal` aborts. */
  send(request: WorkerRequest, timeoutMs: number, signal: AbortSignal): Promise<string>;
}

/**
 * A built-in or plug-in agent run by agent workers (`keel agents serve`): the cycle sends it a
 * `WorkerRequest` (the session, the as-of row, its book) over its channel, and a worker answers
 * with the proposal its own copy of the agent made from the same panel, config and book, and its
 * readiness.
 */
export class WorkerAgent implements RemoteAgent {
  readonly id: string;
  readonly strategy: StrategyType;
  readonly riskDrivers: readonly RiskDriver[];
  readonly bucket: string;
  readonly isRemote = true as const;
  constructor(
    ctx: AgentContext,
    private readonly config: FundConfig,
    readonly timeoutMs: number,
    private readonly channel: WorkerChannel,
  ) {
    this.id = ctx.id;
    this.strategy = ctx.strategy;
    this.riskDrivers = ctx.riskDrivers;
    this.bucket = ctx.bucket;
  }

  async ask(view: MarketView, book: AgentBook, signal: AbortSignal): Promise<RemoteReply> {
    const panel = panelOf(view);
    if (!panel) throw new InvariantError(`agent ${this.id} runs on workers, which need a view made by viewAt`);
    const request: WorkerRequest = {
      contract: AGENT_CONTRACT_VERSION,
      session: this.channel.session(this.config, panel),
      asOf: view.asOf,
      row: view.t,
      agentId: this.id,
      cycleId: book.cycleId,
      traceId: book.traceId,
      book: { ...book, positions: book.positions.map((p) => ({ ...p })), drawdown: { ...book.drawdown } },
    };
    const text = await this.channel.send(request, this.timeoutMs, signal);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`the worker's answer from ${this.channel.where(this.id)} is not JSON: ${text.slice(0, 120)}`);
    }
    const answer = WorkerAnswer.safeParse(body);
    if (!answer.success) throw new Error(`the worker's answer from ${this.channel.where(this.id)} is not a worker answer`);
    // the worker ran the agent as this process would (see RemoteReply.isKeelWorker)
    return { ...answer.data, isKeelWorker: true };
  }
}
