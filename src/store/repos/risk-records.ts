import type { Db } from '../db.ts';
import { json } from './rows.ts';

/**
 * A fund risk snapshot as a cycle writes it (the overlay's `FundRiskSnapshot`): one-day VaR/CVaR at
 * the fund's confidence in dollars (positive = loss); gross and net exposure as fractions of capital
 * (the columns keep 2 decimals, `metrics.gross`/`.net` the full value); `metrics.var95Pct`, `.capital`, ….
 */
export interface RiskSnapshot {
  readonly fundId: string;
  readonly cycleId: string | null;
  readonly asOf: string;
  readonly var95: number | null;
  readonly var99: number | null;
  readonly cvar95: number | null;
  readonly grossExposure: number | null;
  readonly netExposure: number | null;
  /** Factor exposures, concentration, correlations, … */
  readonly metrics: Record<string, unknown>;
}

/**
 * One day of a fund's risk series, from the day's last snapshot: the columns, and the numbers
 * of `metrics` the series needs (null when the snapshot lacks them). VaR/CVaR dollars; the
 * `*Pct`, `gross` and `net` fractions of `capital`.
 */
export interface RiskSeriesRow {
  readonly asOf: string;
  readonly cycleId: string | null;
  readonly var95: number | null;
  readonly var99: number | null;
  readonly cvar95: number | null;
  readonly capital: number | null;
  readonly var95Pct: number | null;
  readonly var99Pct: number | null;
  readonly gross: number | null;
  readonly net: number | null;
}

/** One stress scenario's result. `pnlImpact` dollars (negative = loss); `pnlImpactPct` fraction of NAV. */
export interface StressResult {
  readonly fundId: string;
  readonly cycleId: string | null;
  readonly asOf: string;
  readonly scenario: string;
  readonly pnlImpact: number;
  readonly pnlImpactPct: number;
  readonly perAgent: Record<string, unknown>;
  readonly details: Record<string, unknown>;
}

/** A morning briefing (PMS): structured content plus narrative, one per fund per day. */
export interface Briefing {
  readonly fundId: string;
  readonly date: string;
  readonly content: Record<string, unknown>;
  readonly narrative: string;
}

/** Risk snapshots, stress results and briefings: append/replace records read by date. */
export class RiskRecordsRepo {
  constructor(private readonly db: Db) {}

  async addSnapshot(s: RiskSnapshot): Promise<void> {
    await this.db.query(
      `INSERT INTO risk_snapshots (fund_id, cycle_id, as_of, var_95, var_99, cvar_95, gross_exposure, net_exposure, metrics)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)`,
      [s.fundId, s.cycleId, s.asOf, s.var95, s.var99, s.cvar95, s.grossExposure, s.netExposure, json(s.metrics)],
    );
  }

  /** Snapshots in date order (inclusive bounds). */
  async snapshots(fundId: string, from?: string, to?: string): Promise<RiskSnapshot[]> {
    const r = await this.db.query<RiskSnapshot>(
      `SELECT fund_id AS "fundId", cycle_id AS "cycleId", to_char(as_of, 'YYYY-MM-DD') AS "asOf", var_95 AS "var95",
         var_99 AS "var99", cvar_95 AS "cvar95", gross_exposure AS "grossExposure", net_exposure AS "netExposure", metrics
       FROM risk_snapshots WHERE fund_id = $1 AND ($2::date IS NULL OR as_of >= $2) AND ($3::date IS NULL OR as_of <= $3)
       ORDER BY as_of, id`,
      [fundId, from ?? null, to ?? null],
    );
    return r.rows;
  }

  /**
   * The capital allocations the overlay stored with the snapshots (`metrics.allocation`: the cycles
   * that moved capital), the newest `limit` within the inclusive bounds, in date order. Reads only
   * that key, not the whole metrics.
   */
  async allocations(fundId: string, q: { from?: string | undefined; to?: string | undefined; limit?: number | undefined } = {}): Promise<{ cycleId: string | null; allocation: Record<string, unknown> }[]> {
    const r = await this.db.query<{ cycleId: string | null; allocation: Record<string, unknown> }>(
      `SELECT cycle_id AS "cycleId", metrics->'allocation' AS allocation
       FROM risk_snapshots WHERE fund_id = $1 AND jsonb_typeof(metrics->'allocation') = 'object'
         AND ($2::date IS NULL OR as_of >= $2) AND ($3::date IS NULL OR as_of <= $3)
       ORDER BY as_of DESC, id DESC LIMIT $4`,
      [fundId, q.from ?? null, q.to ?? null, q.limit ?? 500],
    );
    return r.rows.reverse();
  }

