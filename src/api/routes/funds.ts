import { z } from 'zod';
import { AgentRiskOverrides, agentIdentifier, fundIdentifier, RiskDriver, StrategyType, nonNegativeDollars, type FundConfigInput } from '../../contracts/index.ts';
import { KeelError, ensureDefined, isKeelError } from '../../core/index.ts';
import { addAgent, changeAgentRisk, createFund, listFunds, pauseAgent, rearmAgentDrawdown, resumeAgent, type AgentChange } from '../../pms/index.ts';
import { canSeeFund, type Principal } from '../auth.ts';
import { route, type AnyRoute } from '../route.ts';
import type { ApiRuntime } from '../runtime.ts';
import { FundAgentParams, FundParams, reason } from './schemas.ts';
import * as R from '../responses/index.ts';

/** Risk parameter overrides by name (AgentRiskParams): each with its own bounds, no other names. */
const RiskParams = AgentRiskOverrides.strict();

const NewAgent = z.object({
  id: agentIdentifier,
  /** A built-in strategy: plug-in and remote agents (`custom`) are added in the config file. */
  strategy: StrategyType.exclude(['custom']),
  bucket: z.string().min(1).max(100),
  allocatedCapital: nonNegativeDollars,
  riskDrivers: z.array(RiskDriver).max(50).default([]),
  riskParams: RiskParams.default({}),
  enabled: z.boolean().default(true),
  reason: reason.optional(),
});

const RiskUpdate = z
  .object({
    riskParams: RiskParams.optional(),
    allocatedCapital: nonNegativeDollars.optional(),
    reason,
  })
  .refine((u) => u.riskParams !== undefined || u.allocatedCapital !== undefined, { message: 'give riskParams or allocatedCapital', path: ['riskParams'] })
  .meta({ anyOf: [{ required: ['riskParams'] }, { required: ['allocatedCapital'] }] });

const Reason = z.object({ reason });

/** The caller as a control's actor: who they are and the role they act in. */
function actor(p: Principal | null, role?: 'risk' | 'admin') {
  const x = ensureDefined(p, 'principal');
  return { who: x.name, role: role === 'risk' && x.role === 'admin' ? ('risk' as const) : x.role };
}

/** A config change as answered: the agent as the next cycle sees it, and the config versions. */
function agentAnswer(rt: ApiRuntime, c: AgentChange) {
  rt.cache.invalidate(c.fundId);
  return { agent: c.agent, config: { from: c.from, to: c.to, approved: c.approved, changes: c.differences.map((d) => d.path) } };
}

/** Config fields a control named (agents[3].risk.maxPositionPct) as the request's fields. */
async function asBody<T>(f: () => Promise<T>, field: (path: string) => string): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (isKeelError(e) && typeof e.details.field === 'string') {
      // the field as the request names it, in the message too (`fund.id: …` → `body.id: …`)
      const to = field(e.details.field);
      const message = e.message.startsWith(`${e.details.field}:`) ? `${to}${e.message.slice(e.details.field.length)}` : e.message;
      throw new KeelError(e.code, message, { ...e.details, field: to });
    }
    throw e;
  }
}

const NewFund = z.object({
  id: fundIdentifier,
  name: z.string().min(1).max(200).optional(),
  /** A fund config (docs/configuration.md): anything not given takes its default; no agents unless listed; a key the config does not have is refused, naming it. */
  config: z.record(z.string(), z.unknown()).default({}).describe('A fund config (docs/configuration.md): anything not given takes its default; no agents unless listed; a key the config does not have is refused, naming it (body.config.<path>: unknown key)'),
  reason: reason.optional(),
});

