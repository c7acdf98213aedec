/** SQL of the consent ledger, with explicit column lists. Rows are only ever inserted (triggers refuse the rest). */
import type { Locale } from '../../platform/context'
import type { Db } from '../../platform/db/database'
import type { ConsentKind, PrivacyTables } from './privacy.tables'

const tables = (db: Db) => db.withTables<PrivacyTables>()

/** Everything but the encrypted network details: what receipts and histories show. */
const RECORD_COLUMNS = [
  'id',
  'subject_id',
  'given_by',
  'kind',
  'purpose',
  'policy_version_id',
  'locale',
  'text_sha256',
  'decided_at',
  'channel',
  'evidence',
  'signature',
] as const

export interface ConsentRecordRow {
  id: string
  subject_id: string
  given_by: string
  kind: ConsentKind
  purpose: string | null
  policy_version_id: string
  locale: Locale
  text_sha256: string
  decided_at: Date
  channel: string
  evidence: Record<string, unknown>
  signature: string | null
}

export interface NewConsentRow extends Omit<ConsentRecordRow, 'evidence'> {
  ip_ciphertext: string | null
  user_agent_ciphertext: string | null
  evidence: Record<string, string | number | boolean | null>
}

/** Appends one decision to the ledger. */
export async function insertConsentRecord(db: Db, row: NewConsentRow): Promise<void> {
  await tables(db)
    .insertInto('consent_records')
    .values({ ...row, evidence: JSON.stringify(row.evidence) })
    .execute()
}

/** One record by id (without the encrypted network details). */
export async function findConsentRecord(db: Db, id: string): Promise<ConsentRecordRow | undefined> {
  return tables(db).selectFrom('consent_records').select(RECORD_COLUMNS).where('id', '=', id).executeTakeFirst()
}

/** A subject's records, oldest first: their consent history. */
export async function listConsentRecords(db: Db, subjectId: string): Promise<ConsentRecordRow[]> {
  return tables(db)
    .selectFrom('consent_records')
    .select(RECORD_COLUMNS)
    .where('subject_id', '=', subjectId)
    .orderBy('decided_at')
    .orderBy('seq')
    .execute()
}

/** The newest decisions of one subject of the given kinds, newest first. */
export async function latestDecisions(
  db: Db,
  subjectId: string,
  kinds: readonly ConsentKind[],
): Promise<ConsentRecordRow[]> {
  return tables(db)
    .selectFrom('consent_records')
    .select(RECORD_COLUMNS)
    .where('subject_id', '=', subjectId)
    .where('kind', 'in', kinds)
    .orderBy('decided_at', 'desc')
    .orderBy('seq', 'desc')
    .limit(500)
    .execute()
}

/** The highest policy version number of `profile` each subject accepted (subjects without one are absent). */
export async function acceptedVersionNumbers(
  db: Db,
  profile: string,
  subjectIds: readonly string[],
): Promise<Map<string, number>> {
  if (subjectIds.length === 0) return new Map()
  const rows = await tables(db)
    .selectFrom('consent_records as c')
    .innerJoin('policy_versions as v', 'v.id', 'c.policy_version_id')
    .select(['c.subject_id', (eb) => eb.fn.max('v.number').as('number')])
    .where('c.kind', '=', 'policy_acceptance')
    .where('v.profile', '=', profile)
    .where('c.subject_id', 'in', subjectIds)
    .groupBy('c.subject_id')
    .execute()
  return new Map(rows.map((r) => [r.subject_id, Number(r.number)]))
}

/** The language of the subject's newest decision: the language they read the policy in. */
export async function latestLocaleOf(db: Db, subjectId: string): Promise<Locale | undefined> {
  const row = await tables(db)
    .selectFrom('consent_records')
    .select('locale')
    .where('subject_id', '=', subjectId)
    .orderBy('decided_at', 'desc')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row?.locale
}
