import type { FundConfig } from '../../contracts/index.ts';
import type { DeskReport, ProposalDesk } from '../../fund/index.ts';
import type { Store } from '../../store/index.ts';
import { isoMs } from '../time.ts';
import { advisoryGate } from '../workflow/advisory-gate.ts';
import { expireProposals } from '../workflow/proposal-actions.ts';
import { DISCRETIONARY, isTerminalStatus, type TradeProposal } from '../workflow/proposal.ts';
import { executeProposal, recordExpiry, type ExecutionDesk, type ProposalExecution } from './execute-proposal.ts';
import { fromStored, listProposals, loadProposal } from './proposal-store.ts';

/**
 * Moves every proposal of the fund past its expiry to EXPIRED, each with an EXPIRY journal entry
 * and an audit row, in one transaction. Returns the proposals that just expired.
 */
export async function sweepExpired(store: Store, fundId: string, now: string): Promise<TradeProposal[]> {
  return store.transaction(async (tx) => {
    const open = (await tx.proposals.list(fundId, { statuses: ['PENDING_APPROVAL', 'MODIFIED', 'APPROVED'] })).map(fromStored);
    const out: TradeProposal[] = [];
    for (const e of expireProposals(open, now).expired) {
      const before = await loadProposal(tx, fundId, e.id, { forUpdate: true });
      if (!before || isTerminalStatus(before.status)) continue;
      out.push((await recordExpiry(tx, before, e, now)).proposal);
    }
    return out;
  });
}

/** Proposals of the latest advisory cycle that still wait for a person (pending or modified, not expired). */
export interface AwaitedDecisions {
  /** The advisory cycle whose proposals are awaited (null when the fund has none). */
  readonly cycleId: string | null;
  /** Soonest expiry first. */
  readonly waiting: readonly TradeProposal[];
}

/** What the next advisory cycle waits for: the undecided, unexpired proposals of the previous one. */
export async function awaitedDecisions(store: Store, fundId: string, now: string): Promise<AwaitedDecisions> {
  const all = await listProposals(store, fundId);
  const fromCycles = all.filter((p) => p.agentId !== DISCRETIONARY && p.cycleId !== null);
  let latest: TradeProposal | undefined;
  for (const p of fromCycles) if (!latest || isoMs(p.createdAt) >= isoMs(latest.createdAt)) latest = p;
  const cycleId = latest?.cycleId ?? null;
  if (cycleId === null) return { cycleId, waiting: [] };
  const gate = advisoryGate(all, cycleId, now);
  const byId = new Map(all.map((p) => [p.id, p]));
  return { cycleId, waiting: gate.waiting.flatMap((id) => byId.get(id) ?? []) };
}

/** The sweep, the executions and the wait, in that order (see `proposalDesk`). */
export interface Settlement {
  readonly expired: readonly TradeProposal[];
  readonly executed: readonly ProposalExecution[];
  readonly awaited: AwaitedDecisions;
}

/**
 * Before a cycle: (a) sweep expired proposals, (b) execute every approved one that has not
 * executed (each in its own transaction, idempotent), (c) list the previous advisory cycle's
 * proposals still waiting for a decision.
 */
export async function settleProposals(d: ExecutionDesk, fundId: string): Promise<Settlement> {
  const now = new Date(d.clock.now()).toISOString();
  const expired = await sweepExpired(d.store, fundId, now);
  const executed: ProposalExecution[] = [];
  for (const p of await listProposals(d.store, fundId, 'APPROVED')) executed.push(await executeProposal(d, fundId, p.id));
  return { expired, executed, awaited: await awaitedDecisions(d.store, fundId, now) };
}

/** The report the fund runner prints and returns. */
export function deskReport(s: Settlement): DeskReport {
  return {
    expired: s.expired.map((p) => p.id),
    executed: s.executed.map((e) => ({ proposalId: e.proposal.id, outcome: e.outcome, orderIds: e.orders.map((o) => o.id), fillIds: e.fills.map((f) => f.id) })),
    waiting: s.awaited.waiting.map((p) => ({ proposalId: p.id, agentId: p.agentId, expiresAt: p.expiresAt })),
  };
}

/**
 * The proposal desk the fund runner calls before a cycle (`runLiveCycle({ desk })`): it settles
 * the fund's proposals on the runner's broker and market (so approvals on a live broker execute
 * there), and reports what an advisory cycle still waits for.
 */
export function proposalDesk(store: Store, config: FundConfig): ProposalDesk {
  return {
    settle: async (x) => deskReport(await settleProposals({ store, config, view: x.view, clock: x.clock, mode: x.mode, broker: x.broker }, config.fund.id)),
  };
}
