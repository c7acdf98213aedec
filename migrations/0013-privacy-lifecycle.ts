/**
 * Privacy lifecycle (issue 4): notices of new policy versions, withdrawal of
 * consent with a signed receipt, and complaints to the DPO.
 * - consent_records gains `seq` (insertion order, for "the newest decision"), the kind `consent_withdrawn` (T-5.1.3, B-2.5) and
 *   a `signature` (HMAC-SHA256 over the record's canonical content, made by
 *   the application with a key derived from the keyring); the ledger stays
 *   append-only (0005's triggers are untouched).
 * - policy_notices: one row per (version, person) — the e-mail notice that
 *   was queued and when, and when the in-app banner was first shown: the
 *   evidence of notice for acceptance by use (T-1.2, T-6.4, B-1.2).
 * - policy_notice_runs: the progress of sending a version's notices in
 *   batches, for the DPO's desk.
 * - privacy_complaints: complaints filed with the DPO from the privacy
 *   centre (T-5.1.5), the text encrypted under the complainant's data key.
 */
import { sql, type Kysely } from 'kysely'

const consentRecords = [
  sql`ALTER TABLE consent_records DROP CONSTRAINT consent_records_kind_check`,
  sql`ALTER TABLE consent_records ADD CONSTRAINT consent_records_kind_check
    CHECK (kind IN ('policy_acceptance', 'purpose_granted', 'purpose_withdrawn', 'consent_withdrawn'))`,
  sql`ALTER TABLE consent_records DROP CONSTRAINT consent_records_purpose_by_kind`,
  sql`ALTER TABLE consent_records ADD CONSTRAINT consent_records_purpose_by_kind
    CHECK ((kind IN ('purpose_granted', 'purpose_withdrawn')) = (purpose IS NOT NULL))`,
  // The ledger's own order: two decisions in the same microsecond still have a newest one.
  sql`ALTER TABLE consent_records ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY`,
  sql`CREATE INDEX consent_records_subject_seq_idx ON consent_records (subject_id, seq)`,
  sql`ALTER TABLE consent_records ADD COLUMN signature text
    CONSTRAINT consent_records_signature_format CHECK (signature ~ '^hmac-sha256:[0-9a-f]{64}$')`,
]

const notices = [
  sql`CREATE TABLE policy_notices (
    version_id uuid NOT NULL REFERENCES policy_versions (id),
    user_id uuid NOT NULL,
    locale text NOT NULL CONSTRAINT policy_notices_locale_check CHECK (locale IN ('kk', 'ru', 'en')),
    notification_id uuid,
    notified_at timestamptz,
    banner_shown_at timestamptz,
    PRIMARY KEY (version_id, user_id)
  )`,
  sql`CREATE INDEX policy_notices_user_idx ON policy_notices (user_id)`,
  sql`CREATE TABLE policy_notice_runs (
    version_id uuid PRIMARY KEY REFERENCES policy_versions (id),
    started_at timestamptz NOT NULL,
    last_user_id uuid,
    queued integer NOT NULL DEFAULT 0 CONSTRAINT policy_notice_runs_queued_check CHECK (queued >= 0),
    finished_at timestamptz
  )`,
]

const complaints = [
  sql`CREATE TABLE privacy_complaints (
    id uuid PRIMARY KEY,
    subject_id uuid NOT NULL,
    created_at timestamptz NOT NULL,
    status text NOT NULL CONSTRAINT privacy_complaints_status_check CHECK (status IN ('open', 'closed')),
    body_ciphertext text NOT NULL CONSTRAINT privacy_complaints_body_encrypted CHECK (body_ciphertext LIKE 'v1.%'),
    closed_at timestamptz,
    CONSTRAINT privacy_complaints_closed_dated CHECK ((status = 'closed') = (closed_at IS NOT NULL))
  )`,
  sql`CREATE INDEX privacy_complaints_subject_idx ON privacy_complaints (subject_id)`,
  sql`CREATE INDEX privacy_complaints_open_idx ON privacy_complaints (created_at) WHERE status = 'open'`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [...consentRecords, ...notices, ...complaints]) await statement.execute(db)
}
