/**
 * Account closure (issue 4, T-1.2: a person who does not accept the policy
 * stops using the site and closes the account; B-2.5: a withdrawal may end
 * the User Agreement). One row per closed account, the hand-over to
 * retention: when it was closed, the signed ledger record of the decision,
 * and the date from which the operator profile's retention rule lets the
 * data go (T-4.5, T-4.5.5: 3 years from the last activity; B-2.4: 3 years
 * after the User Agreement ends). The retention purge (a later issue) reads
 * `retention_until`; nothing here holds more than ids and dates.
 */
import { sql, type Kysely } from 'kysely'

const closures = [
  sql`CREATE TABLE account_closures (
    subject_id uuid PRIMARY KEY,
    closed_at timestamptz NOT NULL,
    consent_id uuid NOT NULL,
    retention_from text NOT NULL
      CONSTRAINT account_closures_retention_from_check CHECK (retention_from IN ('last_activity', 'agreement_end')),
    retention_years integer NOT NULL
      CONSTRAINT account_closures_retention_years_check CHECK (retention_years BETWEEN 1 AND 75),
    retention_until text NOT NULL
      CONSTRAINT account_closures_retention_until_format CHECK (retention_until ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$')
  )`,
  sql`CREATE INDEX account_closures_retention_idx ON account_closures (retention_until)`,
]

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of closures) await statement.execute(db)
}
