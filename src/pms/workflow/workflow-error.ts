/** Expected failures of the proposal workflow, as values (never thrown). */
import type { ErrorCode } from '../../core/index.ts';
import type { PmsRole } from '../journal/journal-entry.ts';
import type { ProposalStatus } from './proposal.ts';

/** A human action on a proposal. */
export type ProposalAction = 'approve' | 'reject' | 'modify' | 'cancel';

export type WorkflowError =
  | {
      readonly code: 'FORBIDDEN_ROLE';
      readonly keelCode: ErrorCode;
      readonly proposalId: string;
      readonly action: ProposalAction;
      readonly role: PmsRole;
      readonly required: readonly PmsRole[];
      readonly message: string;
    }
  | {
      readonly code: 'ILLEGAL_TRANSITION';
      readonly keelCode: ErrorCode;
      readonly proposalId: string;
      readonly from: ProposalStatus;
      readonly to: ProposalStatus;
      readonly message: string;
    }
  | {
      readonly code: 'PROPOSAL_EXPIRED';
      readonly keelCode: ErrorCode;
      readonly proposalId: string;
      readonly expiresAt: string;
      readonly now: string;
      readonly message: string;
    }
  | {
      readonly code: 'INVALID_INPUT';
      readonly keelCode: ErrorCode;
      readonly proposalId: string;
      readonly field: string;
      readonly message: string;
    };

export const forbiddenRole = (proposalId: string, action: ProposalAction, role: PmsRole, required: readonly PmsRole[]): WorkflowError => ({
  code: 'FORBIDDEN_ROLE',
  keelCode: 'KEEL_E_FORBIDDEN',
  proposalId,
  action,
  role,
  required,
  message: `${action} needs role ${required.join(' or ')}; the caller acted as ${role}`,
});

export const illegalTransition = (proposalId: string, from: ProposalStatus, to: ProposalStatus): WorkflowError => ({
  code: 'ILLEGAL_TRANSITION',
  keelCode: 'KEEL_E_ILLEGAL_TRANSITION',
  proposalId,
  from,
  to,
  message: `proposal ${proposalId} cannot go from ${from} to ${to}`,
});

export const proposalExpired = (proposalId: string, expiresAt: string, now: string): WorkflowError => ({
  code: 'PROPOSAL_EXPIRED',
  keelCode: 'KEEL_E_ILLEGAL_TRANSITION',
  proposalId,
  expiresAt,
  now,
  message: `proposal ${proposalId} expired at ${expiresAt} (now ${now}); it can no longer be approved or changed`,
});

export const invalidInput = (proposalId: string, field: string, message: string): WorkflowError => ({
  code: 'INVALID_INPUT',
  keelCode: 'KEEL_E_VALIDATION',
  proposalId,
  field,
  message,
});
