import { KeelError } from '../core/index.ts';
import { viewAt, type MarketView, type Panel } from '../market/index.ts';
import type { ApiRuntime } from './runtime.ts';

/** The stored market as of a date (default: its last date), as a panel and a point-in-time view. */
export async function marketAt(rt: ApiRuntime, asOf?: string): Promise<{ panel: Panel; view: MarketView; t: number }> {
  const { panel } = await rt.loadedMarket();
  if (panel.T === 0) throw new KeelError('KEEL_E_NOT_FOUND', 'no market data stored');
  let t = panel.T - 1;
  if (asOf !== undefined) {
    const row = panel.rowOf.get(asOf);
    if (row === undefined) {
      // The last market date on or before asOf.
      let lo = -1;
      for (let i = 0; i < panel.T; i++) if ((panel.dates[i] ?? '') <= asOf) lo = i;
      if (lo < 0) throw new KeelError('KEEL_E_NOT_FOUND', `no market data on or before ${asOf}`, { field: 'query.asOf' });
      t = lo;
    } else t = row;
  }
  return { panel, view: viewAt(panel, t), t };
}

/** The close of `symbol` at row t (walking back over gaps), or undefined when the symbol is unknown. */
export function lastClose(panel: Panel, symbol: string, t: number): number | undefined {
  const u = panel.symbols.indexOf(symbol);
  if (u < 0) return undefined;
  for (let r = t; r >= 0; r--) {
    const c = panel.close[r * panel.U + u];
    if (c !== undefined && Number.isFinite(c) && c > 0) return c;
  }
  return undefined;
}

/** The last `n` rows of daily returns up to row t for `symbols` (T×U row-major, NaN → 0). */
export function returnsWindow(panel: Panel, symbols: readonly string[], t: number, n: number): Float64Array {
  const rows = Math.max(0, Math.min(n, t));
  const cols = symbols.map((s) => panel.symbols.indexOf(s));
  const out = new Float64Array(rows * symbols.length);
  for (let i = 0; i < rows; i++) {
    const r = t - rows + 1 + i;
    cols.forEach((u, j) => {
      const v = u < 0 ? 0 : (panel.ret[r * panel.U + u] ?? 0);
      out[i * symbols.length + j] = Number.isFinite(v) ? v : 0;
    });
  }
  return out;
}
