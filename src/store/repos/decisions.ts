import { DecisionRecord } from '../../contracts/index.ts';
import type { Db } from '../db.ts';
import { json, parseRow } from './rows.ts';

const COLUMNS = `1 AS version, cycle_id AS "cycleId", symbol, timestamp, final_decision AS "finalDecision",
  position_size AS "positionSize", stop_loss AS "stopLoss", reason_codes AS "reasonCodes", mu_hat AS "muHat",
  sigma_hat AS "sigmaHat", conviction, data_quality_score AS "dataQualityScore",
  provider_confidence AS "providerConfidence", agent_results AS "agentResults", risk_checks AS "riskChecks", metadata`;

/** The 15-field decision records, written in bulk once per cycle. */
export class DecisionsRepo {
  constructor(private readonly db: Db) {}

  /** Deletes every row under a fund id (a backtest's scope whose run did not complete); returns how many. */
  async deleteFund(fundId: string): Promise<number> {
    const r = await this.db.query('DELETE FROM decisions WHERE fund_id = $1', [fundId]);
    return r.rowCount ?? 0;
  }

  /** Inserts one cycle's records in one statement. `fundId` scopes them (null for single-fund setups). */
  async insertMany(records: readonly DecisionRecord[], fundId: string | null = null): Promise<number> {
    if (records.length === 0) return 0;
    const r = await this.db.query(
      `INSERT INTO decisions (fund_id, cycle_id, symbol, timestamp, final_decision, position_size, stop_loss,
         reason_codes, mu_hat, sigma_hat, conviction, data_quality_score, provider_confidence, agent_results,
         risk_checks, metadata)
       SELECT $2, x."cycleId", x.symbol, x.timestamp, x."finalDecision", x."positionSize", x."stopLoss",
         x."reasonCodes", x."muHat", x."sigmaHat", x.conviction, x."dataQualityScore", x."providerConfidence",
         x."agentResults", x."riskChecks", x.metadata
       FROM jsonb_to_recordset($1::jsonb) AS x("cycleId" text, symbol text, timestamp timestamptz,
         "finalDecision" text, "positionSize" float8, "stopLoss" float8, "reasonCodes" jsonb, "muHat" float8,
         "sigmaHat" float8, conviction float8, "dataQualityScore" float8, "providerConfidence" float8,
         "agentResults" jsonb, "riskChecks" jsonb, metadata jsonb)`,
      [json(records), fundId],
    );
    return r.rowCount;
  }

  /** A cycle's records in insertion order. */
  async listByCycle(cycleId: string): Promise<DecisionRecord[]> {
    const r = await this.db.query(`SELECT ${COLUMNS} FROM decisions WHERE cycle_id = $1 ORDER BY id`, [cycleId]);
    return r.rows.map((row) => parseRow(DecisionRecord, row, 'decisions'));
  }

  /** Records for one symbol, newest first. */
  async listBySymbol(symbol: string, limit = 100): Promise<DecisionRecord[]> {
    const r = await this.db.query(
      `SELECT ${COLUMNS} FROM decisions WHERE symbol = $1 ORDER BY timestamp DESC, id DESC LIMIT $2`,
      [symbol, limit],
    );
    return r.rows.map((row) => parseRow(DecisionRecord, row, 'decisions'));
  }
}