/** Funds (scoped to the caller) and their agents. */
export const fundRoutes: readonly AnyRoute[] = [
  route({
    method: 'GET', url: '/v1/funds', tag: 'funds', access: 'any', summary: "The caller's funds, with their config's mode, broker, capital, agents (paused ones named) and approval",
    response: R.FundsAnswer,
    handler: async ({ rt, principal }) => {
      const rows = (await rt.store.funds.list()).filter((f) => principal !== null && canSeeFund(principal, f.id));
      const summaries = new Map((await listFunds({ store: rt.store })).map((f) => [f.id, f]));
      return {
        funds: rows.map((f) => {
          const s = summaries.get(f.id);
          return { ...f, mode: s?.mode ?? null, broker: s?.broker ?? null, totalCapital: s?.totalCapital ?? null, agents: s?.agents ?? null, pausedAgents: s?.pausedAgents ?? [], approved: s?.approved ?? false };
        }),
      };
    },
  }),
  route({
    method: 'POST', url: '/v1/funds', tag: 'funds', access: ['admin'], body: NewFund, status: 201,
    summary: 'Create a fund from a config (defaults for what is not given); the caller must be an admin of every fund (*) or of this id',
    response: R.FundCreated,
    handler: async ({ rt, principal, body }) => {
      const p = ensureDefined(principal, 'principal');
      if (!canSeeFund(p, body.id)) throw new KeelError('KEEL_E_FORBIDDEN', `you may not create fund ${body.id}: your key is scoped to ${p.fundIds.join(', ')}`, { field: 'body.id' });
      const cfg = body.config as { fund?: Record<string, unknown> };
      const input = { ...body.config, fund: { ...(cfg.fund ?? {}), id: body.id, ...(body.name ? { name: body.name } : {}) } };
      const c = await asBody(() => createFund(rt.controlDeps(), actor(principal), input as FundConfigInput, body.reason ?? 'created through the API'), (f) => (f === 'fund.id' ? 'body.id' : `body.config.${f}`));
      rt.cache.invalidate(body.id);
      return { fund: await rt.store.funds.get(body.id), config: { to: c.to, approved: c.approved } };
    },
  }),
  route({
    method: 'GET', url: '/v1/funds/:fundId', tag: 'funds', access: 'any', params: FundParams, summary: 'One fund with its latest NAV',
    response: R.FundDetail,
    handler: async ({ rt, fund }) => {
      const f = ensureDefined(fund, 'fund');
      const [nav, agents] = await Promise.all([rt.store.nav.latest(f.id), rt.store.funds.agents(f.id)]);
      return { fund: f, nav: nav ?? null, agentCount: agents.length };
    },
  }),
  route({
    method: 'GET', url: '/v1/funds/:fundId/agents', tag: 'agents', access: 'any', params: FundParams, summary: "The fund's agents",
    response: R.AgentsAnswer,
    handler: async ({ rt, params }) => {
      const [agents, navs] = await Promise.all([rt.store.funds.agents(params.fundId), rt.store.nav.latestPerAgent(params.fundId, { n: 1 })]);
      const last = new Map(navs.map((p) => [p.agentId, p]));
      return { agents: agents.map((a) => ({ ...a, nav: last.get(a.id)?.nav ?? null, navDate: last.get(a.id)?.date ?? null })) };
    },
  }),
  route({
    method: 'POST', url: '/v1/funds/:fundId/agents', tag: 'agents', access: ['admin'], params: FundParams, body: NewAgent, status: 201,
    summary: "Add an agent to the fund's config (a new config version: audited, approved like any change for live trading)", response: R.AgentChanged,
    handler: async (c) => {
      const f = ensureDefined(c.fund, 'fund');
      const b = c.body;
      const agent = { id: b.id, strategy: b.strategy, bucket: b.bucket, allocatedCapital: b.allocatedCapital, enabled: b.enabled, risk: b.riskParams, ...(b.riskDrivers.length > 0 ? { riskDrivers: b.riskDrivers } : {}) };
      const field = (p: string) => (/^agents\[\d+\]\.risk\./.test(p) ? `body.riskParams.${p.replace(/^agents\[\d+\]\.risk\./, '')}` : /^agents\[\d+\]\./.test(p) ? `body.${p.replace(/^agents\[\d+\]\./, '')}` : p === 'id' ? 'body.id' : `body.${p}`);
      return agentAnswer(c.rt, await asBody(() => addAgent(c.rt.controlDeps(), actor(c.principal), f.id, agent, b.reason ?? 'new agent'), field));
    },
  }),
  route({
    method: 'PATCH', url: '/v1/funds/:fundId/agents/:agentId/risk', tag: 'agents', access: ['admin'], params: FundAgentParams, body: RiskUpdate,
    summary: "Change an agent's risk parameters or allocated capital: a new config version the next cycle uses (approved like any change for live trading)", response: R.AgentChanged,
    handler: async (c) => {
      const f = ensureDefined(c.fund, 'fund');
      const change = { ...(c.body.riskParams ? { risk: c.body.riskParams } : {}), ...(c.body.allocatedCapital !== undefined ? { allocatedCapital: c.body.allocatedCapital } : {}) };
      const field = (p: string) => (p === 'agentId' ? 'params.agentId' : p.startsWith('riskParams.') ? `body.${p}` : /\.risk\./.test(p) ? `body.riskParams.${p.replace(/^.*\.risk\./, '')}` : /allocatedCapital|^agents$|totalCapital/.test(p) ? 'body.allocatedCapital' : p);
      return agentAnswer(c.rt, await asBody(() => changeAgentRisk(c.rt.controlDeps(), actor(c.principal), f.id, c.params.agentId, change, c.body.reason), field));
    },
  }),
  route({
    method: 'POST', url: '/v1/funds/:fundId/agents/:agentId/pause', tag: 'agents', access: ['risk'], params: FundAgentParams, body: Reason,
    summary: 'Pause an agent from the next cycle: it proposes nothing, its book is held (a new config version)', response: R.AgentChanged,
    handler: async (c) => agentAnswer(c.rt, await asBody(() => pauseAgent(c.rt.controlDeps(), actor(c.principal, 'risk'), ensureDefined(c.fund, 'fund').id, c.params.agentId, c.body.reason), (p) => (p === 'agentId' ? 'params.agentId' : p))),
  }),
  route({
    method: 'POST', url: '/v1/funds/:fundId/agents/:agentId/resume', tag: 'agents', access: ['risk'], params: FundAgentParams, body: Reason,
    summary: 'Resume a paused agent from the next cycle (a new config version)', response: R.AgentChanged,
    handler: async (c) => agentAnswer(c.rt, await asBody(() => resumeAgent(c.rt.controlDeps(), actor(c.principal, 'risk'), ensureDefined(c.fund, 'fund').id, c.params.agentId, c.body.reason), (p) => (p === 'agentId' ? 'params.agentId' : p))),
  }),
  route({
    method: 'POST', url: '/v1/funds/:fundId/agents/:agentId/rearm', tag: 'agents', access: ['risk'], params: FundAgentParams, body: Reason,
    summary: "Re-arm an agent its drawdown ladder paused: the next cycle starts its recovery ramp once the ladder's cooldown has passed", response: R.AgentRearmed,
    handler: async (c) => {
      const r = await asBody(() => rearmAgentDrawdown(c.rt.controlDeps(), actor(c.principal, 'risk'), ensureDefined(c.fund, 'fund').id, c.params.agentId, c.body.reason), (p) => (p === 'agentId' ? 'params.agentId' : p));
      c.rt.cache.invalidate(r.fundId);
      return r;
    },
  }),
];
