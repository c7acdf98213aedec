/** Database access for per-subject data keys (the `subject_keys` table). */
import type { Db } from '../db/database'

export interface SubjectKeyRow {
  version: number
  wrapped_key: string | null
  kek_id: string | null
  destroyed_at: Date | null
}

const COLUMNS = ['version', 'wrapped_key', 'kek_id', 'destroyed_at'] as const

/** The context a data key is wrapped with (AAD): a wrapped key cannot be moved to another subject or version. */
export const dekContext = (subjectId: string, version: number): string => JSON.stringify([subjectId, version])

/** The subject's newest key (live or destroyed), if any. */
export function findCurrentKey(db: Db, subjectId: string): Promise<SubjectKeyRow | undefined> {
  return db
    .selectFrom('subject_keys')
    .select(COLUMNS)
    .where('subject_id', '=', subjectId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst()
}

/** One version of the subject's key, if it exists. */
export function findKey(db: Db, subjectId: string, version: number): Promise<SubjectKeyRow | undefined> {
  return db
    .selectFrom('subject_keys')
    .select(COLUMNS)
    .where('subject_id', '=', subjectId)
    .where('version', '=', version)
    .executeTakeFirst()
}

/** Inserts a key unless that version already exists (a concurrent writer won; the caller re-reads). */
export async function insertKey(
  db: Db,
  row: { subjectId: string; version: number; wrapped: string; kekId: string; now: Date },
): Promise<void> {
  await db
    .insertInto('subject_keys')
    .values({
      subject_id: row.subjectId,
      version: row.version,
      wrapped_key: row.wrapped,
      kek_id: row.kekId,
      created_at: row.now,
    })
    .onConflict((oc) => oc.columns(['subject_id', 'version']).doNothing())
    .execute()
}

/**
 * Destroys every live key of the subject; returns how many. A subject with
 * no key gets a destroyed tombstone, so no key is created for them later.
 */
export async function destroyKeys(db: Db, subjectId: string, now: Date): Promise<number> {
  const destroyed = await db
    .updateTable('subject_keys')
    .set({ wrapped_key: null, destroyed_at: now })
    .where('subject_id', '=', subjectId)
    .where('destroyed_at', 'is', null)
    .executeTakeFirst()
  const count = Number(destroyed.numUpdatedRows)
  if (count === 0) {
    await db
      .insertInto('subject_keys')
      .values({
        subject_id: subjectId,
        version: 1,
        wrapped_key: null,
        kek_id: null,
        created_at: now,
        destroyed_at: now,
      })
      .onConflict((oc) => oc.columns(['subject_id', 'version']).doNothing())
      .execute()
  }
  return count
}
