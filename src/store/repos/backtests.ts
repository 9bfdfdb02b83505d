import { KeelError } from '../../core/index.ts';
import type { Db } from '../db.ts';
import { json } from './rows.ts';

export type BacktestStatus = 'QUEUED' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELLED';

/** A backtest job. `progress` in [0, 1]. */
export interface BacktestRun {
  readonly id: string;
  readonly fundId: string | null;
  readonly params: Record<string, unknown>;
  readonly status: BacktestStatus;
  readonly progress: number;
  readonly results: unknown;
  readonly error: string | null;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
}

const COLUMNS = `id, fund_id AS "fundId", params, status, progress, results, error, created_at AS "createdAt",
  started_at AS "startedAt", finished_at AS "finishedAt"`;

export class BacktestsRepo {
  constructor(private readonly db: Db) {}

  async create(b: { id: string; fundId: string | null; params: Record<string, unknown>; createdAt: string }): Promise<void> {
    await this.db.query(
      `INSERT INTO backtests (id, fund_id, params, status, created_at) VALUES ($1, $2, $3::jsonb, 'QUEUED', $4)`,
      [b.id, b.fundId, json(b.params), b.createdAt],
    );
  }

  /** Updates status/progress/results; sets started_at on RUNNING and finished_at on a terminal status. */
  async update(id: string, u: { status?: BacktestStatus; progress?: number; results?: unknown; error?: string; at: string }): Promise<void> {
    const r = await this.db.query(
      `UPDATE backtests SET status = coalesce($2, status), progress = coalesce($3, progress),
         results = CASE WHEN $4::boolean THEN $5::jsonb ELSE results END, error = coalesce($6, error),
         started_at = CASE WHEN $2 = 'RUNNING' THEN coalesce(started_at, $7) ELSE started_at END,
         finished_at = CASE WHEN $2 IN ('COMPLETED', 'FAILED', 'CANCELLED') THEN $7 ELSE finished_at END
       WHERE id = $1`,
      [id, u.status ?? null, u.progress ?? null, u.results !== undefined, json(u.results), u.error ?? null, u.at],
    );
    if (r.rowCount === 0) throw new KeelError('KEEL_E_NOT_FOUND', `backtest ${id} does not exist`);
  }

  async get(id: string): Promise<BacktestRun | undefined> {
    return (await this.db.query<BacktestRun>(`SELECT ${COLUMNS} FROM backtests WHERE id = $1`, [id])).rows[0];
  }

  /**
   * Backtests, newest first; only those of `fundId` and in `status` when given. `withResults:
   * false` leaves the (large) results out (`results` is null).
   */
  async list(limit = 50, q: { fundId?: string; status?: BacktestStatus; withResults?: boolean } = {}): Promise<BacktestRun[]> {
    const columns = q.withResults === false ? COLUMNS.replace('results,', 'NULL::jsonb AS results,') : COLUMNS;
    const r = await this.db.query<BacktestRun>(
      `SELECT ${columns} FROM backtests WHERE ($2::text IS NULL OR fund_id = $2) AND ($3::text IS NULL OR status = $3)
       ORDER BY created_at DESC, id LIMIT $1`,
      [limit, q.fundId ?? null, q.status ?? null],
    );
    return r.rows;
  }
}
