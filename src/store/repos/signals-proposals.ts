import { z } from 'zod';
import { AgentProposal, ProposalEvent, ProposalStatus, ProposalTicket, Signal } from '../../contracts/index.ts';
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

  /**
   * Each agent's latest signals: those of the most recent completed cycle of the fund (as of
   * `asOf` or earlier, when given) in which the agent signalled anything, strongest first
   * (|mu / sigma|, 0 when sigma is 0; then symbol), at most `perAgent` per agent. Agents are
   * returned in the order given; one with no stored signal has none.
   */
  async latestByAgent(fundId: string, agentIds: readonly string[], o: { readonly asOf?: string | null; readonly perAgent: number }): Promise<Signal[]> {
    if (agentIds.length === 0) return [];
    const r = await this.db.query(
      `WITH agents AS (SELECT agent_id, ord FROM unnest($2::text[]) WITH ORDINALITY AS a(agent_id, ord)),
       latest AS (
         SELECT a.agent_id, a.ord, (
           SELECT c.id FROM cycles c
           WHERE c.fund_id = $1 AND c.status = 'COMPLETED' AND ($3::date IS NULL OR c.as_of <= $3::date)
             AND EXISTS (SELECT 1 FROM signals x WHERE x.cycle_id = c.id AND x.agent_id = a.agent_id)
           ORDER BY c.as_of DESC, c.started_at DESC, c.id DESC LIMIT 1) AS cycle_id
         FROM agents a),
       ranked AS (
         SELECT s.*, l.ord, row_number() OVER (PARTITION BY s.agent_id
           ORDER BY CASE WHEN s.sigma > 0 THEN abs(s.mu / s.sigma) ELSE 0 END DESC, s.symbol) AS rank
         FROM signals s JOIN latest l ON l.cycle_id = s.cycle_id AND l.agent_id = s.agent_id)
       SELECT 1 AS version, trace_id AS "traceId", symbol, mu, sigma, horizon_days AS "horizonDays", confidence, regime,
         agent_id AS "agentId", model_version AS "modelVersion", to_char(as_of, 'YYYY-MM-DD') AS "asOf"
       FROM ranked WHERE rank <= $4 ORDER BY ord, rank`,
      [fundId, [...agentIds], o.asOf ?? null, o.perAgent],
    );
    return r.rows.map((row) => parseRow(Signal, row, 'signals'));
  }
}

/**
 * A stored proposal and its human-approval workflow state (PMS semantics in src/pms). `size` is a
 * multiplier on the proposal as generated; `limitPrice` dollars; times ISO-8601 UTC.
 */
export interface StoredProposal {
  readonly id: string;
  readonly fundId: string;
  readonly status: ProposalStatus;
  /** The agent's proposal as reviewed (for a discretionary ticket: the book after the ticket). */
  readonly proposal: AgentProposal;
  /** The overlay decision it came from (null for a discretionary ticket). */
  readonly decisionId: string | null;
  readonly ticket: ProposalTicket | null;
  readonly size: number;
  readonly limitPrice: number | null;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly rationale: string;
  readonly history: ProposalEvent[];
  readonly orderIds: string[];
  readonly fillIds: string[];
  /** The last decision's author and time (null while untouched). */
  readonly decidedBy: string | null;
  readonly decidedAt: string | null;
  readonly executedAt: string | null;
  readonly note: string | null;
}

/** A proposal to store: defaults PENDING_APPROVAL, size 1, no limit, created now by `system`, empty history. */
export interface NewProposal {
  readonly id: string;
  readonly fundId: string;
  readonly proposal: AgentProposal;
  readonly expiresAt: string;
  readonly status?: ProposalStatus;
  readonly decisionId?: string | null;
  readonly ticket?: ProposalTicket | null;
  readonly size?: number;
  readonly limitPrice?: number | null;
  readonly createdBy?: string;
  readonly createdAt?: string;
  readonly rationale?: string;
  readonly history?: readonly ProposalEvent[];
}

/** The workflow state a decision (or execution) writes, compare-and-set on `from`. */
export interface ProposalUpdate {
  readonly from: ProposalStatus;
  readonly status: ProposalStatus;
  readonly size: number;
  readonly limitPrice: number | null;
  readonly history: readonly ProposalEvent[];
  readonly orderIds: readonly string[];
  readonly fillIds: readonly string[];
  readonly decidedBy: string;
  readonly decidedAt: string;
  readonly executedAt?: string | null;
}

