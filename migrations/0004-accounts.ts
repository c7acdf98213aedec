/**
 * Accounts (src/modules/accounts): users and their roles. Ids are made by
 * the application (crypto.randomUUID), times come from the application
 * clock, so nothing here depends on server-side defaults. The e-mail address
 * is stored only as ciphertext plus a blind index; the CHECKs refuse a plain
 * address or password in those columns, whatever the code above does.
 */
import { sql, type Kysely } from 'kysely'

const statements = [
  sql`CREATE TABLE users (
    id uuid PRIMARY KEY,
    email_ciphertext text CONSTRAINT users_email_ciphertext_not_plain CHECK (email_ciphertext NOT LIKE '%@%'),
    email_index text CONSTRAINT users_email_index_key UNIQUE
      CONSTRAINT users_email_index_not_plain CHECK (email_index NOT LIKE '%@%'),
    password_hash text CONSTRAINT users_password_hash_argon2id CHECK (password_hash LIKE '$argon2id$%'),
    status text NOT NULL CONSTRAINT users_status_check CHECK (status IN ('active', 'blocked', 'closed')),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    last_active_at timestamptz,
    CONSTRAINT users_email_index_has_address CHECK (email_index IS NULL OR email_ciphertext IS NOT NULL)
  )`,
  sql`CREATE TABLE user_roles (
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role text NOT NULL CONSTRAINT user_roles_role_check
      CHECK (role IN ('learner', 'guardian', 'instructor', 'support', 'dpo', 'admin')),
    granted_at timestamptz NOT NULL,
    granted_by text NOT NULL CONSTRAINT user_roles_granted_by_length CHECK (char_length(granted_by) BETWEEN 1 AND 128),
    PRIMARY KEY (user_id, role)
  )`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await statement.execute(db)
}
