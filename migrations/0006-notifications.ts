/**
 * Notifications (src/modules/notifications): the outbox of e-mails and SMS
 * sent to people. Recipient, subject line and body are stored only as
 * ciphertext under the person's data key (crypto-shredding erases them);
 * the CHECKs refuse anything that is not in the ciphertext format, whatever
 * the code above does. Ids and times come from the application.
 */
import { sql, type Kysely } from 'kysely'

const CIPHERTEXT = `'^v1\\.[1-9][0-9]*\\.[A-Za-z0-9_.-]+$'`

const statements = [
  sql`CREATE TABLE notifications (
    id uuid PRIMARY KEY,
    subject_id uuid NOT NULL,
    channel text NOT NULL CONSTRAINT notifications_channel_check CHECK (channel IN ('email', 'sms')),
    template text NOT NULL CONSTRAINT notifications_template_check
      CHECK (template ~ '^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$' AND char_length(template) <= 100),
    locale text NOT NULL CONSTRAINT notifications_locale_check CHECK (locale IN ('kk', 'ru', 'en')),
    recipient_ciphertext text NOT NULL CONSTRAINT notifications_recipient_encrypted
      CHECK (recipient_ciphertext ~ ${sql.raw(CIPHERTEXT)}),
    subject_ciphertext text CONSTRAINT notifications_subject_encrypted
      CHECK (subject_ciphertext ~ ${sql.raw(CIPHERTEXT)}),
    body_ciphertext text NOT NULL CONSTRAINT notifications_body_encrypted
      CHECK (body_ciphertext ~ ${sql.raw(CIPHERTEXT)}),
    status text NOT NULL CONSTRAINT notifications_status_check
      CHECK (status IN ('queued', 'sent', 'failed', 'suppressed')),
    provider text CONSTRAINT notifications_provider_check CHECK (provider ~ '^[a-z][a-z0-9_-]{0,31}$'),
    provider_message_id text CONSTRAINT notifications_provider_message_id_length
      CHECK (char_length(provider_message_id) <= 200),
    attempts integer NOT NULL DEFAULT 0 CONSTRAINT notifications_attempts_check CHECK (attempts >= 0),
    created_at timestamptz NOT NULL,
    sent_at timestamptz,
    last_error text CONSTRAINT notifications_last_error_length CHECK (char_length(last_error) <= 1000),
    CONSTRAINT notifications_email_has_subject CHECK (channel <> 'email' OR subject_ciphertext IS NOT NULL),
    CONSTRAINT notifications_sent_has_time CHECK (status <> 'sent' OR sent_at IS NOT NULL)
  )`,
  // The developer outbox lists newest first; retention deletes by age.
  sql`CREATE INDEX notifications_created_idx ON notifications (created_at DESC, id DESC)`,
  // Rights requests and erasure find a person's messages.
  sql`CREATE INDEX notifications_subject_idx ON notifications (subject_id)`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await statement.execute(db)
}
