/**
 * Lazy properties of a review's outputs (stress, scores, risk actions, …): own, enumerable
 * accessors, so spreads, JSON and the decisions' canonical hash see them exactly as data, whose
 * values are computed when first read.
 *
 * Not `get x() { … }` in an object literal: V8 allocates the accessor pair of such a getter in the
 * old generation, pointing at that review's getter closure, so each closure and everything it
 * captures (the whole review) survived every scavenge until the next full collection. In the SMA
 * engine backtest that was 2.5 MB copied per scavenge, 15–20% of the backtest's time. Here the
 * getters are made once per property name and shared by every object, so nothing young is pinned;
 * the object's own thunks sit behind a symbol key, not enumerable.
 */
const THUNKS = Symbol('keel.lazy');

type Thunks = Readonly<Record<string, () => unknown>>;

const getters = new Map<string, () => unknown>();

function getterOf(name: string): () => unknown {
  let g = getters.get(name);
  if (!g) {
    g = function (this: { readonly [THUNKS]: Thunks }): unknown {
      return (this[THUNKS][name] as () => unknown)();
    };
    getters.set(name, g);
  }
  return g;
}

/**
 * The placeholder of a lazy property in an object literal (it keeps the key's place in the
 * enumeration order); `defineLazy` replaces it.
 */
export const LAZY = undefined as never;

/**
 * Makes each property named in `thunks` an own, enumerable accessor of `target` that returns its
 * thunk's value. Thunks that must compute once memoise themselves (see `once`). Returns `target`.
 */
export function defineLazy<T extends object>(target: T, thunks: { readonly [K in keyof T]?: () => T[K] }): T {
  Object.defineProperty(target, THUNKS, { value: thunks });
  for (const name of Object.keys(thunks)) Object.defineProperty(target, name, { get: getterOf(name), enumerable: true, configurable: true });
  return target;
}

/** A value computed on first read, then kept. */
export function once<T>(f: () => T): () => T {
  let done = false;
  let v: T | undefined;
  return () => {
    if (!done) {
      v = f();
      done = true;
    }
    return v as T;
  };
}
