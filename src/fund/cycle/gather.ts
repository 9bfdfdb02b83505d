import { checkProposal, checkProposalIdentity, isRemoteAgent, type RosterAgent } from '../../agents/index.ts';
import type { AgentProposal } from '../../contracts/index.ts';
import type { MarketView } from '../../market/index.ts';
import { agentBookFor } from './books.ts';
import type { FundRunState } from './runtime.ts';

/**
 * What a remote agent answered this cycle: a proposal that meets the contract, or why there is
 * none; `unready` (from an agent worker): why the agent cannot trade this market (its readiness).
 */
export type RemoteAnswer = ({ readonly proposal: AgentProposal } | { readonly error: string }) & { readonly unready?: string };

const NONE: ReadonlyMap<string, RemoteAnswer> = new Map();

/**
 * The gather phase of a cycle, before the pure decision half: every remote agent is asked at once,
 * with its own book, and given until its deadline (`remote.timeoutMs`); a late, failed or invalid
 * answer is recorded as an error (the agent holds this cycle). Nothing when the roster is all
 * in-process. The answers are part of the cycle's inputs, so replay decides from them again.
 */
export async function askRemoteAgents(agents: readonly RosterAgent[], state: Pick<FundRunState, 'fund' | 'ledger'>, view: MarketView, cycleId: string): Promise<ReadonlyMap<string, RemoteAnswer>> {
  const remote = agents.filter(isRemoteAgent);
  if (remote.length === 0) return NONE;
  const answers = await Promise.all(
    remote.map(async (a): Promise<[string, RemoteAnswer]> => {
      const traceId = `${cycleId}:${a.id}`;
      const book = agentBookFor(state.fund, state.ledger, a.id, cycleId, traceId);
      const deadline = new AbortController();
      const timer = setTimeout(() => deadline.abort(), a.timeoutMs);
      try {
        const reply = await a.ask(view, book, deadline.signal);
        const unready = reply.unready !== undefined ? { unready: reply.unready } : {};
        if (reply.error !== undefined) return [a.id, { error: reply.error, ...unready }];
        const expect = { agentId: a.id, cycleId, traceId, asOf: view.asOf, strategy: a.strategy };
        const checked = reply.isKeelWorker === true ? checkProposalIdentity(reply.proposal as AgentProposal, expect) : checkProposal(reply.proposal, expect);
        return [a.id, checked.ok ? { proposal: checked.proposal, ...unready } : { error: checked.error, ...unready }];
      } catch (e) {
        return [a.id, { error: deadline.signal.aborted ? `no answer within ${a.timeoutMs} ms` : `request failed: ${e instanceof Error ? e.message : String(e)}` }];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return new Map(answers);
}
