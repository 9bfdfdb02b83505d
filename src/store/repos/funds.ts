import type { AgentState, TradingState } from '../../contracts/index.ts';
import { KeelError } from '../../core/index.ts';
import type { Db } from '../db.ts';
import { json } from './rows.ts';



/** A fund. Money in dollars (to the cent). */
export interface FundRow {
  readonly id: string;
  readonly name: string;
  readonly baseCurrency: string;
  readonly initialCapital: number;
  readonly tradingState: TradingState;
  readonly drawdownState: string;
  readonly highWaterMark: number | null;
  readonly hwmDate: string | null;
  readonly configHash: string | null;
}

/** An agent's persistent state in a fund: risk params, bucket, drawdown state, high-water mark. */
export interface AgentRow {
  readonly fundId: string;
  readonly id: string;
  readonly strategy: string;
  readonly bucket: string;
  readonly riskDrivers: readonly string[];
  readonly allocatedCapital: number;
  readonly riskParams: Record<string, unknown>;
  readonly drawdownState: AgentState;
  readonly highWaterMark: number | null;
  readonly hwmDate: string | null;
  readonly isEnabled: boolean;
  /** Latest risk-adjusted scores (sortino, calmar, information ratio, …). */
  readonly metrics: Record<string, unknown>;
}

const FUND_COLUMNS = `id, name, base_currency AS "baseCurrency", initial_capital AS "initialCapital",
  trading_state AS "tradingState", drawdown_state AS "drawdownState", high_water_mark AS "highWaterMark",
  to_char(hwm_date, 'YYYY-MM-DD') AS "hwmDate", config_hash AS "configHash"`;
const AGENT_COLUMNS = `fund_id AS "fundId", id, strategy, bucket, risk_drivers AS "riskDrivers",
  allocated_capital AS "allocatedCapital", risk_params AS "riskParams", drawdown_state AS "drawdownState",
  high_water_mark AS "highWaterMark", to_char(hwm_date, 'YYYY-MM-DD') AS "hwmDate", is_enabled AS "isEnabled", metrics`;

/** Funds and their agents. */
export class FundsRepo {
  constructor(private readonly db: Db) {}

  /** Inserts or replaces a fund by id. */
  async upsert(f: FundRow): Promise<void> {
    await this.db.query(
      `INSERT INTO funds (id, name, base_currency, initial_capital, trading_state, drawdown_state, high_water_mark,
         hwm_date, config_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, base_currency = EXCLUDED.base_currency,
         initial_capital = EXCLUDED.initial_capital, trading_state = EXCLUDED.trading_state,
         drawdown_state = EXCLUDED.drawdown_state, high_water_mark = EXCLUDED.high_water_mark,
         hwm_date = EXCLUDED.hwm_date, config_hash = EXCLUDED.config_hash, updated_at = now()`,
      [f.id, f.name, f.baseCurrency, f.initialCapital, f.tradingState, f.drawdownState, f.highWaterMark, f.hwmDate,
        f.configHash],
    );
  }

  async get(id: string): Promise<FundRow | undefined> {
    return (await this.db.query<FundRow>(`SELECT ${FUND_COLUMNS} FROM funds WHERE id = $1`, [id])).rows[0];
  }

  async list(): Promise<FundRow[]> {
    return (await this.db.query<FundRow>(`SELECT ${FUND_COLUMNS} FROM funds ORDER BY id`)).rows;
  }

  async setTradingState(id: string, state: TradingState): Promise<void> {
    const r = await this.db.query('UPDATE funds SET trading_state = $2, updated_at = now() WHERE id = $1', [id, state]);
    if (r.rowCount === 0) throw new KeelError('KEEL_E_NOT_FOUND', `fund ${id} does not exist`);
  }

  /** Records the fund's drawdown step and high-water mark after a cycle (the overlay's fund track). */
  async setFundDrawdown(id: string, s: { state: AgentState; highWaterMark: number; hwmDate: string }): Promise<void> {
    const r = await this.db.query('UPDATE funds SET drawdown_state = $2, high_water_mark = $3, hwm_date = $4, updated_at = now() WHERE id = $1', [id, s.state, s.highWaterMark, s.hwmDate]);
    if (r.rowCount === 0) throw new KeelError('KEEL_E_NOT_FOUND', `fund ${id} does not exist`);
  }

  /** Inserts or replaces agents by (fund, id). */
  async upsertAgents(agents: readonly AgentRow[]): Promise<void> {
    if (agents.length === 0) return;
    await this.db.query(
      `INSERT INTO agents (fund_id, id, strategy, bucket, risk_drivers, allocated_capital, risk_params, drawdown_state,
         high_water_mark, hwm_date, is_enabled, metrics)
       SELECT x."fundId", x.id, x.strategy, x.bucket, ARRAY(SELECT jsonb_array_elements_text(x."riskDrivers")),
         x."allocatedCapital", x."riskParams", x."drawdownState", x."highWaterMark", x."hwmDate", x."isEnabled", x.metrics
       FROM jsonb_to_recordset($1::jsonb) AS x("fundId" text, id text, strategy text, bucket text, "riskDrivers" jsonb,
         "allocatedCapital" numeric, "riskParams" jsonb, "drawdownState" text, "highWaterMark" numeric, "hwmDate" date,
         "isEnabled" boolean, metrics jsonb)
       ON CONFLICT (fund_id, id) DO UPDATE SET strategy = EXCLUDED.strategy, bucket = EXCLUDED.bucket,
         risk_drivers = EXCLUDED.risk_drivers, allocated_capital = EXCLUDED.allocated_capital,
         risk_params = EXCLUDED.risk_params, drawdown_state = EXCLUDED.drawdown_state,
         high_water_mark = EXCLUDED.high_water_mark, hwm_date = EXCLUDED.hwm_date, is_enabled = EXCLUDED.is_enabled,
         metrics = EXCLUDED.metrics, updated_at = now()`,
      [json(agents)],
    );
  }

  async agents(fundId: string): Promise<AgentRow[]> {
    return (await this.db.query<AgentRow>(`SELECT ${AGENT_COLUMNS} FROM agents WHERE fund_id = $1 ORDER BY id`, [fundId])).rows;
  }

  /** Records an agent's drawdown state and high-water mark after a cycle. */
  async setAgentDrawdown(fundId: string, agentId: string, s: { state: AgentState; highWaterMark: number; hwmDate: string }): Promise<void> {
    const r = await this.db.query(
      `UPDATE agents SET drawdown_state = $3, high_water_mark = $4, hwm_date = $5, updated_at = now()
       WHERE fund_id = $1 AND id = $2`,
      [fundId, agentId, s.state, s.highWaterMark, s.hwmDate],
    );
    if (r.rowCount === 0) throw new KeelError('KEEL_E_NOT_FOUND', `agent ${agentId} of fund ${fundId} does not exist`);
  }
}