  /** The newest snapshot of a fund (latest as-of, then the last written), or null. */
  async latestSnapshot(fundId: string): Promise<RiskSnapshot | null> {
    const r = await this.db.query<RiskSnapshot>(
      `SELECT fund_id AS "fundId", cycle_id AS "cycleId", to_char(as_of, 'YYYY-MM-DD') AS "asOf", var_95 AS "var95",
         var_99 AS "var99", cvar_95 AS "cvar95", gross_exposure AS "grossExposure", net_exposure AS "netExposure", metrics
       FROM risk_snapshots WHERE fund_id = $1 ORDER BY as_of DESC, id DESC LIMIT 1`,
      [fundId],
    );
    return r.rows[0] ?? null;
  }

  /** The series of daily risk measures: the last snapshot of each day, in date order (inclusive bounds). Reads only the numbers, not the whole metrics. */
  async series(fundId: string, from?: string, to?: string): Promise<RiskSeriesRow[]> {
    const num = (k: string) => `CASE WHEN jsonb_typeof(metrics->'${k}') = 'number' THEN (metrics->>'${k}')::float8 END`;
    const r = await this.db.query<RiskSeriesRow>(
      `SELECT DISTINCT ON (as_of) to_char(as_of, 'YYYY-MM-DD') AS "asOf", cycle_id AS "cycleId", var_95 AS "var95", var_99 AS "var99",
         cvar_95 AS "cvar95", ${num('capital')} AS capital, ${num('var95Pct')} AS "var95Pct", ${num('var99Pct')} AS "var99Pct",
         ${num('gross')} AS gross, ${num('net')} AS net
       FROM risk_snapshots WHERE fund_id = $1 AND ($2::date IS NULL OR as_of >= $2) AND ($3::date IS NULL OR as_of <= $3)
       ORDER BY as_of, id DESC`,
      [fundId, from ?? null, to ?? null],
    );
    return r.rows;
  }

  /** The last snapshot on or before `date` (the latest as-of, then the last written), or null. */
  async snapshotAsOf(fundId: string, date: string): Promise<RiskSnapshot | null> {
    const r = await this.db.query<RiskSnapshot>(
      `SELECT fund_id AS "fundId", cycle_id AS "cycleId", to_char(as_of, 'YYYY-MM-DD') AS "asOf", var_95 AS "var95",
         var_99 AS "var99", cvar_95 AS "cvar95", gross_exposure AS "grossExposure", net_exposure AS "netExposure", metrics
       FROM risk_snapshots WHERE fund_id = $1 AND as_of <= $2 ORDER BY as_of DESC, id DESC LIMIT 1`,
      [fundId, date],
    );
    return r.rows[0] ?? null;
  }

  async addStressResults(items: readonly StressResult[]): Promise<void> {
    if (items.length === 0) return;
    await this.db.query(
      `INSERT INTO stress_results (fund_id, cycle_id, as_of, scenario, pnl_impact, pnl_impact_pct, per_agent, details)
       SELECT x."fundId", x."cycleId", x."asOf", x.scenario, x."pnlImpact", x."pnlImpactPct", x."perAgent", x.details
       FROM jsonb_to_recordset($1::jsonb) AS x("fundId" text, "cycleId" text, "asOf" date, scenario text,
         "pnlImpact" numeric, "pnlImpactPct" float8, "perAgent" jsonb, details jsonb)`,
      [json(items)],
    );
  }

  /** The results of the latest stress run on or before `asOf` (all scenarios of that date). */
  async latestStress(fundId: string, asOf?: string): Promise<StressResult[]> {
    const r = await this.db.query<StressResult>(
      `SELECT fund_id AS "fundId", cycle_id AS "cycleId", to_char(as_of, 'YYYY-MM-DD') AS "asOf", scenario,
         pnl_impact AS "pnlImpact", pnl_impact_pct AS "pnlImpactPct", per_agent AS "perAgent", details
       FROM stress_results WHERE fund_id = $1 AND as_of = (SELECT max(as_of) FROM stress_results
         WHERE fund_id = $1 AND ($2::date IS NULL OR as_of <= $2)) ORDER BY scenario, id`,
      [fundId, asOf ?? null],
    );
    return r.rows;
  }

  async saveBriefing(b: Briefing): Promise<void> {
    await this.db.query(
      `INSERT INTO briefings (fund_id, date, content, narrative) VALUES ($1, $2, $3::jsonb, $4)
       ON CONFLICT (fund_id, date) DO UPDATE SET content = EXCLUDED.content, narrative = EXCLUDED.narrative, created_at = now()`,
      [b.fundId, b.date, json(b.content), b.narrative],
    );
  }

  async briefing(fundId: string, date: string): Promise<Briefing | undefined> {
    const r = await this.db.query<Briefing>(
      `SELECT fund_id AS "fundId", to_char(date, 'YYYY-MM-DD') AS date, content, narrative FROM briefings
       WHERE fund_id = $1 AND date = $2`,
      [fundId, date],
    );
    return r.rows[0];
  }
}
