import { RiskAction } from '../../contracts/index.ts';
import type { Db } from '../db.ts';
import { json, parseRow } from './rows.ts';

const COLUMNS = `1 AS version, action_id AS "actionId", timestamp, agent_id AS "agentId", symbol,
  decision_id AS "decisionId", action_type AS "actionType", details`;

/** Per-name risk actions (SCALED_DOWN / REJECTED / CAPPED / OK), written in bulk per cycle. */
export class RiskActionsRepo {
  constructor(private readonly db: Db) {}

  /** Deletes every row under a fund id (a backtest's scope whose run did not complete); returns how many. */
  async deleteFund(fundId: string): Promise<number> {
    const r = await this.db.query('DELETE FROM risk_actions WHERE fund_id = $1', [fundId]);
    return r.rowCount ?? 0;
  }

  async insertMany(actions: readonly RiskAction[], scope: { cycleId?: string; fundId?: string } = {}): Promise<number> {
    if (actions.length === 0) return 0;
    const r = await this.db.query(
      `INSERT INTO risk_actions (action_id, fund_id, cycle_id, timestamp, agent_id, symbol, decision_id, action_type, details)
       SELECT x."actionId", $2, $3, x.timestamp, x."agentId", x.symbol, x."decisionId", x."actionType", x.details
       FROM jsonb_to_recordset($1::jsonb) AS x("actionId" text, timestamp timestamptz, "agentId" text, symbol text,
         "decisionId" text, "actionType" text, details jsonb)`,
      [json(actions), scope.fundId ?? null, scope.cycleId ?? null],
    );
    return r.rowCount;
  }

  async listByCycle(cycleId: string): Promise<RiskAction[]> {
    const r = await this.db.query(`SELECT ${COLUMNS} FROM risk_actions WHERE cycle_id = $1 ORDER BY timestamp, action_id`, [
      cycleId,
    ]);
    return r.rows.map((row) => parseRow(RiskAction, row, 'risk_actions'));
  }
}
