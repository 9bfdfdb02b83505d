// Every error body is the documented shape and at most MAX_ERROR_BODY_BYTES, whatever was thrown.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { KeelError } from '../core/index.ts';
import { clientErrorResponse, MAX_ERROR_BODY_BYTES, MAX_ERROR_ISSUES, toErrorResponse, validationError } from './http-error.ts';

const size = (b: unknown): number => Buffer.byteLength(JSON.stringify(b), 'utf8');

describe('error bodies', () => {
  it('a validation error lists at most MAX_ERROR_ISSUES issues and counts them all', () => {
    const r = z.array(z.object({ a: z.string() })).safeParse(Array.from({ length: 30_000 }, () => ({ a: 1 })));
    const { status, body } = toErrorResponse(validationError('body', r.error ?? new z.ZodError([])));
    expect(status).toBe(400);
    expect(body.details['issues']).toHaveLength(MAX_ERROR_ISSUES);
    expect(body.details['issueCount']).toBe(30_000);
    expect(body.details['field']).toBe('body[0].a');
    expect(size(body)).toBeLessThan(MAX_ERROR_BODY_BYTES);
  });

  it('a KeelError echoing a huge input is cut to the bound, keeping its code, status and field', () => {
    const e = new KeelError('KEEL_E_VALIDATION', `body.agents: unknown agent(s) ${'a'.repeat(200_000)}`, { field: 'body.agents', unknown: Array.from({ length: 5_000 }, (_, i) => `agent-${i}`) });
    const { status, body } = toErrorResponse(e);
    expect(status).toBe(400);
    expect(body.code).toBe('KEEL_E_VALIDATION');
    expect(body.details).toEqual({ field: 'body.agents', isTruncated: true });
    expect(body.message.startsWith('body.agents: unknown agent(s) aaa')).toBe(true);
    expect(size(body)).toBeLessThanOrEqual(MAX_ERROR_BODY_BYTES);
  });

  it("Fastify's URL errors name the URL and do not echo it", () => {
    const bad = toErrorResponse({ statusCode: 400, code: 'FST_ERR_BAD_URL', message: `'/v1/${'%zz'.repeat(10_000)}' is not a valid url component` });
    expect(bad).toEqual({ status: 400, body: { code: 'KEEL_E_VALIDATION', message: 'url: not a valid URL (a malformed %-escape)', details: { field: 'url', fastifyCode: 'FST_ERR_BAD_URL' } } });
    expect(toErrorResponse({ statusCode: 414, code: 'FST_ERR_MAX_PARAM_LENGTH', message: 'x' }).status).toBe(414);
  });

  it('a request Node refuses gets a raw HTTP answer with the documented body', () => {
    const raw = clientErrorResponse({ code: 'HPE_HEADER_OVERFLOW' });
    expect(raw.startsWith('HTTP/1.1 431 ')).toBe(true);
    const [head = '', body = ''] = raw.split('\r\n\r\n');
    expect(head).toContain(`Content-Length: ${Buffer.byteLength(body)}`);
    expect(JSON.parse(body)).toEqual({ code: 'KEEL_E_VALIDATION', message: 'headers: larger than the server accepts', details: { field: 'request', nodeCode: 'HPE_HEADER_OVERFLOW' } });
  });
});
