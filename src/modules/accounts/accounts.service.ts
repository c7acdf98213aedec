/**
 * The accounts service. `createAccount` writes the user, their roles and the
 * audit entries in one transaction: either all of it commits or nothing does.
 * The e-mail address is stored only as ciphertext under the new user's own
 * data key, and found again through its blind index.
 */
import { randomUUID } from 'node:crypto'
import type { AuditLog } from '../../platform/audit/index'
import { inTransaction, type Ctx, type Role } from '../../platform/context'
import type { FieldCrypto } from '../../platform/crypto/index'
import { EmailTakenError, InvalidRoleError, PhoneTakenError } from './accounts.errors'
import {
  findEmailCiphertext,
  findPhoneCiphertext,
  findProfileCiphertexts,
  findUserByEmailIndex,
  findUserById,
  findUserByPhoneIndex,
  insertRoles,
  insertUser,
  isUniqueViolation,
  rolesOf,
  updatePhone,
  type UserSummaryRow,
} from './accounts.repository'
import { ROLES, type AccountStatus } from './accounts.tables'
import { normaliseEmail, tryNormaliseEmail } from './emails'
import { checkPasswordPolicy, hashPassword } from './passwords'
import { normalisePhone, PHONE_FIELD, PHONE_INDEX_PURPOSE, tryNormalisePhone } from './phones'

/** Field name of the encrypted address (part of the ciphertext's AAD: never change it). */
export const EMAIL_FIELD = 'accounts.email'
/** Blind-index purpose of the address (changing it orphans every stored index). */
export const EMAIL_INDEX_PURPOSE = 'accounts.email'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** An account as other code sees it: no e-mail address, no password hash. */
export interface Account {
  id: string
  status: AccountStatus
  roles: Role[]
  createdAt: Date
  updatedAt: Date
  lastActiveAt: Date | null
  /** When the person proved they receive mail at the address; null until then. */
  emailVerifiedAt: Date | null
  /** When the person proved they receive SMS at the number; null until then (or after a change). */
  phoneVerifiedAt: Date | null
}

export interface CreateAccountInput {
  email: string
  password: string
  roles: readonly Role[]
}

export interface AccountsServiceDeps {
  audit: Pick<AuditLog, 'record'>
  crypto: Pick<FieldCrypto, 'encryptField' | 'decryptField' | 'blindIndex'>
}

export interface AccountsService {
  /** Creates an active account; throws InvalidEmailError, WeakPasswordError, InvalidRoleError or EmailTakenError. */
  createAccount(ctx: Ctx, input: CreateAccountInput): Promise<Account>
  /** The account with this id (no e-mail address, no password hash); undefined when unknown. */
  findById(ctx: Ctx, userId: string): Promise<Account | undefined>
  /** The account with this e-mail address (any form of it), found through the blind index. */
  findByEmail(ctx: Ctx, email: string): Promise<Account | undefined>
  /** The account's decrypted e-mail address; undefined for an unknown account or one without an address. */
  getEmail(ctx: Ctx, userId: string): Promise<string | undefined>
  /** Sets the account's phone number (E.164, unverified); throws InvalidPhoneError or PhoneTakenError. */
  setPhone(ctx: Ctx, userId: string, phone: string): Promise<void>
  /** The account with this phone number (any usual form of it), found through the blind index. */
  findByPhone(ctx: Ctx, phone: string): Promise<Account | undefined>
  /** The account's decrypted phone number in E.164; undefined when it has none. */
  getPhone(ctx: Ctx, userId: string): Promise<string | undefined>
  /** The account's decrypted registration fields (only those it holds); for its owner's eyes. */
  getProfileFields(ctx: Ctx, userId: string): Promise<ProfileFields>
  /** "Surname Given Patronymic" (or the user name), for documents such as consent receipts; null when none. */
  fullName(ctx: Ctx, userId: string): Promise<string | null>
}

/** Registration fields as stored (decrypted): names, user name, IIN (12 digits), gender, birth date (YYYY-MM-DD). */
export type ProfileFields = Partial<
  Record<'surname' | 'givenName' | 'patronymic' | 'userName' | 'iin' | 'gender' | 'birthDate', string>
>

/** Field name (in the ciphertext's AAD) of each profile field and its column. */
export const PROFILE_FIELDS = {
  surname: ['accounts.surname', 'surname_ciphertext'],
  givenName: ['accounts.given_name', 'given_name_ciphertext'],
  patronymic: ['accounts.patronymic', 'patronymic_ciphertext'],
  userName: ['accounts.user_name', 'user_name_ciphertext'],
  iin: ['accounts.iin', 'iin_ciphertext'],
  gender: ['accounts.gender', 'gender_ciphertext'],
  birthDate: ['accounts.birth_date', 'birth_date_ciphertext'],
} as const satisfies Record<keyof ProfileFields, readonly [string, string]>

function checkRoles(roles: readonly Role[]): Role[] {
  for (const role of roles) {
    if (!(ROLES as readonly string[]).includes(role)) throw new InvalidRoleError(String(role))
  }
  return [...new Set(roles)]
}

const toAccount = (row: UserSummaryRow, roles: Role[]): Account => ({
  id: row.id,
  status: row.status,
  roles,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  lastActiveAt: row.last_active_at,
  emailVerifiedAt: row.email_verified_at,
  phoneVerifiedAt: row.phone_verified_at,
})

