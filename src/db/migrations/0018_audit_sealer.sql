-- The audit log without a global lock on every read (issue 10; docs/decisions/0008). A request's
-- transaction now inserts its row unchained (prev_hash and hash null); a sealer chains rows in id
-- order afterwards, in short batches under the chain's advisory lock. Rows written before this
-- migration are already chained and are left exactly as they are, so `audit verify` passes on them.
ALTER TABLE audit_log ALTER COLUMN prev_hash DROP NOT NULL
--;
ALTER TABLE audit_log ALTER COLUMN hash DROP NOT NULL
--;
-- A row is either unsealed (both null) or sealed (both set): never half.
ALTER TABLE audit_log ADD CONSTRAINT audit_log_sealed_whole CHECK ((prev_hash IS NULL) = (hash IS NULL))
--;
-- A writer's transaction takes its transaction id BEFORE it takes a row id. The sealer relies on
-- this: once every transaction that existed when it read the sequence has ended, every id up to
-- that reading is committed or will never exist (src/platform/audit/sealer.ts). A plain
-- nextval() default would let a reader's transaction take an id a moment before it has a
-- transaction id, and so go unseen by the sealer's check.
CREATE FUNCTION audit_log_next_id() RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_current_xact_id();
  RETURN nextval('audit_log_id_seq');
END
$$
--;
ALTER TABLE audit_log ALTER COLUMN id SET DEFAULT audit_log_next_id()
--;
-- The sealer's work list: small, since rows leave it within a sweep or two.
CREATE INDEX audit_log_unsealed ON audit_log (id) WHERE hash IS NULL
--;
-- The last sealed row, kept by the sealer in the transaction that seals. It saves finding the end
-- of the sealed rows behind a long tail of unsealed ones, lets the sealer refuse a row that would
-- fall behind the end of the chain, and lets `audit verify` notice sealed rows cut off the end.
CREATE TABLE audit_chain_head (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  last_id bigint NOT NULL,
  last_hash text NOT NULL
)
--;
INSERT INTO audit_chain_head (last_id, last_hash)
SELECT coalesce((SELECT id FROM audit_log ORDER BY id DESC LIMIT 1), 0),
       coalesce((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), repeat('0', 64))
--;
-- Still no DELETE and no TRUNCATE. The one UPDATE allowed is sealing: prev_hash and hash from
-- null to a 64-hex-digit hash, every other column as it was. A sealed row cannot be unsealed,
-- resealed or changed. (The same function serves the TRUNCATE statement trigger, where OLD and
-- NEW do not exist, hence the nested test.)
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF OLD.prev_hash IS NULL AND OLD.hash IS NULL
       AND NEW.prev_hash ~ '^[0-9a-f]{64}$' AND NEW.hash ~ '^[0-9a-f]{64}$'
       AND (to_jsonb(NEW) - 'prev_hash' - 'hash') = (to_jsonb(OLD) - 'prev_hash' - 'hash') THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP;
END
$$
