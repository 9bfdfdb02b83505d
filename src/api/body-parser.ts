import type { FastifyInstance } from 'fastify';
import { KeelError } from '../core/index.ts';

/** The largest request body accepted, bytes: a larger one is 413 before it is read into memory. */
export const MAX_BODY_BYTES = 1_048_576;
/** The deepest nesting of arrays and objects a JSON body may have: a deeper one is 400 before it is parsed. */
export const MAX_BODY_DEPTH = 32;

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN = new Set([91, 123]);
const CLOSE = new Set([93, 125]);

/**
 * How deep arrays and objects nest in JSON text (brackets inside strings do not count), scanning
 * stops as soon as the depth passes `limit`. Malformed text gets a number too; the parser refuses it.
 */
export function jsonDepth(text: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  let isInString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isInString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) isInString = false;
    } else if (c === QUOTE) {
      isInString = true;
    } else if (OPEN.has(c)) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (CLOSE.has(c)) {
      depth--;
    }
  }
  return deepest;
}

/**
 * Replaces Fastify's JSON parser with one that measures nesting first: a body nested past
 * MAX_BODY_DEPTH never reaches JSON.parse, zod or canonical JSON (each recursive: a deep
 * enough body overflowed the stack hashing an Idempotency-Key). Then Fastify's own parser
 * (prototype-poisoning checks, empty and malformed bodies) runs as before.
 */
export function registerJsonParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: MAX_BODY_BYTES }, (req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (jsonDepth(text, MAX_BODY_DEPTH) > MAX_BODY_DEPTH) {
      done(new KeelError('KEEL_E_VALIDATION', `body: nested deeper than ${MAX_BODY_DEPTH} levels of arrays and objects`, { field: 'body', maxDepth: MAX_BODY_DEPTH }), undefined);
      return;
    }
    void parse(req, text, done);
  });
}
