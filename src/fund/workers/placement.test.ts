/** Agents stay on their worker, spread evenly: a lopsided first placement evens out, a new worker takes its share, a gone one gives its agents back. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Placement } from './placement.ts';

const agents = (n: number) => Array.from({ length: n }, (_, i) => `a${i}`);

/** Asks every agent once (a cycle) and returns how many agents each worker was asked for. */
function cycle(p: Placement, ids: readonly string[]): Map<string, number> {
  const asked = new Map<string, number>();
  for (const id of ids) {
    const w = p.workerFor(id);
    if (w !== undefined) asked.set(w, (asked.get(w) ?? 0) + 1);
  }
  return asked;
}

describe('Placement', () => {
  it('asks the queue group for an agent no worker has answered', () => {
    expect(new Placement().workerFor('a0')).toBeUndefined();
  });

  it('evens out 30 and 6 agents to 18 and 18 in the next cycle, then keeps every agent where it is', () => {
    const p = new Placement();
    const ids = agents(36);
    ids.forEach((id, i) => p.pin(id, i < 30 ? 'w1' : 'w2'));
    expect(Object.fromEntries(cycle(p, ids))).toEqual({ w1: 18, w2: 18 });
    const where = ids.map((id) => p.workerFor(id));
    cycle(p, ids);
    expect(ids.map((id) => p.workerFor(id))).toEqual(where);
  });

  it('gives a worker that joins later its share, and a gone worker\'s agents go back to the queue group', () => {
    const p = new Placement();
    const ids = agents(9);
    for (const id of ids) p.pin(id, 'w1');
    p.pin('a0', 'w2'); // a new worker answered an agent (e.g. after a restart)
    expect(Object.fromEntries(cycle(p, ids))).toEqual({ w1: 5, w2: 4 });
    p.drop('w2');
    const back = ids.filter((id) => p.workerFor(id) === undefined);
    expect(back).toHaveLength(4);
    expect(Object.fromEntries(p.counts())).toEqual({ w1: 5 });
  });

  it('property: after one cycle no worker holds more than ⌈agents ÷ workers⌉ agents, and every agent has one worker', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 60 }), (firstAnswers) => {
        const p = new Placement();
        const ids = agents(firstAnswers.length);
        ids.forEach((id, i) => p.pin(id, `w${firstAnswers[i] ?? 0}`));
        const workers = new Set(firstAnswers).size;
        const asked = cycle(p, ids);
        const share = Math.ceil(ids.length / workers);
        for (const n of asked.values()) expect(n).toBeLessThanOrEqual(share);
        expect([...asked.values()].reduce((a, b) => a + b, 0)).toBe(ids.length);
        expect([...p.counts().values()].reduce((a, b) => a + b, 0)).toBe(ids.length);
      }),
    );
  });
});
