import type { z } from 'zod';
import { ValidationError } from '../core/index.ts';

/**
 * Validates a strategy's parameters with its zod schema. A bad parameter throws ValidationError
 * naming the field as `agents.<id>.params.<field>`.
 */
export function parseParams<S extends z.ZodType>(schema: S, agentId: string, params: unknown): z.infer<S> {
  const r = schema.safeParse(params ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '';
  const unknownKeys = issue && 'keys' in issue && Array.isArray(issue.keys) ? `.${issue.keys.join(',')}` : '';
  const field = `agents.${agentId}.params${path ? `.${path}` : unknownKeys}`;
  throw new ValidationError(field, issue?.message ?? 'invalid parameters');
}
