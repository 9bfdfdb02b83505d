// Preloaded into a child `keel` process by tests (`node --import tsx --import this-file`): shifts
// the wall clock to the instant last written to KEEL_TEST_CLOCK_FILE (JSON `{ now, at }`: the
// instant to show, and the real Unix ms at which it was written); time then flows at its normal
// rate. Like libfaketime, it lets a test run the real program on chosen market days without a
// test hook in the program.
import { readFileSync, statSync } from 'node:fs';

const file = process.env.KEEL_TEST_CLOCK_FILE;
if (file) {
  const RealDate = Date;
  const realNow = (): number => RealDate.now();
  let offset = 0;
  let mtime = -1;
  let checkedAt = Number.NEGATIVE_INFINITY;
  const shift = (): number => {
    const p = performance.now();
    if (p - checkedAt >= 20) {
      checkedAt = p;
      const st = statSync(file);
      if (st.mtimeMs !== mtime) {
        mtime = st.mtimeMs;
        const { now, at } = JSON.parse(readFileSync(file, 'utf8')) as { now: string; at: number };
        offset = RealDate.parse(now) - at;
      }
    }
    return offset;
  };
  class ShiftedDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(realNow() + shift());
      else super(...(args as [string | number]));
    }
    static override now(): number {
      return realNow() + shift();
    }
  }
  globalThis.Date = ShiftedDate as DateConstructor;
}

/** Sets the clock of child processes reading `file` to `now` (ISO instant) from this moment on. */
export function writeClock(writeFile: (path: string, text: string) => void, path: string, now: string): void {
  writeFile(path, JSON.stringify({ now, at: Date.now() }));
}
