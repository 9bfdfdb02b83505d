import type { AgentProposal } from '../../contracts/index.ts';
import type { Repos, StoredProposal } from '../../store/index.ts';
import type { ProposalStatus, TradeProposal } from '../workflow/proposal.ts';

/**
 * Proposals in the store: the workflow state is in the proposals table's columns (migration
 * 0003); the agent's proposal as reviewed rides in `payload`. A discretionary proposal has a
 * ticket and no targets or cycle of its own.
 */

/** Reads a stored row as a TradeProposal. */
export function fromStored(sp: StoredProposal): TradeProposal {
  const a = sp.proposal;
  return {
    id: sp.id,
    fundId: sp.fundId,
    agentId: a.agentId,
    cycleId: sp.ticket ? null : a.cycleId,
    decisionId: sp.decisionId,
    traceId: a.traceId,
    symbols: sp.ticket ? [sp.ticket.symbol] : a.targets.map((t) => t.symbol),
    targets: sp.ticket ? [] : a.targets.map((t) => ({ symbol: t.symbol, weight: t.weight })),
    ticket: sp.ticket,
    size: sp.size,
    limitPrice: sp.limitPrice,
    status: sp.status,
    createdBy: sp.createdBy,
    createdAt: sp.createdAt,
    expiresAt: sp.expiresAt,
    rationale: sp.rationale,
    history: sp.history,
    orderIds: sp.orderIds,
    fillIds: sp.fillIds,
  };
}

/** One proposal of the fund, or undefined. `forUpdate` locks its row for the rest of the transaction. */
export async function loadProposal(tx: Pick<Repos, 'proposals'>, fundId: string, id: string, opts: { forUpdate?: boolean } = {}): Promise<TradeProposal | undefined> {
  const sp = await tx.proposals.get(fundId, id, opts);
  return sp ? fromStored(sp) : undefined;
}

/** The fund's proposals (optionally one status), oldest first. */
export async function listProposals(tx: Pick<Repos, 'proposals'>, fundId: string, status?: ProposalStatus): Promise<TradeProposal[]> {
  return (await tx.proposals.list(fundId, status ? { statuses: [status] } : {})).map(fromStored);
}

/** Stores a new proposal with `payload`, the agent's proposal (or the discretionary book) the overlay reviewed. */
export async function insertProposal(tx: Pick<Repos, 'proposals'>, p: TradeProposal, payload: AgentProposal): Promise<void> {
  await tx.proposals.insert({
    id: p.id,
    fundId: p.fundId,
    proposal: payload,
    status: p.status,
    decisionId: p.decisionId,
    ticket: p.ticket,
    size: p.size,
    limitPrice: p.limitPrice,
    createdBy: p.createdBy,
    createdAt: p.createdAt,
    expiresAt: p.expiresAt,
    rationale: p.rationale,
    history: p.history,
  });
}

/** Stores a proposal's next state: compare-and-set on the previous status, so two deciders cannot both win. */
export async function saveProposal(tx: Pick<Repos, 'proposals'>, before: TradeProposal, after: TradeProposal): Promise<void> {
  const last = after.history[after.history.length - 1];
  const at = last?.at ?? after.createdAt;
  await tx.proposals.update(after.id, {
    from: before.status,
    status: after.status,
    size: after.size,
    limitPrice: after.limitPrice,
    history: after.history,
    orderIds: after.orderIds,
    fillIds: after.fillIds,
    decidedBy: last?.who ?? after.createdBy,
    decidedAt: at,
    executedAt: after.status === 'EXECUTED' ? at : null,
  });
}
