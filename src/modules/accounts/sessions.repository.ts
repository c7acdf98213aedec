/** SQL of the sessions table, with explicit column lists. Every function takes the Db (or open transaction) to use. */
import type { Db } from '../../platform/db/database'
import type { AccountTables, DeviceType, RevokeReason, SessionKind } from './accounts.tables'

const tables = (db: Db) => db.withTables<AccountTables>()

export interface NewSessionRow {
  id: string
  userId: string
  tokenHash: string
  kind: SessionKind
  now: Date
  idleExpiresAt: Date
  absoluteExpiresAt: Date
  ipCiphertext: string | null
  browser: string | null
  os: string | null
  device: DeviceType
}

export async function insertSession(db: Db, row: NewSessionRow): Promise<void> {
  await tables(db)
    .insertInto('sessions')
    .values({
      id: row.id,
      user_id: row.userId,
      token_hash: row.tokenHash,
      kind: row.kind,
      created_at: row.now,
      last_seen_at: row.now,
      idle_expires_at: row.idleExpiresAt,
      absolute_expires_at: row.absoluteExpiresAt,
      revoked_at: null,
      revoked_reason: null,
      ip_ciphertext: row.ipCiphertext,
      browser: row.browser,
      os: row.os,
      device: row.device,
      second_factor_at: null,
    })
    .execute()
}

export interface LiveSessionRow {
  id: string
  user_id: string
  kind: SessionKind
  created_at: Date
  last_seen_at: Date
  idle_expires_at: Date
  absolute_expires_at: Date
  second_factor_at: Date | null
}

/** The unrevoked, unexpired session with this token hash, when its account is active. */
export async function findLiveSession(db: Db, tokenHash: string, now: Date): Promise<LiveSessionRow | undefined> {
  return tables(db)
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select([
      's.id',
      's.user_id',
      's.kind',
      's.created_at',
      's.last_seen_at',
      's.idle_expires_at',
      's.absolute_expires_at',
      's.second_factor_at',
    ])
    .where('s.token_hash', '=', tokenHash)
    .where('s.revoked_at', 'is', null)
    .where('s.idle_expires_at', '>', now)
    .where('s.absolute_expires_at', '>', now)
    .where('u.status', '=', 'active')
    .executeTakeFirst()
}

/**
 * A half-signed-in session passed its second factor: gets a new token hash
 * (the token changes with the privilege) and the time. False when it is no
 * longer open or already passed.
 */
export async function passSecondFactor(
  db: Db,
  update: { id: string; userId: string; tokenHash: string; now: Date; startedAfter: Date },
): Promise<boolean> {
  const rows = await tables(db)
    .updateTable('sessions')
    .set({ token_hash: update.tokenHash, second_factor_at: update.now })
    .where('id', '=', update.id)
    .where('user_id', '=', update.userId)
    .where('revoked_at', 'is', null)
    .where('second_factor_at', 'is', null)
    .where('created_at', '>', update.startedAfter)
    .where('idle_expires_at', '>', update.now)
    .returning('id')
    .execute()
  return rows.length > 0
}

/** Who a session belongs to, whatever its state; undefined for an unknown id. */
export async function findSessionOwner(db: Db, id: string): Promise<{ id: string; user_id: string } | undefined> {
  return tables(db).selectFrom('sessions').select(['id', 'user_id']).where('id', '=', id).executeTakeFirst()
}

/** Marks the session seen now and pushes its idle expiry; also the account's last activity (B-2.2). */
export async function touchSession(
  db: Db,
  touch: { id: string; userId: string; now: Date; idleExpiresAt: Date },
): Promise<void> {
  await tables(db)
    .updateTable('sessions')
    .set({ last_seen_at: touch.now, idle_expires_at: touch.idleExpiresAt })
    .where('id', '=', touch.id)
    .where('last_seen_at', '<', touch.now)
    .execute()
  await tables(db).updateTable('users').set({ last_active_at: touch.now }).where('id', '=', touch.userId).execute()
}

/** Revokes the user's session if it is still open; returns whether it was. The user id guards ownership. */
export async function revokeSession(
  db: Db,
  revoke: { id: string; userId: string; now: Date; reason: RevokeReason },
): Promise<boolean> {
  const rows = await tables(db)
    .updateTable('sessions')
    .set({ revoked_at: revoke.now, revoked_reason: revoke.reason })
    .where('id', '=', revoke.id)
    .where('user_id', '=', revoke.userId)
    .where('revoked_at', 'is', null)
    .returning('id')
    .execute()
  return rows.length > 0
}

/** Revokes every open, unexpired session of the user except `keepId`; returns the ids revoked. */
export async function revokeOtherSessions(
  db: Db,
  revoke: { userId: string; keepId: string; now: Date; reason: RevokeReason },
): Promise<string[]> {
  const rows = await tables(db)
    .updateTable('sessions')
    .set({ revoked_at: revoke.now, revoked_reason: revoke.reason })
    .where('user_id', '=', revoke.userId)
    .where('id', '<>', revoke.keepId)
    .where('revoked_at', 'is', null)
    .where('idle_expires_at', '>', revoke.now)
    .where('absolute_expires_at', '>', revoke.now)
    .returning('id')
    .execute()
  return rows.map((r) => r.id)
}

/** Revokes every open session of the user (e.g. after a password reset); returns the ids revoked. */
export async function revokeAllSessions(
  db: Db,
  revoke: { userId: string; now: Date; reason: RevokeReason },
): Promise<string[]> {
  const rows = await tables(db)
    .updateTable('sessions')
    .set({ revoked_at: revoke.now, revoked_reason: revoke.reason })
    .where('user_id', '=', revoke.userId)
    .where('revoked_at', 'is', null)
    .where('absolute_expires_at', '>', revoke.now)
    .returning('id')
    .execute()
  return rows.map((r) => r.id)
}

export interface SessionHistoryRow extends LiveSessionRow {
  revoked_at: Date | null
  revoked_reason: RevokeReason | null
  ip_ciphertext: string | null
  browser: string | null
  os: string | null
  device: DeviceType
}

/** The user's sessions that started after `since` or are still open, newest first. */
export async function listUserSessions(
  db: Db,
  query: { userId: string; since: Date; now: Date; limit: number },
): Promise<SessionHistoryRow[]> {
  return tables(db)
    .selectFrom('sessions')
    .select([
      'id',
      'user_id',
      'kind',
      'created_at',
      'last_seen_at',
      'idle_expires_at',
      'absolute_expires_at',
      'revoked_at',
      'revoked_reason',
      'ip_ciphertext',
      'browser',
      'os',
      'device',
      'second_factor_at',
    ])
    .where('user_id', '=', query.userId)
    .where((eb) => eb.or([eb('created_at', '>=', query.since), eb('absolute_expires_at', '>', query.now)]))
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(query.limit)
    .execute()
}

/** Deletes sessions that ended (revoked or expired) before `before`; returns how many. */
export async function deleteEndedSessions(db: Db, before: Date): Promise<number> {
  const rows = await tables(db)
    .deleteFrom('sessions')
    .where((eb) =>
      eb.or([
        eb('revoked_at', '<', before),
        eb('absolute_expires_at', '<', before),
        eb('idle_expires_at', '<', before),
      ]),
    )
    .returning('id')
    .execute()
  return rows.length
}
