import type { Instrument } from '../../contracts/index.ts';
import type { SyntheticMarket } from './generate.ts';

/** Symbols of the tradable proxies added to the synthetic market. */
export const PROXY_SYMBOLS = { market: 'SPY', volatility: 'VXX' } as const;

/**
 * Adds two tradable proxies to a synthetic market: `SPY`, the market index / 10, and `VXX`, a
 * short-dated volatility futures note that moves with half the index's daily VIX change and
 * loses 0.15% a day to contango (the premium a short-volatility agent harvests, and its spike
 * risk). Both are `etf` instruments with deep volume. The generated names keep their columns.
 */
export function withTradableProxies(m: SyntheticMarket): SyntheticMarket {
  const U0 = m.U;
  const U = U0 + 2;
  const T = m.T;
  const fields = ['open', 'high', 'low', 'close', 'volume'] as const;
  const out = {} as Record<(typeof fields)[number], Float64Array>;
  for (const f of fields) out[f] = new Float64Array(T * U);
  const sentiment = new Float64Array(T * U).fill(Number.NaN);
  let vxx = 50;
  let prevSpy = (m.index[0] ?? 1000) / 10;
  let prevVxx = vxx;
  for (let t = 0; t < T; t++) {
    for (const f of fields) out[f].set(m[f].subarray(t * U0, t * U0 + U0), t * U);
    sentiment.set(m.sentiment.subarray(t * U0, t * U0 + U0), t * U);
    const spy = (m.index[t] ?? 1000) / 10;
    if (t > 0) vxx *= 1 + 0.5 * ((m.vix[t] ?? 1) / (m.vix[t - 1] ?? 1) - 1) - 0.0015;
    const base = t * U + U0;
    const rows: [number, number, number][] = [
      [0, spy, prevSpy],
      [1, vxx, prevVxx],
    ];
    for (const [k, c, p] of rows) {
      out.close[base + k] = c;
      out.open[base + k] = p;
      out.high[base + k] = Math.max(c, p) * 1.004;
      out.low[base + k] = Math.min(c, p) * 0.996;
      out.volume[base + k] = k === 0 ? 80_000_000 : 30_000_000;
    }
    prevSpy = spy;
    prevVxx = vxx;
  }
  const proxy = (symbol: string, name: string, sector: string): Instrument => ({
    version: 1,
    symbol,
    name,
    assetClass: 'etf',
    sector,
    currency: 'USD',
    lotSize: 0,
    isTradable: true,
  });
  const shares = new Float64Array(U);
  shares.set(m.sharesOutstanding);
  shares[U0] = 1e9;
  shares[U0 + 1] = 1e8;
  return {
    ...m,
    U,
    instruments: [...m.instruments, proxy(PROXY_SYMBOLS.market, 'Synthetic market index tracker', 'Index'), proxy(PROXY_SYMBOLS.volatility, 'Synthetic short-term VIX futures note', 'Volatility')],
    symbols: [...m.symbols, PROXY_SYMBOLS.market, PROXY_SYMBOLS.volatility],
    sectors: [...m.sectors, 'Index', 'Volatility'],
    ...out,
    sentiment,
    sharesOutstanding: shares,
  };
}
