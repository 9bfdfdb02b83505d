import type { Db } from '../db.ts';
import { json } from './rows.ts';

/** One reconciliation of a fund's books with its broker. */
export interface ReconciliationRow {
  readonly fundId: string;
  readonly at: string;
  /** False when it could not complete (the broker kept failing): the fund was halted. */
  readonly ok: boolean;
  readonly report: Record<string, unknown>;
}

export class ReconciliationsRepo {
  constructor(private readonly db: Db) {}

  async add(r: ReconciliationRow): Promise<void> {
    await this.db.query('INSERT INTO broker_reconciliations (fund_id, at, ok, report) VALUES ($1, $2, $3, $4::jsonb)', [r.fundId, r.at, r.ok, json(r.report)]);
  }

  /** The fund's latest reconciliation (the latest completed one with `okOnly`), or undefined. */
  async latest(fundId: string, okOnly = false): Promise<ReconciliationRow | undefined> {
    const r = await this.db.query<ReconciliationRow>(
      `SELECT fund_id AS "fundId", at, ok, report FROM broker_reconciliations WHERE fund_id = $1 AND (NOT $2::boolean OR ok)
       ORDER BY at DESC, id DESC LIMIT 1`,
      [fundId, okOnly],
    );
    return r.rows[0];
  }
}
