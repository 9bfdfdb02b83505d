import { z } from 'zod';
import { id, StrategyType, finite, nonNegative } from '../../contracts/index.ts';
import { KeelError, ensureDefined } from '../../core/index.ts';
import { journalEntry } from '../../pms/index.ts';
import type { AgentRow, FundRow } from '../../store/index.ts';
import { canSeeFund, type Principal } from '../auth.ts';
import { route, type AnyRoute } from '../route.ts';
import type { ApiRuntime } from '../runtime.ts';
import { FundAgentParams, FundParams, reason } from './schemas.ts';

const NewAgent = z.object({
  id: id.regex(/^[A-Za-z0-9._-]+$/, 'letters, digits and . _ - only'),
  strategy: StrategyType,
  bucket: z.string().min(1).max(100),
  allocatedCapital: nonNegative,
  riskDrivers: z.array(z.string().min(1).max(100)).max(50).default([]),
  riskParams: z.record(z.string().max(100), finite).default({}),
  enabled: z.boolean().default(true),
  reason: reason.optional(),
});

const RiskUpdate = z
  .object({
    riskParams: z.record(z.string().max(100), finite).optional(),
    allocatedCapital: nonNegative.optional(),
    reason,
  })
  .refine((u) => u.riskParams !== undefined || u.allocatedCapital !== undefined, { message: 'give riskParams or allocatedCapital', path: ['riskParams'] });

const Reason = z.object({ reason });

async function agentOf(rt: ApiRuntime, fundId: string, agentId: string): Promise<AgentRow> {
  const a = (await rt.store.funds.agents(fundId)).find((x) => x.id === agentId);
  if (!a) throw new KeelError('KEEL_E_NOT_FOUND', `agent ${agentId} of fund ${fundId} does not exist`, { field: 'params.agentId' });
  return a;
}

/** Saves an agent change with a journal note and an audit row, in one transaction. */
async function saveAgent(c: { rt: ApiRuntime; principal: Principal | null }, fund: FundRow, agent: AgentRow, action: string, why: string): Promise<AgentRow> {
  const p = ensureDefined(c.principal, 'principal');
  const now = c.rt.nowIso();
  await c.rt.store.transaction(async (tx) => {
    await tx.funds.upsertAgents([agent]);
    await c.rt.addJournal(
      journalEntry({
        id: c.rt.ids.next('note'), fundId: fund.id, kind: action === 'AgentPaused' || action === 'AgentResumed' ? 'OVERRIDE' : 'NOTE',
        who: p.name, role: p.role, rationale: `${action} ${agent.id}: ${why}`, timestamp: now, agentId: agent.id,
      }),
      tx,
    );
    await tx.audit.append({ at: now, actor: p.name, action, entity: 'agent', entityId: `${fund.id}/${agent.id}`, payload: { why, riskParams: agent.riskParams, allocatedCapital: agent.allocatedCapital, drawdownState: agent.drawdownState, isEnabled: agent.isEnabled } });
  });
  c.rt.cache.invalidate(fund.id);
  return agent;
}

/** Funds (scoped to the caller) and their agents. */
export const fundRoutes: readonly AnyRoute[] = [
  route({
    method: 'GET', url: '/v1/funds', tag: 'funds', access: 'any', summary: "The caller's funds",
    returns: '{ funds: [FundRow] }',
    handler: async ({ rt, principal }) => ({ funds: (await rt.store.funds.list()).filter((f) => principal !== null && canSeeFund(principal, f.id)) }),
  }),
  route({
    method: 'GET', url: '/v1/funds/:fundId', tag: 'funds', access: 'any', params: FundParams, summary: 'One fund with its latest NAV',
    returns: '{ fund, nav, agentCount }',
    handler: async ({ rt, fund }) => {
      const f = ensureDefined(fund, 'fund');
      const [nav, agents] = await Promise.all([rt.store.nav.latest(f.id), rt.store.funds.agents(f.id)]);
      return { fund: f, nav: nav ?? null, agentCount: agents.length };
    },
  }),
  route({
    method: 'GET', url: '/v1/funds/:fundId/agents', tag: 'agents', access: 'any', params: FundParams, summary: "The fund's agents",
    returns: '{ agents: [AgentRow] }',
    handler: async ({ rt, params }) => ({ agents: await rt.store.funds.agents(params.fundId) }),
  }),
  route({
    method: 'POST', url: '/v1/funds/:fundId/agents', tag: 'agents', access: ['admin'], params: FundParams, body: NewAgent, status: 201,
    summary: 'Add an agent to the fund', returns: '{ agent }',
    handler: async (c) => {
      const f = ensureDefined(c.fund, 'fund');
      const existing = (await c.rt.store.funds.agents(f.id)).find((a) => a.id === c.body.id);
      if (existing) throw new KeelError('KEEL_E_ILLEGAL_TRANSITION', `agent ${c.body.id} already exists in fund ${f.id}`, { field: 'body.id' });
      const agent: AgentRow = {
        fundId: f.id, id: c.body.id, strategy: c.body.strategy, bucket: c.body.bucket, riskDrivers: c.body.riskDrivers,
        allocatedCapital: c.body.allocatedCapital, riskParams: c.body.riskParams, drawdownState: 'normal', highWaterMark: null,
        hwmDate: null, isEnabled: c.body.enabled, metrics: {},
      };
      return { agent: await saveAgent(c, f, agent, 'AgentCreated', c.body.reason ?? 'new agent') };
    },
  }),
  route({
    method: 'PATCH', url: '/v1/funds/:fundId/agents/:agentId/risk', tag: 'agents', access: ['admin'], params: FundAgentParams, body: RiskUpdate,
    summary: "Update an agent's risk parameters or allocated capital", returns: '{ agent }',
    handler: async (c) => {
      const f = ensureDefined(c.fund, 'fund');
      const a = await agentOf(c.rt, f.id, c.params.agentId);
      const next: AgentRow = { ...a, riskParams: { ...a.riskParams, ...(c.body.riskParams ?? {}) }, allocatedCapital: c.body.allocatedCapital ?? a.allocatedCapital };
      return { agent: await saveAgent(c, f, next, 'AgentRiskUpdated', c.body.reason) };
    },
  }),
  route({
    method: 'POST', url: '/v1/funds/:fundId/agents/:agentId/pause', tag: 'agents', access: ['risk'], params: FundAgentParams, body: Reason,
    summary: 'Pause an agent (no new exposure)', returns: '{ agent }',
    handler: async (c) => {
      const f = ensureDefined(c.fund, 'fund');
      const a = await agentOf(c.rt, f.id, c.params.agentId);
      return { agent: await saveAgent(c, f, { ...a, drawdownState: 'paused', isEnabled: false }, 'AgentPaused', c.body.reason) };
    },
  }),
  route({
    method: 'POST', url: '/v1/funds/:fundId/agents/:agentId/resume', tag: 'agents', access: ['risk'], params: FundAgentParams, body: Reason,
    summary: 'Resume a paused agent', returns: '{ agent }',
    handler: async (c) => {
      const f = ensureDefined(c.fund, 'fund');
      const a = await agentOf(c.rt, f.id, c.params.agentId);
      if (a.isEnabled && a.drawdownState !== 'paused') throw new KeelError('KEEL_E_ILLEGAL_TRANSITION', `agent ${a.id} is not paused`, { field: 'params.agentId' });
      return { agent: await saveAgent(c, f, { ...a, drawdownState: 'normal', isEnabled: true }, 'AgentResumed', c.body.reason) };
    },
  }),
];
