import { z } from 'zod';
import { id, positive } from '../../contracts/index.ts';
import { ensureDefined, KeelError, type Result } from '../../core/index.ts';
import { approve, modify, PROPOSAL_STATUSES, reject, type Decided, type PmsRole, type TradeProposal, type WorkflowError } from '../../pms/index.ts';
import type { Principal } from '../auth.ts';
import { fromStored, saveDecision, storedStatus } from '../proposal-codec.ts';
import { route, type AnyRoute } from '../route.ts';
import type { ApiRuntime } from '../runtime.ts';
import { FundParams, reason } from './schemas.ts';

const ProposalParams = z.object({ fundId: id, proposalId: id });
const Why = z.object({ why: reason });
const Modify = z
  .object({ why: reason, size: positive.optional(), limitPrice: positive.nullable().optional() })
  .refine((m) => m.size !== undefined || m.limitPrice !== undefined, { message: 'give size or limitPrice', path: ['size'] });

/** The workflow role an API user acts in: an admin acts as pm. */
export const workflowRole = (p: Principal): PmsRole => (p.role === 'admin' ? 'pm' : p.role);

export async function loadProposal(rt: ApiRuntime, fundId: string, proposalId: string): Promise<TradeProposal> {
  const sp = (await rt.store.proposals.list(fundId)).find((x) => x.id === proposalId);
  if (!sp) throw new KeelError('KEEL_E_NOT_FOUND', `proposal ${proposalId} does not exist`, { field: 'params.proposalId' });
  return fromStored(sp);
}

function unwrap(r: Result<Decided, WorkflowError>): Decided {
  if (r.ok) return r.value;
  const { keelCode, message, ...details } = r.error;
  throw new KeelError(keelCode, message, { ...details, ...(r.error.code === 'INVALID_INPUT' ? { field: `body.${r.error.field}` } : {}) });
}

async function decide(
  rt: ApiRuntime,
  principal: Principal | null,
  fundId: string,
  proposalId: string,
  act: (p: TradeProposal, who: string, role: PmsRole, now: string) => Result<Decided, WorkflowError>,
): Promise<{ proposal: TradeProposal; journalEntry: Decided['entry'] }> {
  const p = ensureDefined(principal, 'principal');
  const before = await loadProposal(rt, fundId, proposalId);
  const now = rt.nowIso();
  const d = unwrap(act(before, p.name, workflowRole(p), now));
  await rt.store.transaction(async (tx) => {
    await saveDecision(tx, before, d.proposal);
    await rt.addJournal(d.entry, tx);
    await tx.audit.append({ at: now, actor: p.name, action: `Proposal${d.proposal.status[0]}${d.proposal.status.slice(1).toLowerCase()}`, entity: 'proposal', entityId: d.proposal.id, payload: { fundId, from: before.status, to: d.proposal.status, why: d.entry.rationale, size: d.proposal.size, limitPrice: d.proposal.limitPrice } });
  });
  rt.cache.invalidate(fundId);
  return { proposal: d.proposal, journalEntry: d.entry };
}

/** The proposal workflow: list, approve (pm), reject (pm, risk), modify (pm). */
export const proposalRoutes: readonly AnyRoute[] = [
  route({
    method: 'GET', url: '/v1/funds/:fundId/proposals', tag: 'proposals', access: 'any', params: FundParams,
    query: z.object({ status: z.enum(PROPOSAL_STATUSES).optional() }), summary: "The fund's proposals (optionally by status)",
    returns: '{ proposals: [TradeProposal] }',
    handler: async ({ rt, params, query }) => ({
      proposals: (await rt.store.proposals.list(params.fundId, query.status ? storedStatus(query.status) : undefined)).map(fromStored),
    }),
  }),
  route({
    method: 'GET', url: '/v1/funds/:fundId/proposals/:proposalId', tag: 'proposals', access: 'any', params: ProposalParams,
    summary: 'One proposal with its decision history', returns: '{ proposal: TradeProposal }',
    handler: async ({ rt, params }) => ({ proposal: await loadProposal(rt, params.fundId, params.proposalId) }),
  }),
  route({
    method: 'POST', url: '/v1/funds/:fundId/proposals/:proposalId/approve', tag: 'proposals', access: ['pm'], params: ProposalParams, body: Why,
    summary: 'Approve a proposal', returns: '{ proposal, journalEntry }',
    handler: async ({ rt, principal, params, body }) =>
      decide(rt, principal, params.fundId, params.proposalId, (p, who, role, now) => approve(p, { who, role, why: body.why }, now)),
  }),
  route({
    method: 'POST', url: '/v1/funds/:fundId/proposals/:proposalId/reject', tag: 'proposals', access: ['pm', 'risk'], params: ProposalParams, body: Why,
    summary: 'Reject a proposal', returns: '{ proposal, journalEntry }',
    handler: async ({ rt, principal, params, body }) =>
      decide(rt, principal, params.fundId, params.proposalId, (p, who, role, now) => reject(p, { who, role, why: body.why }, now)),
  }),
  route({
    method: 'POST', url: '/v1/funds/:fundId/proposals/:proposalId/modify', tag: 'proposals', access: ['pm'], params: ProposalParams, body: Modify,
    summary: 'Modify size or limit price (needs an approval afterwards)', returns: '{ proposal, journalEntry }',
    handler: async ({ rt, principal, params, body }) =>
      decide(rt, principal, params.fundId, params.proposalId, (p, who, role, now) =>
        modify(p, { who, role, why: body.why, ...(body.size !== undefined ? { size: body.size } : {}), ...(body.limitPrice !== undefined ? { limitPrice: body.limitPrice } : {}) }, now),
      ),
  }),
];
