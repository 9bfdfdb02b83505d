import { describe, expect, it } from 'vitest';
import { Workspace } from './work.ts';

describe('Workspace', () => {
  it('hands out the same named array, zeroed unless asked not to, grown on demand', () => {
    const ws = new Workspace();
    const a = ws.f64('x', 4);
    a.set([1, 2, 3, 4]);
    expect(Array.from(ws.f64('x', 4, false))).toEqual([1, 2, 3, 4]);
    expect(Array.from(ws.f64('x', 4))).toEqual([0, 0, 0, 0]);
    expect(ws.f64('x', 100)).toHaveLength(100);
    expect(ws.i32('x', 3)).toBeInstanceOf(Int32Array); // ints and floats are separate names
  });

  it('two workspaces never share an array', () => {
    const a = new Workspace();
    const b = new Workspace();
    a.f64('x', 3).fill(7);
    expect(Array.from(b.f64('x', 3, false))).toEqual([0, 0, 0]);
  });

  it('stamps increase; when they run out every int array is zeroed and they start again at 1', () => {
    const ws = new Workspace();
    expect(ws.stamp()).toBe(1);
    expect(ws.stamp()).toBe(2);
    const marks = ws.i32('m', 2, false);
    marks[0] = 2;
    (ws as unknown as { generation: number }).generation = 0x7fffffff;
    expect(ws.stamp()).toBe(1);
    expect(Array.from(ws.i32('m', 2, false))).toEqual([0, 0]);
  });
});
