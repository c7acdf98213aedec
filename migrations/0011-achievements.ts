/**
 * Achievements (src/modules/achievements): completion certificates and
 * milestone badges (T-4.5.2: learning history, achievements and documents
 * confirming completion are kept while retention keeps the account).
 * - `certificates`: one per completed enrolment (unique), found by a random,
 *   unambiguous public code `OQU-XXXX-XXXX-XXXX`. The row is a snapshot of
 *   what the certificate shows: the learner's name as issued (only as
 *   ciphertext under the learner's data key, so erasing the person shreds it
 *   while the rest stays verifiable — docs/adr/0006), the course title in the
 *   course's languages, hours, completion date and the operator's name.
 *   Revocation keeps the row with when, by whom and why (the reason is
 *   encrypted too: it is about the learner).
 * - `learner_badges`: one row per learner and milestone badge.
 */
import { sql, type Kysely } from 'kysely'

const ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ'
const group = `[${ALPHABET}]{4}`

const statements = [
  sql`CREATE TABLE certificates (
    id uuid PRIMARY KEY,
    code text NOT NULL CONSTRAINT certificates_code_key UNIQUE
      CONSTRAINT certificates_code_format CHECK (code ~ ${sql.lit(`^OQU-${group}-${group}-${group}$`)}),
    learner_id uuid REFERENCES users (id) ON DELETE SET NULL,
    course_id uuid NOT NULL REFERENCES courses (id),
    enrolment_id uuid NOT NULL CONSTRAINT certificates_enrolment_key UNIQUE,
    learner_name_ciphertext text NOT NULL CONSTRAINT certificates_name_sealed CHECK (learner_name_ciphertext LIKE 'v1.%'),
    languages text[] NOT NULL CONSTRAINT certificates_languages_check
      CHECK (cardinality(languages) BETWEEN 1 AND 3 AND languages <@ ARRAY['kk', 'ru', 'en']::text[]),
    course_titles jsonb NOT NULL CONSTRAINT certificates_titles_object CHECK (jsonb_typeof(course_titles) = 'object'),
    duration_hours integer NOT NULL CONSTRAINT certificates_hours_check CHECK (duration_hours BETWEEN 1 AND 2000),
    completed_at timestamptz NOT NULL,
    operator_names jsonb NOT NULL CONSTRAINT certificates_operator_object CHECK (jsonb_typeof(operator_names) = 'object'),
    issued_at timestamptz NOT NULL,
    revoked_at timestamptz,
    revoked_by uuid REFERENCES users (id) ON DELETE SET NULL,
    revoked_reason_ciphertext text CONSTRAINT certificates_reason_sealed CHECK (revoked_reason_ciphertext LIKE 'v1.%'),
    CONSTRAINT certificates_revocation_whole
      CHECK ((revoked_at IS NULL) = (revoked_reason_ciphertext IS NULL))
  )`,
  sql`CREATE INDEX certificates_learner_idx ON certificates (learner_id, issued_at DESC)`,
  sql`CREATE TABLE learner_badges (
    learner_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    badge text NOT NULL CONSTRAINT learner_badges_badge_check
      CHECK (badge IN ('first_lesson', 'first_quiz_passed', 'first_course', 'three_courses')),
    awarded_at timestamptz NOT NULL,
    PRIMARY KEY (learner_id, badge)
  )`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await statement.execute(db)
}
