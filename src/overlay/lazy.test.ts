import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../core/index.ts';
import { defineLazy, LAZY, once } from './lazy.ts';

describe('defineLazy', () => {
  it('makes own enumerable properties, in their place, computed when first read', () => {
    let calls = 0;
    const o: { a: number; heavy: number[]; z: string } = { a: 1, heavy: LAZY, z: 'z' };
    defineLazy(o, { heavy: once(() => (calls++, [1, 2, 3])) });
    expect(calls).toBe(0);
    expect(Object.keys(o)).toEqual(['a', 'heavy', 'z']);
    expect(Object.getOwnPropertyDescriptor(o, 'heavy')?.enumerable).toBe(true);
    expect(o.heavy).toEqual([1, 2, 3]);
    expect(o.heavy).toBe(o.heavy);
    expect(calls).toBe(1);
    // spreads, JSON and the canonical hash see the value like data; the thunks stay hidden
    expect({ ...o }).toEqual({ a: 1, heavy: [1, 2, 3], z: 'z' });
    expect(JSON.stringify(o)).toBe('{"a":1,"heavy":[1,2,3],"z":"z"}');
    expect(canonicalJson(o)).toBe(canonicalJson({ a: 1, heavy: [1, 2, 3], z: 'z' }));
    expect(Object.getOwnPropertySymbols({ ...o })).toEqual([]);
  });

  it('objects share one getter per name, each reading its own thunks', () => {
    const a: { v: number } = { v: LAZY };
    const b: { v: number } = { v: LAZY };
    defineLazy(a, { v: () => 1 });
    defineLazy(b, { v: () => 2 });
    expect([a.v, b.v]).toEqual([1, 2]);
    expect(Object.getOwnPropertyDescriptor(a, 'v')?.get).toBe(Object.getOwnPropertyDescriptor(b, 'v')?.get);
  });
});
