/**
 * The error catalogue: every error Keel raises on purpose has a stable code, an HTTP status
 * and a line in docs/errors.md (a test fails when code and doc drift).
 */
export const ERROR_CATALOGUE = {
  KEEL_E_VALIDATION: { status: 400, summary: 'Input failed validation; the message names the field and the fix.' },
  KEEL_E_CONFIG_CONFLICT: { status: 400, summary: 'Two configuration settings contradict each other; both are named.' },
  KEEL_E_CONFIG_UNAPPROVED: { status: 409, summary: 'A live cycle was asked to run on a config whose hash was not approved.' },
  KEEL_E_LOOKAHEAD: { status: 500, summary: 'Code read market data past the as-of time of its MarketView.' },
  KEEL_E_NOT_FOUND: { status: 404, summary: 'The named record does not exist.' },
  KEEL_E_FILE: { status: 400, summary: 'A file could not be read or parsed; the message names the file, line and column.' },
  KEEL_E_DATA_QUALITY: { status: 422, summary: 'Market data failed a quality or governance gate.' },
  KEEL_E_ILLEGAL_TRANSITION: { status: 409, summary: 'A state machine was asked for a transition its table does not allow.' },
  KEEL_E_INVARIANT: { status: 500, summary: 'A broken invariant (a NaN price, a negative ledger quantity): the cycle stops.' },
  KEEL_E_STORE: { status: 503, summary: 'The database could not be reached or a statement failed.' },
  KEEL_E_STORE_LOCKED: { status: 423, summary: 'The embedded store is held by another process (single writer); its PID is named.' },
  KEEL_E_BROKER: { status: 502, summary: 'The broker rejected a request or could not be reached.' },
  KEEL_E_PROVIDER: { status: 502, summary: 'A market data provider failed; entitlement failures are not retried.' },
  KEEL_E_AUDIT_TAMPERED: { status: 409, summary: 'The audit hash chain does not verify; the first tampered row is named.' },
  KEEL_E_UNAUTHORIZED: { status: 401, summary: 'No valid credentials were presented.' },
  KEEL_E_FORBIDDEN: { status: 403, summary: 'The caller lacks the role or the fund scope for this action.' },
  KEEL_E_RATE_LIMITED: { status: 429, summary: 'Too many requests; retry after the stated delay.' },
  KEEL_E_HALTED: { status: 409, summary: 'The fund is HALTED (kill switch or manual); only cancels are allowed.' },
  KEEL_E_NUMERIC: { status: 422, summary: 'A numerical routine could not produce a result (singular matrix, no convergence).' },
  KEEL_E_UNRECONCILED: { status: 503, summary: 'The books could not be reconciled with the broker after retries; the fund is HALTED until re-armed.' },
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** Base class of every deliberate Keel error. `details` is structured context for logs and APIs. */
export class KeelError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'KeelError';
    this.code = code;
    this.status = ERROR_CATALOGUE[code].status;
    this.details = details;
  }
}

/** Reading market data past the view's as-of time. */
export class LookAheadError extends KeelError {
  constructor(what: string, asOf: string, requested: string) {
    super('KEEL_E_LOOKAHEAD', `look-ahead: read of ${what} at ${requested} past the as-of time ${asOf}`, {
      what,
      asOf,
      requested,
    });
    this.name = 'LookAheadError';
  }
}

/** A field failed validation. `field` is a dotted path such as `agents[2].allocatedCapital`. */
export class ValidationError extends KeelError {
  readonly field: string;
  constructor(field: string, message: string, details: Record<string, unknown> = {}) {
    super('KEEL_E_VALIDATION', `${field}: ${message}`, { field, ...details });
    this.name = 'ValidationError';
    this.field = field;
  }
}

/** Two settings contradict each other; both paths are named. */
export class ConfigConflictError extends KeelError {
  constructor(fieldA: string, fieldB: string, message: string) {
    super('KEEL_E_CONFIG_CONFLICT', `${fieldA} conflicts with ${fieldB}: ${message}`, { fieldA, fieldB });
    this.name = 'ConfigConflictError';
  }
}

/** A state machine transition that its table does not allow. */
export class IllegalTransitionError extends KeelError {
  constructor(machine: string, from: string, to: string) {
    super('KEEL_E_ILLEGAL_TRANSITION', `${machine}: illegal transition ${from} → ${to}`, { machine, from, to });
    this.name = 'IllegalTransitionError';
  }
}

/** A broken invariant: the cycle must stop. */
export class InvariantError extends KeelError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('KEEL_E_INVARIANT', message, details);
    this.name = 'InvariantError';
  }
}

export function isKeelError(e: unknown): e is KeelError {
  return e instanceof KeelError;
}
