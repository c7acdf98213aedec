/**
 * Registration: exactly the fields the operator profile asks for (T-3.2),
 * the privacy policy shown before the account exists, and in one
 * transaction: the account, its encrypted fields, the learner role, the
 * acceptance of that exact policy text in the consent ledger (T-1.2, law
 * Art. 8(4)), the verification link and code, and a first session. Either
 * all of it commits or none of it does.
 */
import { randomUUID } from 'node:crypto'
import type { AuditLog } from '../../platform/audit/index'
import { inTransaction, type Ctx, type Locale } from '../../platform/context'
import type { FieldCrypto } from '../../platform/crypto/index'
import type { ConsentService } from '../privacy/index'
import { AccountsError, RegistrationInvalidError, type FieldProblem } from './accounts.errors'
import {
  findUserByEmailIndex,
  findUserByPhoneIndex,
  findUserIdByIinIndex,
  insertRoles,
  insertUser,
  isUniqueViolation,
  updateProfileCiphertexts,
  type ProfileCiphertexts,
} from './accounts.repository'
import { EMAIL_FIELD, EMAIL_INDEX_PURPOSE, PROFILE_FIELDS } from './accounts.service'
import { setAgeFacts } from './guardians.repository'
import { IIN_FIELD, IIN_INDEX_PURPOSE, iinHints } from './iin'
import { adultOn, isMinorOn } from './minors'
import { checkPasswordPolicy, hashPassword } from './passwords'
import { PHONE_FIELD, PHONE_INDEX_PURPOSE } from './phones'
import { checkRegistrationFields, type AskedField, type RegistrationValues } from './registration-fields'
import type { SessionsService, StartedSession } from './sessions.service'
import type { VerificationService } from './verification.service'

export interface RegistrationDeps {
  audit: Pick<AuditLog, 'record'>
  crypto: Pick<FieldCrypto, 'encryptField' | 'blindIndex'>
  consents: Pick<ConsentService, 'recordPolicyAcceptance'>
  sessions: Pick<SessionsService, 'start'>
  verification: Pick<VerificationService, 'sendEmailLink' | 'sendPhoneCode'>
}

export interface RegisterInput {
  /** The fields the form asked for (from the operator profile). */
  asked: readonly AskedField[]
  /** What was typed, by field name. */
  raw: Partial<Record<string, string>>
  password: string
  /** The person ticked "I have read and accept the privacy policy". */
  acceptedPolicy: boolean
  /** The policy text that was shown: version, language and hash. */
  policy: { versionId: string; locale: Locale; textSha256: string }
}

export interface Registered {
  userId: string
  consentId: string
  session: StartedSession
}

export interface RegistrationService {
  /** Creates the account; throws RegistrationInvalidError (problems by field) or a privacy error for a stale policy. */
  register(ctx: Ctx, input: RegisterInput): Promise<Registered>
}

/** The encrypted fields besides the indexed IIN: field name (part of the ciphertext's AAD) and column. */
const ENCRYPTED = {
  surname: PROFILE_FIELDS.surname,
  givenName: PROFILE_FIELDS.givenName,
  patronymic: PROFILE_FIELDS.patronymic,
  userName: PROFILE_FIELDS.userName,
  gender: PROFILE_FIELDS.gender,
  birthDate: PROFILE_FIELDS.birthDate,
}

/** The answers to "your IIN suggests this birth date — is it yours?". */
export const IIN_BIRTH_DATE_ANSWERS: readonly string[] = ['confirmed', 'not_mine']

/**
 * The birth date that makes the new person a minor today, if any: the
 * entered birth date (BTS), or the IIN's hint the person confirmed (Talap).
 */
export function minorBirthDateOf(now: Date, values: RegistrationValues, iinAnswer: string | undefined) {
  const birthDate =
    values.birthDate ?? (iinAnswer === 'confirmed' && values.iin ? iinHints(values.iin).birthDate : undefined)
  return birthDate && isMinorOn(birthDate, now) ? birthDate : undefined
}

