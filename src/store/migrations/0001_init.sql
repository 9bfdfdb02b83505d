-- Keel schema, version 1. Money is NUMERIC (ledger amounts in cents as BIGINT), share
-- quantities NUMERIC(20,4), prices NUMERIC (exact as given), statistics DOUBLE PRECISION.
-- Migrations are additive: never edit this file once released; add 0002_… instead.

-- Market data ---------------------------------------------------------------------------
CREATE TABLE instruments (
  symbol       TEXT PRIMARY KEY,
  name         TEXT NOT NULL DEFAULT '',
  asset_class  TEXT NOT NULL DEFAULT 'equity',
  sector       TEXT,
  currency     CHAR(3) NOT NULL DEFAULT 'USD',
  lot_size     NUMERIC(20,4) NOT NULL DEFAULT 0,
  is_tradable  BOOLEAN NOT NULL DEFAULT TRUE,
  updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE bars (
  symbol  TEXT NOT NULL,
  date    DATE NOT NULL,
  open    NUMERIC NOT NULL,
  high    NUMERIC NOT NULL,
  low     NUMERIC NOT NULL,
  close   NUMERIC NOT NULL,
  volume  NUMERIC NOT NULL,
  PRIMARY KEY (symbol, date)
);

CREATE TABLE fundamentals (
  symbol               TEXT NOT NULL,
  period_end           DATE NOT NULL,
  release_time         TIMESTAMPTZ NOT NULL,
  eps                  DOUBLE PRECISION,
  revenue              DOUBLE PRECISION,
  cash_flow            DOUBLE PRECISION,
  book_value_per_share DOUBLE PRECISION,
  dividend_yield       DOUBLE PRECISION,
  pe                   DOUBLE PRECISION,
  pb                   DOUBLE PRECISION,
  quality              DOUBLE PRECISION,
  value                DOUBLE PRECISION,
  shares_outstanding   DOUBLE PRECISION,
  PRIMARY KEY (symbol, period_end, release_time)
);
CREATE INDEX fundamentals_release_idx ON fundamentals (release_time);

-- Observations of macro and reference series (index levels, VIX, factor returns, FRED).
CREATE TABLE macro_series (
  series        TEXT NOT NULL,
  date          DATE NOT NULL,
  release_time  TIMESTAMPTZ NOT NULL,
  value         DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (series, date, release_time)
);

CREATE TABLE data_quality (
  symbol               TEXT NOT NULL,
  as_of                DATE NOT NULL,
  rows                 INTEGER NOT NULL,
  missing_dates_pct    DOUBLE PRECISION NOT NULL,
  duplicate_pct        DOUBLE PRECISION NOT NULL,
  has_zero_or_negative BOOLEAN NOT NULL,
  has_extreme_spike    BOOLEAN NOT NULL,
  score                DOUBLE PRECISION NOT NULL,
  state                TEXT NOT NULL CHECK (state IN ('ACTIVE', 'DEGRADED', 'QUARANTINED')),
  PRIMARY KEY (symbol, as_of)
);

-- People, funds, agents -------------------------------------------------------------------
CREATE TABLE users (
  id            TEXT PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE,
  role          TEXT NOT NULL,
  api_key_hash  TEXT UNIQUE,
  fund_ids      TEXT[] NOT NULL DEFAULT '{}',
  created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  disabled_at   TIMESTAMPTZ
);

CREATE TABLE funds (
  id               TEXT PRIMARY KEY,
  name             TEXT NOT NULL,
  base_currency    CHAR(3) NOT NULL DEFAULT 'USD',
  initial_capital  NUMERIC(20,2) NOT NULL,
  trading_state    TEXT NOT NULL DEFAULT 'ACTIVE' CHECK (trading_state IN ('ACTIVE', 'REDUCING', 'HALTED')),
  drawdown_state   TEXT NOT NULL DEFAULT 'normal',
  high_water_mark  NUMERIC(20,2),
  hwm_date         DATE,
  config_hash      TEXT,
  created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE agents (
  fund_id            TEXT NOT NULL REFERENCES funds(id),
  id                 TEXT NOT NULL,
  strategy           TEXT NOT NULL,
  bucket             TEXT NOT NULL,
  risk_drivers       TEXT[] NOT NULL DEFAULT '{}',
  allocated_capital  NUMERIC(20,2) NOT NULL,
  risk_params        JSONB NOT NULL DEFAULT '{}',
  drawdown_state     TEXT NOT NULL DEFAULT 'normal'
                     CHECK (drawdown_state IN ('normal', 'reduced_50', 'reduced_75', 'flat', 'paused')),
  high_water_mark    NUMERIC(20,2),
  hwm_date           DATE,
  is_enabled         BOOLEAN NOT NULL DEFAULT TRUE,
  metrics            JSONB NOT NULL DEFAULT '{}',
  updated_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (fund_id, id)
);

-- Cycles and decisions ----------------------------------------------------------------------
CREATE TABLE cycles (
  id           TEXT PRIMARY KEY,
  fund_id      TEXT NOT NULL,
  as_of        DATE NOT NULL,
  mode         TEXT NOT NULL,
  status       TEXT NOT NULL DEFAULT 'RUNNING' CHECK (status IN ('RUNNING', 'COMPLETED', 'FAILED')),
  inputs_hash  TEXT NOT NULL,
  config_hash  TEXT,
  started_at   TIMESTAMPTZ NOT NULL,
  finished_at  TIMESTAMPTZ,
  summary      JSONB NOT NULL DEFAULT '{}',
  error        TEXT
);
CREATE INDEX cycles_fund_idx ON cycles (fund_id, as_of);

CREATE TABLE signals (
  id             BIGSERIAL PRIMARY KEY,
  cycle_id       TEXT NOT NULL,
  trace_id       TEXT NOT NULL,
  agent_id       TEXT NOT NULL,
  symbol         TEXT NOT NULL,
  as_of          DATE NOT NULL,
  mu             DOUBLE PRECISION NOT NULL,
  sigma          DOUBLE PRECISION NOT NULL,
  horizon_days   DOUBLE PRECISION NOT NULL,
  confidence     DOUBLE PRECISION NOT NULL,
  regime         TEXT NOT NULL,
  model_version  TEXT NOT NULL
);
CREATE INDEX signals_cycle_idx ON signals (cycle_id);
CREATE INDEX signals_agent_idx ON signals (agent_id, as_of);

-- Agent proposals, also the human approval workflow (status).
CREATE TABLE proposals (
  id           TEXT PRIMARY KEY,
  fund_id      TEXT NOT NULL,
  cycle_id     TEXT NOT NULL,
  agent_id     TEXT NOT NULL,
  as_of        DATE NOT NULL,
  status       TEXT NOT NULL DEFAULT 'PENDING',
  payload      JSONB NOT NULL,
  decided_by   TEXT,
  decided_at   TIMESTAMPTZ,
  note         TEXT,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX proposals_status_idx ON proposals (fund_id, status);

-- The 15-field decision record (seeds/mini-quant-fund-summary.md §7).
CREATE TABLE decisions (
  id                   BIGSERIAL PRIMARY KEY,
  fund_id              TEXT,
  cycle_id             TEXT NOT NULL,
  symbol               TEXT NOT NULL,
  timestamp            TIMESTAMPTZ NOT NULL,
  final_decision       TEXT NOT NULL CHECK (final_decision IN ('EXECUTE_BUY', 'EXECUTE_SELL', 'HOLD', 'REJECT')),
  position_size        DOUBLE PRECISION NOT NULL,
  stop_loss            DOUBLE PRECISION,
  reason_codes         JSONB NOT NULL,
  mu_hat               DOUBLE PRECISION NOT NULL,
  sigma_hat            DOUBLE PRECISION NOT NULL,
  conviction           DOUBLE PRECISION NOT NULL,
  data_quality_score   DOUBLE PRECISION NOT NULL,
  provider_confidence  DOUBLE PRECISION NOT NULL,
  agent_results        JSONB NOT NULL,
  risk_checks          JSONB NOT NULL,
  metadata             JSONB NOT NULL
);
CREATE INDEX decisions_cycle_idx ON decisions (cycle_id);

CREATE TABLE risk_actions (
  action_id    TEXT PRIMARY KEY,
  fund_id      TEXT,
  cycle_id     TEXT,
  timestamp    TIMESTAMPTZ NOT NULL,
  agent_id     TEXT NOT NULL,
  symbol       TEXT NOT NULL,
  decision_id  TEXT,
  action_type  TEXT NOT NULL CHECK (action_type IN ('SCALED_DOWN', 'REJECTED', 'CAPPED', 'OK')),
  details      JSONB NOT NULL DEFAULT '{}'
);
CREATE INDEX risk_actions_cycle_idx ON risk_actions (cycle_id);

-- One overlay (risk committee) decision per agent per cycle.
CREATE TABLE overlay_actions (
  decision_id   TEXT PRIMARY KEY,
  fund_id       TEXT,
  trace_id      TEXT NOT NULL,
  cycle_id      TEXT NOT NULL,
  agent_id      TEXT NOT NULL,
  as_of         DATE NOT NULL,
  action        TEXT NOT NULL CHECK (action IN ('APPROVE', 'SCALE', 'MODIFY', 'BLOCK')),
  scale         DOUBLE PRECISION NOT NULL,
  reasons       JSONB NOT NULL,
  checks        JSONB NOT NULL,
  targets       JSONB NOT NULL,
  risk_actions  JSONB NOT NULL,
  summary       TEXT NOT NULL
);
CREATE INDEX overlay_actions_cycle_idx ON overlay_actions (cycle_id);

-- Orders and executions --------------------------------------------------------------------
-- `id` is Keel's order id and the broker's client order id (idempotency key).
CREATE TABLE orders (
  id               TEXT PRIMARY KEY,
  trace_id         TEXT NOT NULL,
  fund_id          TEXT NOT NULL,
  cycle_id         TEXT,
  symbol           TEXT NOT NULL,
  side             TEXT NOT NULL CHECK (side IN ('BUY', 'SELL')),
  type             TEXT NOT NULL,
  time_in_force    TEXT NOT NULL,
  qty              NUMERIC(20,4) NOT NULL CHECK (qty > 0),
  limit_price      NUMERIC,
  stop_price       NUMERIC,
  status           TEXT NOT NULL CHECK (status IN ('PENDING', 'SUBMITTED', 'ACKNOWLEDGED', 'PARTIALLY_FILLED',
                                                   'FILLED', 'CANCELLED', 'REJECTED', 'EXPIRED')),
  filled_qty       NUMERIC(20,4) NOT NULL DEFAULT 0,
  avg_fill_price   NUMERIC,
  decision_price   NUMERIC,
  broker_order_id  TEXT UNIQUE,
  allocations      JSONB NOT NULL DEFAULT '[]',
  denials          JSONB NOT NULL DEFAULT '[]',
  created_at       TIMESTAMPTZ NOT NULL,
  updated_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX orders_status_idx ON orders (fund_id, status);

-- Append-only order history: replaying it rebuilds every order's state.
CREATE TABLE order_events (
  id           BIGSERIAL PRIMARY KEY,
  order_id     TEXT NOT NULL REFERENCES orders(id),
  seq          INTEGER NOT NULL,
  type         TEXT NOT NULL,
  from_status  TEXT,
  to_status    TEXT NOT NULL,
  at           TIMESTAMPTZ NOT NULL,
  payload      JSONB NOT NULL DEFAULT '{}',
  UNIQUE (order_id, seq)
);

CREATE TABLE fills (
  id           TEXT PRIMARY KEY,
  order_id     TEXT NOT NULL REFERENCES orders(id),
  trace_id     TEXT NOT NULL,
  symbol       TEXT NOT NULL,
  side         TEXT NOT NULL CHECK (side IN ('BUY', 'SELL')),
  qty          NUMERIC(20,4) NOT NULL CHECK (qty > 0),
  price        NUMERIC NOT NULL,
  commission   NUMERIC NOT NULL DEFAULT 0,
  timestamp    TIMESTAMPTZ NOT NULL,
  allocations  JSONB NOT NULL DEFAULT '[]'
);
CREATE INDEX fills_order_idx ON fills (order_id);

-- Books -------------------------------------------------------------------------------------
CREATE TABLE positions (
  fund_id       TEXT NOT NULL,
  agent_id      TEXT NOT NULL,
  symbol        TEXT NOT NULL,
  qty           NUMERIC(20,4) NOT NULL,
  avg_cost      NUMERIC NOT NULL,
  last_price    NUMERIC,
  realized_pnl  NUMERIC NOT NULL DEFAULT 0,
  updated_at    TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (fund_id, agent_id, symbol)
);

-- Cash movements in integer cents (signed: + in, − out). Balance = sum.
CREATE TABLE cash_ledger (
  id            BIGSERIAL PRIMARY KEY,
  fund_id       TEXT NOT NULL,
  agent_id      TEXT NOT NULL DEFAULT '',
  at            TIMESTAMPTZ NOT NULL,
  kind          TEXT NOT NULL,
  amount_cents  BIGINT NOT NULL,
  ref           TEXT,
  note          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX cash_ledger_fund_idx ON cash_ledger (fund_id, agent_id, at);

-- Daily NAV per fund (agent_id '') and per agent book.
CREATE TABLE nav_history (
  fund_id          TEXT NOT NULL,
  agent_id         TEXT NOT NULL DEFAULT '',
  date             DATE NOT NULL,
  nav              NUMERIC(20,2) NOT NULL,
  cash             NUMERIC(20,2) NOT NULL,
  gross_exposure   NUMERIC(20,2) NOT NULL DEFAULT 0,
  net_exposure     NUMERIC(20,2) NOT NULL DEFAULT 0,
  high_water_mark  NUMERIC(20,2) NOT NULL,
  daily_return     DOUBLE PRECISION,
  drawdown         DOUBLE PRECISION NOT NULL DEFAULT 0,
  PRIMARY KEY (fund_id, agent_id, date)
);

-- Risk ----------------------------------------------------------------------------------------
CREATE TABLE risk_snapshots (
  id              BIGSERIAL PRIMARY KEY,
  fund_id         TEXT NOT NULL,
  cycle_id        TEXT,
  as_of           DATE NOT NULL,
  var_95          DOUBLE PRECISION,
  var_99          DOUBLE PRECISION,
  cvar_95         DOUBLE PRECISION,
  gross_exposure  NUMERIC(20,2),
  net_exposure    NUMERIC(20,2),
  metrics         JSONB NOT NULL DEFAULT '{}',
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX risk_snapshots_fund_idx ON risk_snapshots (fund_id, as_of);

CREATE TABLE stress_results (
  id              BIGSERIAL PRIMARY KEY,
  fund_id         TEXT NOT NULL,
  cycle_id        TEXT,
  as_of           DATE NOT NULL,
  scenario        TEXT NOT NULL,
  pnl_impact      NUMERIC(20,2) NOT NULL,
  pnl_impact_pct  DOUBLE PRECISION NOT NULL,
  per_agent       JSONB NOT NULL DEFAULT '{}',
  details         JSONB NOT NULL DEFAULT '{}',
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX stress_results_fund_idx ON stress_results (fund_id, as_of);

-- Operations ------------------------------------------------------------------------------------
CREATE TABLE alerts (
  id               TEXT PRIMARY KEY,
  trace_id         TEXT NOT NULL,
  fund_id          TEXT,
  severity         TEXT NOT NULL CHECK (severity IN ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL')),
  category         TEXT NOT NULL,
  title            TEXT NOT NULL,
  message          TEXT NOT NULL,
  dedup_key        TEXT NOT NULL,
  timestamp        TIMESTAMPTZ NOT NULL,
  context          JSONB NOT NULL DEFAULT '{}',
  acknowledged_at  TIMESTAMPTZ,
  acknowledged_by  TEXT
);
CREATE INDEX alerts_dedup_idx ON alerts (dedup_key, timestamp);

CREATE TABLE journal (
  id       BIGSERIAL PRIMARY KEY,
  fund_id  TEXT NOT NULL,
  at       TIMESTAMPTZ NOT NULL,
  author   TEXT NOT NULL,
  kind     TEXT NOT NULL,
  title    TEXT NOT NULL,
  body     TEXT NOT NULL DEFAULT '',
  tags     TEXT[] NOT NULL DEFAULT '{}',
  refs     JSONB NOT NULL DEFAULT '{}'
);
CREATE INDEX journal_fund_idx ON journal (fund_id, at);

CREATE TABLE briefings (
  fund_id     TEXT NOT NULL,
  date        DATE NOT NULL,
  content     JSONB NOT NULL,
  narrative   TEXT NOT NULL DEFAULT '',
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (fund_id, date)
);

CREATE TABLE config_versions (
  hash         TEXT PRIMARY KEY,
  fund_id      TEXT NOT NULL,
  config       JSONB NOT NULL,
  created_at   TIMESTAMPTZ NOT NULL,
  created_by   TEXT NOT NULL,
  approved     BOOLEAN NOT NULL DEFAULT FALSE,
  approved_by  TEXT,
  approved_at  TIMESTAMPTZ,
  note         TEXT NOT NULL DEFAULT ''
);

CREATE TABLE backtests (
  id           TEXT PRIMARY KEY,
  fund_id      TEXT,
  params       JSONB NOT NULL,
  status       TEXT NOT NULL DEFAULT 'QUEUED'
               CHECK (status IN ('QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED')),
  progress     DOUBLE PRECISION NOT NULL DEFAULT 0,
  results      JSONB,
  error        TEXT,
  created_at   TIMESTAMPTZ NOT NULL,
  started_at   TIMESTAMPTZ,
  finished_at  TIMESTAMPTZ
);

-- Audit hash chain: hash = sha256(prev_hash || canonical JSON of the row); audit_head holds
-- the last link, so appends serialise on it and truncating the tail is detected.
CREATE TABLE audit_log (
  id         BIGINT PRIMARY KEY,
  at         TIMESTAMPTZ NOT NULL,
  actor      TEXT NOT NULL,
  action     TEXT NOT NULL,
  entity     TEXT NOT NULL,
  entity_id  TEXT NOT NULL,
  payload    JSONB NOT NULL,
  prev_hash  TEXT NOT NULL,
  hash       TEXT NOT NULL UNIQUE
);

CREATE TABLE audit_head (
  singleton  BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (singleton),
  last_id    BIGINT NOT NULL,
  last_hash  TEXT NOT NULL
);
INSERT INTO audit_head (singleton, last_id, last_hash)
VALUES (TRUE, 0, '0000000000000000000000000000000000000000000000000000000000000000');
