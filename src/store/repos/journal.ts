import type { Db } from '../db.ts';
import { json } from './rows.ts';

/** A decision-journal entry (PMS): why a trade, override or change was made. */
export interface JournalEntry {
  readonly fundId: string;
  readonly at: string;
  readonly author: string;
  /** e.g. NOTE, TRADE_RATIONALE, OVERRIDE, POST_MORTEM. */
  readonly kind: string;
  readonly title: string;
  readonly body: string;
  readonly tags: readonly string[];
  /** Links to other records, e.g. `{ orderId, proposalId }`. */
  readonly refs: Record<string, unknown>;
}

export class JournalRepo {
  constructor(private readonly db: Db) {}

  /** Returns the new entry's id. */
  async add(e: JournalEntry): Promise<number> {
    const r = await this.db.query<{ id: number }>(
      `INSERT INTO journal (fund_id, at, author, kind, title, body, tags, refs)
       VALUES ($1, $2, $3, $4, $5, $6, $7::text[], $8::jsonb) RETURNING id`,
      [e.fundId, e.at, e.author, e.kind, e.title, e.body, [...e.tags], json(e.refs)],
    );
    return r.rows[0]?.id ?? 0;
  }

  /** Newest first, optionally with a tag. */
  async list(fundId: string, q: { tag?: string; limit?: number } = {}): Promise<(JournalEntry & { id: number })[]> {
    const r = await this.db.query<JournalEntry & { id: number }>(
      `SELECT id, fund_id AS "fundId", at, author, kind, title, body, tags, refs FROM journal
       WHERE fund_id = $1 AND ($2::text IS NULL OR $2 = ANY(tags)) ORDER BY at DESC, id DESC LIMIT $3`,
      [fundId, q.tag ?? null, q.limit ?? 100],
    );
    return r.rows;
  }
}
