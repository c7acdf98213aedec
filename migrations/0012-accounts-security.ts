/**
 * Accounts, fourth part (src/modules/accounts): the second factor, the
 * correction of one's own data, and the avatar.
 * - `sessions.second_factor_at`: when a staff session passed its second
 *   factor. A staff session without it is half signed in: it may only reach
 *   the code (or enrolment) page. Sessions may end with reason
 *   `second_factor_reset` (an administrator reset a lost authenticator).
 * - `totp_factors`: one TOTP secret per account (RFC 6238), encrypted under
 *   the person's data key; `last_used_step` refuses a code used twice.
 * - `recovery_codes`: single-use codes for a lost authenticator, stored as
 *   HMACs only.
 * - `users.pending_*`: a new e-mail address or phone number waiting for its
 *   proof (ciphertext, blind index, expiry); the verified value stays in
 *   force until then (T-5.2.2).
 * - `data_change_requests`: a person's request to correct what they may not
 *   edit themselves (IIN, legal names), decided by the DPO; the requested
 *   value, the reason and the decision note encrypted under the person's key.
 * - `user_avatars`: the re-encoded picture (WebP, metadata stripped),
 *   encrypted under the person's key, in the database (B-2.2).
 */
import { sql, type Kysely } from 'kysely'

const sealed = (name: string, column: string) => sql.raw(`CONSTRAINT ${name}_sealed CHECK (${column} LIKE 'v1.%')`)
const hmac = (name: string, column: string) =>
  sql.raw(`CONSTRAINT ${name}_hmac CHECK (${column} ~ '^[A-Za-z0-9_-]{43}$')`)

const sessions = [
  sql`ALTER TABLE sessions ADD COLUMN second_factor_at timestamptz`,
  // An administrator's reset of a lost second factor ends every session of the account.
  sql`ALTER TABLE sessions DROP CONSTRAINT sessions_revoked_reason_check`,
  sql`ALTER TABLE sessions ADD CONSTRAINT sessions_revoked_reason_check CHECK (revoked_reason IN
    ('signed_out', 'revoked', 'revoked_others', 'replaced', 'password_reset', 'second_factor_reset'))`,
]

const factors = [
  sql`CREATE TABLE totp_factors (
    user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret_ciphertext text NOT NULL ${sealed('totp_factors_secret', 'secret_ciphertext')},
    created_at timestamptz NOT NULL,
    confirmed_at timestamptz,
    last_used_step bigint CONSTRAINT totp_factors_last_used_step_check CHECK (last_used_step >= 0)
  )`,
  sql`CREATE TABLE recovery_codes (
    id uuid PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash text NOT NULL CONSTRAINT recovery_codes_code_hash_key UNIQUE ${hmac('recovery_codes_code', 'code_hash')},
    created_at timestamptz NOT NULL,
    used_at timestamptz
  )`,
  sql`CREATE INDEX recovery_codes_user_id_idx ON recovery_codes (user_id)`,
]

const pending = [
  sql`ALTER TABLE users
    ADD COLUMN pending_email_ciphertext text ${sealed('users_pending_email', 'pending_email_ciphertext')},
    ADD COLUMN pending_email_index text ${hmac('users_pending_email_index', 'pending_email_index')},
    ADD COLUMN pending_email_expires_at timestamptz,
    ADD COLUMN pending_phone_ciphertext text ${sealed('users_pending_phone', 'pending_phone_ciphertext')},
    ADD COLUMN pending_phone_index text ${hmac('users_pending_phone_index', 'pending_phone_index')},
    ADD COLUMN pending_phone_expires_at timestamptz,
    ADD CONSTRAINT users_pending_email_complete CHECK (
      (pending_email_ciphertext IS NULL) = (pending_email_index IS NULL)
      AND (pending_email_index IS NULL) = (pending_email_expires_at IS NULL)),
    ADD CONSTRAINT users_pending_phone_complete CHECK (
      (pending_phone_ciphertext IS NULL) = (pending_phone_index IS NULL)
      AND (pending_phone_index IS NULL) = (pending_phone_expires_at IS NULL))`,
  sql`CREATE INDEX users_pending_email_expires_at_idx ON users (pending_email_expires_at)
    WHERE pending_email_expires_at IS NOT NULL`,
  sql`CREATE INDEX users_pending_phone_expires_at_idx ON users (pending_phone_expires_at)
    WHERE pending_phone_expires_at IS NOT NULL`,
]

const requests = [
  sql`CREATE TABLE data_change_requests (
    id uuid PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    field text NOT NULL CONSTRAINT data_change_requests_field_check
      CHECK (field IN ('surname', 'givenName', 'patronymic', 'iin')),
    value_ciphertext text NOT NULL ${sealed('data_change_requests_value', 'value_ciphertext')},
    reason_ciphertext text ${sealed('data_change_requests_reason', 'reason_ciphertext')},
    status text NOT NULL CONSTRAINT data_change_requests_status_check CHECK (status IN ('open', 'approved', 'rejected')),
    created_at timestamptz NOT NULL,
    decided_at timestamptz,
    decided_by uuid,
    note_ciphertext text ${sealed('data_change_requests_note', 'note_ciphertext')},
    CONSTRAINT data_change_requests_decision_complete CHECK (
      (status = 'open') = (decided_at IS NULL) AND (decided_at IS NULL) = (decided_by IS NULL)),
    CONSTRAINT data_change_requests_order CHECK (decided_at IS NULL OR created_at <= decided_at)
  )`,
  sql`CREATE INDEX data_change_requests_user_idx ON data_change_requests (user_id, created_at DESC)`,
  sql`CREATE INDEX data_change_requests_status_idx ON data_change_requests (status, created_at)`,
]

const avatars = [
  sql`CREATE TABLE user_avatars (
    user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    image_ciphertext text NOT NULL ${sealed('user_avatars_image', 'image_ciphertext')},
    content_type text NOT NULL CONSTRAINT user_avatars_content_type_check CHECK (content_type = 'image/webp'),
    width integer NOT NULL CONSTRAINT user_avatars_width_check CHECK (width BETWEEN 1 AND 512),
    height integer NOT NULL CONSTRAINT user_avatars_height_check CHECK (height BETWEEN 1 AND 512),
    updated_at timestamptz NOT NULL
  )`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [...sessions, ...factors, ...pending, ...requests, ...avatars]) await statement.execute(db)
}
