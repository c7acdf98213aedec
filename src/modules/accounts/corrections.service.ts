/**
 * Correcting one's own data (T-5.2.2). The owner edits what the operator
 * profile asks of them: the user name, gender and birth date change at once;
 * a new e-mail address or phone number waits as *pending* until the link or
 * code sent to it comes back (the verified value stays in force, an
 * unverified change expires). The IIN and legal names (surname, given name,
 * patronymic) change only through a *data change request* that the DPO
 * decides; an approved value is validated again (IIN checksum, uniqueness by
 * blind index) and applied. Every change is audited by ids and field names.
 */
import { randomUUID } from 'node:crypto'
import type { AuditLog } from '../../platform/audit/index'
import { inTransaction, type Actor, type Ctx } from '../../platform/context'
import type { FieldCrypto } from '../../platform/crypto/index'
import {
  AccountsError,
  ChangeSameError,
  EmailTakenError,
  IinTakenError,
  NotAllowedError,
  PhoneTakenError,
  RegistrationInvalidError,
  RequestDecidedError,
  type FieldProblem,
} from './accounts.errors'
import {
  findUserByEmailIndex,
  findUserByPhoneIndex,
  findUserIdByIinIndex,
  isUniqueViolation,
  updateProfileCiphertexts,
  type ProfileCiphertexts,
} from './accounts.repository'
import { EMAIL_FIELD, EMAIL_INDEX_PURPOSE, PROFILE_FIELDS, type AccountsService } from './accounts.service'
import { CHANGE_REQUEST_FIELDS, type ChangeRequestField, type ChangeRequestStatus } from './accounts.tables'
import {
  decideChangeRequest,
  findChangeRequest,
  insertChangeRequest,
  listChangeRequestsByStatus,
  listUserChangeRequests,
  setPending,
  type ChangeRequestRow,
} from './corrections.repository'
import { ageFactsOf, setAgeFacts } from './guardians.repository'
import { IIN_INDEX_PURPOSE, maskIin } from './iin'
import { adultOn, isMinorOn } from './minors'
import { PHONE_FIELD, PHONE_INDEX_PURPOSE } from './phones'
import { canDecideChangeRequests } from './policies'
import { checkField, type AskedField, type FormField } from './registration-fields'
import type { VerificationService } from './verification.service'

/** Fields the owner changes directly (when the profile asks for them). */
export const DIRECT_FIELDS = ['userName', 'gender', 'birthDate'] as const satisfies readonly FormField[]
/** Identifiers that change only after the new value is verified. */
export const VERIFIED_FIELDS = ['email', 'phone'] as const satisfies readonly FormField[]
/** How long an unverified new address or number waits before it is dropped. */
export const PENDING_LIFETIMES = { email: 48 * 3_600_000, phone: 24 * 3_600_000 } as const
export const REASON_MAX_LENGTH = 1000
const REQUEST_PAGE = 50
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Field names (AAD) of a request's encrypted parts. */
export const CHANGE_REQUEST_VALUE_FIELD = 'accounts.change_request_value'
export const CHANGE_REQUEST_REASON_FIELD = 'accounts.change_request_reason'
export const CHANGE_REQUEST_NOTE_FIELD = 'accounts.change_request_note'

export interface ProfileUpdate {
  /** The fields the profile asks for (the form's fields follow it). */
  asked: readonly AskedField[]
  /** What the form posted, per field name; an empty e-mail or phone means "no change". */
  values: Partial<Record<string, string>>
}

export interface ProfileUpdateResult {
  changed: FormField[]
  emailPending: boolean
  phonePending: boolean
}

/** A request as its owner sees it (the IIN masked). */
export interface OwnChangeRequest {
  id: string
  field: ChangeRequestField
  shownValue: string
  status: ChangeRequestStatus
  createdAt: Date
  decidedAt: Date | null
  note: string | null
}

