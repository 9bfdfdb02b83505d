-- NOT_EXECUTED: an approved proposal that went to the OMS and traded nothing (every order denied
-- or expired unfilled, or no order at all: a ticket below oms.minNotional, a name without a
-- price). Until now such a proposal was CANCELLED by 'system:oms', which read like a person's
-- withdrawal; those rows become NOT_EXECUTED, their last history step with them.

ALTER TABLE proposals DROP CONSTRAINT proposals_status_check;

UPDATE proposals SET
  status  = 'NOT_EXECUTED',
  history = jsonb_set(history, ARRAY[(jsonb_array_length(history) - 1)::text, 'to'], '"NOT_EXECUTED"'::jsonb)
WHERE status = 'CANCELLED'
  AND jsonb_typeof(history) = 'array' AND jsonb_array_length(history) > 0
  AND history -> (jsonb_array_length(history) - 1) ->> 'who' = 'system:oms';

ALTER TABLE proposals
  ADD CONSTRAINT proposals_status_check
    CHECK (status IN ('PENDING_APPROVAL', 'APPROVED', 'REJECTED', 'MODIFIED', 'EXPIRED', 'EXECUTED', 'NOT_EXECUTED', 'CANCELLED'));
