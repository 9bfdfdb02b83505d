import { configHash, FundConfig } from '../contracts/index.ts';
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

/** A day of the series with the limits in force that day and the config they come from. */
export interface LimitedPoint extends SeriesPoint {
  readonly configHash: string;
  readonly limits: Readonly<Record<RiskMeasure, number>>;
}

/** A config's limits by measure. */
const limitsOf = (config: FundConfig): Record<RiskMeasure, number> => Object.fromEntries(measureLimits(config).map((l) => [l.measure, l.limit])) as Record<RiskMeasure, number>;

/**
 * The config in force on each day: the one the day's cycle ran with (`cycleConfig`, by cycle id);
 * a day without one (a NAV point only, a cycle that recorded no config) keeps the previous day's,
 * and days before the first known take the first known; with none known, `current`.
 */
export function configPerDay(points: readonly SeriesPoint[], cycleConfig: ReadonlyMap<string, string>, current: string): string[] {
  const own = points.map((p) => (p.cycleId === null ? undefined : cycleConfig.get(p.cycleId)));
  let last = own.find((h) => h !== undefined) ?? current;
  return own.map((h) => (last = h ?? last));
}

export interface RiskHistory {
  /** The current config's limits. */
  readonly limits: (MeasureLimit & { readonly source: string })[];
  readonly points: LimitedPoint[];
  readonly breaches: Breach[];
}

/** The stored configs of these hashes that still parse, by hash. */
async function configsOf(rt: ApiRuntime, hashes: readonly string[]): Promise<Map<string, FundConfig>> {
  const out = new Map<string, FundConfig>();
  for (const h of hashes) {
    const v = await rt.store.configVersions.get(h);
    const parsed = v ? FundConfig.safeParse(v.config) : null;
    if (parsed?.success) out.set(h, parsed.data);
  }
  return out;
}

/**
 * The fund's daily risk series between `from` and `to`, each day with the limits of the config in
 * force that day (`configPerDay`), the current config's limits, and the breach log over the series
 * (each day against its own limits).
 */
export async function riskHistory(rt: ApiRuntime, fund: FundRow, from?: string, to?: string): Promise<RiskHistory> {
  const config = await rt.configFor(fund);
  const [rows, navs, alerts] = await Promise.all([
    rt.store.risk.series(fund.id, from, to),
    rt.store.nav.history(fund.id, { ...(from ? { from } : {}), ...(to ? { to } : {}) }),
    rt.store.alerts.withAcknowledgement(fund.id, 'RISK'),
  ]);
  const series = seriesPoints(rows, navs, fund.initialCapital);
  const ran = await rt.store.cycles.configHashes(fund.id, series.flatMap((p) => (p.cycleId === null ? [] : [p.cycleId])));
  const current = configHash(config);
  const configs = await configsOf(rt, [...new Set(ran.values())].filter((h) => h !== current));
  configs.set(current, config);
  // a cycle whose config is no longer stored (or no longer parses) counts as one without a config
  const known = new Map([...ran].filter(([, h]) => configs.has(h)));
  const hashes = configPerDay(series, known, current);
  const limitsByHash = new Map([...configs].map(([h, c]) => [h, limitsOf(c)]));
  const points = series.map((p, i) => {
    const h = hashes[i] ?? current;
    return { ...p, configHash: h, limits: limitsByHash.get(h) ?? limitsOf(config) };
  });
  const limits = measureLimits(config);
  return { limits, points, breaches: breachLog(points, limits, alerts) };
}
