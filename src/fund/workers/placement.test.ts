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
  it('once every agent has a cost, balances the workers by cost: the busier worker gives agents to the other until the gap is under 1.5× the agent', () => {
    const p = new Placement();
    const ids = agents(12);
    // 6 and 6 by count, but the first six cost 10 ms each and the others 1 ms
    ids.forEach((id, i) => {
      p.pin(id, i < 6 ? 'w1' : 'w2');
      p.measured(id, i < 6 ? 10 : 1);
    });
    const work = () => {
      const w = new Map<string, number>();
      ids.forEach((id, i) => {
        const at = p.workerFor(id) ?? '';
        w.set(at, (w.get(at) ?? 0) + (i < 6 ? 10 : 1));
      });
      return w;
    };
    cycle(p, ids);
    const after = work();
    expect(Math.abs((after.get('w1') ?? 0) - (after.get('w2') ?? 0))).toBeLessThanOrEqual(15);
    expect(Math.max(...after.values())).toBeLessThan(60);
    // stable: the next cycles move nothing
    const where = ids.map((id) => p.workerFor(id));
    cycle(p, ids);
    cycle(p, ids);
    expect(ids.map((id) => p.workerFor(id))).toEqual(where);
  });

  it('balances by count while some agent has no cost yet', () => {
    const p = new Placement();
    const ids = agents(36);
    ids.forEach((id, i) => p.pin(id, i < 30 ? 'w1' : 'w2'));
    ids.slice(0, 35).forEach((id) => p.measured(id, 5));
    expect(Object.fromEntries(cycle(p, ids))).toEqual({ w1: 18, w2: 18 });
  });

  it('property: with costs, the most loaded worker never gains work, and the placement settles', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.double({ min: 0.1, max: 20, noNaN: true })), { minLength: 2, maxLength: 40 }), (spec) => {
        const p = new Placement();
        const ids = agents(spec.length);
        const costOf = new Map(ids.map((id, i) => [id, spec[i]?.[1] ?? 1]));
        const start = new Map<string, number>();
        ids.forEach((id, i) => {
          const w = `w${spec[i]?.[0] ?? 0}`;
          p.pin(id, w);
          p.measured(id, costOf.get(id) ?? 1);
          start.set(w, (start.get(w) ?? 0) + (costOf.get(id) ?? 1));
        });
        const workAfterCycle = () => {
          const w = new Map<string, number>();
          for (const id of ids) {
            const at = p.workerFor(id) ?? '';
            w.set(at, (w.get(at) ?? 0) + (costOf.get(id) ?? 0));
          }
          return w;
        };
        let max = Math.max(...start.values());
        for (let c = 0; c < 10; c++) {
          const now = Math.max(...workAfterCycle().values());
          expect(now).toBeLessThanOrEqual(max + 1e-9);
          max = now;
        }
        // settled: another cycle moves nothing
        const where = ids.map((id) => p.workerFor(id));
        cycle(p, ids);
        expect(ids.map((id) => p.workerFor(id))).toEqual(where);
      }),
    );
  });
});
