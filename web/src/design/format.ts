/** Number formatting for the dashboard: money in dollars, fractions as percentages. */

const dash = '—';
const ok = (x: number | null | undefined): x is number => x !== null && x !== undefined && Number.isFinite(x);

/** $1,234,567 (or $1.23m with `compact`). */
export function money(x: number | null | undefined, compact = false): string {
  if (!ok(x)) return dash;
  if (compact) {
    const a = Math.abs(x);
    const s = x < 0 ? '-' : '';
    if (a >= 1e9) return `${s}$${(a / 1e9).toFixed(2)}bn`;
    if (a >= 1e6) return `${s}$${(a / 1e6).toFixed(2)}m`;
    if (a >= 1e3) return `${s}$${(a / 1e3).toFixed(1)}k`;
  }
  return (x < 0 ? '-$' : '$') + Math.abs(x).toLocaleString('en-US', { maximumFractionDigits: 0 });
}

/** A fraction as a percentage: 0.0123 → "1.23%". */
export function pct(x: number | null | undefined, digits = 2): string {
  return ok(x) ? `${(x * 100).toFixed(digits)}%` : dash;
}

/** A signed percentage: "+1.23%". */
export function signedPct(x: number | null | undefined, digits = 2): string {
  return ok(x) ? `${x > 0 ? '+' : ''}${(x * 100).toFixed(digits)}%` : dash;
}

export function num(x: number | null | undefined, digits = 2): string {
  return ok(x) ? x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : dash;
}

export function int(x: number | null | undefined): string {
  return ok(x) ? Math.round(x).toLocaleString('en-US') : dash;
}

/** An ISO time as "2026-11-21 14:05" (UTC). */
export function time(iso: string | null | undefined): string {
  if (!iso) return dash;
  return iso.replace('T', ' ').slice(0, 16);
}
