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
