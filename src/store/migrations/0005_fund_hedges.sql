-- Hedges trade (issue 14 item 5). The fund's hedge book ('_hedge'): one row per cycle and hedge
-- instrument while the hedger wants a hedge or the book holds one (the row with target 0 is the
-- unwind). Shares signed (negative = short), to 1e-4; notionals in dollars at the decision price;
-- the exposure the hedger saw (dollars of beta, or of a sector's net) and its target for it.
CREATE TABLE fund_hedges (
  id                BIGSERIAL PRIMARY KEY,
  fund_id           TEXT NOT NULL,
  cycle_id          TEXT NOT NULL,
  as_of             DATE NOT NULL,
  instrument        TEXT NOT NULL,
  kind              TEXT NOT NULL CHECK (kind IN ('index', 'sector', 'beta')),
  target_qty        NUMERIC(20,4) NOT NULL,
  target_notional   NUMERIC(20,2) NOT NULL,
  current_qty       NUMERIC(20,4) NOT NULL,
  price             DOUBLE PRECISION,
  exposure_before   NUMERIC(20,2),
  exposure_after    NUMERIC(20,2),
  reason            TEXT NOT NULL,
  created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (fund_id, cycle_id, instrument)
);
CREATE INDEX fund_hedges_fund_idx ON fund_hedges (fund_id, as_of);
