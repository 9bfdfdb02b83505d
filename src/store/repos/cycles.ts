import { KeelError } from '../../core/index.ts';
import type { Db } from '../db.ts';
import { json } from './rows.ts';

export type CycleStatus = 'RUNNING' | 'COMPLETED' | 'FAILED';

/** One run of the fund cycle. `inputsHash` fingerprints its inputs (market view, state, config) for replay. */
export interface CycleRun {
  readonly id: string;
  readonly fundId: string;
  readonly asOf: string;
  /** backtest | paper | live. */
  readonly mode: string;
  readonly status: CycleStatus;
  readonly inputsHash: string;
  readonly configHash: string | null;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly summary: Record<string, unknown>;
  readonly error: string | null;
}

const COLUMNS = `id, fund_id AS "fundId", to_char(as_of, 'YYYY-MM-DD') AS "asOf", mode, status, inputs_hash AS "inputsHash",
  config_hash AS "configHash", started_at AS "startedAt", finished_at AS "finishedAt", summary, error`;

export class CyclesRepo {
  constructor(private readonly db: Db) {}

  async start(c: Pick<CycleRun, 'id' | 'fundId' | 'asOf' | 'mode' | 'inputsHash' | 'configHash' | 'startedAt'>): Promise<void> {
    await this.db.query(
      `INSERT INTO cycles (id, fund_id, as_of, mode, status, inputs_hash, config_hash, started_at)
       VALUES ($1, $2, $3, $4, 'RUNNING', $5, $6, $7)`,
      [c.id, c.fundId, c.asOf, c.mode, c.inputsHash, c.configHash, c.startedAt],
    );
  }

  /** Closes a RUNNING cycle as COMPLETED or FAILED. */
  async finish(id: string, f: { status: 'COMPLETED' | 'FAILED'; finishedAt: string; summary?: Record<string, unknown>; error?: string }): Promise<void> {
    const r = await this.db.query(
      `UPDATE cycles SET status = $2, finished_at = $3, summary = $4::jsonb, error = $5 WHERE id = $1 AND status = 'RUNNING'`,
      [id, f.status, f.finishedAt, json(f.summary ?? {}), f.error ?? null],
    );
    if (r.rowCount === 0) throw new KeelError('KEEL_E_NOT_FOUND', `no RUNNING cycle ${id}`);
  }

  async get(id: string): Promise<CycleRun | undefined> {
    return (await this.db.query<CycleRun>(`SELECT ${COLUMNS} FROM cycles WHERE id = $1`, [id])).rows[0];
  }

  /** The config hash each of these cycles of a fund ran with (cycles without one, or not found, are left out). */
  async configHashes(fundId: string, ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const r = await this.db.query<{ id: string; configHash: string }>(
      `SELECT id, config_hash AS "configHash" FROM cycles WHERE fund_id = $1 AND id = ANY($2::text[]) AND config_hash IS NOT NULL`,
      [fundId, [...ids]],
    );
    return new Map(r.rows.map((x) => [x.id, x.configHash]));
  }

  /** Newest first. */
  async list(fundId: string, limit = 50): Promise<CycleRun[]> {
    const r = await this.db.query<CycleRun>(
      `SELECT ${COLUMNS} FROM cycles WHERE fund_id = $1 ORDER BY started_at DESC, id DESC LIMIT $2`,
      [fundId, limit],
    );
    return r.rows;
  }
}
