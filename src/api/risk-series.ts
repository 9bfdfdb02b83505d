import type { FundConfig } from '../contracts/index.ts';
import { breachLog, RISK_MEASURES, type Breach, type MeasureLimit, type RiskHistoryPoint, type RiskMeasure } from '../pms/index.ts';
import type { FundRow, NavPoint, RiskSeriesRow } from '../store/index.ts';
import type { ApiRuntime } from './runtime.ts';

/** Each measure's limit from the fund config, with the config key it comes from. */
export function measureLimits(config: FundConfig): (MeasureLimit & { readonly source: string })[] {
  const c = `${Math.round(config.risk.varConfidence * 1000) / 10}%`;
  const rows: Record<RiskMeasure, { label: string; limit: number; source: string }> = {
    var: { label: `VaR ${c} (1d)`, limit: config.risk.varLimitPct, source: 'risk.varLimitPct' },
    cvar: { label: `CVaR ${c} (1d)`, limit: config.risk.cvarLimitPct, source: 'risk.cvarLimitPct' },
    var99: { label: 'VaR 99% (1d) kill switch', limit: config.killSwitch.fundVar99Pct, source: 'killSwitch.fundVar99Pct' },
    gross: { label: 'Gross exposure', limit: config.risk.maxGrossExposure, source: 'risk.maxGrossExposure' },
    drawdown: { label: 'Fund drawdown (hard stop)', limit: config.killSwitch.fundDrawdownPct, source: 'killSwitch.fundDrawdownPct' },
  };
  return RISK_MEASURES.map((measure) => ({ measure, ...rows[measure] }));
}

const ratio = (x: number | null, d: number | null): number | null => (x === null || d === null || !(d > 0) ? null : x / d);

/** One day of the series: the day's last snapshot (fractions of its capital) and the fund's drawdown from the NAV history. */
export interface SeriesPoint extends RiskHistoryPoint {
  /** Dollars the fractions are of: the snapshot's capital, else that day's NAV, else the fund's initial capital. */
  readonly capital: number | null;
  readonly nav: number | null;
  readonly varDollars: number | null;
}

/** Joins snapshots and NAV points by date (a day with either is a point). */
export function seriesPoints(rows: readonly RiskSeriesRow[], navs: readonly NavPoint[], initialCapital: number): SeriesPoint[] {
  const byDate = new Map(rows.map((r) => [r.asOf, r]));
  const navOf = new Map(navs.map((n) => [n.date, n]));
  const dates = [...new Set([...byDate.keys(), ...navOf.keys()])].sort();
  return dates.map((date) => {
    const r = byDate.get(date);
    const n = navOf.get(date);
    const capital = r?.capital ?? n?.nav ?? (r ? initialCapital : null);
    return {
      date,
      cycleId: r?.cycleId ?? null,
      capital,
      nav: n?.nav ?? null,
      varDollars: r?.var95 ?? null,
      values: {
        var: r ? (r.var95Pct ?? ratio(r.var95, capital)) : null,
        cvar: r ? ratio(r.cvar95, capital) : null,
        var99: r ? (r.var99Pct ?? ratio(r.var99, capital)) : null,
        gross: r?.gross ?? null,
        drawdown: n ? Math.max(0, -n.drawdown) : null,
      },
    };
  });
}

export interface RiskHistory {
  readonly limits: (MeasureLimit & { readonly source: string })[];
  readonly points: SeriesPoint[];
  readonly breaches: Breach[];
}

/** The fund's daily risk series between `from` and `to`, its limits (the current config's) and the breach log over it. */
export async function riskHistory(rt: ApiRuntime, fund: FundRow, from?: string, to?: string): Promise<RiskHistory> {
  const config = await rt.configFor(fund);
  const [rows, navs, alerts] = await Promise.all([
    rt.store.risk.series(fund.id, from, to),
    rt.store.nav.history(fund.id, { ...(from ? { from } : {}), ...(to ? { to } : {}) }),
    rt.store.alerts.withAcknowledgement(fund.id, 'RISK'),
  ]);
  const points = seriesPoints(rows, navs, fund.initialCapital);
  const limits = measureLimits(config);
  return { limits, points, breaches: breachLog(points, limits, alerts) };
}
