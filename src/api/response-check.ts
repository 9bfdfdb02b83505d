import type { z } from 'zod';
import { formatPath } from '../contracts/index.ts';
import { KeelError } from '../core/index.ts';
import { isRawResponse, type AnyRoute, type RawAnswer } from './route.ts';

/** The most zod issues a failed check lists. */
const MAX_ISSUES = 10;

function isRaw(x: unknown): x is RawAnswer {
  return typeof x === 'object' && x !== null && (x as { raw?: unknown }).raw === true;
}

/** The JSON a client reads (NaN and ±Infinity become null, undefined fields vanish), or undefined for a non-JSON answer. */
function asSent(payload: unknown): { value: unknown } | undefined {
  if (!isRaw(payload)) return { value: JSON.parse(JSON.stringify(payload ?? null)) as unknown };
  if (!/^application\/json\b/.test(payload.contentType)) return undefined;
  return { value: JSON.parse(typeof payload.body === 'string' ? payload.body : payload.body.toString('utf8')) as unknown };
}

/**
 * Checks an answer against its route's response schema (KEEL_VALIDATE_RESPONSES=1, on in the test
 * suites): the answer as serialised, so a cached byte answer is checked too. A mismatch throws
 * KEEL_E_INVARIANT (500) naming the route and each issue's path, and the server logs it.
 */
export function checkResponse(r: AnyRoute, payload: unknown): void {
  if (isRawResponse(r.response)) return;
  const sent = asSent(payload);
  const route = `${r.method} ${r.url}`;
  if (!sent) throw new KeelError('KEEL_E_INVARIANT', `${route}: answered ${isRaw(payload) ? payload.contentType : 'a non-JSON body'}, but its response schema is JSON`, { route });
  const schema: z.ZodType = r.response;
  const got = schema.safeParse(sent.value);
  if (got.success) return;
  const issues = got.error.issues.slice(0, MAX_ISSUES).map((i) => ({ path: formatPath(i.path) || '(root)', message: i.message }));
  const first = issues[0] ?? { path: '(root)', message: 'invalid' };
  throw new KeelError('KEEL_E_INVARIANT', `${route}: the answer does not match its response schema at ${first.path}: ${first.message}`, { route, issues, issueCount: got.error.issues.length });
}
