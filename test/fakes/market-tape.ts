// Deterministic daily bars on the NYSE calendar for the fake providers: a random walk per symbol
// (a common market factor plus noise), an index (SPX) and a volatility index (VIX) over the same days.
import { createRng } from '../../src/core/index.ts';
import { previousTradingDay } from '../../src/market/index.ts';
import type { DayBar } from './alpaca-market-data.ts';

export interface Tape {
  readonly dates: readonly string[];
  readonly symbols: readonly string[];
  /** Bars by symbol, ascending by date. */
  readonly bars: ReadonlyMap<string, readonly DayBar[]>;
  readonly index: readonly DayBar[];
  readonly vix: readonly DayBar[];
}

/** The `days` trading days ending at `end` (inclusive), ascending. */
export function tradingDaysEnding(end: string, days: number): string[] {
  const out = [end];
  while (out.length < days) out.push(previousTradingDay(out[out.length - 1] ?? end));
  return out.reverse();
}

/** `n` symbols TKR001… (or the given names) with `days` bars each, ending at `end`. */
export function marketTape(o: { symbols: number | readonly string[]; end: string; days: number; seed: number }): Tape {
  const rng = createRng(o.seed);
  const dates = tradingDaysEnding(o.end, o.days);
  const symbols = typeof o.symbols === 'number' ? Array.from({ length: o.symbols }, (_, i) => `TKR${String(i + 1).padStart(3, '0')}`) : [...o.symbols];
  const market = dates.map(() => 0.0003 + 0.01 * rng.normal());
  const walk = (start: number, beta: number, vol: number, volume: number): DayBar[] => {
    let close = start;
    return dates.map((date, t) => {
      const open = close * (1 + 0.002 * rng.normal());
      close = Math.max(1, close * (1 + beta * (market[t] ?? 0) + vol * rng.normal()));
      const high = Math.max(open, close) * (1 + 0.004 * rng.next());
      const low = Math.min(open, close) * (1 - 0.004 * rng.next());
      const r = (x: number) => Math.round(x * 100) / 100;
      return { date, open: r(open), high: r(high), low: r(low), close: r(close), volume: Math.round(volume * (0.6 + 0.8 * rng.next())) };
    });
  };
  const bars = new Map(symbols.map((s) => [s, walk(20 + 180 * rng.next(), 0.6 + 0.8 * rng.next(), 0.012, 2_000_000)] as const));
  const index = walk(4500, 1, 0.001, 0).map((b) => ({ ...b, volume: 0 }));
  const vix = dates.map((date, t) => {
    const level = Math.round((16 - 300 * (market[t] ?? 0)) * 100) / 100;
    return { date, open: level, high: level, low: level, close: level, volume: 0 };
  });
  return { dates, symbols, bars, index, vix };
}
