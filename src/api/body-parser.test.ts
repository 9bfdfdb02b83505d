// jsonDepth equals the nesting JSON.parse sees, whatever brackets and escapes the strings hold.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonDepth } from './body-parser.ts';

function depthOf(v: unknown): number {
  if (typeof v !== 'object' || v === null) return 0;
  return 1 + Math.max(0, ...Object.values(v).map(depthOf));
}

describe('jsonDepth', () => {
  it('counts arrays and objects, not brackets inside strings', () => {
    expect(jsonDepth('1', 32)).toBe(0);
    expect(jsonDepth('{"a":[1,{"b":"]]}}{{"}]}', 32)).toBe(3);
    expect(jsonDepth('["\\"[[["]', 32)).toBe(1);
    expect(jsonDepth('["\\\\",[[]]]', 32)).toBe(3);
  });
  it('stops past the limit', () => {
    expect(jsonDepth(`${'['.repeat(100_000)}${']'.repeat(100_000)}`, 32)).toBe(33);
  });
  it('agrees with JSON.parse on any JSON value', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 6 }), (v) => jsonDepth(JSON.stringify(v), 100) === depthOf(v)));
  });
});
