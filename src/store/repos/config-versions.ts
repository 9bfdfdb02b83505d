import { KeelError } from '../../core/index.ts';
import type { Db } from '../db.ts';
import { json } from './rows.ts';

/** A stored fund configuration, keyed by its hash (contracts `configHash`). */
export interface ConfigVersion {
  readonly hash: string;
  readonly fundId: string;
  readonly config: unknown;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly approved: boolean;
  readonly approvedBy: string | null;
  readonly approvedAt: string | null;
  readonly note: string;
}

const COLUMNS = `hash, fund_id AS "fundId", config, created_at AS "createdAt", created_by AS "createdBy", approved,
  approved_by AS "approvedBy", approved_at AS "approvedAt", note`;

/** Config versions and their approval (live cycles run only on an approved hash). */
export class ConfigVersionsRepo {
  constructor(private readonly db: Db) {}

  /** Saves a config under its hash; saving the same hash again is a no-op. Returns true when new. */
  async save(v: { hash: string; fundId: string; config: unknown; createdAt: string; createdBy: string; note?: string }): Promise<boolean> {
    const r = await this.db.query(
      `INSERT INTO config_versions (hash, fund_id, config, created_at, created_by, note)
       VALUES ($1, $2, $3::jsonb, $4, $5, $6) ON CONFLICT (hash) DO NOTHING`,
      [v.hash, v.fundId, json(v.config), v.createdAt, v.createdBy, v.note ?? ''],
    );
    return r.rowCount === 1;
  }

  /** Approves a saved hash. Throws KEEL_E_NOT_FOUND for an unknown hash; approving twice keeps the first approval. */
  async approve(hash: string, by: string, at: string): Promise<void> {
    const r = await this.db.query(
      `UPDATE config_versions SET approved = TRUE, approved_by = coalesce(approved_by, $2),
         approved_at = coalesce(approved_at, $3) WHERE hash = $1`,
      [hash, by, at],
    );
    if (r.rowCount === 0) throw new KeelError('KEEL_E_NOT_FOUND', `config version ${hash} was never saved; save it before approving`);
  }

  async isApproved(hash: string): Promise<boolean> {
    const r = await this.db.query<{ approved: boolean }>('SELECT approved FROM config_versions WHERE hash = $1', [hash]);
    return r.rows[0]?.approved === true;
  }

  async get(hash: string): Promise<ConfigVersion | undefined> {
    const r = await this.db.query<ConfigVersion>(`SELECT ${COLUMNS} FROM config_versions WHERE hash = $1`, [hash]);
    return r.rows[0];
  }

  /** Versions of a fund, newest first. */
  async list(fundId: string): Promise<ConfigVersion[]> {
    const r = await this.db.query<ConfigVersion>(
      `SELECT ${COLUMNS} FROM config_versions WHERE fund_id = $1 ORDER BY created_at DESC, hash`,
      [fundId],
    );
    return r.rows;
  }
}
