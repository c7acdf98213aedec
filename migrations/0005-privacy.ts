/**
 * Privacy (src/modules/privacy): policy versions with their texts, and the
 * consent ledger. The database itself keeps the promises the code makes:
 * - a published policy version and its texts never change (T-6.1, T-6.2);
 * - a text's sha256 is the hash of its Markdown, computed by PostgreSQL;
 * - a consent record is never updated or deleted, names a published version
 *   and carries the hash of exactly the text that was shown (law Art. 8(4),
 *   T-1.2), enforced by a foreign key to (version, locale, sha256).
 * Ids are made by the application; times come from the application clock.
 */
import { sql, type Kysely } from 'kysely'

const policyVersions = [
  sql`CREATE TABLE policy_versions (
    id uuid PRIMARY KEY,
    profile text NOT NULL CONSTRAINT policy_versions_profile_format CHECK (profile ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
    number integer NOT NULL CONSTRAINT policy_versions_number_positive CHECK (number >= 1),
    status text NOT NULL CONSTRAINT policy_versions_status_check CHECK (status IN ('draft', 'published')),
    published_at timestamptz,
    effective_at timestamptz,
    created_at timestamptz NOT NULL,
    CONSTRAINT policy_versions_profile_number_key UNIQUE (profile, number),
    CONSTRAINT policy_versions_published_dated CHECK (
      status <> 'published' OR (published_at IS NOT NULL AND effective_at IS NOT NULL)
    ),
    CONSTRAINT policy_versions_draft_unpublished CHECK (status = 'published' OR published_at IS NULL),
    CONSTRAINT policy_versions_effective_after_publication CHECK (effective_at >= published_at)
  )`,
  sql`CREATE INDEX policy_versions_in_force_idx ON policy_versions (profile, effective_at) WHERE status = 'published'`,
  // Drafts change freely; publishing needs all three languages; a published version is frozen.
  sql`CREATE FUNCTION policy_versions_guard() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'INSERT' THEN
      IF NEW.status = 'published' THEN
        RAISE EXCEPTION 'policy_versions: insert a version as a draft, add its texts, then publish it';
      END IF;
      RETURN NEW;
    ELSIF TG_OP = 'UPDATE' THEN
      IF OLD.status = 'published' THEN
        RAISE EXCEPTION 'policy version % is published and cannot change', OLD.id;
      END IF;
      IF NEW.id <> OLD.id OR NEW.profile <> OLD.profile THEN
        RAISE EXCEPTION 'policy version %: id and profile cannot change', OLD.id;
      END IF;
      IF NEW.status = 'published' AND (
        SELECT count(DISTINCT locale) FROM policy_texts WHERE version_id = NEW.id AND locale IN ('kk', 'ru', 'en')
      ) < 3 THEN
        RAISE EXCEPTION 'policy version % needs its kk, ru and en texts before it is published', OLD.id;
      END IF;
      RETURN NEW;
    ELSIF TG_OP = 'DELETE' THEN
      IF OLD.status = 'published' THEN
        RAISE EXCEPTION 'policy version % is published and cannot be deleted', OLD.id;
      END IF;
      RETURN OLD;
    END IF;
    RAISE EXCEPTION 'policy_versions: % is not allowed', TG_OP;
  END
  $$`,
  sql`CREATE TRIGGER policy_versions_immutable_when_published BEFORE INSERT OR UPDATE OR DELETE ON policy_versions
    FOR EACH ROW EXECUTE FUNCTION policy_versions_guard()`,
  sql`CREATE TRIGGER policy_versions_no_truncate BEFORE TRUNCATE ON policy_versions
    FOR EACH STATEMENT EXECUTE FUNCTION policy_versions_guard()`,
]

