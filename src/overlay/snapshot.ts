import type { RiskModel } from './factor-model-local.ts';
import { factorExposures, type RiskScratch } from './risk-math.ts';
import type { Universe } from './universe.ts';
import { table } from './table.ts';

export type BudgetStatus = 'WITHIN_BUDGET' | 'WARNING' | 'BREACH';

/** Seed §1A: use of a budget → status (WARNING above `warningPct`, BREACH above 1). */
export function budgetStatus(used: number, warningPct: number): BudgetStatus {
  if (used > 1 + 1e-9) return 'BREACH';
  if (used > warningPct) return 'WARNING';
  return 'WITHIN_BUDGET';
}

/**
 * The fund risk snapshot (seed fund-overlay-plan §2A `fund_risk_snapshots`): one-day parametric
 * VaR / CVaR in dollars and as fractions of capital; gross and net as fractions of capital;
 * factor exposures in dollars; concentration on |net| per name.
 */
export interface FundRiskSnapshot {
  readonly asOf: string;
  readonly capital: number;
  readonly var95: number;
  readonly var99: number;
  readonly cvar95: number;
  readonly var95Pct: number;
  readonly var99Pct: number;
  readonly gross: number;
  readonly net: number;
  readonly factorExposures: Readonly<Record<string, number>>;
  readonly largestSingleName: { readonly symbol: string | null; readonly pct: number };
  readonly top10Pct: number;
  /** Herfindahl index of |net| weights (1/N for an equal book, 1 for one name). */
  readonly hhi: number;
  readonly netBySector: Readonly<Record<string, number>>;
  /** The 20 largest names by |net|, net as a fraction of capital (signed), largest first. */
  readonly netByName: readonly { readonly symbol: string; readonly net: number }[];
  readonly agentCorrelations: { readonly ids: readonly string[]; readonly matrix: readonly (readonly number[])[]; readonly average: number | null };
  /**
   * Per agent: Euler component VaR and standalone VaR (dollars, at risk.varConfidence), budget and
   * status. Components sum to the fund VaR at that confidence (var95 by default). A book outside
   * the agents (`FundState.outsideBooks`) is listed with its component, budget 0 and used 0: it has no budget.
   */
  readonly budgets: Readonly<Record<string, { component: number; standalone: number; budget: number; used: number; status: BudgetStatus }>>;
  /** Per agent: OLS loadings of its daily returns on the factor returns (market, then other reference series), with alpha and R². */
  readonly agentFactorLoadings: Readonly<Record<string, { alpha: number; betas: Readonly<Record<string, number>>; r2: number }>>;
  readonly buckets: Readonly<Record<string, { component: number; cap: number; used: number; status: BudgetStatus }>>;
}

export function concentration(
  u: Universe,
  x: Float64Array,
  capital: number,
): { largest: { symbol: string | null; pct: number }; top10Pct: number; hhi: number; gross: number; net: number; bySector: Record<string, number>; byName: { symbol: string; net: number }[] } {
  const byName: { symbol: string; net: number }[] = [];
  const abs: number[] = [];
  let gross = 0;
  let net = 0;
  let best = -1;
  let bestV = 0;
  const bySector = table<number>();
  for (let i = 0; i < u.N; i++) {
    const v = x[i] ?? 0;
    if (v === 0) continue;
    const a = Math.abs(v);
    abs.push(a);
    gross += a;
    net += v;
    if (a > bestV) {
      bestV = a;
      best = i;
    }
    byName.push({ symbol: u.symbols[i] ?? '', net: v / capital });
    const sec = u.sectorNames[u.sector[i] ?? 0] ?? 'Unknown';
    bySector[sec] = (bySector[sec] ?? 0) + v / capital;
  }
  abs.sort((a, b) => b - a);
  let top10 = 0;
  for (let k = 0; k < 10 && k < abs.length; k++) top10 += abs[k] ?? 0;
  let hhi = 0;
  for (const a of abs) hhi += (a / gross) ** 2;
  byName.sort((a, b) => Math.abs(b.net) - Math.abs(a.net) || a.symbol.localeCompare(b.symbol));
  return { largest: { symbol: best >= 0 ? (u.symbols[best] ?? null) : null, pct: bestV / capital }, top10Pct: top10 / capital, hhi, gross: gross / capital, net: net / capital, bySector, byName: byName.slice(0, 20) };
}

export function factorMap(model: RiskModel, x: Float64Array, s: RiskScratch): Record<string, number> {
  const f = factorExposures(model, x, s.f);
  const out = table<number>();
  // every sector of the market is a factor: report the market and the sectors the book touches
  model.factorNames.forEach((n, k) => {
    const e = f[k] ?? 0;
    if (k === 0 || e !== 0) out[n] = e;
  });
  return out;
}
