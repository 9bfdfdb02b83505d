/**
 * Decision journal entries: every approval, rejection, modification, override, kill-switch trip,
 * re-arm and note, with who, the role they acted in, why, and links to what it caused.
 */
import { PMS_ROLES } from '../../contracts/index.ts';

/**
 * What a journal entry records. EXECUTION (an approved proposal's orders and fills), EXPIRY,
 * RECONCILIATION (differences between the books and the broker, adopted) and OVERLAY_DECISION (a
 * live cycle's overlay blocking or materially cutting an agent's book) are written by the system.
 */
export const JOURNAL_KINDS = ['APPROVAL', 'REJECTION', 'MODIFICATION', 'EXECUTION', 'EXPIRY', 'OVERRIDE', 'KILL_SWITCH_TRIP', 'REARM', 'NOTE', 'RECONCILIATION', 'OVERLAY_DECISION'] as const;
export type JournalKind = (typeof JOURNAL_KINDS)[number];

/** Roles of people using the PMS (issue 8 §8): approving needs pm, the kill switch needs risk, config needs admin. */
export { PMS_ROLES };
export type PmsRole = (typeof PMS_ROLES)[number];

/** Who made a journal entry: a person (any PMS role) or the system (`role: 'system'`, `who: 'system:<component>'`). */
export const JOURNAL_ACTORS = ['human', 'system'] as const;
export type JournalActor = (typeof JOURNAL_ACTORS)[number];

/** The actor of an entry: `system` exactly when it was recorded in the system role. */
export const actorOf = (e: { readonly role: string }): JournalActor => (e.role === 'system' ? 'system' : 'human');

/** Ids of the records an entry is linked to (decision records / overlay decisions, orders, fills, proposals). */
export interface JournalLinks {
  readonly decisionIds: readonly string[];
  readonly orderIds: readonly string[];
  readonly fillIds: readonly string[];
  readonly proposalIds: readonly string[];
}

/** One journal entry. `timestamp` is ISO-8601 with offset; `symbols` upper-case as traded. */
export interface JournalEntry {
  readonly id: string;
  readonly fundId: string;
  readonly kind: JournalKind;
  /** The user (or `system:<component>`) who acted. */
  readonly who: string;
  readonly role: PmsRole | 'system';
  readonly rationale: string;
  readonly timestamp: string;
  readonly agentId: string | null;
  readonly symbols: readonly string[];
  readonly links: JournalLinks;
}

/** Input to `journalEntry`: links and symbols default to empty, agentId to null. */
export interface JournalEntryInput {
  readonly id: string;
  readonly fundId: string;
  readonly kind: JournalKind;
  readonly who: string;
  readonly role: PmsRole | 'system';
  readonly rationale: string;
  readonly timestamp: string;
  readonly agentId?: string | null;
  readonly symbols?: readonly string[];
  readonly links?: Partial<JournalLinks>;
}

const uniq = (xs: readonly string[] | undefined): readonly string[] => [...new Set(xs ?? [])];

/** Builds a journal entry (links de-duplicated, order kept). Used for kill-switch trips, re-arms, overrides and notes. */
export function journalEntry(input: JournalEntryInput): JournalEntry {
  return {
    id: input.id,
    fundId: input.fundId,
    kind: input.kind,
    who: input.who,
    role: input.role,
    rationale: input.rationale,
    timestamp: input.timestamp,
    agentId: input.agentId ?? null,
    symbols: uniq(input.symbols),
    links: {
      decisionIds: uniq(input.links?.decisionIds),
      orderIds: uniq(input.links?.orderIds),
      fillIds: uniq(input.links?.fillIds),
      proposalIds: uniq(input.links?.proposalIds),
    },
  };
}

/** Returns the entry with more links added (e.g. the orders and fills an approval later caused). */
export function linkJournalEntry(entry: JournalEntry, more: Partial<JournalLinks>): JournalEntry {
  return {
    ...entry,
    links: {
      decisionIds: uniq([...entry.links.decisionIds, ...(more.decisionIds ?? [])]),
      orderIds: uniq([...entry.links.orderIds, ...(more.orderIds ?? [])]),
      fillIds: uniq([...entry.links.fillIds, ...(more.fillIds ?? [])]),
      proposalIds: uniq([...entry.links.proposalIds, ...(more.proposalIds ?? [])]),
    },
  };
}
