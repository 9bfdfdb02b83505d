import { Alert } from '../../contracts/index.ts';
import type { Db } from '../db.ts';
import { json, parseRow } from './rows.ts';

const COLUMNS = `1 AS version, id, trace_id AS "traceId", fund_id AS "fundId", severity, category, title, message,
  dedup_key AS "dedupKey", timestamp, context`;

/** A stored alert with its acknowledgement (null fields: not acknowledged). Times ISO-8601 UTC. */
export interface AlertAcknowledgement {
  readonly id: string;
  readonly traceId: string;
  readonly severity: string;
  readonly category: string;
  readonly title: string;
  readonly dedupKey: string;
  readonly timestamp: string;
  readonly acknowledgedAt: string | null;
  readonly acknowledgedBy: string | null;
}

/** An alert as stored, with its acknowledgement (null: not acknowledged; ISO-8601 UTC). */
export type StoredAlert = Alert & { readonly acknowledgedAt: string | null; readonly acknowledgedBy: string | null };

const ACK_COLUMNS = `${COLUMNS}, acknowledged_at AS "acknowledgedAt", acknowledged_by AS "acknowledgedBy"`;

function storedAlert(row: Record<string, unknown>): StoredAlert {
  const at = row['acknowledgedAt'];
  const by = row['acknowledgedBy'];
  return { ...parseRow(Alert, row, 'alerts'), acknowledgedAt: typeof at === 'string' ? at : null, acknowledgedBy: typeof by === 'string' ? by : null };
}

/** Alerts (seed mini-quant-fund §9). Dedup inside a window is the caller's rule; `lastByDedupKey` supports it. */
export class AlertsRepo {
  constructor(private readonly db: Db) {}

  /** Returns true when the alert id was new. */
  async insert(a: Alert): Promise<boolean> {
    const r = await this.db.query(
      `INSERT INTO alerts (id, trace_id, fund_id, severity, category, title, message, dedup_key, timestamp, context)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10::jsonb) ON CONFLICT (id) DO NOTHING`,
      [a.id, a.traceId, a.fundId, a.severity, a.category, a.title, a.message, a.dedupKey, a.timestamp, json(a.context)],
    );
    return r.rowCount === 1;
  }

  /** The newest alert with this dedup key at or after `since` (ISO time). */
  async lastByDedupKey(dedupKey: string, since: string): Promise<Alert | undefined> {
    const r = await this.db.query(
      `SELECT ${COLUMNS} FROM alerts WHERE dedup_key = $1 AND timestamp >= $2 ORDER BY timestamp DESC LIMIT 1`,
      [dedupKey, since],
    );
    const row = r.rows[0];
    return row === undefined ? undefined : parseRow(Alert, row, 'alerts');
  }

  /** Newest first; `unacknowledgedOnly` hides acknowledged alerts. */
  async list(q: { fundId?: string; unacknowledgedOnly?: boolean; limit?: number } = {}): Promise<Alert[]> {
    const r = await this.db.query(
      `SELECT ${COLUMNS} FROM alerts WHERE ($1::text IS NULL OR fund_id = $1)
         AND (NOT $2::boolean OR acknowledged_at IS NULL) ORDER BY timestamp DESC, id LIMIT $3`,
      [q.fundId ?? null, q.unacknowledgedOnly ?? false, q.limit ?? 100],
    );
    return r.rows.map((row) => parseRow(Alert, row, 'alerts'));
  }

  /** One alert with its acknowledgement, or undefined. */
  async get(id: string): Promise<StoredAlert | undefined> {
    const row = (await this.db.query<Record<string, unknown>>(`SELECT ${ACK_COLUMNS} FROM alerts WHERE id = $1`, [id])).rows[0];
    return row === undefined ? undefined : storedAlert(row);
  }

  /** A fund's own alerts (not the fund-wide ones) with their acknowledgement, newest first; optionally unacknowledged only, of one category. */
  async listForFund(fundId: string, q: { unacknowledgedOnly?: boolean; category?: string; limit?: number } = {}): Promise<StoredAlert[]> {
    const r = await this.db.query<Record<string, unknown>>(
      `SELECT ${ACK_COLUMNS} FROM alerts WHERE fund_id = $1 AND (NOT $2::boolean OR acknowledged_at IS NULL)
         AND ($3::text IS NULL OR category = $3) ORDER BY timestamp DESC, id LIMIT $4`,
      [fundId, q.unacknowledgedOnly ?? false, q.category ?? null, q.limit ?? 100],
    );
    return r.rows.map(storedAlert);
  }

  /** Marks an alert seen; returns false when it does not exist or was already acknowledged. */
  async acknowledge(id: string, by: string, at: string): Promise<boolean> {
    const r = await this.db.query(
      'UPDATE alerts SET acknowledged_at = $3, acknowledged_by = $2 WHERE id = $1 AND acknowledged_at IS NULL',
      [id, by, at],
    );
    return r.rowCount === 1;
  }

  /** A fund's alerts of one category with their acknowledgement, oldest first (at most `limit`, the newest kept). */
  async withAcknowledgement(fundId: string, category: string, limit = 5000): Promise<AlertAcknowledgement[]> {
    const r = await this.db.query<AlertAcknowledgement>(
      `SELECT * FROM (SELECT id, trace_id AS "traceId", severity, category, title, dedup_key AS "dedupKey", timestamp,
         acknowledged_at AS "acknowledgedAt", acknowledged_by AS "acknowledgedBy"
       FROM alerts WHERE fund_id = $1 AND category = $2 ORDER BY timestamp DESC, id LIMIT $3) a ORDER BY timestamp, id`,
      [fundId, category, limit],
    );
    return r.rows;
  }
}
