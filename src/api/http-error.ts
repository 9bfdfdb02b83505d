import { ERROR_CATALOGUE, isKeelError, KeelError, type ErrorCode } from '../core/index.ts';
import type { z } from 'zod';
import { formatPath } from '../contracts/index.ts';

/** The most bytes an error body may take: issue lists and echoed input are cut to fit. */
export const MAX_ERROR_BODY_BYTES = 16_384;
/** The most zod issues an error lists (`details.issueCount` says how many there were). */
export const MAX_ERROR_ISSUES = 20;
const MAX_MESSAGE_CHARS = 500;

/** The JSON body of every error response. */
export interface ErrorBody {
  readonly code: ErrorCode;
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
}

const cut = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n)}… (${s.length - n} more characters)` : s);

/** A validation failure naming the field (`body.size`, `query.from`), with the first MAX_ERROR_ISSUES zod issues. */
export function validationError(where: 'params' | 'query' | 'body', error: z.ZodError): KeelError {
  const fieldOf = (path: readonly PropertyKey[]): string => {
    const p = formatPath(path);
    return cut(p === '' || p.startsWith('[') ? `${where}${p}` : `${where}.${p}`, 200);
  };
  // an unknown key is named as the field it would be (`body.riskParams.maxFoo`), not as its object
  const pathOf = (i: z.core.$ZodIssue): readonly PropertyKey[] => (i.code === 'unrecognized_keys' && i.keys[0] !== undefined ? [...i.path, i.keys[0]] : i.path);
  const issues = error.issues.slice(0, MAX_ERROR_ISSUES).map((i) => ({ field: fieldOf(pathOf(i)), message: cut(i.message, MAX_MESSAGE_CHARS) }));
  const first = issues[0] ?? { field: where, message: 'invalid' };
  return new KeelError('KEEL_E_VALIDATION', `${first.field}: ${first.message}`, { field: first.field, issues, issueCount: error.issues.length });
}

interface FastifyLikeError {
  readonly statusCode?: number;
  readonly code?: string;
  readonly message?: string;
}

/** What a Fastify 4xx is about: the URL (bad %-escapes, an over-long parameter) or the body (parsers, size). */
function fastifyError(f: FastifyLikeError, status: number): ErrorBody {
  const code: ErrorCode = status === 429 ? 'KEEL_E_RATE_LIMITED' : status === 404 ? 'KEEL_E_NOT_FOUND' : 'KEEL_E_VALIDATION';
  if (f.code === 'FST_ERR_BAD_URL') return { code, message: 'url: not a valid URL (a malformed %-escape)', details: { field: 'url', fastifyCode: f.code } };
  if (f.code === 'FST_ERR_MAX_PARAM_LENGTH') return { code, message: 'url: a path parameter is too long', details: { field: 'url', fastifyCode: f.code } };
  return { code, message: `body: ${f.message ?? 'invalid request'}`, details: { field: 'body', fastifyCode: f.code ?? null } };
}

/** The body cut to MAX_ERROR_BODY_BYTES: the message shortened and the details reduced to the field. */
function bounded(b: ErrorBody): ErrorBody {
  if (Buffer.byteLength(JSON.stringify(b), 'utf8') <= MAX_ERROR_BODY_BYTES) return b;
  const field = typeof b.details['field'] === 'string' ? cut(b.details['field'], 200) : undefined;
  return { code: b.code, message: cut(b.message, 2_000), details: { ...(field !== undefined ? { field } : {}), isTruncated: true } };
}

/**
 * Maps anything thrown to a status and a body of at most MAX_ERROR_BODY_BYTES. KeelErrors keep
 * their catalogue status; Fastify's own 4xx errors (bad JSON, wrong content type, body too large,
 * a malformed URL) keep their status with code KEEL_E_VALIDATION; anything else is an internal
 * error whose message is not echoed.
 */
export function toErrorResponse(e: unknown): { status: number; body: ErrorBody } {
  if (isKeelError(e)) return { status: ERROR_CATALOGUE[e.code].status, body: bounded({ code: e.code, message: e.message, details: e.details }) };
  const f = (typeof e === 'object' && e !== null ? e : {}) as FastifyLikeError;
  if (typeof f.statusCode === 'number' && f.statusCode >= 400 && f.statusCode < 500) return { status: f.statusCode, body: bounded(fastifyError(f, f.statusCode)) };
  return { status: 500, body: { code: 'KEEL_E_INVARIANT', message: 'internal error (see the server log)', details: {} } };
}

/** The raw HTTP answer to a request Node's parser refused (a malformed header, headers too large), in the documented shape. */
export function clientErrorResponse(e: { readonly code?: string }): string {
  const [status, text, message] =
    e.code === 'HPE_HEADER_OVERFLOW' ? [431, 'Request Header Fields Too Large', 'headers: larger than the server accepts'] : e.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'Request Timeout', 'request: not received in time'] : [400, 'Bad Request', 'request: not valid HTTP'];
  const body = JSON.stringify({ code: 'KEEL_E_VALIDATION', message, details: { field: 'request', nodeCode: e.code ?? null } } satisfies ErrorBody);
  return `HTTP/1.1 ${status} ${text}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`;
}