const PROPOSAL_COLUMNS = `id, fund_id AS "fundId", status, payload, decision_id AS "decisionId", ticket, size,
  limit_price AS "limitPrice", created_by AS "createdBy", created_at AS "createdAt", expires_at AS "expiresAt", rationale,
  history, order_ids AS "orderIds", fill_ids AS "fillIds", decided_by AS "decidedBy", decided_at AS "decidedAt",
  executed_at AS "executedAt", note`;

const ProposalRow = z.object({
  id: z.string(),
  fundId: z.string(),
  status: ProposalStatus,
  payload: AgentProposal,
  decisionId: z.string().nullable(),
  ticket: ProposalTicket.nullable(),
  size: z.number(),
  limitPrice: z.number().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  rationale: z.string(),
  history: z.array(ProposalEvent),
  orderIds: z.array(z.string()),
  fillIds: z.array(z.string()),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  executedAt: z.string().nullable(),
  note: z.string().nullable(),
});

function toStored(row: unknown): StoredProposal {
  const { payload, ...rest } = parseRow(ProposalRow, row, 'proposals');
  return { ...rest, proposal: payload };
}

/** Agent proposals and the human approval workflow, one row per proposal. */
export class ProposalsRepo {
  constructor(private readonly db: Db) {}

  async insert(p: NewProposal): Promise<void> {
    await this.db.query(
      `INSERT INTO proposals (id, fund_id, cycle_id, agent_id, as_of, status, payload, decision_id, ticket, size, limit_price,
         created_by, created_at, expires_at, rationale, history)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9::jsonb, $10, $11, $12, coalesce($13::timestamptz, now()), $14, $15, $16::jsonb)`,
      [
        p.id, p.fundId, p.proposal.cycleId, p.proposal.agentId, p.proposal.asOf, p.status ?? 'PENDING_APPROVAL', json(p.proposal),
        p.decisionId ?? null, p.ticket ? json(p.ticket) : null, p.size ?? 1, p.limitPrice ?? null, p.createdBy ?? 'system',
        p.createdAt ?? null, p.expiresAt, p.rationale ?? p.proposal.reasoning, json(p.history ?? []),
      ],
    );
  }

  /**
   * Writes a proposal's next workflow state if it is still in `u.from` (compare-and-set), so two
   * deciders cannot both win; throws KEEL_E_ILLEGAL_TRANSITION when it moved on.
   */
  async update(id: string, u: ProposalUpdate): Promise<void> {
    const r = await this.db.query(
      `UPDATE proposals SET status = $3, size = $4, limit_price = $5, history = $6::jsonb, order_ids = $7::text[],
         fill_ids = $8::text[], decided_by = $9, decided_at = $10, executed_at = coalesce($11::timestamptz, executed_at)
       WHERE id = $1 AND status = $2`,
      [id, u.from, u.status, u.size, u.limitPrice, json(u.history), [...u.orderIds], [...u.fillIds], u.decidedBy, u.decidedAt, u.executedAt ?? null],
    );
    if (r.rowCount === 0) throw new KeelError('KEEL_E_ILLEGAL_TRANSITION', `proposal ${id} is not ${u.from}`, { id, from: u.from, to: u.status });
  }

  /**
   * One proposal of the fund (undefined when absent or another fund's). `forUpdate` locks the row
   * until the surrounding transaction ends, so two executions of one proposal run one after the other.
   */
  async get(fundId: string, id: string, opts: { forUpdate?: boolean } = {}): Promise<StoredProposal | undefined> {
    const r = await this.db.query(
      `SELECT ${PROPOSAL_COLUMNS} FROM proposals WHERE fund_id = $1 AND id = $2${opts.forUpdate === true ? ' FOR UPDATE' : ''}`,
      [fundId, id],
    );
    const row = r.rows[0];
    return row === undefined ? undefined : toStored(row);
  }

  /** The fund's proposals, oldest first, optionally only those in one of `statuses`. */
  async list(fundId: string, opts: { statuses?: readonly ProposalStatus[] } = {}): Promise<StoredProposal[]> {
    const r = await this.db.query(
      `SELECT ${PROPOSAL_COLUMNS} FROM proposals WHERE fund_id = $1 AND ($2::text[] IS NULL OR status = ANY($2::text[]))
       ORDER BY created_at, id`,
      [fundId, opts.statuses ? [...opts.statuses] : null],
    );
    return r.rows.map(toStored);
  }
}
