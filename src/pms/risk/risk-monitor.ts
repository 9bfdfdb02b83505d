/**
 * The risk monitor: VaR and CVaR (ES) by three methods at each confidence, stress results passed
 * through, limit utilisation, concentration and liquidity — one pure function of plain data.
 */
import type { Rng } from '../../core/index.ts';
import { historicalVaR, monteCarloBookVaR, parametricVaR, sampleCovariance, tailRiskFromSample, type RiskModel, type TailRisk } from '../../quant/index.ts';
import { invariant } from '../../core/index.ts';
import { agentVarContributions, type AgentVar } from './agent-var.ts';
import { concentration, sectorExposures, type Concentration, type SectorExposure } from './concentration.ts';
import { utilisation, type LimitUtilisation } from './limits.ts';
import { liquidity, type LiquidityOptions, type LiquidityReport } from './liquidity.ts';

/** A holding in one agent's book. `exposure` is signed dollars (qty × price). */
export interface RiskPosition {
  readonly symbol: string;
  readonly exposure: number;
  readonly agentId?: string;
  readonly sector?: string | null;
  /** Dollars per share (for liquidity). */
  readonly price?: number | null;
  /** Average daily volume in shares (for liquidity). */
  readonly adv?: number | null;
}

/** A stress scenario's result as the stress engine produced it; `pnl` in signed dollars. Passed through. */
export interface StressResultInput {
  readonly scenario: string;
  readonly pnl: number;
  readonly [extra: string]: unknown;
}

/** Names of computed metrics a limit can refer to. VaR/CVaR figures are fractions of NAV, the worst over the three methods. */
export type RiskMetricName =
  | 'var95'
  | 'var99'
  | 'cvar95'
  | 'cvar99'
  | 'gross'
  | 'net'
  | 'hhi'
  | 'top10Share'
  | 'largestName'
  | 'daysToLiquidate'
  | 'stressDaysToLiquidate'
  | 'worstStressLoss';

/** A limit on a computed metric, or on a value the caller computed. */
export type LimitSpec =
  | { readonly name: string; readonly limit: number; readonly metric: RiskMetricName; readonly warnAt?: number }
  | { readonly name: string; readonly limit: number; readonly value: number; readonly warnAt?: number };

export interface RiskMonitorInput {
  readonly asOf: string;
  /** Net asset value, dollars (> 0). */
  readonly nav: number;
  readonly positions: readonly RiskPosition[];
  /** Daily simple returns, T×U row-major; column u is `symbols[u]`. */
  readonly returns: { readonly panel: Float64Array; readonly symbols: readonly string[] };
  /** Default [0.95, 0.99]. */
  readonly confidences?: readonly number[];
  /** Horizon in trading days (default 1): historical uses 1-day scenarios × √h; normal methods √h. */
  readonly horizonDays?: number;
  /**
   * Monte Carlo settings: seeded Rng, paths (default 10,000), normal (default) or Student-t with
   * `df`, and whether to simulate every name ('assets', default up to 100 names: cost paths·U²) or
   * only the portfolio P&L ('portfolio', the same distribution, default above 100 names).
   */
  readonly monteCarlo: {
    readonly rng: Rng;
    readonly paths?: number;
    readonly distribution?: 'normal' | 'studentT';
    readonly df?: number;
    readonly simulate?: 'assets' | 'portfolio';
  };
  /**
   * Covariance for the parametric and Monte Carlo methods over `returns.symbols` (dense U×U, or a
   * quant FactorModel for large books). Default: the sample covariance of the panel (ddof 1).
   */
  readonly riskModel?: RiskModel;
  readonly stress?: readonly StressResultInput[];
  readonly limits?: readonly LimitSpec[];
  readonly liquidity?: LiquidityOptions;
}

/** One method's VaR and CVaR: dollars (positive = loss) and fractions of NAV. */
export interface VarFigure {
  readonly var: number;
  readonly cvar: number;
  readonly varPct: number;
  readonly cvarPct: number;
}

