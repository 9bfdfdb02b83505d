import { InvariantError } from '../../core/index.ts';
import type { Db } from '../db.ts';

/** One cash movement. `amountCents` integer cents, signed (+ in, − out). `agentId` '' = fund level. */
export interface CashEntry {
  readonly fundId: string;
  readonly agentId: string;
  readonly at: string;
  /** e.g. DEPOSIT, WITHDRAWAL, TRADE, COMMISSION, DIVIDEND, FEE, INTEREST, ADJUSTMENT. */
  readonly kind: string;
  readonly amountCents: number;
  /** What caused it (fill id, …). */
  readonly ref: string | null;
  readonly note: string;
}

/** The cash ledger: append-only, exact integer cents. */
export class CashLedgerRepo {
  constructor(private readonly db: Db) {}

  async append(entries: readonly CashEntry[]): Promise<void> {
    if (entries.length === 0) return;
    entries.forEach((e, i) => {
      if (!Number.isSafeInteger(e.amountCents)) {
        throw new InvariantError(`cash entry ${i}: amountCents ${e.amountCents} is not an integer number of cents`);
      }
    });
    await this.db.query(
      `INSERT INTO cash_ledger (fund_id, agent_id, at, kind, amount_cents, ref, note)
       SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::bigint[], $6::text[], $7::text[])`,
      [
        entries.map((e) => e.fundId),
        entries.map((e) => e.agentId),
        entries.map((e) => e.at),
        entries.map((e) => e.kind),
        entries.map((e) => e.amountCents),
        entries.map((e) => e.ref),
        entries.map((e) => e.note),
      ],
    );
  }

  /** Balance in integer cents, at or before `asOf` (ISO time) when given. Agent '' = fund-level cash. */
  async balanceCents(fundId: string, agentId: string, asOf?: string): Promise<number> {
    const r = await this.db.query<{ cents: number }>(
      `SELECT coalesce(sum(amount_cents), 0)::bigint AS cents FROM cash_ledger
       WHERE fund_id = $1 AND agent_id = $2 AND ($3::timestamptz IS NULL OR at <= $3)`,
      [fundId, agentId, asOf ?? null],
    );
    return r.rows[0]?.cents ?? 0;
  }

  async list(fundId: string, agentId?: string): Promise<CashEntry[]> {
    const r = await this.db.query<CashEntry>(
      `SELECT fund_id AS "fundId", agent_id AS "agentId", at, kind, amount_cents AS "amountCents", ref, note
       FROM cash_ledger WHERE fund_id = $1 AND ($2::text IS NULL OR agent_id = $2) ORDER BY at, id`,
      [fundId, agentId ?? null],
    );
    return r.rows;
  }
}
