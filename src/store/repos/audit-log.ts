import { canonicalJson, KeelError, sha256Hex } from '../../core/index.ts';
import type { Db } from '../db.ts';
import { json } from './rows.ts';

/** What happened, by whom, to what. `at` is an ISO-8601 time (stored to the millisecond). */
export interface AuditEntry {
  readonly at: string;
  readonly actor: string;
  /** Past tense, e.g. `ConfigApproved`, `CycleCompleted`, `OrderSubmitted`. */
  readonly action: string;
  readonly entity: string;
  readonly entityId: string;
  readonly payload: Record<string, unknown>;
}

/** A link of the chain: `hash = sha256(prevHash || canonicalJson({id, at, actor, action, entity, entityId, payload}))`. */
export interface AuditRow extends AuditEntry {
  readonly id: number;
  readonly prevHash: string;
  readonly hash: string;
}

export type AuditVerification =
  | { readonly ok: true; readonly rows: number }
  | { readonly ok: false; readonly firstBadId: number; readonly reason: string };

/** prev_hash of the first row. */
export const GENESIS_HASH = '0'.repeat(64);

/** The hash of one row given the previous row's hash. */
export function auditHash(prevHash: string, row: Omit<AuditRow, 'prevHash' | 'hash'>): string {
  const { id, at, actor, action, entity, entityId, payload } = row;
  return sha256Hex(prevHash + canonicalJson({ id, at, actor, action, entity, entityId, payload }));
}

const COLUMNS = `id, at, actor, action, entity, entity_id AS "entityId", payload, prev_hash AS "prevHash", hash`;
const PAGE = 5_000;

/** The audit log as a hash chain, with a head row that serialises appends and anchors the tail. */
export class AuditLogRepo {
  constructor(private readonly db: Db) {}

  /**
   * Appends one entry. Appends are serialised on the chain head (`SELECT … FOR UPDATE`), so
   * concurrent writers never fork the chain. Runs inside the caller's transaction when given one.
   */
  async append(entry: AuditEntry): Promise<AuditRow> {
    // Normalise to what the database gives back, so verify() recomputes the same hash.
    const at = new Date(entry.at).toISOString();
    const payload = JSON.parse(json(entry.payload)) as Record<string, unknown>;
    return this.db.transaction(async (tx) => {
      const head = await tx.query<{ lastId: number; lastHash: string }>(
        'SELECT last_id AS "lastId", last_hash AS "lastHash" FROM audit_head WHERE singleton FOR UPDATE',
      );
      const h = head.rows[0];
      if (h === undefined) throw new KeelError('KEEL_E_STORE', 'audit_head row is missing; the schema was altered by hand');
      const base = { id: h.lastId + 1, at, actor: entry.actor, action: entry.action, entity: entry.entity,
        entityId: entry.entityId, payload };
      const hash = auditHash(h.lastHash, base);
      await tx.query(
        `INSERT INTO audit_log (id, at, actor, action, entity, entity_id, payload, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9)`,
        [base.id, at, base.actor, base.action, base.entity, base.entityId, json(payload), h.lastHash, hash],
      );
      await tx.query('UPDATE audit_head SET last_id = $1, last_hash = $2 WHERE singleton', [base.id, hash]);
      return { ...base, prevHash: h.lastHash, hash };
    });
  }

  /**
   * Walks the chain from the first row and names the first row that does not verify: a
   * changed row (hash mismatch), a removed row (gap in ids / broken link), or a removed tail
   * (the head names a row that is gone).
   */
  async verify(): Promise<AuditVerification> {
    let prev = GENESIS_HASH;
    let expectId = 1;
    let rows = 0;
    for (;;) {
      const page = await this.db.query<AuditRow>(
        `SELECT ${COLUMNS} FROM audit_log WHERE id >= $1 ORDER BY id LIMIT $2`,
        [expectId, PAGE],
      );
      for (const r of page.rows) {
        if (r.id !== expectId) return { ok: false, firstBadId: expectId, reason: `row ${expectId} is missing (next is ${r.id})` };
        if (r.prevHash !== prev) return { ok: false, firstBadId: r.id, reason: `row ${r.id}: prev_hash does not link to row ${r.id - 1}` };
        if (auditHash(prev, r) !== r.hash) return { ok: false, firstBadId: r.id, reason: `row ${r.id}: content does not match its hash` };
        prev = r.hash;
        expectId += 1;
        rows += 1;
      }
      if (page.rows.length < PAGE) break;
    }
    const head = await this.db.query<{ lastId: number; lastHash: string }>(
      'SELECT last_id AS "lastId", last_hash AS "lastHash" FROM audit_head WHERE singleton',
    );
    const h = head.rows[0];
    if (h === undefined) return { ok: false, firstBadId: expectId, reason: 'audit_head row is missing' };
    if (h.lastId !== rows || h.lastHash !== prev) {
      return { ok: false, firstBadId: Math.min(expectId, h.lastId), reason: `chain ends at row ${rows} but the head names row ${h.lastId}` };
    }
    return { ok: true, rows };
  }

  /** Throws KEEL_E_AUDIT_TAMPERED naming the first bad row, else returns the row count. */
  async verifyOrThrow(): Promise<number> {
    const v = await this.verify();
    if (!v.ok) throw new KeelError('KEEL_E_AUDIT_TAMPERED', `audit log tampered at row ${v.firstBadId}: ${v.reason}`, { ...v });
    return v.rows;
  }

  /** Entries, newest first, optionally for one entity. */
  async list(filter: { entity?: string; entityId?: string; limit?: number } = {}): Promise<AuditRow[]> {
    const r = await this.db.query<AuditRow>(
      `SELECT ${COLUMNS} FROM audit_log WHERE ($1::text IS NULL OR entity = $1) AND ($2::text IS NULL OR entity_id = $2)
       ORDER BY id DESC LIMIT $3`,
      [filter.entity ?? null, filter.entityId ?? null, filter.limit ?? 100],
    );
    return r.rows;
  }
}