/** Builds the registration service. */
export function createRegistrationService(deps: RegistrationDeps): RegistrationService {
  const { audit, crypto, consents, sessions, verification } = deps
  const index = {
    email: (v: string) => crypto.blindIndex(v, EMAIL_INDEX_PURPOSE),
    phone: (v: string) => crypto.blindIndex(v, PHONE_INDEX_PURPOSE),
    iin: (v: string) => crypto.blindIndex(v, IIN_INDEX_PURPOSE),
  }

  /** Every problem at once: fields, password, acceptance. */
  function check(ctx: Ctx, input: RegisterInput): RegistrationValues {
    const { values, problems } = checkRegistrationFields(input.asked, input.raw, ctx.now)
    try {
      checkPasswordPolicy(input.password)
    } catch (err) {
      if (!(err instanceof AccountsError)) throw err
      problems.password = { code: err.code, params: err.params }
    }
    if (!values.email && !values.phone && !problems.email && !problems.phone)
      problems.email = { code: 'accounts.field_required' }
    if (!input.acceptedPolicy) problems.acceptPolicy = { code: 'accounts.policy_not_accepted' }
    // The IIN's digits suggest an under-18 birth date: only a hint (law-kz.md), so the person confirms it or says it is not theirs.
    const hinted = !values.birthDate && values.iin ? iinHints(values.iin).birthDate : undefined
    if (hinted && isMinorOn(hinted, ctx.now) && !IIN_BIRTH_DATE_ANSWERS.includes(input.raw.iinBirthDate ?? ''))
      problems.iinBirthDate = { code: 'accounts.iin_birth_date_confirm' }
    if (Object.keys(problems).length > 0) throw new RegistrationInvalidError(problems)
    return values
  }

  /** Identifiers another account already holds. */
  async function taken(ctx: Ctx, values: RegistrationValues): Promise<Record<string, FieldProblem>> {
    const problems: Record<string, FieldProblem> = {}
    if (values.email && (await findUserByEmailIndex(ctx.db, index.email(values.email))))
      problems.email = { code: 'accounts.email_taken' }
    if (values.phone && (await findUserByPhoneIndex(ctx.db, index.phone(values.phone))))
      problems.phone = { code: 'accounts.phone_taken' }
    if (values.iin && (await findUserIdByIinIndex(ctx.db, index.iin(values.iin))))
      problems.iin = { code: 'accounts.iin_taken' }
    return problems
  }

  /** The encrypted columns of the given values, under the new person's data key. */
  async function encryptAll(ctx: Ctx, id: string, values: RegistrationValues): Promise<ProfileCiphertexts> {
    const seal = (field: string, value: string) => crypto.encryptField(ctx.db, { subjectId: id, field }, value)
    const out: ProfileCiphertexts = {}
    for (const [name, [field, column]] of Object.entries(ENCRYPTED) as [
      keyof typeof ENCRYPTED,
      readonly [string, keyof ProfileCiphertexts],
    ][]) {
      const value = values[name]
      if (value !== undefined) out[column] = await seal(field, value)
    }
    if (values.phone)
      Object.assign(out, {
        phone_ciphertext: await seal(PHONE_FIELD, values.phone),
        phone_index: index.phone(values.phone),
      })
    if (values.iin)
      Object.assign(out, { iin_ciphertext: await seal(IIN_FIELD, values.iin), iin_index: index.iin(values.iin) })
    return out
  }

  async function create(ctx: Ctx, input: RegisterInput, values: RegistrationValues, passwordHash: string) {
    const id = randomUUID()
    return inTransaction(ctx, async (outer) => {
      const problems = await taken(outer, values)
      if (Object.keys(problems).length > 0) throw new RegistrationInvalidError(problems)
      // The new person acts for themself from here on.
      const tx: Ctx = { ...outer, actor: { kind: 'user', id, roles: ['learner'] } }
      const email = values.email ?? null
      const emailCiphertext = email
        ? await crypto.encryptField(tx.db, { subjectId: id, field: EMAIL_FIELD }, email)
        : null
      const emailIndex = email ? index.email(email) : null
      await insertUser(tx.db, { id, emailCiphertext, emailIndex, passwordHash, status: 'active', now: tx.now })
      await updateProfileCiphertexts(tx.db, { id, values: await encryptAll(tx, id, values), now: tx.now })
      await insertRoles(tx.db, { userId: id, roles: ['learner'], grantedAt: tx.now, grantedBy: id })
      const minorBirthDate = minorBirthDateOf(tx.now, values, input.raw.iinBirthDate)
      if (minorBirthDate) {
        // Under 18: the account waits for a parent or guardian's consent (law Arts. 7–8).
        await setAgeFacts(tx.db, {
          userId: id,
          facts: { adult_on: adultOn(minorBirthDate), guardian_state: 'awaiting_guardian' },
          now: tx.now,
        })
        await audit.record(tx, { action: 'account.minor_detected', subjectType: 'user', subjectId: id, data: {} })
      }
      await audit.record(tx, {
        action: 'account.created',
        subjectType: 'user',
        subjectId: id,
        data: { channel: 'web_registration' },
      })
      await audit.record(tx, { action: 'role.granted', subjectType: 'user', subjectId: id, data: { role: 'learner' } })
      const consent = await consents.recordPolicyAcceptance(tx, {
        subjectId: id,
        policyVersionId: input.policy.versionId,
        locale: input.policy.locale,
        textSha256: input.policy.textSha256,
        channel: 'web_registration',
        evidence: { fields: input.asked.map((f) => f.name).join(',') },
      })
      if (email) await verification.sendEmailLink(tx, { userId: id, email, locale: tx.locale })
      if (values.phone) await verification.sendPhoneCode(tx, { userId: id, phone: values.phone, locale: tx.locale })
      const session = await sessions.start(tx, { userId: id })
      return { userId: id, consentId: consent.id, session }
    })
  }

  return {
    async register(ctx, input) {
      const values = check(ctx, input)
      // Hash before the transaction opens: argon2 should not hold locks.
      const passwordHash = await hashPassword(input.password)
      try {
        return await create(ctx, input, values, passwordHash)
      } catch (err) {
        // Two registrations of one identifier at once: the unique index stops the second.
        const fields = { users_email_index_key: 'email', users_phone_index_key: 'phone', users_iin_index_key: 'iin' }
        for (const [constraint, field] of Object.entries(fields))
          if (isUniqueViolation(err, constraint))
            throw new RegistrationInvalidError({ [field]: { code: `accounts.${field}_taken` } })
        throw err
      }
    },
  }
}
