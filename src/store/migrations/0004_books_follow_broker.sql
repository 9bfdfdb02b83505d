-- The books follow the broker (issue 14). The ledger is stored as it changes: every fill the
-- order journal records is booked into these rows in the same transaction as the fill itself,
-- so a crash can never leave fills recorded and books behind them. Money in integer cents,
-- quantities in integer units of 1e-4 share (the ledger's own units).
CREATE TABLE ledger_books (
  fund_id            TEXT NOT NULL,
  book_id            TEXT NOT NULL,
  -- Opening order of the book in the fund's ledger (sums run in this order).
  seq                INTEGER NOT NULL,
  initial_cents      BIGINT NOT NULL,
  cash_cents         BIGINT NOT NULL,
  realized_cents     BIGINT NOT NULL,
  fees_cents         BIGINT NOT NULL,
  adjustments_cents  BIGINT NOT NULL,
  updated_at         TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (fund_id, book_id)
);

CREATE TABLE ledger_holdings (
  fund_id     TEXT NOT NULL,
  book_id     TEXT NOT NULL,
  symbol      TEXT NOT NULL,
  qty4        BIGINT NOT NULL CHECK (qty4 <> 0),
  cost_cents  BIGINT NOT NULL,
  -- Last mark, dollars per share (NaN until marked).
  mark        DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (fund_id, book_id, symbol),
  FOREIGN KEY (fund_id, book_id) REFERENCES ledger_books (fund_id, book_id)
);

-- Fills are every booking of the books, not only the broker's executions: an internal cross of
-- the order planner is a BUY and a SELL fill between books (order_id names the cross), and a
-- difference adopted from the broker at reconciliation is an ADJUSTMENT fill of the fund book
-- (order_id names the reconciliation). So fills carry their fund and cycle, and order_id no
-- longer has to name an order.
ALTER TABLE fills
  ADD COLUMN fund_id   TEXT,
  ADD COLUMN cycle_id  TEXT,
  ADD COLUMN kind      TEXT NOT NULL DEFAULT 'BROKER' CHECK (kind IN ('BROKER', 'CROSS', 'ADJUSTMENT'));
UPDATE fills f SET fund_id = o.fund_id, cycle_id = o.cycle_id FROM orders o WHERE o.id = f.order_id;
ALTER TABLE fills DROP CONSTRAINT IF EXISTS fills_order_id_fkey;
CREATE INDEX fills_fund_idx ON fills (fund_id, timestamp);
CREATE INDEX fills_cycle_idx ON fills (cycle_id);

-- Each reconciliation of the books with the broker: when, whether it completed, what it found.
-- The next one lists the broker's orders created after the last completed one.
CREATE TABLE broker_reconciliations (
  id       BIGSERIAL PRIMARY KEY,
  fund_id  TEXT NOT NULL,
  at       TIMESTAMPTZ NOT NULL,
  ok       BOOLEAN NOT NULL,
  report   JSONB NOT NULL DEFAULT '{}'
);
CREATE INDEX broker_reconciliations_fund_idx ON broker_reconciliations (fund_id, at);
