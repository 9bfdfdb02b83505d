/**
 * Text PostgreSQL can store: no NUL, no lone UTF-16 surrogate (it has no UTF-8 form). The server
 * refuses any other string, value or key, anywhere in a request's path, query or body; the OpenAPI
 * document declares the rule on every request string (`pattern`) and object (`propertyNames`).
 */
import { z } from 'zod';

/** Storable text as a JSON Schema pattern (ECMA-262 with the `u` flag: a surrogate pair is one code point, a lone surrogate is not). */
export const STORABLE_TEXT_PATTERN = '^[^\\u0000\\uD800-\\uDFFF]*$';
const STORABLE_TEXT = new RegExp(STORABLE_TEXT_PATTERN, 'u');

/** The characters String.prototype.trim removes (ECMA-262 WhiteSpace and LineTerminator), spelled out so that every regex dialect reads them alike. */
const BLANK = '\\t\\n\\u000B\\f\\r \\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF';
/** Storable text with at least one character that is not blank (what `.trim().min(1)` accepts). */
export const NON_BLANK_TEXT = new RegExp(`^[^\\u0000\\uD800-\\uDFFF]*[^${BLANK}\\u0000\\uD800-\\uDFFF][^\\u0000\\uD800-\\uDFFF]*$`, 'u');

/** A reason or rationale given by a person: up to `max` characters, not blank, stored trimmed. */
export const personText = (max: number, blankMessage: string) => z.string().min(1, blankMessage).max(max).regex(NON_BLANK_TEXT, blankMessage).trim();

/** Why PostgreSQL text cannot store `s` (a NUL, or a lone UTF-16 surrogate), if it cannot. */
function unstorable(s: string): string | undefined {
  if (STORABLE_TEXT.test(s)) return undefined;
  return s.includes('\u0000') ? 'must not contain NUL characters' : 'must be well-formed Unicode (it holds a lone UTF-16 surrogate)';
}

/** The first string (value or key) PostgreSQL text cannot store, with its path and why. Depth is bounded by the JSON parser. */
export function unstorableText(v: unknown, path: string): { field: string; why: string } | undefined {
  if (typeof v === 'string') {
    const why = unstorable(v);
    return why ? { field: path, why } : undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  for (const [k, x] of Object.entries(v)) {
    const p = Array.isArray(v) ? `${path}[${k}]` : `${path}.${k}`;
    const keyWhy = Array.isArray(v) ? undefined : unstorable(k);
    if (keyWhy) return { field: path, why: `a key ${keyWhy}` };
    const bad = unstorableText(x, p);
    if (bad) return bad;
  }
  return undefined;
}