/** A request in the DPO's queue: no value, no reason (those need `getForDecision`, which is audited). */
export interface QueuedChangeRequest {
  id: string
  userId: string
  field: ChangeRequestField
  status: ChangeRequestStatus
  createdAt: Date
  decidedAt: Date | null
}

/** A request opened by the DPO to decide it: the requested value, the reason, and the current value. */
export interface ChangeRequestForDecision extends QueuedChangeRequest {
  value: string
  reason: string | null
  current: string | null
}

export interface CorrectionsService {
  /** Which fields the owner may change here and which only by request, for the profile's asked fields. */
  editable(asked: readonly AskedField[]): { direct: AskedField[]; verified: AskedField[]; byRequest: AskedField[] }
  /**
   * Applies the owner's edits: direct fields at once, a new e-mail or phone
   * as pending with a link or code sent to it. All or nothing: any bad field
   * throws RegistrationInvalidError (per-field problems) and changes nothing.
   */
  updateProfile(ctx: Ctx, userId: string, update: ProfileUpdate): Promise<ProfileUpdateResult>
  /**
   * Files a request to correct the IIN or a legal name (one the profile
   * asks for). Throws RegistrationInvalidError with problems on `value`/`reason`.
   */
  fileRequest(
    ctx: Ctx,
    userId: string,
    input: { field: string; value: string; reason: string; asked: readonly AskedField[] },
  ): Promise<{ id: string }>
  /** The person's own requests, newest first. */
  listOwn(ctx: Ctx, userId: string): Promise<OwnChangeRequest[]>
  /** The DPO's queue: requests with a status (default open), oldest first, pages of 50. Throws NotAllowedError. */
  listForDpo(ctx: Ctx, query?: { status?: ChangeRequestStatus; page?: number }): Promise<QueuedChangeRequest[]>
  /** One request with its value and reason decrypted, for the DPO (audited `account.change_request_viewed`). */
  getForDecision(ctx: Ctx, id: string): Promise<ChangeRequestForDecision>
  /**
   * The DPO's decision. Approve validates the value again and applies it
   * (IIN: checksum and uniqueness by blind index); reject applies nothing.
   * Throws NotAllowedError, RequestDecidedError, InvalidIinError, IinTakenError.
   */
  decide(
    ctx: Ctx,
    id: string,
    decision: 'approve' | 'reject',
    note?: string,
  ): Promise<{ status: 'approved' | 'rejected' }>
}

export interface CorrectionsDeps {
  audit: Pick<AuditLog, 'record'>
  crypto: Pick<FieldCrypto, 'encryptField' | 'decryptField' | 'blindIndex'>
  accounts: Pick<AccountsService, 'getEmail' | 'getPhone' | 'getProfileFields'>
  verification: Pick<VerificationService, 'sendEmailLink' | 'sendPhoneCode' | 'limitSends'>
}

const problemOf = (err: AccountsError): FieldProblem =>
  Object.keys(err.params).length ? { code: err.code, params: err.params } : { code: err.code }

const isDirect = (name: string) => (DIRECT_FIELDS as readonly string[]).includes(name)
const isVerified = (name: string) => (VERIFIED_FIELDS as readonly string[]).includes(name)
const isByRequest = (name: string) => (CHANGE_REQUEST_FIELDS as readonly string[]).includes(name)

/**
 * A corrected birth date (law Arts. 7–8): under 18 now, the account waits for
 * a guardian as at registration; a person already known as a minor keeps the
 * state and gets the new 18th birthday — corrected to an adult's date, they
 * are asked to consent personally (minors.ts), never freed silently.
 */
async function reassessAge(
  ctx: Ctx,
  audit: Pick<AuditLog, 'record'>,
  userId: string,
  birthDate: string | null,
): Promise<void> {
  const facts = await ageFactsOf(ctx.db, userId)
  if (!facts) return
  if (facts.guardian_state !== null) {
    if (birthDate !== null)
      await setAgeFacts(ctx.db, {
        userId,
        facts: { adult_on: adultOn(birthDate), guardian_state: facts.guardian_state },
        now: ctx.now,
      })
    return
  }
  if (birthDate === null || !isMinorOn(birthDate, ctx.now)) return
  await setAgeFacts(ctx.db, {
    userId,
    facts: { adult_on: adultOn(birthDate), guardian_state: 'awaiting_guardian' },
    now: ctx.now,
  })
  await audit.record(ctx, { action: 'account.minor_detected', subjectType: 'user', subjectId: userId, data: {} })
}

