import { ERROR_CATALOGUE, isKeelError, KeelError, type ErrorCode } from '../core/index.ts';
import type { z } from 'zod';
import { formatPath } from '../contracts/index.ts';

/** The JSON body of every error response. */
export interface ErrorBody {
  readonly code: ErrorCode;
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
}

/** A validation failure naming the field (`body.size`, `query.from`), with every zod issue. */
export function validationError(where: 'params' | 'query' | 'body', error: z.ZodError): KeelError {
  const issues = error.issues.map((i) => ({ field: `${where}${i.path.length > 0 ? `.${formatPath(i.path)}` : ''}`, message: i.message }));
  const first = issues[0] ?? { field: where, message: 'invalid' };
  return new KeelError('KEEL_E_VALIDATION', `${first.field}: ${first.message}`, { field: first.field, issues });
}

interface FastifyLikeError {
  readonly statusCode?: number;
  readonly code?: string;
  readonly message?: string;
}

/**
 * Maps anything thrown to a status and body. KeelErrors keep their catalogue status; Fastify's own
 * 4xx errors (bad JSON, wrong content type, body too large) become KEEL_E_VALIDATION with their
 * status; anything else is an internal error whose message is not echoed.
 */
export function toErrorResponse(e: unknown): { status: number; body: ErrorBody } {
  if (isKeelError(e)) return { status: ERROR_CATALOGUE[e.code].status, body: { code: e.code, message: e.message, details: e.details } };
  const f = (typeof e === 'object' && e !== null ? e : {}) as FastifyLikeError;
  if (typeof f.statusCode === 'number' && f.statusCode >= 400 && f.statusCode < 500) {
    const code: ErrorCode = f.statusCode === 429 ? 'KEEL_E_RATE_LIMITED' : f.statusCode === 404 ? 'KEEL_E_NOT_FOUND' : 'KEEL_E_VALIDATION';
    return { status: f.statusCode, body: { code, message: `body: ${f.message ?? 'invalid request'}`, details: { field: 'body', fastifyCode: f.code ?? null } } };
  }
  return { status: 500, body: { code: 'KEEL_E_INVARIANT', message: 'internal error (see the server log)', details: {} } };
}
