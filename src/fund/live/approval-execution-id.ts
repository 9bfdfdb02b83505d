import { ValidationError } from '../../core/index.ts';
import type { CycleRun, Repos } from '../../store/index.ts';

const EXEC = '-exec-';

/** The fund and proposal an approval execution id (`<fund>-exec-<proposal>`) names, from its row or, without one, from the fund ids. */
function executionOf(id: string, row: CycleRun | undefined, fundIds: readonly string[]): { fundId: string; proposalId: string } | null {
  if (row) {
    const s = row.summary as { kind?: unknown; proposalId?: unknown };
    if (s.kind !== 'proposal-execution') return null;
    return { fundId: row.fundId, proposalId: typeof s.proposalId === 'string' ? s.proposalId : id.slice(row.fundId.length + EXEC.length) };
  }
  const fundId = fundIds.filter((f) => id.startsWith(`${f}${EXEC}`)).sort((a, b) => b.length - a.length)[0];
  return fundId === undefined ? null : { fundId, proposalId: id.slice(fundId.length + EXEC.length) };
}

/**
 * Replay re-runs a cycle's decisions from its stored inputs; an approval execution has none.
 * `executeApproved` stores the state an approved proposal's orders left as a `cycles` row
 * `<fund>-exec-<proposal>`, and the overlay's review at execution under that id (alone, when the
 * overlay blocked it). Throws a ValidationError (field `cycleId`) saying so, naming the proposal and
 * what to replay instead: the cycle the proposal came from, or, for a discretionary ticket (which
 * comes from no cycle), where its reviews are recorded. Returns when `id` is no approval execution.
 */
export async function refuseApprovalExecution(store: Pick<Repos, 'funds' | 'proposals' | 'overlayActions'>, id: string, row: CycleRun | undefined): Promise<void> {
  if (!row && (await store.overlayActions.listByCycle(id)).length === 0) return;
  const x = executionOf(id, row, row ? [] : (await store.funds.list()).map((f) => f.id));
  if (!x) return;
  const p = await store.proposals.get(x.fundId, x.proposalId);
  const what = row
    ? `the fund state the approved orders of proposal ${x.proposalId} (fund ${x.fundId}) left`
    : `the overlay's review that blocked proposal ${x.proposalId} (fund ${x.fundId}) when it was to execute; nothing executed`;
  const instead = !p
    ? `Proposal ${x.proposalId} is not stored, so there is no cycle to name.`
    : p.ticket
      ? `Proposal ${x.proposalId} is a discretionary ticket, which comes from no cycle: there is nothing to replay; its overlay reviews are on its history (GET /v1/funds/${x.fundId}/proposals/${x.proposalId}) and in the journal.`
      : `Replay the cycle the proposal came from instead: keel replay ${p.proposal.cycleId} (the overlay's review at execution is on the proposal's history, GET /v1/funds/${x.fundId}/proposals/${x.proposalId}).`;
  throw new ValidationError('cycleId', `'${id}' is an approval execution, not a cycle: it stores ${what}, and has no decision inputs to replay. ${instead}`);
}
