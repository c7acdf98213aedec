/** SQL of the login_throttles table (failed sign-in counters keyed by HMAC). */
import { sql } from 'kysely'
import type { Db } from '../../platform/db/database'
import type { AccountTables, ThrottleScope } from './accounts.tables'

const tables = (db: Db) => db.withTables<AccountTables>()

export interface ThrottleKey {
  scope: ThrottleScope
  keyHash: string
}

/** The latest `locked_until` still in the future among the keys, if any. */
export async function findLock(db: Db, keys: readonly ThrottleKey[], now: Date): Promise<Date | undefined> {
  if (keys.length === 0) return undefined
  const rows = await tables(db)
    .selectFrom('login_throttles')
    .select('locked_until')
    .where((eb) => eb.or(keys.map((k) => eb.and([eb('scope', '=', k.scope), eb('key_hash', '=', k.keyHash)]))))
    .where('locked_until', '>', now)
    .orderBy('locked_until', 'desc')
    .limit(1)
    .execute()
  return rows[0]?.locked_until ?? undefined
}

/**
 * Counts one failure atomically: a new window starts when the old one is
 * older than `windowStart` or a lock has run out. Returns the count.
 */
export async function countFailure(db: Db, failure: ThrottleKey & { now: Date; windowStart: Date }): Promise<number> {
  const { scope, keyHash, now, windowStart } = failure
  const fresh = sql`(login_throttles.window_started_at <= ${windowStart} OR login_throttles.locked_until <= ${now})`
  const result = await sql<{ failures: number }>`
    INSERT INTO login_throttles (scope, key_hash, failures, window_started_at, locked_until, updated_at)
    VALUES (${scope}, ${keyHash}, 1, ${now}, NULL, ${now})
    ON CONFLICT (scope, key_hash) DO UPDATE SET
      failures = CASE WHEN ${fresh} THEN 1 ELSE login_throttles.failures + 1 END,
      window_started_at = CASE WHEN ${fresh} THEN ${now} ELSE login_throttles.window_started_at END,
      locked_until = CASE WHEN ${fresh} THEN NULL ELSE login_throttles.locked_until END,
      updated_at = ${now}
    RETURNING failures`.execute(db)
  return Number(result.rows[0]?.failures ?? 0)
}

/** Locks the key until `until` and starts its count afresh. */
export async function lockKey(db: Db, lock: ThrottleKey & { now: Date; until: Date }): Promise<void> {
  await tables(db)
    .updateTable('login_throttles')
    .set({ locked_until: lock.until, failures: 0, window_started_at: lock.now, updated_at: lock.now })
    .where('scope', '=', lock.scope)
    .where('key_hash', '=', lock.keyHash)
    .execute()
}

/** Forgets the failures of a key (after a successful sign-in). */
export async function clearKey(db: Db, key: ThrottleKey): Promise<void> {
  await tables(db)
    .deleteFrom('login_throttles')
    .where('scope', '=', key.scope)
    .where('key_hash', '=', key.keyHash)
    .execute()
}

/** Deletes counters last touched before `before` whose lock (if any) has run out; returns how many. */
export async function deleteStaleThrottles(db: Db, before: Date, now: Date): Promise<number> {
  const rows = await tables(db)
    .deleteFrom('login_throttles')
    .where('updated_at', '<', before)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
    .returning('scope')
    .execute()
  return rows.length
}