export interface VarLevel {
  readonly confidence: number;
  readonly historical: VarFigure;
  readonly parametric: VarFigure;
  readonly monteCarlo: VarFigure;
}

export interface RiskMonitorReport {
  readonly asOf: string;
  readonly nav: number;
  /** Σ|exposure| and Σexposure by symbol (netted across agents), dollars, and as fractions of NAV. */
  readonly gross: number;
  readonly net: number;
  readonly grossPct: number;
  readonly netPct: number;
  readonly var: VarLevel[];
  /** Daily portfolio volatility √(wᵀΣw), dollars (under `riskModel`, or the sample Σ with ddof 1). */
  readonly sigma: number;
  readonly observations: number;
  readonly monteCarloPaths: number;
  /** Held symbols with no column in the returns panel: left out of VaR. */
  readonly missingReturns: string[];
  /** Per-agent Euler components of parametric VaR at the first confidence (positions without agentId count as `unassigned`). */
  readonly agentVar: { readonly confidence: number; readonly agents: AgentVar[] };
  readonly stress: readonly StressResultInput[];
  /** The scenario with the most negative P&L (null when none). */
  readonly worstStress: StressResultInput | null;
  readonly limits: LimitUtilisation[];
  readonly concentration: Concentration;
  readonly sectors: SectorExposure[];
  readonly liquidity: LiquidityReport;
}

/** Above this many names Monte Carlo simulates the portfolio P&L directly (paths·U² gets slow). */
const ASSET_SIMULATION_MAX_NAMES = 100;

// `+ 0` turns the −0 of a flat book into 0.
const figure = (t: TailRisk, nav: number): VarFigure => ({ var: t.var + 0, cvar: t.es + 0, varPct: (t.var + 0) / nav, cvarPct: (t.es + 0) / nav });

