import { z } from 'zod';
import type { FundConfig } from '../../contracts/index.ts';
import { id, positiveDollars } from '../../contracts/index.ts';
import { ensureDefined, isKeelError, KeelError, type Result } from '../../core/index.ts';
import {
  approve,
  executeProposal,
  listProposals,
  loadProposal as loadStored,
  modify,
  previewReview,
  PROPOSAL_STATUSES,
  reject,
  saveProposal,
  withReview,
  type Decided,
  type PmsRole,
  type ProposalExecution,
  type ProposalReview,
  type TradeProposal,
  type WorkflowError,
} from '../../pms/index.ts';
import type { Principal } from '../auth.ts';
import { marketAt } from '../market-context.ts';
import { route, type AnyRoute } from '../route.ts';
import type { ApiRuntime } from '../runtime.ts';
import { FundParams, reason } from './schemas.ts';
import * as R from '../responses/index.ts';

const ProposalParams = z.object({ fundId: id, proposalId: id });
const Why = z.object({ why: reason });
/** The largest size multiplier a modification may set (× the proposal's book or ticket; a ticket × size is bounded again by the workflow). */
const MAX_SIZE = 1e6;
const Modify = z
  .object({ why: reason, size: z.number().gt(0, 'must be > 0').max(MAX_SIZE, `must be at most ${MAX_SIZE}`).optional(), limitPrice: positiveDollars.nullable().optional() })
  .refine((m) => m.size !== undefined || m.limitPrice !== undefined, { message: 'give size or limitPrice', path: ['size'] })
  .meta({ anyOf: [{ required: ['size'] }, { required: ['limitPrice'] }] });

/** The workflow role an API user acts in: an admin acts as pm. */
export const workflowRole = (p: Principal): PmsRole => (p.role === 'admin' ? 'pm' : p.role);

export async function loadProposal(rt: ApiRuntime, fundId: string, proposalId: string): Promise<TradeProposal> {
  const p = await loadStored(rt.store, fundId, proposalId);
  if (!p) throw new KeelError('KEEL_E_NOT_FOUND', `proposal ${proposalId} does not exist`, { field: 'params.proposalId' });
  return p;
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
  annotate: (p: TradeProposal) => Promise<TradeProposal> = (p) => Promise.resolve(p),
): Promise<{ proposal: TradeProposal; journalEntry: Decided['entry'] }> {
  const p = ensureDefined(principal, 'principal');
  const before = await loadProposal(rt, fundId, proposalId);
  const now = rt.nowIso();
  const decided = unwrap(act(before, p.name, workflowRole(p), now));
  const d = { ...decided, proposal: await annotate(decided.proposal) };
  await rt.store.transaction(async (tx) => {
    await saveProposal(tx, before, d.proposal);
    await rt.addJournal(d.entry, tx);
    await tx.audit.append({ at: now, actor: p.name, action: `Proposal${d.proposal.status[0]}${d.proposal.status.slice(1).toLowerCase()}`, entity: 'proposal', entityId: d.proposal.id, payload: { fundId, from: before.status, to: d.proposal.status, why: d.entry.rationale, size: d.proposal.size, limitPrice: d.proposal.limitPrice } });
  });
  rt.cache.invalidate(fundId);
  return { proposal: d.proposal, journalEntry: d.entry };
}

/**
 * Approval executes at once when the fund trades on the paper broker: it is in-process and fills
 * at the stored market's last close. With a live broker (Alpaca) the approval is recorded and the
 * next `keel run` executes it on that broker.
 */
export const executesOnApproval = (config: FundConfig): boolean => config.execution.broker === 'paper';

async function execute(rt: ApiRuntime, config: FundConfig, fundId: string, proposalId: string): Promise<ProposalExecution> {
  const { view } = await marketAt(rt);
  const { broker } = await rt.openBroker(config);
  const x = await executeProposal({ store: rt.store, config, view, clock: rt.clock, mode: 'paper', broker }, fundId, proposalId);
  rt.cache.invalidate(fundId);
  if (!x.isReplay) {
    for (const o of x.orders) await rt.bus.publish('order.updated', o);
    for (const f of x.fills) await rt.bus.publish('fill.recorded', f);
  }
  return x;
}

function executionBody(x: ProposalExecution) {
  return { outcome: x.outcome, isReplay: x.isReplay, review: x.review, orders: x.orders, fills: x.fills, skipped: x.skipped, journalEntry: x.entry };
}

/**
 * The overlay's preview of a modified proposal (what it would do to the book if it executed now),
 * put on the MODIFIED step; null when no review is needed (size back to 1 on an agent book). A
 * preview that cannot run (no market stored) leaves the modification standing without one.
 */