/** Builds the corrections service. */
export function createCorrectionsService(deps: CorrectionsDeps): CorrectionsService {
  const { audit, crypto, accounts, verification } = deps

  const requireDpo = (actor: Actor | null | undefined): string => {
    if (!canDecideChangeRequests(actor)) throw new NotAllowedError()
    return actor!.id
  }

  const toQueued = (row: ChangeRequestRow): QueuedChangeRequest => ({
    id: row.id,
    userId: row.user_id,
    field: row.field,
    status: row.status,
    createdAt: row.created_at,
    decidedAt: row.decided_at,
  })

  const decrypt = (ctx: Ctx, userId: string, field: string, ciphertext: string | null) =>
    ciphertext === null ? Promise.resolve(null) : crypto.decryptField(ctx.db, { subjectId: userId, field }, ciphertext)

  /** Checks a new e-mail or phone: a usable value, not the current one, not another account's. */
  async function checkIdentifier(ctx: Ctx, userId: string, kind: 'email' | 'phone', raw: string): Promise<string> {
    const value = checkField(kind, raw, ctx.now)
    const current = kind === 'email' ? await accounts.getEmail(ctx, userId) : await accounts.getPhone(ctx, userId)
    if (current === value) throw new ChangeSameError()
    const index = crypto.blindIndex(value, kind === 'email' ? EMAIL_INDEX_PURPOSE : PHONE_INDEX_PURPOSE)
    const holder =
      kind === 'email' ? await findUserByEmailIndex(ctx.db, index) : await findUserByPhoneIndex(ctx.db, index)
    if (holder && holder.id !== userId) throw kind === 'email' ? new EmailTakenError() : new PhoneTakenError()
    return value
  }

  return {
    editable(asked) {
      return {
        direct: asked.filter((f) => isDirect(f.name)),
        verified: asked.filter((f) => isVerified(f.name)),
        byRequest: asked.filter((f) => isByRequest(f.name)),
      }
    },

    async updateProfile(ctx, userId, update) {
      const current = await accounts.getProfileFields(ctx, userId)
      const problems: Record<string, FieldProblem> = {}
      const direct: Partial<Record<(typeof DIRECT_FIELDS)[number], string | null>> = {}
      const identifiers: Partial<Record<'email' | 'phone', string>> = {}
      for (const f of update.asked) {
        const given = update.values[f.name]?.trim() ?? ''
        try {
          if (isDirect(f.name)) {
            const name = f.name as (typeof DIRECT_FIELDS)[number]
            if (given === '') {
              if (f.required) problems[name] = { code: 'accounts.field_required' }
              else if (current[name] !== undefined) direct[name] = null
              continue
            }
            const value = checkField(name, given, ctx.now)
            if (value !== current[name]) direct[name] = value
          } else if (isVerified(f.name) && given !== '') {
            const kind = f.name as 'email' | 'phone'
            identifiers[kind] = await checkIdentifier(ctx, userId, kind, given)
          }
        } catch (err) {
          if (!(err instanceof AccountsError)) throw err
          problems[f.name] = problemOf(err)
        }
      }
      if (Object.keys(problems).length > 0) throw new RegistrationInvalidError(problems)
      const changed = Object.keys(direct) as FormField[]
      try {
        await inTransaction(ctx, async (tx) => {
          const values: ProfileCiphertexts = {}
          for (const [name, value] of Object.entries(direct) as [keyof typeof direct, string | null][]) {
            const [field, column] = PROFILE_FIELDS[name]
            values[column] =
              value === null ? null : await crypto.encryptField(tx.db, { subjectId: userId, field }, value)
          }
          await updateProfileCiphertexts(tx.db, { id: userId, values, now: tx.now })
          if (direct.birthDate !== undefined) await reassessAge(tx, audit, userId, direct.birthDate)
          if (changed.length > 0)
            await audit.record(tx, {
              action: 'account.profile_corrected',
              subjectType: 'user',
              subjectId: userId,
              data: { fields: changed.join(',') },
            })
          for (const kind of ['email', 'phone'] as const) {
            const value = identifiers[kind]
            if (value === undefined) continue
            const field = kind === 'email' ? EMAIL_FIELD : PHONE_FIELD
            const index = crypto.blindIndex(value, kind === 'email' ? EMAIL_INDEX_PURPOSE : PHONE_INDEX_PURPOSE)
            const ciphertext = await crypto.encryptField(tx.db, { subjectId: userId, field }, value)
            const expiresAt = new Date(tx.now.getTime() + PENDING_LIFETIMES[kind])
            await setPending(tx.db, { id: userId, kind, ciphertext, index, expiresAt, now: tx.now })
            await audit.record(tx, {
              action: `account.${kind}_change_requested`,
              subjectType: 'user',
              subjectId: userId,
            })
            if (kind === 'email') {
              await verification.limitSends(tx, userId, 'email_link')
              await verification.sendEmailLink(tx, { userId, email: value, locale: tx.locale })
            } else {
              await verification.sendPhoneCode(tx, { userId, phone: value, locale: tx.locale })
            }
          }
        })
      } catch (err) {
        if (isUniqueViolation(err, 'users_iin_index_key')) throw new IinTakenError()
        throw err
      }
      return { changed, emailPending: 'email' in identifiers, phonePending: 'phone' in identifiers }
    },

    async fileRequest(ctx, userId, input) {
      const asked = input.asked.find((f) => f.name === input.field && isByRequest(f.name))
      if (!asked) throw new RegistrationInvalidError({ field: { code: 'accounts.field_required' } })
      const field = asked.name as ChangeRequestField
      const problems: Record<string, FieldProblem> = {}
      let value = ''
      try {
        if (input.value.trim() === '') throw new AccountsError('accounts.field_required', 'Empty value')
        value = checkField(field, input.value, ctx.now)
        const current = await accounts.getProfileFields(ctx, userId)
        if (current[field] === value) throw new ChangeSameError()
      } catch (err) {
        if (!(err instanceof AccountsError)) throw err
        problems.value = problemOf(err)
      }
      const reason = input.reason.normalize('NFC').trim()
      if ([...reason].length > REASON_MAX_LENGTH)
        problems.reason = { code: 'accounts.reason_too_long', params: { max: REASON_MAX_LENGTH } }
      if (Object.keys(problems).length > 0) throw new RegistrationInvalidError(problems)
      const id = randomUUID()
      await inTransaction(ctx, async (tx) => {
        const enc = (f: string, v: string) => crypto.encryptField(tx.db, { subjectId: userId, field: f }, v)
        await insertChangeRequest(tx.db, {
          id,
          userId,
          field,
          valueCiphertext: await enc(CHANGE_REQUEST_VALUE_FIELD, value),
          reasonCiphertext: reason === '' ? null : await enc(CHANGE_REQUEST_REASON_FIELD, reason),
          now: tx.now,
        })
        await audit.record(tx, {
          action: 'account.change_requested',
          subjectType: 'user',
          subjectId: userId,
          targetType: 'data_change_request',
          targetId: id,
          data: { field },
        })
      })
      return { id }
    },

    async listOwn(ctx, userId) {
      if (!UUID.test(userId)) return []
      const rows = await listUserChangeRequests(ctx.db, userId, 100)
      return Promise.all(
        rows.map(async (row) => {
          const value = (await decrypt(ctx, userId, CHANGE_REQUEST_VALUE_FIELD, row.value_ciphertext))!
          return {
            id: row.id,
            field: row.field,
            shownValue: row.field === 'iin' ? maskIin(value) : value,
            status: row.status,
            createdAt: row.created_at,
            decidedAt: row.decided_at,
            note: await decrypt(ctx, userId, CHANGE_REQUEST_NOTE_FIELD, row.note_ciphertext),
          }
        }),
      )
    },

    async listForDpo(ctx, query = {}) {
      requireDpo(ctx.actor)
      const page = Math.max(1, Math.floor(query.page ?? 1))
      const rows = await listChangeRequestsByStatus(ctx.db, {
        status: query.status ?? 'open',
        limit: REQUEST_PAGE,
        offset: (page - 1) * REQUEST_PAGE,
      })
      return rows.map(toQueued)
    },

    async getForDecision(ctx, id) {
      requireDpo(ctx.actor)
      const row = UUID.test(id) ? await findChangeRequest(ctx.db, id) : undefined
      if (!row) throw new RequestDecidedError()
      const current = await accounts.getProfileFields(ctx, row.user_id)
      const out: ChangeRequestForDecision = {
        ...toQueued(row),
        value: (await decrypt(ctx, row.user_id, CHANGE_REQUEST_VALUE_FIELD, row.value_ciphertext))!,
        reason: await decrypt(ctx, row.user_id, CHANGE_REQUEST_REASON_FIELD, row.reason_ciphertext),
        current: current[row.field] ?? null,
      }
      // Staff access to a person's data is recorded (B-3.4): who opened whose request.
      await audit.record(ctx, {
        action: 'account.change_request_viewed',
        subjectType: 'user',
        subjectId: row.user_id,
        targetType: 'data_change_request',
        targetId: row.id,
        data: { field: row.field },
      })
      return out
    },

    async decide(ctx, id, decision, note) {
      const dpoId = requireDpo(ctx.actor)
      const row = UUID.test(id) ? await findChangeRequest(ctx.db, id) : undefined
      if (!row || row.status !== 'open') throw new RequestDecidedError()
      const userId = row.user_id
      const status = decision === 'approve' ? 'approved' : 'rejected'
      let apply: ProfileCiphertexts | undefined
      let value: string | undefined
      if (decision === 'approve') {
        const requested = (await decrypt(ctx, userId, CHANGE_REQUEST_VALUE_FIELD, row.value_ciphertext))!
        value = checkField(row.field, requested, ctx.now) // throws InvalidIinError / name_invalid
      }
      try {
        await inTransaction(ctx, async (tx) => {
          if (value !== undefined) {
            const [field, column] = PROFILE_FIELDS[row.field]
            apply = { [column]: await crypto.encryptField(tx.db, { subjectId: userId, field }, value) }
            if (row.field === 'iin') {
              const index = crypto.blindIndex(value, IIN_INDEX_PURPOSE)
              const holder = await findUserIdByIinIndex(tx.db, index)
              if (holder && holder !== userId) throw new IinTakenError()
              apply.iin_index = index
            }
            await updateProfileCiphertexts(tx.db, { id: userId, values: apply, now: tx.now })
          }
          const trimmed = note?.normalize('NFC').trim().slice(0, REASON_MAX_LENGTH) ?? ''
          const noteCiphertext =
            trimmed === ''
              ? null
              : await crypto.encryptField(tx.db, { subjectId: userId, field: CHANGE_REQUEST_NOTE_FIELD }, trimmed)
          if (!(await decideChangeRequest(tx.db, { id, status, by: dpoId, noteCiphertext, now: tx.now })))
            throw new RequestDecidedError()
          const target = { subjectType: 'user', subjectId: userId, targetType: 'data_change_request', targetId: id }
          await audit.record(tx, {
            action: 'account.change_request_decided',
            ...target,
            data: { field: row.field, status },
          })
          if (value !== undefined)
            await audit.record(tx, { action: 'account.field_corrected', ...target, data: { field: row.field } })
        })
      } catch (err) {
        if (isUniqueViolation(err, 'users_iin_index_key')) throw new IinTakenError()
        throw err
      }
      return { status }
    },
  }
}