/** Runs the risk monitor. Deterministic given the Rng's seed. */
export function riskMonitor(input: RiskMonitorInput): RiskMonitorReport {
  const { nav } = input;
  invariant(nav > 0 && Number.isFinite(nav), 'risk monitor needs a positive NAV', { nav });
  const U0 = input.returns.symbols.length;
  invariant(U0 === 0 || input.returns.panel.length % U0 === 0, 'returns panel length is not a multiple of the symbol count', { length: input.returns.panel.length, U: U0 });
  for (const p of input.positions) invariant(Number.isFinite(p.exposure), `exposure of ${p.symbol} is not finite`, { symbol: p.symbol });
  const h = input.horizonDays ?? 1;
  const paths = input.monteCarlo.paths ?? 10_000;
  const bySymbol = new Map<string, number>();
  const meta = new Map<string, { price: number | null; adv: number | null }>();
  const sectorOf = new Map<string, string>();
  for (const p of input.positions) {
    if (p.sector !== undefined && p.sector !== null && !sectorOf.has(p.symbol)) sectorOf.set(p.symbol, p.sector);
    bySymbol.set(p.symbol, (bySymbol.get(p.symbol) ?? 0) + p.exposure);
    const m = meta.get(p.symbol);
    meta.set(p.symbol, { price: p.price ?? m?.price ?? null, adv: p.adv ?? m?.adv ?? null });
  }
  let gross = 0;
  let net = 0;
  for (const x of bySymbol.values()) {
    gross += Math.abs(x);
    net += x;
  }

  const U = input.returns.symbols.length;
  const col = new Map(input.returns.symbols.map((s, i) => [s, i]));
  const w = new Float64Array(U);
  const missingReturns: string[] = [];
  for (const [s, x] of bySymbol) {
    const i = col.get(s);
    if (i === undefined) {
      if (x !== 0) missingReturns.push(s);
    } else w[i] = x;
  }
  const T = U === 0 ? 0 : Math.floor(input.returns.panel.length / U);
  const model: RiskModel = input.riskModel ?? (U > 0 && T > 1 ? sampleCovariance(input.returns.panel, U) : new Float64Array(U * U));
  const confidences = input.confidences ?? [0.95, 0.99];
  const isFlat = w.every((x) => x === 0);
  // A flat book has no risk even without history; a held book without history has unknown (NaN) VaR.
  const hist = U > 0 && !isFlat ? historicalVaR(input.returns.panel, U, w).pnl : new Float64Array(isFlat ? 1 : 0);
  // One set of Monte Carlo paths serves every confidence level.
  const mc =
    U > 0
      ? monteCarloBookVaR(w, U, model, {
          rng: input.monteCarlo.rng,
          paths,
          horizon: h,
          distribution: input.monteCarlo.distribution ?? 'normal',
          df: input.monteCarlo.df ?? 5,
          simulate: input.monteCarlo.simulate ?? (U > ASSET_SIMULATION_MAX_NAMES ? 'portfolio' : 'assets'),
        }).pnl
      : new Float64Array(paths);
  const sh = Math.sqrt(h);
  const sigma = parametricVaR(w, model).sigma;
  const levels: VarLevel[] = confidences.map((c) => {
    const p = parametricVaR(w, model, { confidence: c, horizon: h });
    const ht = tailRiskFromSample(hist, c);
    return {
      confidence: c,
      historical: figure({ var: ht.var * sh, es: ht.es * sh }, nav),
      parametric: figure(p, nav),
      monteCarlo: figure(tailRiskFromSample(mc, c), nav),
    };
  });

  const books = new Map<string, Float64Array>();
  for (const p of input.positions) {
    const i = col.get(p.symbol);
    if (i === undefined) continue;
    const a = p.agentId ?? 'unassigned';
    const e = books.get(a) ?? new Float64Array(U);
    e[i] = (e[i] as number) + p.exposure;
    books.set(a, e);
  }
  const c0 = confidences[0] ?? 0.95;
  const agentVar = { confidence: c0, agents: U > 0 ? agentVarContributions(books, w, model, c0, h) : [] };

  const conc = concentration(bySymbol, nav);
  const liq = liquidity(
    [...bySymbol.entries()].map(([symbol, exposure]) => ({ symbol, exposure, price: meta.get(symbol)?.price ?? null, adv: meta.get(symbol)?.adv ?? null })),
    input.liquidity,
  );
  const stress = input.stress ?? [];
  const worstStress = stress.reduce<StressResultInput | null>((w0, s) => (w0 === null || s.pnl < w0.pnl ? s : w0), null);

  const worst = (c: number, f: (v: VarFigure) => number): number => {
    const l = levels.find((x) => Math.abs(x.confidence - c) < 1e-12);
    return l ? Math.max(f(l.historical), f(l.parametric), f(l.monteCarlo)) : Number.NaN;
  };
  const metric: Record<RiskMetricName, () => number> = {
    var95: () => worst(0.95, (v) => v.varPct),
    var99: () => worst(0.99, (v) => v.varPct),
    cvar95: () => worst(0.95, (v) => v.cvarPct),
    cvar99: () => worst(0.99, (v) => v.cvarPct),
    gross: () => gross / nav,
    net: () => net / nav,
    hhi: () => conc.hhi,
    top10Share: () => conc.top10Share,
    largestName: () => conc.largest?.navFraction ?? 0,
    daysToLiquidate: () => liq.daysToLiquidate,
    stressDaysToLiquidate: () => liq.stressDaysToLiquidate,
    worstStressLoss: () => (worstStress === null ? 0 : Math.max(0, -worstStress.pnl) / nav),
  };
  const limits = (input.limits ?? []).map((l) => utilisation(l.name, 'metric' in l ? metric[l.metric]() : l.value, l.limit, l.warnAt));

  return {
    asOf: input.asOf,
    nav,
    gross,
    net,
    grossPct: gross / nav,
    netPct: net / nav,
    var: levels,
    sigma,
    observations: T,
    monteCarloPaths: paths,
    missingReturns: missingReturns.sort(),
    agentVar,
    stress,
    worstStress,
    limits,
    concentration: conc,
    sectors: sectorExposures(bySymbol, sectorOf, nav),
    liquidity: liq,
  };
}
