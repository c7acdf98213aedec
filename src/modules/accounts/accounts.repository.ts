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
  emailCiphertext: string | null
  emailIndex: string | null
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

/** The encrypted registration fields of an account (any subset). */
export type ProfileCiphertexts = Partial<
  Pick<
    AccountTables['users'],
    | 'phone_ciphertext'
    | 'phone_index'
    | 'surname_ciphertext'
    | 'given_name_ciphertext'
    | 'patronymic_ciphertext'
    | 'user_name_ciphertext'
    | 'iin_ciphertext'
    | 'iin_index'
    | 'gender_ciphertext'
    | 'birth_date_ciphertext'
  >
>

/** Stores registration fields (already encrypted). Unique violations: `users_phone_index_key`, `users_iin_index_key`. */
export async function updateProfileCiphertexts(
  db: Db,
  update: { id: string; values: ProfileCiphertexts; now: Date },
): Promise<void> {
  if (Object.keys(update.values).length === 0) return
  await tables(db)
    .updateTable('users')
    .set({ ...update.values, updated_at: update.now })
    .where('id', '=', update.id)
    .execute()
}

const PROFILE_COLUMNS = [
  'surname_ciphertext',
  'given_name_ciphertext',
  'patronymic_ciphertext',
  'user_name_ciphertext',
  'iin_ciphertext',
  'gender_ciphertext',
  'birth_date_ciphertext',
] as const

/** The encrypted registration fields of an account (for decryption by its owner's key). */
export async function findProfileCiphertexts(
  db: Db,
  id: string,
): Promise<Record<(typeof PROFILE_COLUMNS)[number], string | null> | undefined> {
  return tables(db).selectFrom('users').select(PROFILE_COLUMNS).where('id', '=', id).executeTakeFirst()
}

/** The id of the account holding this IIN blind index, if any. */
export async function findUserIdByIinIndex(db: Db, iinIndex: string): Promise<string | undefined> {
  const row = await tables(db).selectFrom('users').select('id').where('iin_index', '=', iinIndex).executeTakeFirst()
  return row?.id
}

/** Marks the address verified if it is still the account's address; false otherwise. */
export async function markEmailVerified(db: Db, mark: { id: string; emailIndex: string; now: Date }): Promise<boolean> {
  const rows = await tables(db)
    .updateTable('users')
    .set({ email_verified_at: mark.now, updated_at: mark.now })
    .where('id', '=', mark.id)
    .where('email_index', '=', mark.emailIndex)
    .returning('id')
    .execute()
  return rows.length > 0
}

/** Marks the number verified if it is still the account's number; false otherwise. */
export async function markPhoneVerified(db: Db, mark: { id: string; phoneIndex: string; now: Date }): Promise<boolean> {
  const rows = await tables(db)
    .updateTable('users')
    .set({ phone_verified_at: mark.now, updated_at: mark.now })
    .where('id', '=', mark.id)
    .where('phone_index', '=', mark.phoneIndex)
    .returning('id')
    .execute()
  return rows.length > 0
}

/** The blind indexes of the account's identifiers (to check a secret was sent to the current ones). */
export async function findIdentifierIndexes(
  db: Db,
  id: string,
): Promise<{ email_index: string | null; phone_index: string | null; status: AccountStatus } | undefined> {
  return tables(db)
    .selectFrom('users')
    .select(['email_index', 'phone_index', 'status'])
    .where('id', '=', id)
    .executeTakeFirst()
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
