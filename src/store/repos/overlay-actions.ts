import { OverlayDecision, OverlayDecisionHeadline } from '../../contracts/index.ts';
import type { Db } from '../db.ts';
import { json, parseRow } from './rows.ts';

const COLUMNS = `1 AS version, trace_id AS "traceId", decision_id AS "decisionId", cycle_id AS "cycleId",
  agent_id AS "agentId", to_char(as_of, 'YYYY-MM-DD') AS "asOf", action, scale, reasons, checks, targets,
  risk_actions AS "riskActions", summary`;

/** The overlay committee's decisions (one per agent per cycle), written in bulk per cycle. */
export class OverlayActionsRepo {
  constructor(private readonly db: Db) {}

  /** Deletes every row under a fund id (a backtest's scope whose run did not complete); returns how many. */
  async deleteFund(fundId: string): Promise<number> {
    const r = await this.db.query('DELETE FROM overlay_actions WHERE fund_id = $1', [fundId]);
    return r.rowCount ?? 0;
  }

  async insertMany(decisions: readonly OverlayDecision[], fundId: string | null = null): Promise<number> {
    if (decisions.length === 0) return 0;
    const r = await this.db.query(
      `INSERT INTO overlay_actions (decision_id, fund_id, trace_id, cycle_id, agent_id, as_of, action, scale, reasons,
         checks, targets, risk_actions, summary)
       SELECT x."decisionId", $2, x."traceId", x."cycleId", x."agentId", x."asOf", x.action, x.scale, x.reasons,
         x.checks, x.targets, x."riskActions", x.summary
       FROM jsonb_to_recordset($1::jsonb) AS x("decisionId" text, "traceId" text, "cycleId" text, "agentId" text,
         "asOf" date, action text, scale float8, reasons jsonb, checks jsonb, targets jsonb, "riskActions" jsonb,
         summary text)`,
      [json(decisions), fundId],
    );
    return r.rowCount;
  }

  /** A fund's decisions (optionally one agent's), newest as-of first, at most `limit`. */
  async listForFund(fundId: string, f: { readonly agentId?: string | undefined; readonly limit: number }): Promise<OverlayDecision[]> {
    const r = await this.db.query(
      `SELECT ${COLUMNS} FROM overlay_actions WHERE fund_id = $1 AND ($2::text IS NULL OR agent_id = $2)
       ORDER BY as_of DESC, cycle_id DESC, agent_id LIMIT $3`,
      [fundId, f.agentId ?? null, f.limit],
    );
    return r.rows.map((row) => parseRow(OverlayDecision, row, 'overlay_actions'));
  }

  /**
   * The latest decision of each agent of the fund without its checks, targets and risk actions
   * (by agent id): on the demo fund nine whole decisions are 660 KB of JSON, whose reading and
   * contract check held the API for 0.1–0.4 s on every Morning Pack.
   */
  async latestHeadlinesForFund(fundId: string): Promise<OverlayDecisionHeadline[]> {
    const r = await this.db.query(
      `SELECT DISTINCT ON (agent_id) decision_id AS "decisionId", cycle_id AS "cycleId", agent_id AS "agentId",
         to_char(as_of, 'YYYY-MM-DD') AS "asOf", action, scale, reasons, summary
       FROM overlay_actions WHERE fund_id = $1 ORDER BY agent_id, as_of DESC, cycle_id DESC`,
      [fundId],
    );
    return r.rows.map((row) => parseRow(OverlayDecisionHeadline, row, 'overlay_actions'));
  }

  /** The latest decision of each agent of the fund, by agent id. */
  async latestForFund(fundId: string): Promise<OverlayDecision[]> {
    const r = await this.db.query(
      `SELECT DISTINCT ON (agent_id) ${COLUMNS} FROM overlay_actions WHERE fund_id = $1 ORDER BY agent_id, as_of DESC, cycle_id DESC`,
      [fundId],
    );
    return r.rows.map((row) => parseRow(OverlayDecision, row, 'overlay_actions'));
  }

  async listByCycle(cycleId: string): Promise<OverlayDecision[]> {
    const r = await this.db.query(`SELECT ${COLUMNS} FROM overlay_actions WHERE cycle_id = $1 ORDER BY agent_id`, [cycleId]);
    return r.rows.map((row) => parseRow(OverlayDecision, row, 'overlay_actions'));
  }
}
