/** SQL of the account_tokens table (one-time secrets, stored as keyed hashes). */
import type { Db } from '../../platform/db/database'
import type { AccountTables, TokenPurpose } from './accounts.tables'

const tables = (db: Db) => db.withTables<AccountTables>()

export interface NewTokenRow {
  id: string
  userId: string
  purpose: TokenPurpose
  secretHash: string
  targetIndex: string | null
  now: Date
  expiresAt: Date
}

/** Stores a new secret and deletes the user's earlier unused ones of the same purpose (only the newest works). */
export async function replaceToken(db: Db, row: NewTokenRow): Promise<void> {
  await tables(db)
    .deleteFrom('account_tokens')
    .where('user_id', '=', row.userId)
    .where('purpose', '=', row.purpose)
    .where('used_at', 'is', null)
    .execute()
  await tables(db)
    .insertInto('account_tokens')
    .values({
      id: row.id,
      user_id: row.userId,
      purpose: row.purpose,
      secret_hash: row.secretHash,
      target_index: row.targetIndex,
      created_at: row.now,
      expires_at: row.expiresAt,
      used_at: null,
      attempts: 0,
    })
    .execute()
}

export interface TokenRow {
  id: string
  user_id: string
  target_index: string | null
  secret_hash: string
  attempts: number
}

/** Marks the unused, unexpired secret with this hash used, and returns it; undefined when there is none. */
export async function useTokenByHash(
  db: Db,
  use: { purpose: TokenPurpose; secretHash: string; now: Date },
): Promise<TokenRow | undefined> {
  return tables(db)
    .updateTable('account_tokens')
    .set({ used_at: use.now })
    .where('secret_hash', '=', use.secretHash)
    .where('purpose', '=', use.purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', use.now)
    .returning(['id', 'user_id', 'target_index', 'secret_hash', 'attempts'])
    .executeTakeFirst()
}

/** The user's newest unused, unexpired secret of a purpose (locked for update on PostgreSQL). */
export async function findOpenToken(
  db: Db,
  query: { userId: string; purpose: TokenPurpose; now: Date },
): Promise<TokenRow | undefined> {
  return tables(db)
    .selectFrom('account_tokens')
    .select(['id', 'user_id', 'target_index', 'secret_hash', 'attempts'])
    .where('user_id', '=', query.userId)
    .where('purpose', '=', query.purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', query.now)
    .orderBy('created_at', 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst()
}

/** Counts a wrong code against the secret; returns the new count. */
export async function countAttempt(db: Db, id: string): Promise<number> {
  const row = await tables(db)
    .updateTable('account_tokens')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .returning('attempts')
    .executeTakeFirst()
  return row?.attempts ?? 0
}

/** Marks a secret used. */
export async function markTokenUsed(db: Db, id: string, now: Date): Promise<void> {
  await tables(db).updateTable('account_tokens').set({ used_at: now }).where('id', '=', id).execute()
}

/** Deletes secrets that expired before `before`; returns how many. */
export async function deleteExpiredTokens(db: Db, before: Date): Promise<number> {
  const rows = await tables(db).deleteFrom('account_tokens').where('expires_at', '<', before).returning('id').execute()
  return rows.length
}
