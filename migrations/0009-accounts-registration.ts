/**
 * Accounts, third part (src/modules/accounts): what registration collects,
 * and one-time secrets.
 * - `users` gains the fields an operator profile may ask for (T-2.1, B-2.2):
 *   surname, given name, patronymic, user name, IIN, gender, birth date —
 *   every one stored only as ciphertext under the person's data key (the
 *   CHECKs refuse anything that is not), and the IIN also as a unique blind
 *   index, so one IIN holds one account and is never stored in clear.
 * - `account_tokens`: e-mail verification links, phone verification codes and
 *   password-reset links. Only a keyed hash (HMAC) of each secret is kept,
 *   with its expiry, single use and the attempts made; a code of six digits
 *   cannot be guessed from a copy of the table.
 * - `sessions` may end with reason `password_reset`.
 */
import { sql, type Kysely } from 'kysely'

const sealed = (column: string) => sql.raw(`CONSTRAINT users_${column}_sealed CHECK (${column} LIKE 'v1.%')`)

const users = [
  sql`ALTER TABLE users
    ADD COLUMN surname_ciphertext text ${sealed('surname_ciphertext')},
    ADD COLUMN given_name_ciphertext text ${sealed('given_name_ciphertext')},
    ADD COLUMN patronymic_ciphertext text ${sealed('patronymic_ciphertext')},
    ADD COLUMN user_name_ciphertext text ${sealed('user_name_ciphertext')},
    ADD COLUMN iin_ciphertext text ${sealed('iin_ciphertext')},
    ADD COLUMN iin_index text CONSTRAINT users_iin_index_key UNIQUE
      CONSTRAINT users_iin_index_hmac CHECK (iin_index ~ '^[A-Za-z0-9_-]{43}$'),
    ADD COLUMN gender_ciphertext text ${sealed('gender_ciphertext')},
    ADD COLUMN birth_date_ciphertext text ${sealed('birth_date_ciphertext')},
    ADD CONSTRAINT users_iin_index_has_iin CHECK (iin_index IS NULL OR iin_ciphertext IS NOT NULL)`,
]

const tokens = [
  sql`CREATE TABLE account_tokens (
    id uuid PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose text NOT NULL CONSTRAINT account_tokens_purpose_check
      CHECK (purpose IN ('email_verification', 'phone_verification', 'password_reset')),
    secret_hash text NOT NULL CONSTRAINT account_tokens_secret_hash_key UNIQUE
      CONSTRAINT account_tokens_secret_hash_hmac CHECK (secret_hash ~ '^[A-Za-z0-9_-]{43}$'),
    target_index text CONSTRAINT account_tokens_target_index_hmac CHECK (target_index ~ '^[A-Za-z0-9_-]{43}$'),
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at timestamptz,
    attempts integer NOT NULL CONSTRAINT account_tokens_attempts_check CHECK (attempts >= 0),
    CONSTRAINT account_tokens_expiry_order CHECK (created_at < expires_at)
  )`,
  sql`CREATE INDEX account_tokens_user_purpose_idx ON account_tokens (user_id, purpose, created_at DESC)`,
  sql`CREATE INDEX account_tokens_expires_at_idx ON account_tokens (expires_at)`,
]

// A password reset ends every session of the account.
const sessions = [
  sql`ALTER TABLE sessions DROP CONSTRAINT sessions_revoked_reason_check`,
  sql`ALTER TABLE sessions ADD CONSTRAINT sessions_revoked_reason_check
    CHECK (revoked_reason IN ('signed_out', 'revoked', 'revoked_others', 'replaced', 'password_reset'))`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [...users, ...tokens, ...sessions]) await statement.execute(db)
}
