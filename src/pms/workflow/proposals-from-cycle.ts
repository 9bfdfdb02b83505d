/** Turns an advisory cycle's overlay decisions into proposals that wait for a PM (seed: macro-fund-pms "signal-to-proposal"). */
import type { AgentProposal, OverlayDecision } from '../../contracts/index.ts';
import type { TradeProposal } from './proposal.ts';
import { addMs } from '../time.ts';

export interface FromCycleOptions {
  readonly fundId: string;
  /** ISO-8601 creation time. */
  readonly now: string;
  /** Time to live; proposals expire at now + ttlMs. */
  readonly ttlMs: number;
  /** Proposals already stored: a decision that already has one is skipped (idempotent re-runs). */
  readonly existing?: readonly TradeProposal[];
  /** Default `system:cycle`. */
  readonly createdBy?: string;
}

export type SkipReason = 'BLOCKED' | 'DUPLICATE' | 'EMPTY';

export interface FromCycleResult {
  readonly proposals: TradeProposal[];
  readonly skipped: { readonly decisionId: string; readonly agentId: string; readonly reason: SkipReason }[];
}

/** The proposal id for an overlay decision (stable, so re-runs find the same one). */
export const proposalIdFor = (decisionId: string): string => `prop-${decisionId}`;

/**
 * One PENDING_APPROVAL proposal per overlay decision that is not BLOCK, carrying the overlay's
 * final target weights (fractions of the agent's capital), size 1, no limit price. The rationale
 * joins the agent's reasoning (from the matching AgentProposal, by agent and cycle) and the
 * overlay summary. BLOCKed decisions, decisions with no targets, and decisions that already have a
 * proposal are skipped and listed.
 */
export function proposalsFromCycle(decisions: readonly OverlayDecision[], agentProposals: readonly AgentProposal[], opts: FromCycleOptions): FromCycleResult {
  const existing = new Set((opts.existing ?? []).map((p) => p.decisionId));
  const byAgentCycle = new Map(agentProposals.map((a) => [`${a.agentId}\u0000${a.cycleId}`, a]));
  const proposals: TradeProposal[] = [];
  const skipped: FromCycleResult['skipped'][number][] = [];
  for (const d of decisions) {
    if (existing.has(d.decisionId)) {
      skipped.push({ decisionId: d.decisionId, agentId: d.agentId, reason: 'DUPLICATE' });
      continue;
    }
    if (d.action === 'BLOCK') {
      skipped.push({ decisionId: d.decisionId, agentId: d.agentId, reason: 'BLOCKED' });
      continue;
    }
    if (d.targets.length === 0) {
      skipped.push({ decisionId: d.decisionId, agentId: d.agentId, reason: 'EMPTY' });
      continue;
    }
    existing.add(d.decisionId);
    const ap = byAgentCycle.get(`${d.agentId}\u0000${d.cycleId}`);
    const rationale = [ap?.reasoning ?? '', `Overlay ${d.action} (scale ${d.scale.toFixed(2)}): ${d.summary}`].filter((s) => s !== '').join('\n');
    proposals.push({
      id: proposalIdFor(d.decisionId),
      fundId: opts.fundId,
      agentId: d.agentId,
      cycleId: d.cycleId,
      decisionId: d.decisionId,
      traceId: d.traceId,
      symbols: d.targets.map((t) => t.symbol),
      targets: d.targets.map((t) => ({ symbol: t.symbol, weight: t.finalWeight })),
      ticket: null,
      size: 1,
      limitPrice: null,
      status: 'PENDING_APPROVAL',
      createdBy: opts.createdBy ?? 'system:cycle',
      createdAt: opts.now,
      expiresAt: addMs(opts.now, opts.ttlMs),
      rationale,
      history: [],
      orderIds: [],
      fillIds: [],
    });
  }
  return { proposals, skipped };
}
