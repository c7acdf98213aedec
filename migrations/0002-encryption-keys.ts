/**
 * Per-subject data keys for field encryption. Each row holds one data key
 * wrapped under a master key (kek_id). Destroying a subject's keys
 * (crypto-shredding) nulls the wrapped key and keeps the row as a tombstone,
 * so no new key is silently created for an erased subject.
 */
import { sql, type Kysely } from 'kysely'

const statements = [
  sql`CREATE TABLE subject_keys (
    subject_id text NOT NULL,
    version integer NOT NULL CONSTRAINT subject_keys_version_positive CHECK (version > 0),
    wrapped_key text,
    kek_id text,
    created_at timestamptz NOT NULL,
    rewrapped_at timestamptz,
    destroyed_at timestamptz,
    PRIMARY KEY (subject_id, version),
    CONSTRAINT subject_keys_live_or_destroyed CHECK ((destroyed_at IS NULL) = (wrapped_key IS NOT NULL)),
    CONSTRAINT subject_keys_live_has_kek CHECK (wrapped_key IS NULL OR kek_id IS NOT NULL)
  )`,
  // Rotation looks for live keys still wrapped under an old master key.
  sql`CREATE INDEX subject_keys_kek_idx ON subject_keys (kek_id) WHERE wrapped_key IS NOT NULL`,
  // A destroyed key stays destroyed, and a live key is destroyed (audited), never deleted.
  sql`CREATE FUNCTION subject_keys_guard() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'DELETE' THEN
      IF OLD.destroyed_at IS NULL THEN
        RAISE EXCEPTION 'subject_keys: a live data key cannot be deleted; destroy it instead';
      END IF;
      RETURN OLD;
    END IF;
    IF OLD.destroyed_at IS NOT NULL THEN
      RAISE EXCEPTION 'subject_keys: the data key of % version % was destroyed and cannot be restored', OLD.subject_id, OLD.version;
    END IF;
    IF NEW.subject_id <> OLD.subject_id OR NEW.version <> OLD.version OR NEW.created_at <> OLD.created_at THEN
      RAISE EXCEPTION 'subject_keys: a data key cannot move to another subject or version';
    END IF;
    RETURN NEW;
  END
  $$`,
  sql`CREATE TRIGGER subject_keys_guard BEFORE UPDATE OR DELETE ON subject_keys
    FOR EACH ROW EXECUTE FUNCTION subject_keys_guard()`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await statement.execute(db)
}