/** Builds the accounts service. Times come from `ctx.now`, so tests travel in time with the request clock. */
export function createAccountsService(deps: AccountsServiceDeps): AccountsService {
  const { audit, crypto } = deps
  const emailIndex = (normalised: string) => crypto.blindIndex(normalised, EMAIL_INDEX_PURPOSE)
  const phoneIndex = (e164: string) => crypto.blindIndex(e164, PHONE_INDEX_PURPOSE)

  async function setPhone(ctx: Ctx, userId: string, phone: string): Promise<void> {
    const e164 = normalisePhone(phone)
    const index = phoneIndex(e164)
    try {
      await inTransaction(ctx, async (tx) => {
        const holder = await findUserByPhoneIndex(tx.db, index)
        if (holder && holder.id !== userId) throw new PhoneTakenError()
        if (holder) return // already theirs
        const phoneCiphertext = await crypto.encryptField(tx.db, { subjectId: userId, field: PHONE_FIELD }, e164)
        await updatePhone(tx.db, { id: userId, phoneCiphertext, phoneIndex: index, now: tx.now })
        await audit.record(tx, { action: 'account.phone_set', subjectType: 'user', subjectId: userId })
      })
    } catch (err) {
      if (isUniqueViolation(err, 'users_phone_index_key')) throw new PhoneTakenError()
      throw err
    }
  }

  async function createAccount(ctx: Ctx, input: CreateAccountInput): Promise<Account> {
    const email = normaliseEmail(input.email)
    checkPasswordPolicy(input.password)
    const roles = checkRoles(input.roles)
    const index = emailIndex(email)
    // Hash before the transaction opens: ~50 ms of argon2 should not hold locks.
    const passwordHash = await hashPassword(input.password)
    const id = randomUUID()
    try {
      return await inTransaction(ctx, async (tx) => {
        if (await findUserByEmailIndex(tx.db, index)) throw new EmailTakenError()
        const emailCiphertext = await crypto.encryptField(tx.db, { subjectId: id, field: EMAIL_FIELD }, email)
        await insertUser(tx.db, { id, emailCiphertext, emailIndex: index, passwordHash, status: 'active', now: tx.now })
        // Self-registration has no actor yet: the person grants their own first role.
        await insertRoles(tx.db, { userId: id, roles, grantedAt: tx.now, grantedBy: tx.actor?.id ?? id })
        await audit.record(tx, { action: 'account.created', subjectType: 'user', subjectId: id })
        for (const role of roles) {
          await audit.record(tx, { action: 'role.granted', subjectType: 'user', subjectId: id, data: { role } })
        }
        const row = await findUserById(tx.db, id)
        if (!row) throw new Error(`account ${id} vanished after insert`)
        return toAccount(row, await rolesOf(tx.db, id))
      })
    } catch (err) {
      // Two registrations of one address at once: the unique index stops the second.
      if (isUniqueViolation(err, 'users_email_index_key')) throw new EmailTakenError()
      throw err
    }
  }

  async function getProfileFields(ctx: Ctx, userId: string): Promise<ProfileFields> {
    if (!UUID.test(userId)) return {}
    const row = await findProfileCiphertexts(ctx.db, userId)
    const fields: ProfileFields = {}
    if (!row) return fields
    for (const [name, [field, column]] of Object.entries(PROFILE_FIELDS) as [
      keyof ProfileFields,
      readonly [string, keyof typeof row],
    ][]) {
      const ciphertext = row[column]
      if (ciphertext) fields[name] = await crypto.decryptField(ctx.db, { subjectId: userId, field }, ciphertext)
    }
    return fields
  }

  return {
    createAccount,
    setPhone,

    async findById(ctx, userId) {
      if (!UUID.test(userId)) return undefined
      const row = await findUserById(ctx.db, userId)
      return row ? toAccount(row, await rolesOf(ctx.db, row.id)) : undefined
    },

    async findByPhone(ctx, phone) {
      const e164 = tryNormalisePhone(phone)
      if (e164 === undefined) return undefined
      const row = await findUserByPhoneIndex(ctx.db, phoneIndex(e164))
      return row ? toAccount(row, await rolesOf(ctx.db, row.id)) : undefined
    },

    getProfileFields,

    async fullName(ctx, userId) {
      const f = await getProfileFields(ctx, userId)
      const name = [f.surname, f.givenName, f.patronymic].filter(Boolean).join(' ')
      return name || f.userName || null
    },

    async getPhone(ctx, userId) {
      if (!UUID.test(userId)) return undefined
      const ciphertext = await findPhoneCiphertext(ctx.db, userId)
      if (ciphertext == null) return undefined
      return crypto.decryptField(ctx.db, { subjectId: userId, field: PHONE_FIELD }, ciphertext)
    },

    async findByEmail(ctx, email) {
      const normalised = tryNormaliseEmail(email)
      if (normalised === undefined) return undefined
      const row = await findUserByEmailIndex(ctx.db, emailIndex(normalised))
      return row ? toAccount(row, await rolesOf(ctx.db, row.id)) : undefined
    },

    async getEmail(ctx, userId) {
      if (!UUID.test(userId)) return undefined
      const ciphertext = await findEmailCiphertext(ctx.db, userId)
      if (ciphertext == null) return undefined
      return crypto.decryptField(ctx.db, { subjectId: userId, field: EMAIL_FIELD }, ciphertext)
    },
  }
}
