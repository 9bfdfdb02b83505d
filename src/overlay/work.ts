/**
 * Work arrays reused within a review, and from one review to the next by a caller that keeps its
 * workspace (the cycle keeps one per fund run). A review is synchronous and nothing it returns
 * points into them; a fresh typed array per use costs more than the arithmetic of a small book (an
 * off-heap backing store, then garbage collection). Each name is one array, grown on demand; a
 * view of the first `n` entries is handed out (the same view while `n` stays the same), zeroed
 * unless asked not to. Owned by its caller, never module state: two reviews with two workspaces
 * cannot see each other's arrays.
 */
interface Slot<A> {
  buffer: A;
  view: A;
}

type Typed = Float64Array | Int32Array;

function take<A extends Typed>(slots: Map<string, Slot<A>>, name: string, n: number, zero: boolean, make: (n: number) => A): A {
  let s = slots.get(name);
  if (!s || s.buffer.length < n) {
    const buffer = make(Math.max(n, 2 * (s?.buffer.length ?? 0)));
    s = { buffer, view: buffer.subarray(0, n) as A };
    slots.set(name, s);
    return s.view;
  }
  if (s.view.length !== n) s.view = s.buffer.subarray(0, n) as A;
  if (zero) s.view.fill(0);
  return s.view;
}

export class Workspace {
  private readonly floats = new Map<string, Slot<Float64Array>>();
  private readonly ints = new Map<string, Slot<Int32Array>>();
  private generation = 0;

  /**
   * A new stamp (≥ 1) for int arrays marked by generation rather than cleared: an entry equal to
   * the stamp was set since. When the stamps run out every int array is zeroed and they start again.
   */
  stamp(): number {
    if (this.generation >= 0x7fffffff) {
      for (const s of this.ints.values()) s.buffer.fill(0);
      this.generation = 0;
    }
    return ++this.generation;
  }

  f64(name: string, n: number, zero = true): Float64Array {
    return take(this.floats, name, n, zero, (m) => new Float64Array(m));
  }

  i32(name: string, n: number, zero = true): Int32Array {
    return take(this.ints, name, n, zero, (m) => new Int32Array(m));
  }
}
