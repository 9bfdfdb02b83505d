/** The default slice, ms: long enough that a turn costs little, short enough for a live API. */
const LOOP_SLICE_MS = 10;

/**
 * Cooperative slicing of long work on the event loop's thread. Work that never awaits a timer or
 * I/O (pure arithmetic, and PGlite, which runs each statement on the caller's thread and settles
 * its promise as a microtask) holds the loop until it ends: every other request, the kill
 * switch's included, waits for all of it. Such work asks `pause()` between its steps; a slicer
 * yields a turn of the event loop (setImmediate) once the thread has been held `sliceMs` since
 * the last turn it gave, so the work runs in slices of about that length plus one step, at the
 * cost of one turn per slice. Results do not change: the same steps run in the same order.
 */
export class LoopSlicer {
  private since: number;

  constructor(
    private readonly sliceMs: number = LOOP_SLICE_MS,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.since = now();
  }

  /** Resolves at once inside the slice; after a turn of the event loop once the slice is spent. */
  async pause(): Promise<void> {
    if (this.now() - this.since < this.sliceMs) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.since = this.now();
  }
}
