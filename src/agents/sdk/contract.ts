import { AgentProposal, formatPath, parseFundConfig, type AgentRiskOverrides, type RiskDriver } from '../../contracts/index.ts';
import { ensureDefined, ValidationError } from '../../core/index.ts';
import type { MarketView } from '../../market/index.ts';
import type { Agent, AgentBook, AgentContext, AgentReadiness } from '../agent.ts';
import { parseParams } from '../params.ts';
import { agentContext } from '../registry.ts';
import type { LoadedAgentModule } from './module.ts';

/** What an answer must match: the request's agent, cycle, trace and date. */
export interface ProposalExpectation {
  readonly agentId: string;
  readonly cycleId: string;
  readonly traceId: string;
  readonly asOf: string;
  /** Default `custom` (plug-in and remote agents); a built-in's strategy when an agent worker runs it. */
  readonly strategy?: string;
}

export type CheckedProposal = { readonly ok: true; readonly proposal: AgentProposal } | { readonly ok: false; readonly error: string };

/**
 * Checks an agent's answer against the contract: the `AgentProposal` schema (defaults filled),
 * then the identity of the request it answers. The error names the first bad field.
 */
export function checkProposal(raw: unknown, expect: ProposalExpectation): CheckedProposal {
  const r = AgentProposal.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    const more = r.error.issues.length > 1 ? ` (and ${r.error.issues.length - 1} more)` : '';
    return { ok: false, error: `invalid proposal: ${issue ? `${formatPath(['proposal', ...issue.path])}: ${issue.message}` : 'not an AgentProposal'}${more}` };
  }
  return checkProposalIdentity(r.data, expect);
}

/**
 * The identity half of `checkProposal` alone, for a proposal whose schema was checked where it
 * was made (an agent worker checks its agent's proposal before sending it).
 */
export function checkProposalIdentity(p: AgentProposal, expect: ProposalExpectation): CheckedProposal {
  for (const k of ['agentId', 'cycleId', 'traceId', 'asOf'] as const) {
    if (p[k] !== expect[k]) return { ok: false, error: `invalid proposal: proposal.${k} is ${JSON.stringify(p[k])}, the request's is ${JSON.stringify(expect[k])}` };
  }
  const strategy = expect.strategy ?? 'custom';
  if (p.strategy !== strategy) return { ok: false, error: `invalid proposal: proposal.strategy is ${JSON.stringify(p.strategy)}; ${strategy === 'custom' ? 'a plug-in or remote agent answers "custom"' : `the agent's is "${strategy}"`}` };
  return { ok: true, proposal: p };
}

/**
 * A plug-in agent as the cycle runs it: its proposals checked against the contract (an invalid
 * one throws, so the agent holds this cycle with an alert, as when `propose` throws).
 */
export class CheckedAgent implements Agent {
  readonly id: string;
  readonly strategy = 'custom' as const;
  readonly riskDrivers: readonly RiskDriver[];
  readonly bucket: string;
  constructor(readonly inner: Agent, ctx: AgentContext) {
    this.id = ctx.id;
    this.riskDrivers = ctx.riskDrivers;
    this.bucket = ctx.bucket;
  }

  readiness(view: MarketView): AgentReadiness {
    return this.inner.readiness ? this.inner.readiness(view) : { ok: true };
  }

  propose(view: MarketView, book: AgentBook): AgentProposal {
    const r = checkProposal(this.inner.propose(view, book), { agentId: this.id, cycleId: book.cycleId, traceId: book.traceId, asOf: view.asOf });
    if (!r.ok) throw new Error(r.error);
    return r.proposal;
  }
}

/**
 * Builds a plug-in agent from its module for a resolved context: parameters validated by the
 * module's schema (a bad one names `agents.<id>.params.<field>`), the agent's proposals checked.
 */
export function instantiateAgent(m: LoadedAgentModule, ctx: AgentContext, params: unknown): Agent {
  const p = m.params ? parseParams(m.params, ctx.id, params) : (params ?? {});
  const agent = m.create(ctx, p);
  if (!agent || typeof (agent as Partial<Agent>).propose !== 'function') {
    throw new ValidationError(`agents.${ctx.id}.module`, 'create() did not return an agent (an object with propose(view, book))');
  }
  return new CheckedAgent(agent, ctx);
}

export interface TestAgentOptions {
  readonly id?: string;
  readonly params?: Record<string, unknown>;
  /** Dollars (default 10,000,000). */
  readonly allocatedCapital?: number;
  readonly bucket?: string;
  readonly riskDrivers?: readonly RiskDriver[];
  readonly risk?: AgentRiskOverrides;
}

/**
 * An agent from its module as a fund of one would build it (default risk, its bucket's defaults),
 * for tests and `keel agent check`.
 */
export function agentForTest(m: LoadedAgentModule, o: TestAgentOptions = {}): Agent {
  const capital = o.allocatedCapital ?? 10_000_000;
  const bucket = o.bucket ?? m.bucket;
  const riskDrivers = o.riskDrivers ?? m.riskDrivers;
  const fund = parseFundConfig({
    fund: { totalCapital: capital * 4 },
    agents: [{ id: o.id ?? 'my-agent', module: 'test', allocatedCapital: capital, ...(bucket ? { bucket } : {}), ...(riskDrivers ? { riskDrivers } : {}), risk: o.risk ?? {} }],
  });
  const config = ensureDefined(fund.agents[0], 'agent');
  return instantiateAgent(m, agentContext(config, fund), o.params ?? {});
}