const policyTexts = [
  sql`CREATE TABLE policy_texts (
    version_id uuid NOT NULL REFERENCES policy_versions (id) ON DELETE CASCADE,
    locale text NOT NULL CONSTRAINT policy_texts_locale_check CHECK (locale IN ('kk', 'ru', 'en')),
    markdown text NOT NULL CONSTRAINT policy_texts_markdown_length CHECK (char_length(markdown) BETWEEN 1 AND 200000),
    sha256 text NOT NULL CONSTRAINT policy_texts_sha256_of_markdown
      CHECK (sha256 = encode(sha256(convert_to(markdown, 'UTF8')), 'hex')),
    PRIMARY KEY (version_id, locale),
    -- The target of consent_records' foreign key: a record names the exact text shown.
    CONSTRAINT policy_texts_version_locale_sha256_key UNIQUE (version_id, locale, sha256)
  )`,
  sql`CREATE FUNCTION policy_texts_guard() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE
    v_status text;
  BEGIN
    IF TG_OP = 'TRUNCATE' THEN
      RAISE EXCEPTION 'policy_texts: TRUNCATE is not allowed';
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
      SELECT status INTO v_status FROM policy_versions WHERE id = OLD.version_id;
      IF v_status = 'published' THEN
        RAISE EXCEPTION 'the texts of policy version % are published and cannot change', OLD.version_id;
      END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
      SELECT status INTO v_status FROM policy_versions WHERE id = NEW.version_id;
      IF v_status = 'published' THEN
        RAISE EXCEPTION 'policy version % is published: texts cannot be added or changed', NEW.version_id;
      END IF;
      RETURN NEW;
    END IF;
    RETURN OLD;
  END
  $$`,
  sql`CREATE TRIGGER policy_texts_immutable_when_published BEFORE INSERT OR UPDATE OR DELETE ON policy_texts
    FOR EACH ROW EXECUTE FUNCTION policy_texts_guard()`,
  sql`CREATE TRIGGER policy_texts_no_truncate BEFORE TRUNCATE ON policy_texts
    FOR EACH STATEMENT EXECUTE FUNCTION policy_texts_guard()`,
]

const consentRecords = [
  sql`CREATE TABLE consent_records (
    id uuid PRIMARY KEY,
    subject_id uuid NOT NULL,
    given_by uuid NOT NULL,
    kind text NOT NULL CONSTRAINT consent_records_kind_check
      CHECK (kind IN ('policy_acceptance', 'purpose_granted', 'purpose_withdrawn')),
    purpose text CONSTRAINT consent_records_purpose_format CHECK (purpose ~ '^[a-z][a-z_]{0,39}$'),
    policy_version_id uuid NOT NULL,
    locale text NOT NULL CONSTRAINT consent_records_locale_check CHECK (locale IN ('kk', 'ru', 'en')),
    text_sha256 text NOT NULL CONSTRAINT consent_records_text_sha256_format CHECK (text_sha256 ~ '^[0-9a-f]{64}$'),
    decided_at timestamptz NOT NULL,
    channel text NOT NULL CONSTRAINT consent_records_channel_format CHECK (channel ~ '^[a-z][a-z_]{1,39}$'),
    ip_ciphertext text CONSTRAINT consent_records_ip_encrypted CHECK (ip_ciphertext LIKE 'v1.%'),
    user_agent_ciphertext text CONSTRAINT consent_records_user_agent_encrypted CHECK (user_agent_ciphertext LIKE 'v1.%'),
    evidence jsonb NOT NULL DEFAULT '{}'::jsonb
      CONSTRAINT consent_records_evidence_object CHECK (jsonb_typeof(evidence) = 'object'),
    CONSTRAINT consent_records_purpose_by_kind CHECK ((kind = 'policy_acceptance') = (purpose IS NULL)),
    CONSTRAINT consent_records_text_shown FOREIGN KEY (policy_version_id, locale, text_sha256)
      REFERENCES policy_texts (version_id, locale, sha256)
  )`,
  sql`CREATE INDEX consent_records_subject_idx ON consent_records (subject_id, decided_at)`,
  sql`CREATE INDEX consent_records_given_by_idx ON consent_records (given_by) WHERE given_by <> subject_id`,
  sql`CREATE FUNCTION consent_records_guard() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'INSERT' THEN
      IF NOT EXISTS (SELECT 1 FROM policy_versions WHERE id = NEW.policy_version_id AND status = 'published') THEN
        RAISE EXCEPTION 'consent_records: policy version % is not published', NEW.policy_version_id;
      END IF;
      RETURN NEW;
    END IF;
    RAISE EXCEPTION 'consent_records is append-only: % is not allowed', TG_OP;
  END
  $$`,
  sql`CREATE TRIGGER consent_records_append_only BEFORE INSERT OR UPDATE OR DELETE ON consent_records
    FOR EACH ROW EXECUTE FUNCTION consent_records_guard()`,
  sql`CREATE TRIGGER consent_records_no_truncate BEFORE TRUNCATE ON consent_records
    FOR EACH STATEMENT EXECUTE FUNCTION consent_records_guard()`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [...policyVersions, ...policyTexts, ...consentRecords]) await statement.execute(db)
}
