/**
 * `s` in at most `max` UTF-16 code units (what a zod `.max()` counts): cut ones end with `…`, and a
 * cut never splits a surrogate pair (half of one is not text PostgreSQL can store).
 */
export function clipText(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = Math.max(0, max - 1);
  const last = s.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${s.slice(0, end)}…`;
}
