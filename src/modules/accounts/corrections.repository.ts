/**
 * SQL of corrections (T-5.2.2): pending new identifiers on `users` and the
 * `data_change_requests` table. Every function takes the Db (or open transaction).
 */
import type { Db } from '../../platform/db/database'
import type { AccountTables, ChangeRequestField, ChangeRequestStatus } from './accounts.tables'

const tables = (db: Db) => db.withTables<AccountTables>()

export type IdentifierKind = 'email' | 'phone'

export interface PendingRow {
  pending_email_ciphertext: string | null
  pending_email_index: string | null
  pending_email_expires_at: Date | null
  pending_phone_ciphertext: string | null
  pending_phone_index: string | null
  pending_phone_expires_at: Date | null
}

/** The account's pending identifiers (expired ones included: the caller compares with now). */
export async function findPending(db: Db, id: string): Promise<PendingRow | undefined> {
  return tables(db)
    .selectFrom('users')
    .select([
      'pending_email_ciphertext',
      'pending_email_index',
      'pending_email_expires_at',
      'pending_phone_ciphertext',
      'pending_phone_index',
      'pending_phone_expires_at',
    ])
    .where('id', '=', id)
    .executeTakeFirst()
}

/** Stores a new address or number waiting for its proof (replacing an earlier pending one). */
export async function setPending(
  db: Db,
  input: { id: string; kind: IdentifierKind; ciphertext: string; index: string; expiresAt: Date; now: Date },
): Promise<void> {
  const values =
    input.kind === 'email'
      ? {
          pending_email_ciphertext: input.ciphertext,
          pending_email_index: input.index,
          pending_email_expires_at: input.expiresAt,
        }
      : {
          pending_phone_ciphertext: input.ciphertext,
          pending_phone_index: input.index,
          pending_phone_expires_at: input.expiresAt,
        }
  await tables(db)
    .updateTable('users')
    .set({ ...values, updated_at: input.now })
    .where('id', '=', input.id)
    .execute()
}

/**
 * Puts the pending address (or number) in force, verified now, when it is
 * still pending under `index` and unexpired; false otherwise. A unique
 * violation (`users_email_index_key` / `users_phone_index_key`) means
 * another account took it meanwhile.
 */
export async function applyPending(
  db: Db,
  input: { id: string; kind: IdentifierKind; index: string; now: Date },
): Promise<boolean> {
  const q = tables(db).updateTable('users')
  const rows = await (
    input.kind === 'email'
      ? q
          .set((eb) => ({
            email_ciphertext: eb.ref('pending_email_ciphertext'),
            email_index: eb.ref('pending_email_index'),
            email_verified_at: input.now,
            pending_email_ciphertext: null,
            pending_email_index: null,
            pending_email_expires_at: null,
            updated_at: input.now,
          }))
          .where('pending_email_index', '=', input.index)
          .where('pending_email_expires_at', '>', input.now)
      : q
          .set((eb) => ({
            phone_ciphertext: eb.ref('pending_phone_ciphertext'),
            phone_index: eb.ref('pending_phone_index'),
            phone_verified_at: input.now,
            pending_phone_ciphertext: null,
            pending_phone_index: null,
            pending_phone_expires_at: null,
            updated_at: input.now,
          }))
          .where('pending_phone_index', '=', input.index)
          .where('pending_phone_expires_at', '>', input.now)
  )
    .where('id', '=', input.id)
    .returning('id')
    .execute()
  return rows.length > 0
}

/** Drops pending identifiers that expired unverified; returns how many values were dropped. */
export async function clearExpiredPending(db: Db, now: Date): Promise<number> {
  const emails = await tables(db)
    .updateTable('users')
    .set({ pending_email_ciphertext: null, pending_email_index: null, pending_email_expires_at: null })
    .where('pending_email_expires_at', '<=', now)
    .returning('id')
    .execute()
  const phones = await tables(db)
    .updateTable('users')
    .set({ pending_phone_ciphertext: null, pending_phone_index: null, pending_phone_expires_at: null })
    .where('pending_phone_expires_at', '<=', now)
    .returning('id')
    .execute()
  return emails.length + phones.length
}

export interface ChangeRequestRow {
  id: string
  user_id: string
  field: ChangeRequestField
  value_ciphertext: string
  reason_ciphertext: string | null
  status: ChangeRequestStatus
  created_at: Date
  decided_at: Date | null
  decided_by: string | null
  note_ciphertext: string | null
}

const REQUEST_COLUMNS = [
  'id',
  'user_id',
  'field',
  'value_ciphertext',
  'reason_ciphertext',
  'status',
  'created_at',
  'decided_at',
  'decided_by',
  'note_ciphertext',
] as const

export async function insertChangeRequest(
  db: Db,
  row: {
    id: string
    userId: string
    field: ChangeRequestField
    valueCiphertext: string
    reasonCiphertext: string | null
    now: Date
  },
): Promise<void> {
  await tables(db)
    .insertInto('data_change_requests')
    .values({
      id: row.id,
      user_id: row.userId,
      field: row.field,
      value_ciphertext: row.valueCiphertext,
      reason_ciphertext: row.reasonCiphertext,
      status: 'open',
      created_at: row.now,
      decided_at: null,
      decided_by: null,
      note_ciphertext: null,
    })
    .execute()
}

/** The user's requests, newest first. */
export async function listUserChangeRequests(db: Db, userId: string, limit: number): Promise<ChangeRequestRow[]> {
  return tables(db)
    .selectFrom('data_change_requests')
    .select(REQUEST_COLUMNS)
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute()
}

/** Requests with a status, oldest first (the DPO's queue), a page at a time. */
export async function listChangeRequestsByStatus(
  db: Db,
  query: { status: ChangeRequestStatus; limit: number; offset: number },
): Promise<ChangeRequestRow[]> {
  return tables(db)
    .selectFrom('data_change_requests')
    .select(REQUEST_COLUMNS)
    .where('status', '=', query.status)
    .orderBy('created_at')
    .orderBy('id')
    .limit(query.limit)
    .offset(query.offset)
    .execute()
}

export async function findChangeRequest(db: Db, id: string): Promise<ChangeRequestRow | undefined> {
  return tables(db).selectFrom('data_change_requests').select(REQUEST_COLUMNS).where('id', '=', id).executeTakeFirst()
}

/** Records the decision on an open request; false when it is no longer open. */
export async function decideChangeRequest(
  db: Db,
  input: { id: string; status: 'approved' | 'rejected'; by: string; noteCiphertext: string | null; now: Date },
): Promise<boolean> {
  const rows = await tables(db)
    .updateTable('data_change_requests')
    .set({ status: input.status, decided_at: input.now, decided_by: input.by, note_ciphertext: input.noteCiphertext })
    .where('id', '=', input.id)
    .where('status', '=', 'open')
    .returning('id')
    .execute()
  return rows.length > 0
}
