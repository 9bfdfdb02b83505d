/**
 * Journal entries for decisions outside the proposal workflow — overrides, kill-switch trips and
 * re-arms, notes — with the role each kind needs (issue 8 §8: the kill switch needs risk).
 */
import { err, ok, type Result } from '../../core/index.ts';
import { journalEntry, type JournalEntry, type JournalEntryInput, type JournalKind, type PmsRole } from './journal-entry.ts';

/** Roles allowed to record each kind by hand. APPROVAL, REJECTION and MODIFICATION come from the proposal workflow; EXECUTION, EXPIRY, RECONCILIATION and OVERLAY_DECISION only from the system. */
export const JOURNAL_KIND_ROLES: Readonly<Record<JournalKind, readonly PmsRole[]>> = {
  APPROVAL: ['pm'],
  REJECTION: ['pm', 'risk'],
  MODIFICATION: ['pm'],
  EXECUTION: [],
  EXPIRY: [],
  OVERRIDE: ['pm', 'risk'],
  KILL_SWITCH_TRIP: ['risk'],
  REARM: ['risk'],
  NOTE: ['pm', 'risk', 'admin'],
  RECONCILIATION: [],
  OVERLAY_DECISION: [],
};

export type RecordDecisionError =
  | { readonly code: 'FORBIDDEN_ROLE'; readonly keelCode: 'KEEL_E_FORBIDDEN'; readonly kind: JournalKind; readonly role: PmsRole | 'system'; readonly required: readonly PmsRole[]; readonly message: string }
  | { readonly code: 'INVALID_INPUT'; readonly keelCode: 'KEEL_E_VALIDATION'; readonly field: 'who' | 'rationale'; readonly message: string };

/**
 * A journal entry for a human decision, checked: the role must be allowed for the kind
 * (`system` may record any kind, e.g. an automatic kill-switch trip), and who and rationale are required.
 */
export function recordDecision(input: JournalEntryInput): Result<JournalEntry, RecordDecisionError> {
  const required = JOURNAL_KIND_ROLES[input.kind];
  if (input.role !== 'system' && !required.includes(input.role)) {
    return err({ code: 'FORBIDDEN_ROLE', keelCode: 'KEEL_E_FORBIDDEN', kind: input.kind, role: input.role, required, message: `${input.kind} needs role ${required.join(' or ')}; the caller acted as ${input.role}` });
  }
  if (input.who.trim() === '') return err({ code: 'INVALID_INPUT', keelCode: 'KEEL_E_VALIDATION', field: 'who', message: 'who must name the person acting' });
  if (input.rationale.trim() === '') return err({ code: 'INVALID_INPUT', keelCode: 'KEEL_E_VALIDATION', field: 'rationale', message: `a rationale is required for ${input.kind}` });
  return ok(journalEntry(input));
}
