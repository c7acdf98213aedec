/** SQL of the accounts tables, with explicit column lists. Every function takes the Db (or open transaction) to use. */
import type { Role } from '../../platform/context'
import type { Db } from '../../platform/db/database'
import type { AccountStatus, AccountTables } from './accounts.tables'

const tables = (db: Db) => db.withTables<AccountTables>()

/** The columns of an account that are not personal-data payloads (no e-mail, no password hash). */
const SUMMARY_COLUMNS = [
  'id',
  'status',
  'created_at',
  'updated_at',
  'last_active_at',
  'email_verified_at',
  'phone_verified_at',
] as const

export interface UserSummaryRow {
  id: string
  status: AccountStatus
  created_at: Date
  updated_at: Date
  last_active_at: Date | null
  email_verified_at: Date | null
  phone_verified_at: Date | null
}

export interface NewUserRow {
  id: string
  emailCiphertext: string
  emailIndex: string
  passwordHash: string
  status: AccountStatus
  now: Date
}

/** Inserts a user row; a duplicate e-mail index fails with the unique violation `users_email_index_key`. */
export async function insertUser(db: Db, row: NewUserRow): Promise<void> {
  await tables(db)
    .insertInto('users')
    .values({
      id: row.id,
      email_ciphertext: row.emailCiphertext,
      email_index: row.emailIndex,
      password_hash: row.passwordHash,
      status: row.status,
      created_at: row.now,
      updated_at: row.now,
      last_active_at: null,
    })
    .execute()
}

/** Grants roles (ignoring ones the user already has). */
export async function insertRoles(
  db: Db,
  grant: { userId: string; roles: readonly Role[]; grantedAt: Date; grantedBy: string },
): Promise<void> {
  if (grant.roles.length === 0) return
  await tables(db)
    .insertInto('user_roles')
    .values(
      grant.roles.map((role) => ({
        user_id: grant.userId,
        role,
        granted_at: grant.grantedAt,
        granted_by: grant.grantedBy,
      })),
    )
    .onConflict((oc) => oc.columns(['user_id', 'role']).doNothing())
    .execute()
}

export async function findUserByEmailIndex(db: Db, emailIndex: string): Promise<UserSummaryRow | undefined> {
  return tables(db).selectFrom('users').select(SUMMARY_COLUMNS).where('email_index', '=', emailIndex).executeTakeFirst()
}

export async function findUserById(db: Db, id: string): Promise<UserSummaryRow | undefined> {
  return tables(db).selectFrom('users').select(SUMMARY_COLUMNS).where('id', '=', id).executeTakeFirst()
}

/** What sign-in needs of an account found by the blind index of its e-mail address or phone number. */
export interface SignInRow {
  id: string
  status: AccountStatus
  password_hash: string | null
}

export async function findUserForSignIn(
  db: Db,
  by: { emailIndex: string } | { phoneIndex: string },
): Promise<SignInRow | undefined> {
  const query = tables(db).selectFrom('users').select(['id', 'status', 'password_hash'])
  return (
    'emailIndex' in by ? query.where('email_index', '=', by.emailIndex) : query.where('phone_index', '=', by.phoneIndex)
  ).executeTakeFirst()
}

export async function findUserByPhoneIndex(db: Db, phoneIndex: string): Promise<UserSummaryRow | undefined> {
  return tables(db).selectFrom('users').select(SUMMARY_COLUMNS).where('phone_index', '=', phoneIndex).executeTakeFirst()
}

/** Replaces the stored password hash (a rehash with today's parameters, or a new password). */
export async function updatePasswordHash(
  db: Db,
  update: { id: string; passwordHash: string; now: Date },
): Promise<void> {
  await tables(db)
    .updateTable('users')
    .set({ password_hash: update.passwordHash, updated_at: update.now })
    .where('id', '=', update.id)
    .execute()
}

/** Sets (or replaces) the phone number; a new number is unverified. Fails on `users_phone_index_key` when taken. */
export async function updatePhone(
  db: Db,
  update: { id: string; phoneCiphertext: string; phoneIndex: string; now: Date },
): Promise<void> {
  await tables(db)
    .updateTable('users')
    .set({
      phone_ciphertext: update.phoneCiphertext,
      phone_index: update.phoneIndex,
      phone_verified_at: null,
      updated_at: update.now,
    })
    .where('id', '=', update.id)
    .execute()
}

export async function findPhoneCiphertext(db: Db, id: string): Promise<string | null | undefined> {
  const row = await tables(db).selectFrom('users').select('phone_ciphertext').where('id', '=', id).executeTakeFirst()
  return row?.phone_ciphertext
}

export async function findEmailCiphertext(db: Db, id: string): Promise<string | null | undefined> {
  const row = await tables(db).selectFrom('users').select('email_ciphertext').where('id', '=', id).executeTakeFirst()
  return row?.email_ciphertext
}

/** The user's roles, in a stable order. */
export async function rolesOf(db: Db, userId: string): Promise<Role[]> {
  const rows = await tables(db)
    .selectFrom('user_roles')
    .select('role')
    .where('user_id', '=', userId)
    .orderBy('role')
    .execute()
  return rows.map((r) => r.role)
}

/** True when `err` is PostgreSQL's unique violation of the given constraint (PGlite reports it alike). */
export function isUniqueViolation(err: unknown, constraint: string): boolean {
  if (typeof err !== 'object' || err === null) return false
  const e = err as { code?: unknown; constraint?: unknown }
  return e.code === '23505' && e.constraint === constraint
}
