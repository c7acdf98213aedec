/** SQL of minors' age facts (users.adult_on, users.guardian_state) and the guardian_links table. */
import type { Db } from '../../platform/db/database'
import type { AccountTables, GuardianLinkStatus, GuardianState } from './accounts.tables'

const tables = (db: Db) => db.withTables<AccountTables>()

export interface AgeFacts {
  adult_on: string | null
  guardian_state: GuardianState | null
}

/** The stored age facts of an account. */
export async function ageFactsOf(db: Db, userId: string): Promise<AgeFacts | undefined> {
  return tables(db)
    .selectFrom('users')
    .select(['adult_on', 'guardian_state'])
    .where('id', '=', userId)
    .executeTakeFirst()
}

/** The age facts, with the account's row locked: ending links one after another decides the child's state once. */
export async function ageFactsForUpdate(db: Db, userId: string): Promise<AgeFacts | undefined> {
  return tables(db)
    .selectFrom('users')
    .select(['adult_on', 'guardian_state'])
    .where('id', '=', userId)
    .forUpdate()
    .executeTakeFirst()
}

/** Sets (or clears, with nulls) an account's age facts. */
export async function setAgeFacts(db: Db, input: { userId: string; facts: AgeFacts; now: Date }): Promise<void> {
  await tables(db)
    .updateTable('users')
    .set({ adult_on: input.facts.adult_on, guardian_state: input.facts.guardian_state, updated_at: input.now })
    .where('id', '=', input.userId)
    .execute()
}

export interface GuardianLinkRow {
  id: string
  child_id: string
  guardian_id: string | null
  status: GuardianLinkStatus
  token_expires_at: Date | null
  invited_at: Date
  linked_at: Date | null
  consented_at: Date | null
  consent_id: string | null
  ended_at: Date | null
}

const LINK_COLUMNS = [
  'id',
  'child_id',
  'guardian_id',
  'status',
  'token_expires_at',
  'invited_at',
  'linked_at',
  'consented_at',
  'consent_id',
  'ended_at',
] as const

/** Records an invitation; an older open invitation of the same child expires (a newer link replaces it). */
export async function insertInvitation(
  db: Db,
  input: { id: string; childId: string; tokenHash: string; expiresAt: Date; now: Date },
): Promise<void> {
  await tables(db)
    .updateTable('guardian_links')
    .set({ status: 'expired', token_hash: null, ended_at: input.now })
    .where('child_id', '=', input.childId)
    .where('status', '=', 'invited')
    .execute()
  await tables(db)
    .insertInto('guardian_links')
    .values({
      id: input.id,
      child_id: input.childId,
      guardian_id: null,
      status: 'invited',
      token_hash: input.tokenHash,
      token_expires_at: input.expiresAt,
      invited_at: input.now,
    })
    .execute()
}

/** The open invitation whose secret hashes to `tokenHash`, locked for the update that spends it. */
export async function findInvitationForUpdate(db: Db, tokenHash: string): Promise<GuardianLinkRow | undefined> {
  return tables(db)
    .selectFrom('guardian_links')
    .select(LINK_COLUMNS)
    .where('token_hash', '=', tokenHash)
    .where('status', '=', 'invited')
    .forUpdate()
    .executeTakeFirst()
}

export async function findLink(db: Db, id: string): Promise<GuardianLinkRow | undefined> {
  return tables(db).selectFrom('guardian_links').select(LINK_COLUMNS).where('id', '=', id).executeTakeFirst()
}

/** Spends the invitation: the guardian is linked; the secret is gone. */
export async function markLinked(db: Db, input: { id: string; guardianId: string; now: Date }): Promise<void> {
  await tables(db)
    .updateTable('guardian_links')
    .set({
      status: 'linked',
      guardian_id: input.guardianId,
      token_hash: null,
      token_expires_at: null,
      linked_at: input.now,
    })
    .where('id', '=', input.id)
    .execute()
}

export async function markConsented(db: Db, input: { id: string; consentId: string; now: Date }): Promise<void> {
  await tables(db)
    .updateTable('guardian_links')
    .set({ status: 'consented', consent_id: input.consentId, consented_at: input.now })
    .where('id', '=', input.id)
    .execute()
}

export async function markRevoked(db: Db, input: { id: string; now: Date }): Promise<void> {
  await tables(db)
    .updateTable('guardian_links')
    .set({ status: 'revoked', token_hash: null, ended_at: input.now })
    .where('id', '=', input.id)
    .execute()
}

/** Live links (linked or consented) of a guardian, newest first. */
export async function linksOfGuardian(db: Db, guardianId: string): Promise<GuardianLinkRow[]> {
  return tables(db)
    .selectFrom('guardian_links')
    .select(LINK_COLUMNS)
    .where('guardian_id', '=', guardianId)
    .where('status', 'in', ['linked', 'consented'])
    .orderBy('linked_at', 'desc')
    .execute()
}

/** A child's links and invitations, newest first. */
export async function linksOfChild(db: Db, childId: string): Promise<GuardianLinkRow[]> {
  return tables(db)
    .selectFrom('guardian_links')
    .select(LINK_COLUMNS)
    .where('child_id', '=', childId)
    .orderBy('invited_at', 'desc')
    .execute()
}

/** Is `guardianId` a live guardian of `childId`? */
export async function isLiveGuardian(db: Db, guardianId: string, childId: string): Promise<boolean> {
  const row = await tables(db)
    .selectFrom('guardian_links')
    .select('id')
    .where('guardian_id', '=', guardianId)
    .where('child_id', '=', childId)
    .where('status', 'in', ['linked', 'consented'])
    .executeTakeFirst()
  return row !== undefined
}

/** Does the child keep another live link whose guardian has consented (other than `exceptLinkId`)? */
export async function hasOtherConsentedLink(db: Db, childId: string, exceptLinkId: string): Promise<boolean> {
  const row = await tables(db)
    .selectFrom('guardian_links')
    .select('id')
    .where('child_id', '=', childId)
    .where('status', '=', 'consented')
    .where('id', '<>', exceptLinkId)
    .executeTakeFirst()
  return row !== undefined
}

/** Live links (linked or consented) where the person is the guardian or the child, locked for ending them. */
export async function liveLinksOfPerson(db: Db, userId: string): Promise<GuardianLinkRow[]> {
  return tables(db)
    .selectFrom('guardian_links')
    .select(LINK_COLUMNS)
    .where((eb) => eb.or([eb('guardian_id', '=', userId), eb('child_id', '=', userId)]))
    .where('status', 'in', ['linked', 'consented'])
    .orderBy('id')
    .forUpdate()
    .execute()
}

/**
 * Active accounts that have come of age (their `adult_on` is today or earlier, Almaty) without consenting
 * personally yet and were not asked by e-mail: the birthday job's work, oldest birthday first.
 */
export async function dueAdultConsentAsks(db: Db, today: string, limit: number): Promise<string[]> {
  const rows = await tables(db)
    .selectFrom('users')
    .select('id')
    .where('status', '=', 'active')
    .where('guardian_state', 'is not', null)
    .where('adult_on', '<=', today)
    .where('adult_consent_asked_at', 'is', null)
    .orderBy('adult_on')
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute()
  return rows.map((r) => r.id)
}

/** Records that the person was asked (once) to consent personally. */
export async function markAdultConsentAsked(db: Db, userId: string, now: Date): Promise<void> {
  await tables(db).updateTable('users').set({ adult_consent_asked_at: now }).where('id', '=', userId).execute()
}
