/** Liquidity: days to liquidate each holding from its average daily volume at a participation rate (seed: fund-overlay-plan §4B). */

export interface LiquidityHolding {
  readonly symbol: string;
  /** Signed dollars. */
  readonly exposure: number;
  /** Dollars per share. */
  readonly price: number | null;
  /** Average daily volume, shares. */
  readonly adv: number | null;
}

export interface LiquidityOptions {
  /** Fraction of ADV we may trade per day (default 0.10). */
  readonly participationRate?: number;
  /** Volume drop assumed in stress (default 0.5 = half the ADV). */
  readonly stressVolumeHaircut?: number;
}

export interface NameLiquidity {
  readonly symbol: string;
  readonly shares: number;
  /** shares / (ADV · participation). */
  readonly days: number;
  /** shares / (ADV · (1 − haircut) · participation). */
  readonly stressDays: number;
}

export interface LiquidityReport {
  readonly participationRate: number;
  readonly stressVolumeHaircut: number;
  /** Names by days to liquidate, slowest first. */
  readonly names: NameLiquidity[];
  /** Days to exit the whole book when names trade in parallel (the slowest name). 0 when flat. */
  readonly daysToLiquidate: number;
  readonly stressDaysToLiquidate: number;
  /** Fraction of gross exposure that can be exited within 1 and within 5 days (normal volume). */
  readonly liquidWithin1d: number;
  readonly liquidWithin5d: number;
  /** Held names with no price or ADV (not in the figures above; treat as illiquid). */
  readonly unknown: string[];
}

/** Liquidity report; a name's exposure exits linearly at ADV·participation shares per day. */
export function liquidity(holdings: readonly LiquidityHolding[], opts: LiquidityOptions = {}): LiquidityReport {
  const pr = opts.participationRate ?? 0.1;
  const hc = opts.stressVolumeHaircut ?? 0.5;
  const names: NameLiquidity[] = [];
  const unknown: string[] = [];
  let gross = 0;
  let in1 = 0;
  let in5 = 0;
  for (const h of holdings) {
    const x = Math.abs(h.exposure);
    if (x === 0) continue;
    if (h.price === null || h.adv === null || !(h.price > 0) || !(h.adv > 0)) {
      unknown.push(h.symbol);
      continue;
    }
    gross += x;
    const shares = x / h.price;
    const days = shares / (h.adv * pr);
    names.push({ symbol: h.symbol, shares, days, stressDays: shares / (h.adv * (1 - hc) * pr) });
    in1 += x * Math.min(1, 1 / days);
    in5 += x * Math.min(1, 5 / days);
  }
  names.sort((a, b) => b.days - a.days || (a.symbol < b.symbol ? -1 : 1));
  return {
    participationRate: pr,
    stressVolumeHaircut: hc,
    names,
    daysToLiquidate: names[0]?.days ?? 0,
    stressDaysToLiquidate: names[0]?.stressDays ?? 0,
    liquidWithin1d: gross > 0 ? in1 / gross : 1,
    liquidWithin5d: gross > 0 ? in5 / gross : 1,
    unknown: unknown.sort(),
  };
}
