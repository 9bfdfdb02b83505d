/** ISO-8601 timestamp arithmetic for the PMS (parses what it is given; never reads the clock). */
import { invariant } from '../core/index.ts';

/** Milliseconds since the epoch of an ISO-8601 timestamp; throws on an unparsable one (a broken invariant). */
export function isoMs(iso: string, what = 'timestamp'): number {
  const ms = Date.parse(iso);
  invariant(Number.isFinite(ms), `${what} is not an ISO-8601 timestamp: ${iso}`, { iso });
  return ms;
}

/** `iso + ms` as an ISO-8601 UTC timestamp. */
export function addMs(iso: string, ms: number): string {
  return new Date(isoMs(iso) + ms).toISOString();
}
