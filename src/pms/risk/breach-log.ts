/**
 * The breach log: from a fund's daily risk series and its limits, each run of days a measure was
 * over the limit in force that day (from, to, how many days, how far), and who acknowledged it: the
 * risk alerts raised during the run (by the cycle that raised them, or their date) and their acknowledgement.
 */

/** The measures kept per day. Fractions of capital (VaR, CVaR, gross) or of the high-water mark (drawdown, ≥ 0). */
export const RISK_MEASURES = ['var', 'cvar', 'var99', 'gross', 'drawdown'] as const;
export type RiskMeasure = (typeof RISK_MEASURES)[number];

/** One day of the series (the day's last cycle); null: not recorded that day. */
export interface RiskHistoryPoint {
  readonly date: string;
  readonly cycleId: string | null;
  readonly values: Readonly<Record<RiskMeasure, number | null>>;
  /** The limits in force that day; absent: each measure's limit given to `breachLog`. */
  readonly limits?: Readonly<Record<RiskMeasure, number>>;
}

/** A limit on a measure, in the measure's unit; a value above it is a breach (unless the day carries its own). */
export interface MeasureLimit {
  readonly measure: RiskMeasure;
  readonly label: string;
  readonly limit: number;
}

/** An alert as the breach log reads it (ISO timestamps; null acknowledgement: not acknowledged). */
export interface BreachAlert {
  readonly id: string;
  readonly traceId: string;
  readonly title: string;
  readonly timestamp: string;
  readonly acknowledgedAt: string | null;
  readonly acknowledgedBy: string | null;
}

export interface Breach {
  readonly measure: RiskMeasure;
  readonly label: string;
  /** First and last day over the limit (inclusive). */
  readonly from: string;
  readonly to: string;
  /** Recorded days over the limit. */
  readonly days: number;
  /** The largest value during the run, and the limit in force on that day. */
  readonly peak: number;
  readonly limit: number;
  /** Still over the limit on the last recorded day. */
  readonly isOngoing: boolean;
  readonly cycleIds: readonly string[];
  /** The risk alerts raised during the run. */
  readonly alerts: readonly BreachAlert[];
  /** The first acknowledgement of one of them, or null: not acknowledged. */
  readonly acknowledgedBy: string | null;
  readonly acknowledgedAt: string | null;
}

interface Run {
  from: string;
  to: string;
  days: number;
  peak: number;
  limit: number;
  cycleIds: string[];
}

/** Runs of consecutive recorded days over the day's limit for one measure (a day without a value neither breaks nor extends a run). */
function runsOver(points: readonly RiskHistoryPoint[], measure: RiskMeasure, limit: number): { runs: Run[]; isOngoing: boolean } {
  const runs: Run[] = [];
  let open: Run | null = null;
  for (const p of points) {
    const v = p.values[measure];
    if (v === null || !Number.isFinite(v)) continue;
    const dayLimit = p.limits?.[measure] ?? limit;
    if (v > dayLimit) {
      if (!open) runs.push((open = { from: p.date, to: p.date, days: 0, peak: v, limit: dayLimit, cycleIds: [] }));
      open.to = p.date;
      open.days += 1;
      if (v > open.peak) [open.peak, open.limit] = [v, dayLimit];
      if (p.cycleId !== null) open.cycleIds.push(p.cycleId);
    } else open = null;
  }
  return { runs, isOngoing: open !== null };
}

/** The alerts raised during a run: by one of its cycles (trace id), or dated within it. */
function alertsDuring(run: Run, alerts: readonly BreachAlert[]): BreachAlert[] {
  const cycles = new Set(run.cycleIds);
  return alerts.filter((a) => cycles.has(a.traceId) || (a.timestamp.slice(0, 10) >= run.from && a.timestamp.slice(0, 10) <= run.to));
}

/** Every breach of every limit, oldest first (then by measure order). `points` in date order. */
export function breachLog(points: readonly RiskHistoryPoint[], limits: readonly MeasureLimit[], alerts: readonly BreachAlert[] = []): Breach[] {
  const out: Breach[] = [];
  for (const l of limits) {
    const { runs, isOngoing } = runsOver(points, l.measure, l.limit);
    runs.forEach((r, k) => {
      const during = alertsDuring(r, alerts);
      const ack = during.filter((a) => a.acknowledgedAt !== null).sort((a, b) => (a.acknowledgedAt ?? '').localeCompare(b.acknowledgedAt ?? ''))[0];
      out.push({
        measure: l.measure,
        label: l.label,
        from: r.from,
        to: r.to,
        days: r.days,
        peak: r.peak,
        limit: r.limit,
        isOngoing: isOngoing && k === runs.length - 1,
        cycleIds: r.cycleIds,
        alerts: during,
        acknowledgedBy: ack?.acknowledgedBy ?? null,
        acknowledgedAt: ack?.acknowledgedAt ?? null,
      });
    });
  }
  const order = new Map(RISK_MEASURES.map((m, i) => [m, i]));
  return out.sort((a, b) => a.from.localeCompare(b.from) || (order.get(a.measure) ?? 0) - (order.get(b.measure) ?? 0));
}
