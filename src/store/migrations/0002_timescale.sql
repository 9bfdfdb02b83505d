-- When TimescaleDB is installed (PostgreSQL servers only), bars become a hypertable on date.
-- Guarded: a no-op on PGlite and on servers without the extension.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN
    EXECUTE 'SELECT create_hypertable(''bars'', ''date'', if_not_exists => TRUE, migrate_data => TRUE)';
  END IF;
END
$$;
