-- The stored market's revision: every statement that writes the tables a market load reads
-- (instruments, bars, fundamentals, macro_series, data_quality), truncates included, moves it
-- on. With the epoch (random, one per database) it names one state of the stored market, so a
-- loaded market cached on disk is used only while nothing it was built from has changed
-- (src/fund/market-cache.ts).
CREATE TABLE market_revision (
  id       INT PRIMARY KEY CHECK (id = 1),
  epoch    TEXT NOT NULL,
  revision BIGINT NOT NULL
);

INSERT INTO market_revision (id, epoch, revision) VALUES (1, gen_random_uuid()::text, 0);

CREATE FUNCTION bump_market_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE market_revision SET revision = revision + 1 WHERE id = 1;
  RETURN NULL;
END
$$;

CREATE TRIGGER instruments_market_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON instruments
  FOR EACH STATEMENT EXECUTE FUNCTION bump_market_revision();
CREATE TRIGGER bars_market_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON bars
  FOR EACH STATEMENT EXECUTE FUNCTION bump_market_revision();
CREATE TRIGGER fundamentals_market_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON fundamentals
  FOR EACH STATEMENT EXECUTE FUNCTION bump_market_revision();
CREATE TRIGGER macro_series_market_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON macro_series
  FOR EACH STATEMENT EXECUTE FUNCTION bump_market_revision();
CREATE TRIGGER data_quality_market_revision AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON data_quality
  FOR EACH STATEMENT EXECUTE FUNCTION bump_market_revision();
