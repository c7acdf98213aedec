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
    .orderBy('id')
    .execute()
}
