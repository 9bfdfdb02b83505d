import { Position } from '../../contracts/index.ts';
import { ValidationError } from '../../core/index.ts';
import type { Db } from '../db.ts';
import { parseRow } from './rows.ts';

const COLUMNS = `1 AS version, fund_id AS "fundId", agent_id AS "agentId", symbol, qty, avg_cost AS "avgCost",
  last_price AS "lastPrice", realized_pnl AS "realizedPnl", updated_at AS "updatedAt"`;

/** Agent books: one row per (fund, agent, symbol). Quantities signed shares to 1e-4. */
export class PositionsRepo {
  constructor(private readonly db: Db) {}

  /** Writes positions (insert or replace by key). A zero quantity is kept (realised P&L history). */
  async upsert(items: readonly Position[]): Promise<void> {
    if (items.length === 0) return;
    await this.db.query(
      `INSERT INTO positions (fund_id, agent_id, symbol, qty, avg_cost, last_price, realized_pnl, updated_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::numeric[], $5::numeric[], $6::numeric[],
                            $7::numeric[], $8::timestamptz[])
       ON CONFLICT (fund_id, agent_id, symbol) DO UPDATE SET qty = EXCLUDED.qty, avg_cost = EXCLUDED.avg_cost,
         last_price = EXCLUDED.last_price, realized_pnl = EXCLUDED.realized_pnl, updated_at = EXCLUDED.updated_at`,
      [
        items.map((p) => p.fundId),
        items.map((p) => p.agentId),
        items.map((p) => p.symbol),
        items.map((p) => p.qty),
        items.map((p) => p.avgCost),
        items.map((p) => p.lastPrice),
        items.map((p) => p.realizedPnl),
        items.map((p) => p.updatedAt),
      ],
    );
  }

  /**
   * The fund's whole book as of `at`: writes `items` and closes (qty 0, same realised P&L) every
   * other open row of the fund, so a position the book no longer holds stops showing as open.
   */
  async replaceBook(fundId: string, items: readonly Position[], at: string): Promise<void> {
    const stray = items.find((p) => p.fundId !== fundId);
    if (stray) throw new ValidationError('positions[].fundId', `a position of fund ${stray.fundId} cannot replace fund ${fundId}'s book`);
    await this.db.query(
      `UPDATE positions SET qty = 0, updated_at = $4::timestamptz
        WHERE fund_id = $1 AND qty <> 0
          AND (agent_id, symbol) NOT IN (SELECT * FROM unnest($2::text[], $3::text[]))`,
      [fundId, items.map((p) => p.agentId), items.map((p) => p.symbol), at],
    );
    await this.upsert(items);
  }

  /** Positions of a fund (optionally one agent), by agent then symbol. `openOnly` drops qty = 0. */
  async list(fundId: string, opts: { agentId?: string; openOnly?: boolean } = {}): Promise<Position[]> {
    const r = await this.db.query(
      `SELECT ${COLUMNS} FROM positions WHERE fund_id = $1 AND ($2::text IS NULL OR agent_id = $2)
         AND (NOT $3::boolean OR qty <> 0) ORDER BY agent_id, symbol`,
      [fundId, opts.agentId ?? null, opts.openOnly ?? false],
    );
    return r.rows.map((row) => parseRow(Position, row, 'positions'));
  }
}
