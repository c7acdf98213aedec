/**
 * Coming of age (issue 3, law Arts. 7–8): on a former minor's 18th birthday
 * (Almaty calendar) the `ask-personal-consent` job e-mails them once a link
 * to give their own consent. `users.adult_consent_asked_at` records that the
 * message went out (or that there was no address to send it to), so it goes
 * once per person; null until then.
 */
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE users ADD COLUMN adult_consent_asked_at timestamptz`.execute(db)
}
