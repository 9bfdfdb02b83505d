import type { z } from 'zod';
import { KeelError } from '../../core/index.ts';

/**
 * Validates a row read back from the database with its contract. A row that fails is a
 * broken invariant of the store (someone wrote around the repositories), reported loudly.
 */
export function parseRow<S extends z.ZodType>(schema: S, row: unknown, table: string): z.infer<S> {
  const r = schema.safeParse(row);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const where = issue ? `${issue.path.join('.') || '(row)'}: ${issue.message}` : 'invalid';
  throw new KeelError('KEEL_E_STORE', `${table}: stored row does not match its contract (${where})`, { table });
}

/** JSON parameter for a `$n::jsonb` placeholder (both drivers; pg would turn arrays into SQL arrays). */
export const json = (v: unknown): string => JSON.stringify(v ?? null);

/** Returns the array split into consecutive slices of at most `size` items. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
