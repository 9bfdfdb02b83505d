/**
 * VaR drill-down: the fund's delta-normal VaR split by position and by sector with Euler
 * components (`varDecomposition` of quant), so the positions' components, and the sectors', add
 * up to the fund's parametric VaR exactly: the risk monitor's parametric figure for the same book,
 * returns and confidence.
 */
import { sampleCovariance, varDecomposition, type RiskModel } from '../../quant/index.ts';
import type { RiskPosition } from './risk-monitor.ts';

/** Sector name of positions without one. */
export const UNKNOWN_SECTOR = 'Unknown';

export interface VarDrilldownInput {
  readonly positions: readonly RiskPosition[];
  /** Daily simple returns, T×U row-major; column u is `symbols[u]` (as the risk monitor takes them). */
  readonly returns: { readonly panel: Float64Array; readonly symbols: readonly string[] };
  readonly confidence: number;
  /** Trading days (default 1): σ scales by √h. */
  readonly horizonDays?: number;
  /** Covariance over `returns.symbols`; default the sample covariance (ddof 1), as the risk monitor. */
  readonly riskModel?: RiskModel;
}

/** One name, netted across agents. Dollars; `share` = componentVar / fund VaR (0 when the fund VaR is 0). */
export interface PositionVar {
  readonly symbol: string;
  readonly sector: string;
  /** Signed dollars (qty × price), summed over agents. */
  readonly exposure: number;
  /** ∂VaR/∂exposure: VaR dollars per dollar more of the name. */
  readonly marginalVar: number;
  /** exposure × marginalVar; Σ over positions = fund VaR. */
  readonly componentVar: number;
  readonly share: number;
}

/** One sector: the sum of its names' components. */
export interface SectorVar {
  readonly sector: string;
  /** Signed dollars, and Σ |exposure| of its names. */
  readonly net: number;
  readonly gross: number;
  readonly componentVar: number;
  readonly share: number;
  readonly names: number;
}

export interface VarDrilldown {
  readonly confidence: number;
  readonly horizonDays: number;
  /** Parametric VaR of the netted book, dollars (positive = loss). */
  readonly fundVar: number;
  /** Daily volatility of the book, dollars. */
  readonly sigma: number;
  /** By |componentVar|, largest first. */
  readonly positions: PositionVar[];
  readonly sectors: SectorVar[];
  /** Held names without a returns column: outside the VaR (as in the risk monitor). */
  readonly missingReturns: string[];
}

const byMagnitude = <T extends { componentVar: number }>(a: T & { key: string }, b: T & { key: string }): number =>
  Math.abs(b.componentVar) - Math.abs(a.componentVar) || (a.key < b.key ? -1 : 1);

/** Component VaR per position and per sector of a fund book. */
export function varDrilldown(input: VarDrilldownInput): VarDrilldown {
  const h = input.horizonDays ?? 1;
  const symbols = input.returns.symbols;
  const U = symbols.length;
  const col = new Map(symbols.map((s, i) => [s, i]));
  const net = new Map<string, number>();
  const sectorOf = new Map<string, string>();
  for (const p of input.positions) {
    net.set(p.symbol, (net.get(p.symbol) ?? 0) + p.exposure);
    if (p.sector !== undefined && p.sector !== null && !sectorOf.has(p.symbol)) sectorOf.set(p.symbol, p.sector);
  }
  const w = new Float64Array(U);
  const missingReturns: string[] = [];
  for (const [s, x] of net) {
    const i = col.get(s);
    if (i === undefined) {
      if (x !== 0) missingReturns.push(s);
    } else w[i] = x;
  }
  const T = U === 0 ? 0 : Math.floor(input.returns.panel.length / U);
  const model = input.riskModel ?? (U > 0 && T > 1 ? sampleCovariance(input.returns.panel, U) : new Float64Array(U * U));
  const sectors = [...new Set(symbols.map((s) => sectorOf.get(s) ?? UNKNOWN_SECTOR))].sort();
  const groupOf = new Map(sectors.map((s, g) => [s, g]));
  const groups = Int32Array.from(symbols, (s) => groupOf.get(sectorOf.get(s) ?? UNKNOWN_SECTOR) ?? -1);
  const d = varDecomposition(w, model, { confidence: input.confidence, horizon: h, groups, groupCount: sectors.length });
  const share = (c: number) => (d.var > 0 ? c / d.var : 0);
  const positions = symbols
    .map((symbol, i) => ({ key: symbol, symbol, sector: sectorOf.get(symbol) ?? UNKNOWN_SECTOR, exposure: w[i] ?? 0, marginalVar: d.marginal[i] ?? 0, componentVar: d.component[i] ?? 0 }))
    .filter((p) => p.exposure !== 0)
    .sort(byMagnitude)
    .map(({ key: _key, ...p }) => ({ ...p, share: share(p.componentVar) }));
  const bySector = sectors
    .map((sector, g) => {
      const mine = positions.filter((p) => p.sector === sector);
      return { key: sector, sector, net: mine.reduce((a, p) => a + p.exposure, 0), gross: mine.reduce((a, p) => a + Math.abs(p.exposure), 0), componentVar: d.groupComponent[g] ?? 0, names: mine.length };
    })
    .filter((s) => s.names > 0)
    .sort(byMagnitude)
    .map(({ key: _key, ...s }) => ({ ...s, share: share(s.componentVar) }));
  return { confidence: input.confidence, horizonDays: h, fundVar: d.var + 0, sigma: d.sigma, positions, sectors: bySector, missingReturns: missingReturns.sort() };
}