async function previewed(rt: ApiRuntime, config: FundConfig, p: TradeProposal): Promise<{ proposal: TradeProposal; review: ProposalReview | null; reviewError: { code: string; message: string } | null }> {
  try {
    const { view } = await marketAt(rt);
    const review = await previewReview({ store: rt.store, config, view, clock: rt.clock }, p);
    return { proposal: review ? withReview(p, review) : p, review, reviewError: null };
  } catch (e) {
    if (!isKeelError(e)) throw e;
    return { proposal: p, review: null, reviewError: { code: e.code, message: e.message } };
  }
}

/** The proposal workflow: list, approve (pm; executes on the paper broker), execute (pm), reject (pm, risk), modify (pm). */
export const proposalRoutes: readonly AnyRoute[] = [
  route({
    method: 'GET', url: '/v1/funds/:fundId/proposals', tag: 'proposals', access: 'any', params: FundParams,
    query: z.object({ status: z.enum(PROPOSAL_STATUSES).optional() }), summary: "The fund's proposals (optionally by status)",
    response: R.ProposalsAnswer,
    handler: async ({ rt, params, query }) => ({
      proposals: await listProposals(rt.store, params.fundId, query.status),
    }),
  }),
  route({
    method: 'GET', url: '/v1/funds/:fundId/proposals/:proposalId', tag: 'proposals', access: 'any', params: ProposalParams,
    summary: 'One proposal with its decision history', response: R.ProposalAnswer,
    handler: async ({ rt, params }) => ({ proposal: await loadProposal(rt, params.fundId, params.proposalId) }),
  }),
  route({
    method: 'POST', url: '/v1/funds/:fundId/proposals/:proposalId/approve', tag: 'proposals', access: ['pm'], params: ProposalParams, body: Why, idempotent: true,
    summary: 'Approve a proposal; on the paper broker it executes at once (orders, fills and positions in the response)',
    response: R.ProposalApproved,
    handler: async ({ rt, principal, fund, params, body }) => {
      const approved = await decide(rt, principal, params.fundId, params.proposalId, (p, who, role, now) => approve(p, { who, role, why: body.why }, now));
      const config = await rt.configFor(ensureDefined(fund, 'fund'));
      if (!executesOnApproval(config)) return { ...approved, execution: null, executionError: null };
      try {
        const x = await execute(rt, config, params.fundId, params.proposalId);
        return { proposal: x.proposal, journalEntry: approved.journalEntry, execution: executionBody(x), executionError: null };
      } catch (e) {
        // The approval stands; the next `keel run` (or POST …/execute) executes it.
        if (!isKeelError(e)) throw e;
        return { ...approved, execution: null, executionError: { code: e.code, message: e.message } };
      }
    },
  }),
  route({
    method: 'POST', url: '/v1/funds/:fundId/proposals/:proposalId/execute', tag: 'proposals', access: ['pm'], params: ProposalParams, idempotent: true,
    summary: 'Execute an approved proposal now (idempotent: an executed one returns its orders, nothing is sent again)',
    response: R.ProposalExecuted,
    handler: async ({ rt, fund, params }) => {
      const config = await rt.configFor(ensureDefined(fund, 'fund'));
      if (!executesOnApproval(config)) {
        throw new KeelError('KEEL_E_ILLEGAL_TRANSITION', `fund ${params.fundId} trades on ${config.execution.broker}: approved proposals execute in the next keel run, on that broker`, { broker: config.execution.broker });
      }
      const x = await execute(rt, config, params.fundId, params.proposalId);
      return { proposal: x.proposal, execution: executionBody(x) };
    },
  }),
  route({
    method: 'POST', url: '/v1/funds/:fundId/proposals/:proposalId/reject', tag: 'proposals', access: ['pm', 'risk'], params: ProposalParams, body: Why,
    summary: 'Reject a proposal', response: R.ProposalDecided,
    handler: async ({ rt, principal, params, body }) =>
      decide(rt, principal, params.fundId, params.proposalId, (p, who, role, now) => reject(p, { who, role, why: body.why }, now)),
  }),
  route({
    method: 'POST', url: '/v1/funds/:fundId/proposals/:proposalId/modify', tag: 'proposals', access: ['pm'], params: ProposalParams, body: Modify,
    summary: 'Modify size or limit price (needs an approval afterwards); a modified book or a ticket comes with the overlay review it would get now',
    response: R.ProposalModified,
    handler: async ({ rt, principal, fund, params, body }) => {
      const config = await rt.configFor(ensureDefined(fund, 'fund'));
      const seen: { preview: Awaited<ReturnType<typeof previewed>> | null } = { preview: null };
      const d = await decide(
        rt, principal, params.fundId, params.proposalId,
        (p, who, role, now) => modify(p, { who, role, why: body.why, ...(body.size !== undefined ? { size: body.size } : {}), ...(body.limitPrice !== undefined ? { limitPrice: body.limitPrice } : {}) }, now),
        async (p) => (seen.preview = await previewed(rt, config, p)).proposal,
      );
      return { ...d, review: seen.preview?.review ?? null, reviewError: seen.preview?.reviewError ?? null };
    },
  }),
];
