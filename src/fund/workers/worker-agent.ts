import { AGENT_CONTRACT_VERSION, WorkerAnswer, type FundConfig, type RiskDriver, type StrategyType, type WorkerRequest, type WorkerSessionRef } from '../../contracts/index.ts';
import { InvariantError } from '../../core/index.ts';
import type { AgentBook, AgentContext, RemoteAgent, RemoteReply } from '../../agents/index.ts';
import { panelOf, type MarketView, type Panel } from '../../market/index.ts';
import { decodeAnswer, isEncodedAnswer } from './answer-codec.ts';

/**
 * How the fund's process reaches its agent workers (NATS: `NatsWorkerChannel`, HTTP:
 * `HttpWorkerChannel`): it makes a run's session available to them and sends each request.
 */
export interface WorkerChannel {
  /** The session of (config, panel), which the workers can get from the first request naming it on. */
  session(config: FundConfig, panel: Panel): WorkerSessionRef;
  /**
   * Sends a request to a worker; resolves to its answer (read with `readAnswer` against the
   * session's symbols), rejects on a transport failure or when `signal` aborts.
   */
  ask(request: WorkerRequest, symbols: readonly string[], timeoutMs: number, signal: AbortSignal): Promise<WorkerAnswer>;
}

/** A worker's answer from its bytes: compact binary (`encodeAnswer`) or JSON. */
export function readAnswer(bytes: Uint8Array, symbols: readonly string[], where: string): WorkerAnswer {
  let body: unknown;
  if (isEncodedAnswer(bytes)) body = decodeAnswer(bytes, symbols);
  else {
    const text = new TextDecoder().decode(bytes);
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`the worker's answer from ${where} is not JSON: ${text.slice(0, 120)}`);
    }
  }
  const answer = WorkerAnswer.safeParse(body);
  if (!answer.success) throw new Error(`the worker's answer from ${where} is not a worker answer`);
  return answer.data;
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
      encoding: 'binary',
    };
    const { proposal, error, unready } = await this.channel.ask(request, panel.symbols, this.timeoutMs, signal);
    // the worker ran the agent as this process would (see RemoteReply.isKeelWorker)
    return { proposal, error, unready, isKeelWorker: true };
  }
}
