/** Display names and order of the factor series (Fama/French names as stored; anything else as given, last). */
const LABELS: Record<string, string> = { mkt_rf: 'Market', market: 'Market', smb: 'Size', hml: 'Value', mom: 'Momentum', qmj: 'Quality', bab: 'Low vol', rmw: 'Profitability', cma: 'Investment' };
const ORDER = Object.keys(LABELS);

export const factorLabel = (f: string): string => LABELS[f] ?? f;

/** Market first, then size, value, momentum, quality, low volatility; unknown factors by name. */
export function sortFactors(factors: readonly string[]): string[] {
  const rank = (f: string): number => (ORDER.includes(f) ? ORDER.indexOf(f) : ORDER.length);
  return [...factors].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}
