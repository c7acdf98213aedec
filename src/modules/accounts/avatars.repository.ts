/** SQL of `user_avatars`. Every function takes the Db (or open transaction). */
import type { Db } from '../../platform/db/database'
import type { AccountTables } from './accounts.tables'

const tables = (db: Db) => db.withTables<AccountTables>()

export async function upsertAvatar(
  db: Db,
  row: { userId: string; imageCiphertext: string; width: number; height: number; now: Date },
): Promise<void> {
  const values = {
    image_ciphertext: row.imageCiphertext,
    content_type: 'image/webp' as const,
    width: row.width,
    height: row.height,
    updated_at: row.now,
  }
  await tables(db)
    .insertInto('user_avatars')
    .values({ user_id: row.userId, ...values })
    .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
    .execute()
}

export async function findAvatar(
  db: Db,
  userId: string,
): Promise<{ image_ciphertext: string; updated_at: Date } | undefined> {
  return tables(db)
    .selectFrom('user_avatars')
    .select(['image_ciphertext', 'updated_at'])
    .where('user_id', '=', userId)
    .executeTakeFirst()
}

export async function hasAvatar(db: Db, userId: string): Promise<Date | undefined> {
  const row = await tables(db)
    .selectFrom('user_avatars')
    .select('updated_at')
    .where('user_id', '=', userId)
    .executeTakeFirst()
  return row?.updated_at
}

export async function deleteAvatar(db: Db, userId: string): Promise<boolean> {
  const rows = await tables(db).deleteFrom('user_avatars').where('user_id', '=', userId).returning('user_id').execute()
  return rows.length > 0
}
