import { z } from 'zod';
import { id, isoDate, pathSymbol } from '../../contracts/index.ts';
import { personText } from '../storable-text.ts';

/** `:fundId` path parameter. */
export const FundParams = z.object({ fundId: id });
export const FundAgentParams = z.object({ fundId: id, agentId: id });

/** A query integer (query strings are text). */
export const qInt = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
/** A query boolean: `true` or `false`. */
export const qBool = z.enum(['true', 'false']).transform((v) => v === 'true');
export const qDate = isoDate;
export const qSymbol = pathSymbol;

/** `from ≤ to` when both are given. */
export function dateRange<T extends z.ZodObject<{ from: z.ZodOptional<typeof isoDate>; to: z.ZodOptional<typeof isoDate> }>>(s: T) {
  return s.refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, { message: 'from must not be after to', path: ['from'] }).meta({ description: 'from must not be after to' });
}

/** A reason or rationale given by a person (stored trimmed; the OpenAPI document shows the not-blank rule as a pattern). */
export const reason = personText(4000, 'required: say why');

/** An empty body (fields are ignored). */
export const NoBody = z.object({}).passthrough();
