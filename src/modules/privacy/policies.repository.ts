/** SQL of policy versions and their texts, with explicit column lists. Every function takes the Db (or open transaction). */
import { sql } from 'kysely'
import type { Locale } from '../../platform/context'
import type { Db } from '../../platform/db/database'
import type { PolicyStatus, PrivacyTables } from './privacy.tables'

const tables = (db: Db) => db.withTables<PrivacyTables>()

const VERSION_COLUMNS = ['id', 'profile', 'number', 'status', 'published_at', 'effective_at', 'created_at'] as const

export interface PolicyVersionRow {
  id: string
  profile: string
  number: number
  status: PolicyStatus
  published_at: Date | null
  effective_at: Date | null
  created_at: Date
}

export interface PolicyTextRow {
  version_id: string
  profile: string
  number: number
  published_at: Date
  effective_at: Date
  locale: Locale
  markdown: string
  sha256: string
}

/** Serialises first-start work on one profile's policies across processes (released at commit). */
export async function lockProfilePolicies(db: Db, profile: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`oqu.policy_versions.${profile}`}))`.execute(db)
}

/** The profile's versions, oldest first. */
export async function listVersions(db: Db, profile: string): Promise<PolicyVersionRow[]> {
  return tables(db)
    .selectFrom('policy_versions')
    .select(VERSION_COLUMNS)
    .where('profile', '=', profile)
    .orderBy('number')
    .execute()
}

/** Inserts a draft version (the trigger refuses inserting a published one). */
export async function insertDraftVersion(
  db: Db,
  row: { id: string; profile: string; number: number; createdAt: Date },
): Promise<void> {
  await tables(db)
    .insertInto('policy_versions')
    .values({
      id: row.id,
      profile: row.profile,
      number: row.number,
      status: 'draft',
      published_at: null,
      effective_at: null,
      created_at: row.createdAt,
    })
    .execute()
}

/** Adds a draft version's text in one language. */
export async function insertText(
  db: Db,
  row: { versionId: string; locale: Locale; markdown: string; sha256: string },
): Promise<void> {
  await tables(db)
    .insertInto('policy_texts')
    .values({ version_id: row.versionId, locale: row.locale, markdown: row.markdown, sha256: row.sha256 })
    .execute()
}

/** Publishes a draft; from then on the version and its texts are frozen by triggers. */
export async function publishVersion(db: Db, id: string, publishedAt: Date, effectiveAt: Date): Promise<void> {
  await tables(db)
    .updateTable('policy_versions')
    .set({ status: 'published', published_at: publishedAt, effective_at: effectiveAt })
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .execute()
}

/** The published text of a version in one language. */
export async function findPublishedText(db: Db, versionId: string, locale: Locale): Promise<PolicyTextRow | undefined> {
  const row = await tables(db)
    .selectFrom('policy_texts as t')
    .innerJoin('policy_versions as v', 'v.id', 't.version_id')
    .select([
      't.version_id',
      'v.profile',
      'v.number',
      'v.published_at',
      'v.effective_at',
      't.locale',
      't.markdown',
      't.sha256',
    ])
    .where('t.version_id', '=', versionId)
    .where('t.locale', '=', locale)
    .where('v.status', '=', 'published')
    .executeTakeFirst()
  return row as PolicyTextRow | undefined
}

/** The id of the version that governs at `at`: the published one with the latest effective date not after `at`. */
export async function findVersionInForce(db: Db, profile: string, at: Date): Promise<string | undefined> {
  const row = await tables(db)
    .selectFrom('policy_versions')
    .select('id')
    .where('profile', '=', profile)
    .where('status', '=', 'published')
    .where('effective_at', '<=', at)
    .orderBy('effective_at', 'desc')
    .orderBy('number', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row?.id
}

/** The profile's draft version (at most one at a time), if any. */
export async function findDraftVersion(db: Db, profile: string): Promise<PolicyVersionRow | undefined> {
  return tables(db)
    .selectFrom('policy_versions')
    .select(VERSION_COLUMNS)
    .where('profile', '=', profile)
    .where('status', '=', 'draft')
    .orderBy('number', 'desc')
    .limit(1)
    .executeTakeFirst()
}

/** A version by id (any status). */
export async function findVersion(db: Db, id: string): Promise<PolicyVersionRow | undefined> {
  return tables(db).selectFrom('policy_versions').select(VERSION_COLUMNS).where('id', '=', id).executeTakeFirst()
}

/** A version's texts in every language it has (any status). */
export async function listTexts(
  db: Db,
  versionId: string,
): Promise<{ locale: Locale; markdown: string; sha256: string }[]> {
  return tables(db)
    .selectFrom('policy_texts')
    .select(['locale', 'markdown', 'sha256'])
    .where('version_id', '=', versionId)
    .execute()
}

/** Replaces a draft's text in one language (the trigger refuses it once published). */
export async function replaceDraftText(
  db: Db,
  row: { versionId: string; locale: Locale; markdown: string; sha256: string },
): Promise<void> {
  await tables(db)
    .deleteFrom('policy_texts')
    .where('version_id', '=', row.versionId)
    .where('locale', '=', row.locale)
    .execute()
  await insertText(db, row)
}

/** The next version number of a profile. */
export async function nextVersionNumber(db: Db, profile: string): Promise<number> {
  const row = await tables(db)
    .selectFrom('policy_versions')
    .select((eb) => eb.fn.max('number').as('n'))
    .where('profile', '=', profile)
    .executeTakeFirst()
  return Number(row?.n ?? 0) + 1
}
