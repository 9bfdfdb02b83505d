import { z } from 'zod';
import { isIsoDate } from '../core/index.ts';

/** Schema version of every message. Bump on a breaking change; readers accept only known ones. */
export const CONTRACT_VERSION = 1 as const;
export const version = z.literal(CONTRACT_VERSION);

/** Calendar date `YYYY-MM-DD` (a real one: no February 30); JSON Schema `format: date`. */
export const isoDate = z.string().refine(isIsoDate, { message: 'must be a real date in YYYY-MM-DD form' }).meta({ format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
/** ISO-8601 timestamp with time zone, e.g. `2024-01-02T14:30:00.000Z`. */
export const isoTime = z.iso.datetime({ offset: true });
/** The longest trace id, characters. */
export const MAX_TRACE_ID = 128;
/** Traces a signal to its fill across services. */
export const traceId = z.string().min(1).max(MAX_TRACE_ID);
/** A ticker: letters, digits and . - _ ^ (the agent contract's symbol, unchanged since contract 1). */
export const symbol = z
  .string()
  .min(1)
  .max(32)
  .regex(/^[A-Za-z0-9.\-_^]+$/, 'letters, digits and . - _ ^ only');
/** A ticker in a URL path: as `symbol`, not starting with `.` (as a path segment `.` and `..` resolve away). */
export const pathSymbol = z
  .string()
  .min(1)
  .max(32)
  .regex(/^[A-Za-z0-9\-_^][A-Za-z0-9.\-_^]*$/, 'letters, digits and . - _ ^ only, not starting with .');
/** A finite number (zod 4's number refuses NaN and ±Infinity). Bounds below are native checks, so JSON Schema shows them. */
export const finite = z.number();
export const nonNegative = z.number().min(0, 'must be ≥ 0');
export const positive = z.number().gt(0, 'must be > 0');
/**
 * Sizes accepted at an edge (requests, stored state): beyond them a product or a square in the
 * float64 risk math overflows to Infinity (`qty: 1e300` made the fund VaR infinite).
 */
export const MAX_DOLLARS = 1e15;
export const MAX_SHARES = 1e12;
/** A signed dollar amount, at most MAX_DOLLARS in size. */
export const dollars = z.number().min(-MAX_DOLLARS, `must be at most ${MAX_DOLLARS} dollars in size`).max(MAX_DOLLARS, `must be at most ${MAX_DOLLARS} dollars in size`);
/** A signed share quantity, at most MAX_SHARES in size. */
export const shares = z.number().min(-MAX_SHARES, `must be at most ${MAX_SHARES} shares in size`).max(MAX_SHARES, `must be at most ${MAX_SHARES} shares in size`);
/** Dollars > 0 and at most MAX_DOLLARS (prices, notionals, capital); the bounds show in JSON Schema. */
export const positiveDollars = z.number().gt(0, 'must be > 0').max(MAX_DOLLARS, `must be at most ${MAX_DOLLARS} dollars`);
/** Dollars ≥ 0 and at most MAX_DOLLARS (an agent's capital). */
export const nonNegativeDollars = z.number().min(0, 'must be ≥ 0').max(MAX_DOLLARS, `must be at most ${MAX_DOLLARS} dollars`);
/** Shares > 0 and at most MAX_SHARES (an order's quantity). */
export const positiveShares = z.number().gt(0, 'must be > 0').max(MAX_SHARES, `must be at most ${MAX_SHARES} shares`);
/** A fraction in [0, 1]. */
export const fraction = z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1');
export const id = z.string().min(1).max(200);

/**
 * Adds an issue at `[i].<field>` for each item whose key repeats an earlier one: two agents (or
 * books) with one id would count as one in every fund-level limit, the first one's book dropped.
 */
export function refineUnique<T>(items: readonly T[], keyOf: (t: T) => string, field: string, ctx: z.RefinementCtx, fix: string): void {
  const first = new Map<string, number>();
  items.forEach((t, i) => {
    const k = keyOf(t);
    const j = first.get(k);
    if (j === undefined) first.set(k, i);
    else ctx.addIssue({ code: 'custom', path: [i, field], message: `'${k}' repeats [${j}].${field}; ${fix}` });
  });
}
