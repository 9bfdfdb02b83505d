import type { OverlayDecision, Reason } from '../../contracts/index.ts';
import type { JournalEntry as StoredJournalEntry } from '../../store/index.ts';
import type { CycleResult } from '../cycle/run-cycle.ts';

/**
 * The share of an agent's proposed gross a SCALE or MODIFY must remove to be journalled: 10%.
 * Smaller trims (a name capped, a book scaled ×0.95) happen most cycles and stay in the overlay
 * decisions (`GET …/overlay-actions`); the journal keeps what a PM would want to hear about.
 */
export const OVERLAY_JOURNAL_MIN_CUT = 0.1;

/** Reason groups named in an entry (by code, in the order the overlay gave them); the rest are counted. */
const MAIN_REASONS = 3;
/** Names listed on an entry at most (a blocked book of 200 names is still one entry). */
const MAX_SYMBOLS = 50;

/** Fraction of the proposed gross (Σ |proposed weight|) the overlay removed: 0 for an empty proposal. */
export function grossCut(d: Pick<OverlayDecision, 'targets'>): number {
  let proposed = 0;
  let final = 0;
  for (const t of d.targets) {
    proposed += Math.abs(t.proposedWeight);
    final += Math.abs(t.finalWeight);
  }
  return proposed > 1e-12 ? Math.max(0, 1 - final / proposed) : 0;
}

/** True when a decision is journalled: every BLOCK; a SCALE or MODIFY that removed at least `OVERLAY_JOURNAL_MIN_CUT` of the proposed gross; never an APPROVE. */
export function isJournalled(d: Pick<OverlayDecision, 'action' | 'targets'>): boolean {
  switch (d.action) {
    case 'BLOCK':
      return true;
    case 'SCALE':
    case 'MODIFY':
      return grossCut(d) >= OVERLAY_JOURNAL_MIN_CUT - 1e-12;
    case 'APPROVE':
      return false;
    default: {
      const never: never = d.action;
      return never;
    }
  }
}

const fmt = (x: number): string => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toPrecision(3));

/** One reason code's line: its first message (with limit and actual) and how many names it hit. */
function reasonLine(code: string, rs: readonly Reason[]): string {
  const r = rs[0];
  if (!r) return code;
  const numbers = r.limit !== null && r.actual !== null ? ` (actual ${fmt(r.actual)} vs limit ${fmt(r.limit)})` : '';
  const more = rs.length > 1 ? ` [×${rs.length}]` : '';
  return `${code}${more}: ${r.message}${numbers}`;
}

/** The decision's reasons grouped by code, the first `MAIN_REASONS` groups written out, the rest counted. */
export function mainReasons(d: Pick<OverlayDecision, 'decisionId' | 'reasons' | 'summary'>): string {
  const groups = new Map<string, Reason[]>();
  for (const r of d.reasons) groups.set(r.code, [...(groups.get(r.code) ?? []), r]);
  if (groups.size === 0) return d.summary !== '' ? d.summary : 'no reason given';
  const lines = [...groups.entries()].slice(0, MAIN_REASONS).map(([c, rs]) => reasonLine(c, rs));
  const rest = groups.size - MAIN_REASONS;
  return `${lines.join('; ')}${rest > 0 ? `; and ${rest} more reason code(s) in overlay decision ${d.decisionId}` : ''}`;
}

const VERB = { BLOCK: 'blocked', SCALE: 'scaled', MODIFY: 'modified', APPROVE: 'approved' } as const;

/** The rationale of one journalled decision: the agent, the action, the scale, the gross removed and the main reasons. */
export function overlayRationale(d: OverlayDecision): string {
  const cut = grossCut(d);
  const head = `The overlay ${VERB[d.action]} ${d.agentId}'s book on ${d.asOf} (${d.action}, scale ${d.scale.toFixed(2)}, ${(cut * 100).toFixed(0)}% of the proposed gross removed)`;
  return `${head}: ${mainReasons(d)}`.slice(0, 4000);
}

/**
 * The decision-journal rows of a live or paper cycle's overlay decisions: one OVERLAY_DECISION by
 * `system:overlay` (role `system`) per agent whose book was blocked or cut by at least
 * `OVERLAY_JOURNAL_MIN_CUT` of its gross, naming the action, the scale and the main reasons,
 * linked to the decision (whose reasons are all in `…/overlay-actions`). Id
 * `<cycleId>:overlay:<agentId>`: one per agent per cycle. Shaped as the PMS stores its entries
 * (the entry in `refs.entry`, symbols and `agent:<id>` in tags). Backtests never call this.
 */
export function overlayDecisionJournal(fundId: string, r: Pick<CycleResult, 'cycleId' | 'decisions'>, at: string): StoredJournalEntry[] {
  return r.decisions.filter(isJournalled).map((d) => {
    const rationale = overlayRationale(d);
    const cutNames = d.targets.filter((t) => Math.abs(t.finalWeight) < Math.abs(t.proposedWeight) - 1e-12).map((t) => t.symbol);
    const symbols = [...new Set(cutNames)].slice(0, MAX_SYMBOLS);
    const entry = {
      id: `${r.cycleId}:overlay:${d.agentId}`,
      fundId,
      kind: 'OVERLAY_DECISION',
      who: 'system:overlay',
      role: 'system',
      rationale,
      timestamp: at,
      agentId: d.agentId,
      symbols,
      links: { decisionIds: [d.decisionId], orderIds: [], fillIds: [], proposalIds: [] },
    };
    const head = rationale.length > 80 ? `${rationale.slice(0, 77)}...` : rationale;
    return { fundId, at, author: entry.who, kind: entry.kind, title: `OVERLAY_DECISION: ${head}`, body: rationale, tags: [...symbols, `agent:${d.agentId}`, d.action], refs: { entry } };
  });
}
