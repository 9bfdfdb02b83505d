import { ValidationError } from '../../core/index.ts';
import { DEFAULT_CHECKS, type OverlayCheck } from '../../overlay/index.ts';
import { annualReturn, annualVolatility, cumReturnsFinal, maxDrawdown, sharpeRatio } from '../../quant/index.ts';
import type { BacktestResult } from './backtest.ts';

/** What the comparison run switches off: the policy rules (`overlay-off`), and any rules by name. */
export interface CompareSpec {
  readonly policyOff: boolean;
  readonly without: readonly string[];
}

/** The overlay's rules by name, and those `overlay-off` switches off (for help texts and errors). */
export function overlayRules(checks: readonly OverlayCheck[] = DEFAULT_CHECKS): { all: string[]; policy: string[] } {
  return { all: checks.map((c) => c.name), policy: checks.filter((c) => c.kind === 'policy').map((c) => c.name) };
}

/** The comparison run's checks: every check of `checks` but the policy rules (when `policyOff`) and those named in `without`. */
export function comparisonChecks(spec: CompareSpec, checks: readonly OverlayCheck[] = DEFAULT_CHECKS): { checks: OverlayCheck[]; disabled: string[]; label: string } {
  const names = checks.map((c) => c.name);
  for (const w of spec.without) {
    if (!names.includes(w)) throw new ValidationError('without', `unknown overlay rule '${w}'; the overlay's rules are ${names.join(', ')}`);
  }
  const off = (c: OverlayCheck) => (spec.policyOff && c.kind === 'policy') || spec.without.includes(c.name);
  const disabled = checks.filter(off).map((c) => c.name);
  if (disabled.length === 0) throw new ValidationError('compare', 'the comparison switches nothing off: use --compare overlay-off or --without <rule>');
  const named = spec.without.filter((w) => !(spec.policyOff && checks.some((c) => c.name === w && c.kind === 'policy')));
  const label = spec.policyOff ? (named.length > 0 ? `overlay-off, without ${named.join(', ')}` : 'overlay-off') : `without ${named.join(', ')}`;
  return { checks: checks.filter((c) => !off(c)), disabled, label };
}

/**
 * Performance of a daily NAV series (empyrical conventions, 252 days a year, simple returns from the
 * first NAV): total and annual (compound) return, annualised volatility, Sharpe (no risk-free rate),
 * maximum drawdown and the worst 20-day return (negative fractions; 0 when never down).
 */
export interface NavStats {
  readonly totalReturn: number;
  readonly annualReturn: number;
  readonly annualVolatility: number;
  readonly sharpe: number;
  readonly maxDrawdown: number;
  /** min over t of NAV[t + 20] / NAV[t] − 1 (20 trading days); null with fewer than 21 days. */
  readonly worst20d: number | null;
}

/** One run's side of the comparison: gross and net of costs, turnover and costs. */
export interface CompareSide {
  readonly gross: NavStats;
  readonly net: NavStats;
  /** One-way turnover a year, per mean NAV and per mean gross. */
  readonly turnover: { readonly oneWay: number; readonly oneWayPerGross: number };
  /** Dollars; `ofGrossPnl`: total costs as a fraction of the P&L gross of costs (null when that is not positive). */
  readonly costs: { readonly commissions: number; readonly slippage: number; readonly total: number; readonly ofGrossPnl: number | null };
}

/**
 * What the overlay kept of the comparison run: its annual return and Sharpe as fractions of the
 * comparison's (on ÷ off), and how much smaller its max drawdown and worst 20-day loss are
 * (1 − on ÷ off: 0.25 = a quarter smaller, negative = deeper). Null when the divisor is 0 or of the
 * wrong sign to give a meaning (a loss to keep).
 */
export interface Kept {
  readonly returnKept: number | null;
  readonly sharpeKept: number | null;
  readonly drawdownReduction: number | null;
  readonly worst20dReduction: number | null;
}

/**
 * A backtest beside the same backtest with some overlay rules off (`keel backtest --compare
 * overlay-off`, `--without <rule>`): the table, and the comparison run's own results (its daily NAVs
 * of the fund and each agent, gross and net of costs, its binding constraints, turnover and costs).
 */
export interface BacktestComparison {
  readonly label: string;
  /** The rules the comparison run switched off. */
  readonly disabled: readonly string[];
  readonly on: CompareSide;
  readonly off: CompareSide;
  readonly kept: { readonly gross: Kept; readonly net: Kept };
  readonly variant: Omit<BacktestResult, 'lastCycles'>;
}

export function navStats(nav: readonly number[]): NavStats {
  const r = new Float64Array(Math.max(0, nav.length - 1));
  for (let i = 1; i < nav.length; i++) {
    const a = nav[i - 1] ?? 0;
    r[i - 1] = a > 0 ? (nav[i] ?? 0) / a - 1 : 0;
  }
  const fin = (x: number) => (Number.isFinite(x) ? x : 0);
  let worst: number | null = null;
  for (let i = 0; i + 20 < nav.length; i++) {
    const a = nav[i] ?? 0;
    if (!(a > 0)) continue;
    const x = (nav[i + 20] ?? 0) / a - 1;
    if (worst === null || x < worst) worst = x;
  }
  return {
    totalReturn: fin(cumReturnsFinal(r)),
    annualReturn: fin(annualReturn(r)),
    annualVolatility: fin(annualVolatility(r)),
    sharpe: fin(sharpeRatio(r)),
    maxDrawdown: fin(maxDrawdown(r)),
    worst20d: worst === null ? null : Math.min(0, worst),
  };
}

function sideOf(r: Omit<BacktestResult, 'lastCycles'>): CompareSide {
  const total = r.costs.commissions + r.costs.slippage;
  const g = r.fund.equityGross;
  const grossPnl = (g[g.length - 1] ?? 0) - (r.fund.equity[0] ?? 0);
  return {
    gross: navStats(g),
    net: navStats(r.fund.equity),
    turnover: { oneWay: r.turnover.oneWay, oneWayPerGross: r.turnover.oneWayPerGross },
    costs: { commissions: r.costs.commissions, slippage: r.costs.slippage, total, ofGrossPnl: grossPnl > 0 ? total / grossPnl : null },
  };
}

const ratio = (a: number, b: number): number | null => (b !== 0 && Number.isFinite(a / b) ? a / b : null);
const reduction = (on: number | null, off: number | null): number | null => (on === null || off === null || !(off < 0) ? null : 1 - on / off);

function keptOf(on: NavStats, off: NavStats): Kept {
  return {
    returnKept: off.annualReturn > 0 ? ratio(on.annualReturn, off.annualReturn) : null,
    sharpeKept: off.sharpe > 0 ? ratio(on.sharpe, off.sharpe) : null,
    drawdownReduction: reduction(on.maxDrawdown, off.maxDrawdown),
    worst20dReduction: reduction(on.worst20d, off.worst20d),
  };
}

/** The comparison of a backtest (`base`, every rule on) with its comparison run (`variant`). */
export function compareBacktests(base: Omit<BacktestResult, 'lastCycles'>, variant: Omit<BacktestResult, 'lastCycles'>, label: string, disabled: readonly string[]): BacktestComparison {
  const on = sideOf(base);
  const off = sideOf(variant);
  return { label, disabled, on, off, kept: { gross: keptOf(on.gross, off.gross), net: keptOf(on.net, off.net) }, variant };
}
