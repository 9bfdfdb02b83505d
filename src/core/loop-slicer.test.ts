/** A slicer gives the event loop a turn only once its slice is spent, and then starts a new slice. */
import { describe, expect, it } from 'vitest';
import { LoopSlicer } from './index.ts';

/** Whether `pause()` let a setImmediate callback, queued just before it, run. */
async function turned(s: LoopSlicer): Promise<boolean> {
  let ran = false;
  const handle = setImmediate(() => (ran = true));
  await s.pause();
  clearImmediate(handle);
  return ran;
}

describe('LoopSlicer', () => {
  it('yields a turn once sliceMs have passed since the last turn, not before', async () => {
    let now = 0;
    const s = new LoopSlicer(10, () => now);
    expect(await turned(s)).toBe(false);
    now = 9;
    expect(await turned(s)).toBe(false);
    now = 10;
    expect(await turned(s)).toBe(true);
    // a new slice starts at the turn
    now = 15;
    expect(await turned(s)).toBe(false);
    now = 20;
    expect(await turned(s)).toBe(true);
  });

  it('with a zero slice, every pause is a turn', async () => {
    const s = new LoopSlicer(0, () => 0);
    expect([await turned(s), await turned(s), await turned(s)]).toEqual([true, true, true]);
  });
});
