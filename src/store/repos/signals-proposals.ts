import { AgentProposal, Signal } from '../../contracts/index.ts';
import { KeelError } from '../../core/index.ts';
import type { Db } from '../db.ts';
import { json, parseRow } from './rows.ts';

/** Signals, written in bulk per cycle. */
export class SignalsRepo {
  constructor(private readonly db: Db) {}

  async insertMany(cycleId: string, signals: readonly Signal[]): Promise<number> {
    if (signals.length === 0) return 0;
    const r = await this.db.query(
      `INSERT INTO signals (cycle_id, trace_id, agent_id, symbol, as_of, mu, sigma, horizon_days, confidence, regime, model_version)
       SELECT $2, x."traceId", x."agentId", x.symbol, x."asOf", x.mu, x.sigma, x."horizonDays", x.confidence, x.regime,
         x."modelVersion"
       FROM jsonb_to_recordset($1::jsonb) AS x("traceId" text, "agentId" text, symbol text, "asOf" date, mu float8,
         sigma float8, "horizonDays" float8, confidence float8, regime text, "modelVersion" text)`,
      [json(signals), cycleId],
    );
    return r.rowCount;
  }

  async listByCycle(cycleId: string): Promise<Signal[]> {
    const r = await this.db.query(
      `SELECT 1 AS version, trace_id AS "traceId", symbol, mu, sigma, horizon_days AS "horizonDays", confidence, regime,
         agent_id AS "agentId", model_version AS "modelVersion", to_char(as_of, 'YYYY-MM-DD') AS "asOf"
       FROM signals WHERE cycle_id = $1 ORDER BY id`,
      [cycleId],
    );
    return r.rows.map((row) => parseRow(Signal, row, 'signals'));
  }
}

/** A stored proposal with its approval-workflow status. */
export interface StoredProposal {
  readonly id: string;
  readonly fundId: string;
  /** PENDING until a person or rule decides (e.g. APPROVED, REJECTED, MODIFIED, EXECUTED, EXPIRED). */
  readonly status: string;
  readonly proposal: AgentProposal;
  readonly decidedBy: string | null;
  readonly decidedAt: string | null;
  readonly note: string | null;
}

const PROPOSAL_COLUMNS = `id, fund_id AS "fundId", status, payload, decided_by AS "decidedBy", decided_at AS "decidedAt", note`;

/** Agent proposals and the human approval workflow. */
export class ProposalsRepo {
  constructor(private readonly db: Db) {}

  async insert(id: string, fundId: string, p: AgentProposal): Promise<void> {
    await this.db.query(
      `INSERT INTO proposals (id, fund_id, cycle_id, agent_id, as_of, status, payload)
       VALUES ($1, $2, $3, $4, $5, 'PENDING', $6::jsonb)`,
      [id, fundId, p.cycleId, p.agentId, p.asOf, json(p)],
    );
  }

  /** Moves a proposal from `from` to `to` (compare-and-set); throws when it is not in `from`. */
  async decide(id: string, d: { from: string; to: string; by: string; at: string; note?: string }): Promise<void> {
    const r = await this.db.query(
      `UPDATE proposals SET status = $3, decided_by = $4, decided_at = $5, note = $6 WHERE id = $1 AND status = $2`,
      [id, d.from, d.to, d.by, d.at, d.note ?? null],
    );
    if (r.rowCount === 0) throw new KeelError('KEEL_E_ILLEGAL_TRANSITION', `proposal ${id} is not ${d.from}`, { id, ...d });
  }

  /**
   * One proposal of the fund (undefined when absent or another fund's). `forUpdate` locks the row
   * until the surrounding transaction ends, so two executions of one proposal run one after the other.
   */
  async get(fundId: string, id: string, opts: { forUpdate?: boolean } = {}): Promise<StoredProposal | undefined> {
    const r = await this.db.query<Omit<StoredProposal, 'proposal'> & { payload: unknown }>(
      `SELECT ${PROPOSAL_COLUMNS} FROM proposals WHERE fund_id = $1 AND id = $2${opts.forUpdate === true ? ' FOR UPDATE' : ''}`,
      [fundId, id],
    );
    const row = r.rows[0];
    if (row === undefined) return undefined;
    const { payload, ...rest } = row;
    return { ...rest, proposal: parseRow(AgentProposal, payload, 'proposals') };
  }

  async list(fundId: string, status?: string): Promise<StoredProposal[]> {
    const r = await this.db.query<Omit<StoredProposal, 'proposal'> & { payload: unknown }>(
      `SELECT ${PROPOSAL_COLUMNS} FROM proposals WHERE fund_id = $1 AND ($2::text IS NULL OR status = $2)
       ORDER BY created_at, id`,
      [fundId, status ?? null],
    );
    return r.rows.map(({ payload, ...rest }) => ({ ...rest, proposal: parseRow(AgentProposal, payload, 'proposals') }));
  }
}
