import { InvariantError } from './errors.ts';

/** Returns `value` or throws an InvariantError naming what was missing (instead of `!`). */
export function ensureDefined<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new InvariantError(`expected ${what} to be defined`);
  return value;
}

/** Throws an InvariantError when `condition` is false. */
export function invariant(condition: unknown, message: string, details: Record<string, unknown> = {}): asserts condition {
  if (!condition) throw new InvariantError(message, details);
}

/** Exhaustiveness check for `switch` statements over unions. */
export function assertNever(value: never, what = 'value'): never {
  throw new InvariantError(`unexpected ${what}: ${JSON.stringify(value)}`);
}

/** Throws unless `x` is a finite number. */
export function ensureFinite(x: number, what: string): number {
  if (!Number.isFinite(x)) throw new InvariantError(`${what} must be finite, got ${x}`);
  return x;
}
