/**
 * Accounts, second part (src/modules/accounts): sign-in and its records.
 * - `users` gains the phone number (a second sign-in identifier, stored only
 *   as ciphertext plus a blind index, like the e-mail address) and the times
 *   each identifier was verified.
 * - `sessions`: server-side sessions. Only the SHA-256 of the random token is
 *   stored (the token itself lives only in the person's cookie); the IP is
 *   encrypted under the person's data key; browser and OS are a short
 *   summary, not the raw User-Agent. Ended sessions stay for a while as the
 *   person's login history (B-2.2) and are then purged by a job.
 * - `login_throttles`: failed sign-in counters per identifier and per IP,
 *   keyed by HMAC-SHA256 in base64url (the CHECKs refuse anything else, so
 *   an address, number or IP cannot land there in clear).
 * Ids and times come from the application, as everywhere.
 */
import { sql, type Kysely } from 'kysely'

const users = [
  sql`ALTER TABLE users
    ADD COLUMN phone_ciphertext text CONSTRAINT users_phone_ciphertext_sealed CHECK (phone_ciphertext LIKE 'v1.%'),
    ADD COLUMN phone_index text CONSTRAINT users_phone_index_key UNIQUE
      CONSTRAINT users_phone_index_hmac CHECK (phone_index ~ '^[A-Za-z0-9_-]{43}$'),
    ADD COLUMN email_verified_at timestamptz,
    ADD COLUMN phone_verified_at timestamptz,
    ADD CONSTRAINT users_phone_index_has_phone CHECK (phone_index IS NULL OR phone_ciphertext IS NOT NULL),
    ADD CONSTRAINT users_phone_verified_has_phone CHECK (phone_verified_at IS NULL OR phone_ciphertext IS NOT NULL),
    ADD CONSTRAINT users_email_verified_has_email CHECK (email_verified_at IS NULL OR email_ciphertext IS NOT NULL)`,
]

const sessions = [
  sql`CREATE TABLE sessions (
    id uuid PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash text NOT NULL CONSTRAINT sessions_token_hash_key UNIQUE
      CONSTRAINT sessions_token_hash_sha256 CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    kind text NOT NULL CONSTRAINT sessions_kind_check CHECK (kind IN ('standard', 'staff')),
    created_at timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    idle_expires_at timestamptz NOT NULL,
    absolute_expires_at timestamptz NOT NULL,
    revoked_at timestamptz,
    revoked_reason text CONSTRAINT sessions_revoked_reason_check
      CHECK (revoked_reason IN ('signed_out', 'revoked', 'revoked_others', 'replaced')),
    ip_ciphertext text CONSTRAINT sessions_ip_ciphertext_sealed CHECK (ip_ciphertext LIKE 'v1.%'),
    browser text CONSTRAINT sessions_browser_length CHECK (char_length(browser) <= 64),
    os text CONSTRAINT sessions_os_length CHECK (char_length(os) <= 64),
    device text NOT NULL CONSTRAINT sessions_device_check CHECK (device IN ('desktop', 'mobile', 'tablet', 'unknown')),
    CONSTRAINT sessions_expiry_order CHECK (
      created_at <= last_seen_at AND last_seen_at <= idle_expires_at AND idle_expires_at <= absolute_expires_at
    ),
    CONSTRAINT sessions_revocation_complete CHECK ((revoked_at IS NULL) = (revoked_reason IS NULL))
  )`,
  sql`CREATE INDEX sessions_user_id_created_at_idx ON sessions (user_id, created_at DESC)`,
  sql`CREATE INDEX sessions_absolute_expires_at_idx ON sessions (absolute_expires_at)`,
]

const throttles = [
  sql`CREATE TABLE login_throttles (
    scope text NOT NULL CONSTRAINT login_throttles_scope_check CHECK (scope IN ('identifier', 'ip')),
    key_hash text NOT NULL CONSTRAINT login_throttles_key_hash_hmac CHECK (key_hash ~ '^[A-Za-z0-9_-]{43}$'),
    failures integer NOT NULL CONSTRAINT login_throttles_failures_check CHECK (failures >= 0),
    window_started_at timestamptz NOT NULL,
    locked_until timestamptz,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (scope, key_hash)
  )`,
  sql`CREATE INDEX login_throttles_updated_at_idx ON login_throttles (updated_at)`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [...users, ...sessions, ...throttles]) await statement.execute(db)
}
