/**
 * The audit log: append-only (enforced by triggers) and hash-chained by a
 * sealer. Entries insert unsealed so writers never wait on a chain lock; the
 * sealer later sets seq, prev_hash, hash and sealed_at exactly once.
 */
import { sql, type Kysely } from 'kysely'

const statements = [
  sql`CREATE TABLE audit_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at timestamptz NOT NULL,
    action text NOT NULL CONSTRAINT audit_log_action_format
      CHECK (action ~ '^[a-z][a-z0-9_]*([.][a-z][a-z0-9_]*)+$'),
    actor_kind text NOT NULL CONSTRAINT audit_log_actor_kind CHECK (actor_kind IN ('user', 'system', 'anonymous')),
    actor_id text,
    subject_type text,
    subject_id text,
    target_type text,
    target_id text,
    request_id text,
    ip text,
    data jsonb NOT NULL DEFAULT '{}'::jsonb CONSTRAINT audit_log_data_object CHECK (jsonb_typeof(data) = 'object'),
    seq bigint CONSTRAINT audit_log_seq_unique UNIQUE,
    prev_hash text,
    hash text,
    sealed_at timestamptz,
    CONSTRAINT audit_log_sealed_together CHECK (
      (seq IS NULL) = (hash IS NULL) AND (seq IS NULL) = (prev_hash IS NULL) AND (seq IS NULL) = (sealed_at IS NULL)
    )
  )`,
  sql`CREATE INDEX audit_log_unsealed_idx ON audit_log (id) WHERE seq IS NULL`,
  sql`CREATE INDEX audit_log_subject_idx ON audit_log (subject_id, occurred_at) WHERE subject_id IS NOT NULL`,
  // One function guards every operation: inserts arrive unsealed, the only
  // update allowed is the sealer's one-time setting of the chain fields, and
  // DELETE / TRUNCATE are refused.
  sql`CREATE FUNCTION audit_log_guard() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'INSERT' THEN
      IF NEW.seq IS NOT NULL OR NEW.prev_hash IS NOT NULL OR NEW.hash IS NOT NULL OR NEW.sealed_at IS NOT NULL THEN
        RAISE EXCEPTION 'audit_log: entries are inserted unsealed; only the sealer links them into the chain';
      END IF;
      RETURN NEW;
    ELSIF TG_OP = 'UPDATE' THEN
      IF OLD.seq IS NOT NULL THEN
        RAISE EXCEPTION 'audit_log is append-only: entry % is sealed and cannot change', OLD.id;
      END IF;
      IF NEW.seq IS NULL THEN
        RAISE EXCEPTION 'audit_log is append-only: an update may only seal entry %', OLD.id;
      END IF;
      IF (to_jsonb(NEW) - ARRAY['seq', 'prev_hash', 'hash', 'sealed_at'])
         IS DISTINCT FROM (to_jsonb(OLD) - ARRAY['seq', 'prev_hash', 'hash', 'sealed_at']) THEN
        RAISE EXCEPTION 'audit_log is append-only: the content of entry % cannot change', OLD.id;
      END IF;
      RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP;
  END
  $$`,
  sql`CREATE TRIGGER audit_log_append_only BEFORE INSERT OR UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_guard()`,
  sql`CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_guard()`,
  sql`CREATE TABLE audit_chain_head (
    id boolean PRIMARY KEY DEFAULT true CONSTRAINT audit_chain_head_single CHECK (id),
    last_seq bigint NOT NULL CONSTRAINT audit_chain_head_seq CHECK (last_seq >= 0),
    last_hash text NOT NULL,
    updated_at timestamptz NOT NULL
  )`,
  sql`INSERT INTO audit_chain_head (id, last_seq, last_hash, updated_at) VALUES (true, 0, repeat('0', 64), now())`,
  // The head only moves forward: rolling it back would hide a truncated tail.
  sql`CREATE FUNCTION audit_chain_head_guard() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'UPDATE' AND NEW.id = OLD.id AND NEW.last_seq > OLD.last_seq THEN
      RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_chain_head only moves forward: % is not allowed', TG_OP;
  END
  $$`,
  sql`CREATE TRIGGER audit_chain_head_forward_only BEFORE UPDATE OR DELETE ON audit_chain_head
    FOR EACH ROW EXECUTE FUNCTION audit_chain_head_guard()`,
  sql`CREATE TRIGGER audit_chain_head_no_truncate BEFORE TRUNCATE ON audit_chain_head
    FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_head_guard()`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await statement.execute(db)
}
