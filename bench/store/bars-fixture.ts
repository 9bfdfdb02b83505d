import type { BarRow } from '../../src/store/index.ts';

/**
 * `symbols × days` synthetic daily bars (weekdays from 2000-01-03), deterministic, prices with
 * four decimals like vendor files. 500 × 2000 = one million.
 */
export function syntheticBars(symbols: number, days: number): BarRow[] {
  const out: BarRow[] = [];
  const dates: string[] = [];
  for (let t = Date.UTC(2000, 0, 3); dates.length < days; t += 86_400_000) {
    const wd = new Date(t).getUTCDay();
    if (wd !== 0 && wd !== 6) dates.push(new Date(t).toISOString().slice(0, 10));
  }
  for (let s = 0; s < symbols; s++) {
    const symbol = `S${String(s).padStart(4, '0')}`;
    let close = 20 + (s % 180);
    dates.forEach((date, d) => {
      close = Math.max(1, Math.round(close * (1 + Math.sin(s * 7.3 + d * 0.61) * 0.02) * 1e4) / 1e4);
      const open = Math.round(close * 0.995 * 1e4) / 1e4;
      out.push({ symbol, date, open, high: Math.round(close * 1.01 * 1e4) / 1e4, low: Math.round(open * 0.99 * 1e4) / 1e4,
        close, volume: 100_000 + ((s * 31 + d * 17) % 900_000) });
    });
  }
  return out;
}
