import { AGENT_CONTRACT_VERSION, type AgentDataNeeds, type AgentRequest, type RemoteAgentConfig, type RiskDriver, type StrategyType } from '../contracts/index.ts';
import type { MarketView } from '../market/index.ts';
import { isEligible, type Agent, type AgentBook, type AgentContext } from './agent.ts';

/**
 * Sends a propose request to where a remote agent answers (an HTTP endpoint, a NATS subject) and
 * resolves to the raw answer; rejects on a transport failure and when `signal` aborts (the deadline).
 */
export type ProposeTransport = (request: AgentRequest, signal: AbortSignal) => Promise<unknown>;

/**
 * What an agent asked elsewhere answered: its raw proposal (checked by the cycle against the
 * contract) or the error it reported, and, from an agent worker, why it cannot trade this market.
 */
export interface RemoteReply {
  readonly proposal?: unknown;
  readonly error?: string | undefined;
  readonly unready?: string | undefined;
  /**
   * Answered by a Keel agent worker, which runs the agent as the fund's process would (a plug-in's
   * proposals checked against the schema there, a built-in's Keel's own): the cycle checks only
   * whose proposal it is. Workers are trusted like the fund's process: keep their NATS subjects private.
   */
  readonly isKeelWorker?: boolean;
}

/**
 * An agent whose proposal is asked for elsewhere (a service in any language, a worker process)
 * and awaited with a deadline: the cycle asks every remote agent before its pure decision half,
 * and the answers (or why there is none) are recorded with the cycle's inputs for replay.
 */
export interface RemoteAgent {
  readonly id: string;
  /** `custom` for a remote agent; a built-in's strategy when an agent worker runs it. */
  readonly strategy: StrategyType;
  readonly riskDrivers: readonly RiskDriver[];
  readonly bucket: string;
  readonly isRemote: true;
  /** How long the cycle waits for the answer, ms. */
  readonly timeoutMs: number;
  ask(view: MarketView, book: AgentBook, signal: AbortSignal): Promise<RemoteReply>;
}

/** An agent of a fund's roster: in-process, or remote. */
export type RosterAgent = Agent | RemoteAgent;

export function isRemoteAgent(a: RosterAgent): a is RemoteAgent {
  return 'isRemote' in a && a.isRemote === true;
}

const num = (x: number): number | null => (Number.isFinite(x) ? x : null);

/**
 * The propose request of contract 1 for an agent (see `AgentRequest`): its context and book, the
 * universe as of the view, and the data it declared it needs over its lookback, point in time
 * (rows before the panel's first are left out; NaN is null).
 */
export function agentRequest(view: MarketView, book: AgentBook, ctx: AgentContext, params: Record<string, unknown>, needs: AgentDataNeeds): AgentRequest {
  const n = Math.min(needs.lookbackDays, view.t + 1);
  const first = view.t - n + 1;
  const dates: string[] = [];
  for (let r = first; r <= view.t; r++) dates.push(view.date(r));
  const prices: AgentRequest['prices'] = {};
  for (const f of needs.fields) {
    const rows: (number | null)[][] = [];
    for (let r = first; r <= view.t; r++) {
      const row = view.row(f, r);
      const out: (number | null)[] = new Array<number | null>(view.U);
      for (let u = 0; u < view.U; u++) out[u] = num(row[u] as number);
      rows.push(out);
    }
    prices[f] = rows;
  }
  const reference: AgentRequest['reference'] = {};
  const names = new Set(view.referenceNames());
  for (const name of needs.reference) if (names.has(name)) reference[name] = Array.from(view.reference(name, n), num);
  const fundamentals: AgentRequest['fundamentals'] = {};
  if (needs.fundamentals) for (let u = 0; u < view.U; u++) fundamentals[view.symbols[u] ?? ''] = view.fundamentals(u) ?? null;
  const macro: AgentRequest['macro'] = {};
  for (const s of needs.macro) macro[s] = num(view.macro(s) ?? Number.NaN);
  const tradable: boolean[] = [];
  const eligible: boolean[] = [];
  for (let u = 0; u < view.U; u++) {
    tradable.push(view.isTradable(u));
    eligible.push(isEligible(view, u, ctx.universe));
  }
  return {
    contract: AGENT_CONTRACT_VERSION,
    agentId: ctx.id,
    cycleId: book.cycleId,
    traceId: book.traceId,
    asOf: view.asOf,
    params,
    context: { allocatedCapital: ctx.allocatedCapital, bucket: ctx.bucket, riskDrivers: [...ctx.riskDrivers], risk: ctx.risk },
    book: { ...book, positions: book.positions.map((p) => ({ ...p })), drawdown: { ...book.drawdown } },
    universe: { symbols: [...view.symbols], sectors: [...view.sectors], tradable, eligible },
    dates,
    prices,
    reference,
    fundamentals,
    macro,
  };
}

/** A remote agent over a transport: builds the request from the view and its book, sends it. */
export class TransportAgent implements RemoteAgent {
  readonly id: string;
  readonly strategy = 'custom' as const;
  readonly riskDrivers: readonly RiskDriver[];
  readonly bucket: string;
  readonly isRemote = true as const;
  readonly timeoutMs: number;
  constructor(
    private readonly ctx: AgentContext,
    private readonly params: Record<string, unknown>,
    private readonly remote: RemoteAgentConfig,
    private readonly transport: ProposeTransport,
  ) {
    this.id = ctx.id;
    this.riskDrivers = ctx.riskDrivers;
    this.bucket = ctx.bucket;
    this.timeoutMs = remote.timeoutMs;
  }

  async ask(view: MarketView, book: AgentBook, signal: AbortSignal): Promise<RemoteReply> {
    return { proposal: await this.transport(agentRequest(view, book, this.ctx, this.params, this.remote.data), signal) };
  }
}
