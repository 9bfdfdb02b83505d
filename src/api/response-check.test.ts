/** An answer that does not match its route's response schema fails naming the route and the field, whatever form the answer takes. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isKeelError } from '../core/index.ts';
import { checkResponse } from './response-check.ts';
import { rawJson, rawResponse, route } from './route.ts';

const answer = z.object({ tradingState: z.enum(['ACTIVE', 'HALTED']), nav: z.number(), names: z.array(z.object({ symbol: z.string() })) });
const r = route({ method: 'GET', url: '/v1/funds/:fundId/x', tag: 't', access: 'any', summary: 's', response: answer, handler: async () => null });

function failure(payload: unknown): { message: string; details: Record<string, unknown> } | null {
  try {
    checkResponse(r, payload);
    return null;
  } catch (e) {
    if (!isKeelError(e)) throw e;
    expect(e.code).toBe('KEEL_E_INVARIANT');
    return { message: e.message, details: e.details };
  }
}

describe('checkResponse', () => {
  it('passes a matching answer, as an object or as cached JSON bytes', () => {
    const ok = { tradingState: 'ACTIVE', nav: 1e6, names: [{ symbol: 'AAPL' }] };
    expect(failure(ok)).toBeNull();
    expect(failure(rawJson(ok))).toBeNull();
  });

  it('names the route and the issue path', () => {
    const f = failure({ tradingState: 'ACTIVE', nav: 1e6, names: [{ symbol: 7 }] });
    expect(f?.message).toMatch(/^GET \/v1\/funds\/:fundId\/x: the answer does not match its response schema at names\[0\]\.symbol: /);
    expect(f?.details).toMatchObject({ route: 'GET /v1/funds/:fundId/x', issues: [{ path: 'names[0].symbol' }], issueCount: 1 });
  });

  it('checks the answer as sent: NaN is null in JSON, and cached bytes are parsed', () => {
    expect(failure({ tradingState: 'ACTIVE', nav: Number.NaN, names: [] })?.details).toMatchObject({ issues: [{ path: 'nav' }] });
    expect(failure(rawJson({ tradingState: 'REDUCING', nav: 1, names: [] }))?.details).toMatchObject({ issues: [{ path: 'tradingState' }] });
    expect(failure({ raw: true, contentType: 'text/html', body: '<p>' })?.message).toMatch(/answered text\/html, but its response schema is JSON/);
  });

  it('leaves raw answers of routes that declare them alone', () => {
    const html = route({ method: 'GET', url: '/docs', tag: 't', access: 'public', summary: 's', response: rawResponse('text/html'), handler: async () => null });
    expect(() => checkResponse(html, { raw: true, contentType: 'text/html', body: '<p>' })).not.toThrow();
  });
});
