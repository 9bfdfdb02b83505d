import { ensureDefined, sha256Hex } from '../../core/index.ts';
import type { Db } from '../db.ts';

/** A user of the API. Only the SHA-256 of the API key is stored. */
export interface User {
  readonly id: string;
  readonly name: string;
  /** e.g. admin, pm, risk, viewer (the API layer defines what each may do). */
  readonly role: string;
  /** Funds the user may act on; empty = none. */
  readonly fundIds: readonly string[];
  readonly createdAt: string;
  readonly disabledAt: string | null;
}

const COLUMNS = `id, name, role, fund_ids AS "fundIds", created_at AS "createdAt", disabled_at AS "disabledAt"`;

/** The stored form of an API key. */
export const hashApiKey = (key: string): string => sha256Hex(`keel-api-key:${key}`);

export class UsersRepo {
  constructor(private readonly db: Db) {}

  /** Creates a user holding `apiKey` (hashed here; the caller shows the plain key once). */
  async create(u: { id: string; name: string; role: string; fundIds: readonly string[]; apiKey: string; createdAt: string }): Promise<User> {
    const r = await this.db.query<User>(
      `INSERT INTO users (id, name, role, api_key_hash, fund_ids, created_at) VALUES ($1, $2, $3, $4, $5::text[], $6)
       RETURNING ${COLUMNS}`,
      [u.id, u.name, u.role, hashApiKey(u.apiKey), [...u.fundIds], u.createdAt],
    );
    return ensureDefined(r.rows[0], 'the inserted user row');
  }

  /** The enabled user holding this API key, if any. */
  async findByApiKey(apiKey: string): Promise<User | undefined> {
    const r = await this.db.query<User>(
      `SELECT ${COLUMNS} FROM users WHERE api_key_hash = $1 AND disabled_at IS NULL`,
      [hashApiKey(apiKey)],
    );
    return r.rows[0];
  }

  async rotateApiKey(id: string, apiKey: string): Promise<boolean> {
    const r = await this.db.query('UPDATE users SET api_key_hash = $2 WHERE id = $1', [id, hashApiKey(apiKey)]);
    return r.rowCount === 1;
  }

  async disable(id: string, at: string): Promise<boolean> {
    const r = await this.db.query('UPDATE users SET disabled_at = $2 WHERE id = $1 AND disabled_at IS NULL', [id, at]);
    return r.rowCount === 1;
  }

  async list(): Promise<User[]> {
    return (await this.db.query<User>(`SELECT ${COLUMNS} FROM users ORDER BY name`)).rows;
  }
}
