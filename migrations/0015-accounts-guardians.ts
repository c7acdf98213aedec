/**
 * Minors and guardians (issue 3, law Arts. 7–8: a person under 18 consents
 * through a parent or guardian).
 * - users gains `adult_on` (the date the person turns 18 as YYYY-MM-DD, Almaty calendar,
 *   derived from the entered birth date or the confirmed IIN hint; null for
 *   adults and for people whose age is not asked) and `guardian_state`
 *   (`awaiting_guardian` until a guardian consents for the child,
 *   `guardian_consented` afterwards; null once the adult consents personally).
 * - guardian_links: a minor's invitation of a parent or guardian (the e-mail
 *   address is not kept: only the HMAC of the link's secret), then the link
 *   between the guardian's and the child's accounts, its consent and its end.
 */
import { sql, type Kysely } from 'kysely'

const users = [
  sql`ALTER TABLE users ADD COLUMN adult_on text
    CONSTRAINT users_adult_on_format CHECK (adult_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$')`,
  sql`ALTER TABLE users ADD COLUMN guardian_state text
    CONSTRAINT users_guardian_state_check CHECK (guardian_state IN ('awaiting_guardian', 'guardian_consented'))`,
  sql`ALTER TABLE users ADD CONSTRAINT users_guardian_state_needs_age
    CHECK (guardian_state IS NULL OR adult_on IS NOT NULL)`,
]

const links = [
  sql`CREATE TABLE guardian_links (
    id uuid PRIMARY KEY,
    child_id uuid NOT NULL REFERENCES users (id),
    guardian_id uuid REFERENCES users (id),
    status text NOT NULL CONSTRAINT guardian_links_status_check
      CHECK (status IN ('invited', 'linked', 'consented', 'revoked', 'expired')),
    token_hash text CONSTRAINT guardian_links_token_hash_key UNIQUE,
    token_expires_at timestamptz,
    invited_at timestamptz NOT NULL,
    linked_at timestamptz,
    consented_at timestamptz,
    consent_id uuid,
    ended_at timestamptz,
    CONSTRAINT guardian_links_not_self CHECK (guardian_id IS NULL OR guardian_id <> child_id),
    CONSTRAINT guardian_links_linked_has_guardian CHECK (status IN ('invited', 'expired') OR guardian_id IS NOT NULL)
  )`,
  sql`CREATE INDEX guardian_links_child_idx ON guardian_links (child_id)`,
  sql`CREATE INDEX guardian_links_guardian_idx ON guardian_links (guardian_id)`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [...users, ...links]) await statement.execute(db)
}
