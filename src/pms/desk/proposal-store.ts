import { addDays } from '../../core/index.ts';
import type { AgentProposal } from '../../contracts/index.ts';
import type { Repos, StoredProposal } from '../../store/index.ts';
import { PROPOSAL_STATUSES, type ProposalStatus, type TradeProposal } from '../workflow/proposal.ts';

/**
 * The proposals table keeps the agent's proposal as `payload` and a status; the workflow state the
 * PMS needs besides (size, limit price, ticket, expiry, history) rides as JSON in `note` until the
 * store has a column for it. A row the cycle wrote (no note) reads as a fresh PENDING_APPROVAL
 * proposal that expires a day after its as-of date.
 */
interface WorkflowNote {
  readonly v: 1;
  readonly size: number;
  readonly limitPrice: number | null;
  readonly ticket: TradeProposal['ticket'];
  readonly expiresAt: string;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly rationale: string;
  readonly decisionId: string | null;
  readonly history: TradeProposal['history'];
  readonly orderIds: readonly string[];
  readonly fillIds: readonly string[];
}

/** The stored status string for a workflow status (the store's initial status is PENDING). */
export function storedStatus(s: ProposalStatus): string {
  return s === 'PENDING_APPROVAL' ? 'PENDING' : s;
}

function workflowStatus(s: string): ProposalStatus {
  if (s === 'PENDING') return 'PENDING_APPROVAL';
  return (PROPOSAL_STATUSES as readonly string[]).includes(s) ? (s as ProposalStatus) : 'CANCELLED';
}

function parseNote(note: string | null): WorkflowNote | null {
  if (note === null || !note.startsWith('{')) return null;
  try {
    const o = JSON.parse(note) as Partial<WorkflowNote>;
    return o.v === 1 ? (o as WorkflowNote) : null;
  } catch {
    return null;
  }
}

function noteOf(p: TradeProposal): string {
  const n: WorkflowNote = {
    v: 1, size: p.size, limitPrice: p.limitPrice, ticket: p.ticket, expiresAt: p.expiresAt, createdBy: p.createdBy,
    createdAt: p.createdAt, rationale: p.rationale, decisionId: p.decisionId, history: p.history, orderIds: p.orderIds,
    fillIds: p.fillIds,
  };
  return JSON.stringify(n);
}

/** Reads a stored row as a TradeProposal. */
export function fromStored(sp: StoredProposal): TradeProposal {
  const a = sp.proposal;
  const n = parseNote(sp.note);
  const symbols = n?.ticket ? [n.ticket.symbol] : a.targets.map((t) => t.symbol);
  return {
    id: sp.id,
    fundId: sp.fundId,
    agentId: a.agentId,
    cycleId: n?.ticket ? null : a.cycleId,
    decisionId: n?.decisionId ?? null,
    traceId: a.traceId,
    symbols,
    targets: n?.ticket ? [] : a.targets.map((t) => ({ symbol: t.symbol, weight: t.weight })),
    ticket: n?.ticket ?? null,
    size: n?.size ?? 1,
    limitPrice: n?.limitPrice ?? null,
    status: workflowStatus(sp.status),
    createdBy: n?.createdBy ?? `system:agent:${a.agentId}`,
    createdAt: n?.createdAt ?? `${a.asOf}T00:00:00.000Z`,
    expiresAt: n?.expiresAt ?? `${addDays(a.asOf, 1)}T00:00:00.000Z`,
    rationale: n?.rationale ?? a.reasoning,
    history: n?.history ?? [],
    orderIds: n?.orderIds ?? [],
    fillIds: n?.fillIds ?? [],
  };
}

/** One proposal of the fund, or undefined. `forUpdate` locks its row for the rest of the transaction. */
export async function loadProposal(tx: Pick<Repos, 'proposals'>, fundId: string, id: string, opts: { forUpdate?: boolean } = {}): Promise<TradeProposal | undefined> {
  const sp = await tx.proposals.get(fundId, id, opts);
  return sp ? fromStored(sp) : undefined;
}

/** The fund's proposals (optionally one status), oldest first. */
export async function listProposals(tx: Pick<Repos, 'proposals'>, fundId: string, status?: ProposalStatus): Promise<TradeProposal[]> {
  return (await tx.proposals.list(fundId, status ? storedStatus(status) : undefined)).map(fromStored);
}

/** Stores a new proposal (with its workflow note) in one transaction. */
export async function insertProposal(tx: Repos, p: TradeProposal, payload: AgentProposal): Promise<void> {
  await tx.proposals.insert(p.id, p.fundId, payload);
  const to = storedStatus(p.status);
  await tx.proposals.decide(p.id, { from: 'PENDING', to, by: p.createdBy, at: p.createdAt, note: noteOf(p) });
}

/** Stores a proposal's next state: compare-and-set on the previous status, so two deciders cannot both win. */
export async function saveProposal(tx: Pick<Repos, 'proposals'>, before: TradeProposal, after: TradeProposal): Promise<void> {
  const last = after.history[after.history.length - 1];
  await tx.proposals.decide(after.id, {
    from: storedStatus(before.status),
    to: storedStatus(after.status),
    by: last?.who ?? after.createdBy,
    at: last?.at ?? after.createdAt,
    note: noteOf(after),
  });
}
