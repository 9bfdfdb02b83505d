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
