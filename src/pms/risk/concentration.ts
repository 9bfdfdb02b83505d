/** Concentration of a fund's holdings by name: HHI, effective number of names, top-10 share. */

export interface Concentration {
  /** Herfindahl–Hirschman index Σ sᵢ², sᵢ = |exposureᵢ| / gross; in (0, 1], 1 = one name. 0 when flat. */
  readonly hhi: number;
  /** 1 / HHI (0 when flat). */
  readonly effectiveNames: number;
  /** Share of gross exposure in the ten largest |exposures|, in [0, 1]. */
  readonly top10Share: number;
  /** Largest single name: symbol, its share of gross and its |exposure| as a fraction of NAV. */
  readonly largest: { readonly symbol: string; readonly grossShare: number; readonly navFraction: number } | null;
}

/** Concentration of signed dollar exposures by symbol (already netted across agents). */
export function concentration(exposures: ReadonlyMap<string, number>, nav: number): Concentration {
  const abs = [...exposures.entries()].map(([symbol, x]) => ({ symbol, x: Math.abs(x) })).filter((e) => e.x > 0);
  abs.sort((a, b) => b.x - a.x || (a.symbol < b.symbol ? -1 : 1));
  const gross = abs.reduce((s, e) => s + e.x, 0);
  if (gross === 0) return { hhi: 0, effectiveNames: 0, top10Share: 0, largest: null };
  let hhi = 0;
  for (const e of abs) hhi += (e.x / gross) ** 2;
  const top10 = abs.slice(0, 10).reduce((s, e) => s + e.x, 0) / gross;
  const first = abs[0];
  return {
    hhi,
    effectiveNames: 1 / hhi,
    top10Share: top10,
    largest: first ? { symbol: first.symbol, grossShare: first.x / gross, navFraction: nav > 0 ? first.x / nav : Number.NaN } : null,
  };
}

/** Exposure of one sector: gross Σ|xᵢ| and net Σxᵢ over its names (dollars) and as fractions of NAV. */
export interface SectorExposure {
  readonly sector: string;
  readonly gross: number;
  readonly net: number;
  readonly grossPct: number;
  readonly netPct: number;
}

/** Sector exposures from netted name exposures and each name's sector (missing → `Unclassified`), largest gross first. */
export function sectorExposures(exposures: ReadonlyMap<string, number>, sectorOf: ReadonlyMap<string, string>, nav: number): SectorExposure[] {
  const m = new Map<string, { gross: number; net: number }>();
  for (const [symbol, x] of exposures) {
    const s = sectorOf.get(symbol) ?? 'Unclassified';
    const a = m.get(s) ?? { gross: 0, net: 0 };
    m.set(s, { gross: a.gross + Math.abs(x), net: a.net + x });
  }
  return [...m.entries()]
    .map(([sector, a]) => ({ sector, gross: a.gross, net: a.net, grossPct: a.gross / nav, netPct: a.net / nav }))
    .sort((a, b) => b.gross - a.gross || (a.sector < b.sector ? -1 : 1));
}
