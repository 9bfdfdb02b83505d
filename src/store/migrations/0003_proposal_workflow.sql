-- Proposal workflow state in columns. Until now the PMS kept it as JSON in proposals.note
-- ({"v":1,"size":…}); those rows are moved into the columns and their note cleared. Rows the
-- cycle wrote (no note) get their defaults: created by the agent, the agent's reasoning as the
-- rationale, expiring the day after their as-of date (00:00 UTC), as the PMS read them before.

ALTER TABLE proposals
  ADD COLUMN decision_id TEXT,
  ADD COLUMN ticket      JSONB,
  ADD COLUMN size        DOUBLE PRECISION NOT NULL DEFAULT 1,
  ADD COLUMN limit_price NUMERIC,
  ADD COLUMN created_by  TEXT,
  ADD COLUMN rationale   TEXT,
  ADD COLUMN expires_at  TIMESTAMPTZ,
  ADD COLUMN history     JSONB NOT NULL DEFAULT '[]'::jsonb,
  ADD COLUMN order_ids   TEXT[] NOT NULL DEFAULT '{}',
  ADD COLUMN fill_ids    TEXT[] NOT NULL DEFAULT '{}',
  ADD COLUMN executed_at TIMESTAMPTZ;

UPDATE proposals SET
  decision_id = note::jsonb ->> 'decisionId',
  ticket      = CASE WHEN jsonb_typeof(note::jsonb -> 'ticket') = 'object' THEN note::jsonb -> 'ticket' END,
  size        = coalesce((note::jsonb ->> 'size')::double precision, 1),
  limit_price = (note::jsonb ->> 'limitPrice')::numeric,
  created_by  = note::jsonb ->> 'createdBy',
  created_at  = coalesce((note::jsonb ->> 'createdAt')::timestamptz, created_at),
  rationale   = note::jsonb ->> 'rationale',
  expires_at  = (note::jsonb ->> 'expiresAt')::timestamptz,
  history     = coalesce(note::jsonb -> 'history', '[]'::jsonb),
  order_ids   = ARRAY(SELECT jsonb_array_elements_text(coalesce(note::jsonb -> 'orderIds', '[]'::jsonb))),
  fill_ids    = ARRAY(SELECT jsonb_array_elements_text(coalesce(note::jsonb -> 'fillIds', '[]'::jsonb))),
  note        = NULL
WHERE note LIKE '{"v":1,%';

-- Advisory-cycle rows are named prop-<overlay decision id>.
UPDATE proposals p SET decision_id = o.decision_id
FROM overlay_actions o
WHERE p.decision_id IS NULL AND p.ticket IS NULL AND p.id = 'prop-' || o.decision_id;

UPDATE proposals SET
  created_by = coalesce(created_by, 'system:agent:' || agent_id),
  rationale  = coalesce(rationale, payload ->> 'reasoning', ''),
  expires_at = coalesce(expires_at, (as_of + 1)::timestamp AT TIME ZONE 'UTC');

UPDATE proposals SET status = 'PENDING_APPROVAL' WHERE status = 'PENDING';
UPDATE proposals SET status = 'CANCELLED'
WHERE status NOT IN ('PENDING_APPROVAL', 'APPROVED', 'REJECTED', 'MODIFIED', 'EXPIRED', 'EXECUTED', 'CANCELLED');
UPDATE proposals SET executed_at = decided_at WHERE status = 'EXECUTED';

ALTER TABLE proposals
  ALTER COLUMN status SET DEFAULT 'PENDING_APPROVAL',
  ALTER COLUMN created_by SET NOT NULL,
  ALTER COLUMN rationale SET NOT NULL,
  ALTER COLUMN expires_at SET NOT NULL,
  ADD CONSTRAINT proposals_status_check
    CHECK (status IN ('PENDING_APPROVAL', 'APPROVED', 'REJECTED', 'MODIFIED', 'EXPIRED', 'EXECUTED', 'CANCELLED')),
  ADD CONSTRAINT proposals_size_check CHECK (size > 0);

-- The expiry sweep and the advisory wait read a fund's open proposals by expiry.
CREATE INDEX proposals_open_expiry_idx ON proposals (fund_id, expires_at)
  WHERE status IN ('PENDING_APPROVAL', 'MODIFIED', 'APPROVED');
