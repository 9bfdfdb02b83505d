import { z } from 'zod';
import { isIsoDate } from '../core/index.ts';

/** Schema version of every message. Bump on a breaking change; readers accept only known ones. */
export const CONTRACT_VERSION = 1 as const;
export const version = z.literal(CONTRACT_VERSION);

/** Calendar date `YYYY-MM-DD`. */
export const isoDate = z.string().refine(isIsoDate, { message: 'must be a real date in YYYY-MM-DD form' });
/** ISO-8601 timestamp with time zone, e.g. `2024-01-02T14:30:00.000Z`. */
export const isoTime = z.iso.datetime({ offset: true });
/** Traces a signal to its fill across services. */
export const traceId = z.string().min(1).max(128);
export const symbol = z
  .string()
  .min(1)
  .max(32)
  .regex(/^[A-Za-z0-9.\-_^]+$/, 'letters, digits and . - _ ^ only');
export const finite = z.number().refine(Number.isFinite, { message: 'must be a finite number' });
export const nonNegative = finite.refine((x) => x >= 0, { message: 'must be ≥ 0' });
export const positive = finite.refine((x) => x > 0, { message: 'must be > 0' });
/** A fraction in [0, 1]. */
export const fraction = finite.refine((x) => x >= 0 && x <= 1, { message: 'must be between 0 and 1' });
export const id = z.string().min(1).max(200);
