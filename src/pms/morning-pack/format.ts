/** Deterministic number formatting for the narrative (no locale: the same text on every machine). */

const MINUS = '−';

/** 1234567.891 → "1,234,567.89" (dp decimals, thousands separated by commas, "−" for negatives). */
export function fmtNumber(x: number, dp = 2): string {
  if (!Number.isFinite(x)) return 'n/a';
  const neg = x < 0 && Math.abs(x) >= 0.5 * 10 ** -dp;
  const fixed = Math.abs(x).toFixed(dp);
  const [int = '0', frac] = fixed.split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? MINUS : ''}${grouped}${frac === undefined ? '' : `.${frac}`}`;
}

/** 0.01234 → "+1.23%" (a fraction shown as a signed percentage; zero has no sign). */
export function fmtPct(x: number, dp = 2, signed = true): string {
  if (!Number.isFinite(x)) return 'n/a';
  const s = fmtNumber(x * 100, dp);
  return `${signed && !s.startsWith(MINUS) && Number(s.replace(/,/g, '')) !== 0 ? '+' : ''}${s}%`;
}

/** 1234567.4 → "$1,234,567"; −5 → "−$5" (whole dollars unless dp given). */
export function fmtMoney(x: number, dp = 0): string {
  if (!Number.isFinite(x)) return 'n/a';
  const s = fmtNumber(x, dp);
  return s.startsWith(MINUS) ? `${MINUS}$${s.slice(1)}` : `$${s}`;
}
