/**
 * Work arrays reused from one review (or one model estimate) to the next. A review is synchronous
 * and nothing it returns points into them; a fresh typed array per use costs more than the
 * arithmetic of a small book (an off-heap backing store, then garbage collection). Each name is
 * one array, grown on demand; a view of the first `n` entries is handed out (the same view while
 * `n` stays the same), zeroed unless asked not to.
 */
interface Slot<A> {
  buffer: A;
  view: A;
}

const f64 = new Map<string, Slot<Float64Array>>();
const i32 = new Map<string, Slot<Int32Array>>();

export function workF64(name: string, n: number, zero = true): Float64Array {
  let s = f64.get(name);
  if (!s || s.buffer.length < n) {
    const buffer = new Float64Array(Math.max(n, 2 * (s?.buffer.length ?? 0)));
    s = { buffer, view: buffer.subarray(0, n) };
    f64.set(name, s);
    return s.view;
  }
  if (s.view.length !== n) s.view = s.buffer.subarray(0, n);
  if (zero) s.view.fill(0);
  return s.view;
}

export function workI32(name: string, n: number, zero = true): Int32Array {
  let s = i32.get(name);
  if (!s || s.buffer.length < n) {
    const buffer = new Int32Array(Math.max(n, 2 * (s?.buffer.length ?? 0)));
    s = { buffer, view: buffer.subarray(0, n) };
    i32.set(name, s);
    return s.view;
  }
  if (s.view.length !== n) s.view = s.buffer.subarray(0, n);
  if (zero) s.view.fill(0);
  return s.view;
}

/**
 * An empty record to be filled with keys that differ from one review to the next (symbols, sector
 * names), created in V8's dictionary mode (deleting a property that is not the last one switches an
 * object to it): in fast mode each new key set would get its own chain of hidden classes. A plain
 * object all the same: same prototype, keys in insertion order.
 */
export function dictionaryRecord<T>(): Record<string, T> {
  const r: Record<string, unknown> = { a: 0, b: 0 };
  delete r.a;
  delete r.b;
  return r as Record<string, T>;
}
