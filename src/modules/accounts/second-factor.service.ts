/**
 * The second factor of staff accounts (support, dpo, admin): a TOTP
 * authenticator (RFC 6238, totp.ts) enrolled once with a first code, and ten
 * single-use recovery codes shown once. A staff sign-in opens a half-signed-in
 * session; only a good code (or recovery code) makes it a signed-in one.
 * A code is refused when wrong, outside ±1 step, or of a step already used
 * (replay). Wrong codes count towards the same lockout as wrong passwords:
 * the account's e-mail (and phone) identifier and the IP.
 */
import { randomInt, randomUUID } from 'node:crypto'
import type { AuditLog } from '../../platform/audit/index'
import { inTransaction, type Ctx } from '../../platform/context'
import type { FieldCrypto } from '../../platform/crypto/index'
import { SecondFactorEnrolledError, SecondFactorRejectedError, SignInLockedError } from './accounts.errors'
import type { AccountsService } from './accounts.service'
import type { LoginThrottle } from './login-throttle'
import type { ThrottleKey } from './login-throttles.repository'
import {
  countRecoveryCodes,
  deleteSecondFactor,
  findTotpFactor,
  putPendingTotp,
  replaceRecoveryCodes,
  useRecoveryCode,
  useTotpStep,
} from './second-factor.repository'
import type { CurrentSession, SessionsService, StartedSession } from './sessions.service'
import { base32Decode, matchTotp, newTotpSecret, otpauthUri } from './totp'

/** Field name of the encrypted TOTP secret (part of the ciphertext's AAD: never change it). */
export const TOTP_SECRET_FIELD = 'accounts.totp_secret'
/** Blind-index purpose of recovery-code HMACs. */
export const RECOVERY_CODE_PURPOSE = 'accounts.recovery_code'
/** How many recovery codes are issued at enrolment. */
export const RECOVERY_CODE_COUNT = 10
/** The issuer authenticator apps show next to the code. */
export const TOTP_ISSUER = 'Oqu'

// No 0/o, 1/l/i: codes are read from paper.
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'
const RECOVERY_CODE = /^[a-hj-km-np-z2-9]{10}$/

export interface SecondFactorStatus {
  enrolled: boolean
  recoveryCodesLeft: number
}

export interface Enrolment {
  /** The base32 secret, for typing into the app by hand. */
  secret: string
  /** The otpauth:// URI the QR code carries. */
  uri: string
}

export interface SecondFactorService {
  status(ctx: Ctx, userId: string): Promise<SecondFactorStatus>
  /**
   * The secret being enrolled: a new one, or the one made in the last
   * quarter of an hour (a reload shows the same QR code). Throws
   * SecondFactorEnrolledError when a factor is already confirmed.
   */
  beginEnrolment(ctx: Ctx, userId: string): Promise<Enrolment>
  /**
   * Confirms the enrolling secret with a first code: the factor counts from
   * now, recovery codes are issued (returned once), and the half-signed-in
   * session becomes signed in. Throws SecondFactorRejectedError or SignInLockedError.
   */
  confirmEnrolment(
    ctx: Ctx,
    session: CurrentSession,
    code: string,
  ): Promise<{ session: StartedSession; recoveryCodes: string[] }>
  /**
   * Removes a lost factor (an administrator's act at the server, `npx oqu
   * admin reset-second-factor`): the factor and recovery codes are deleted
   * and every session of the account ends; the next sign-in enrols anew.
   * Returns false when the account had no factor.
   */
  reset(ctx: Ctx, userId: string): Promise<boolean>
  /** Checks a TOTP code or a recovery code and completes the sign-in. Throws SecondFactorRejectedError or SignInLockedError. */
  verify(
    ctx: Ctx,
    session: CurrentSession,
    code: string,
  ): Promise<{ session: StartedSession; via: 'totp' | 'recovery' }>
}

export interface SecondFactorDeps {
  audit: Pick<AuditLog, 'record'>
  crypto: Pick<FieldCrypto, 'encryptField' | 'decryptField' | 'blindIndex'>
  accounts: Pick<AccountsService, 'getEmail' | 'getPhone'>
  sessions: Pick<SessionsService, 'passSecondFactor' | 'revokeAll'>
  throttle: LoginThrottle
}

const ENROLMENT_REUSE_MS = 15 * 60_000

/** A recovery code as shown: `abcde-fghjk`. */
const showRecoveryCode = (code: string) => `${code.slice(0, 5)}-${code.slice(5)}`
/** A recovery code as typed, cleaned: lower case, no spaces or hyphens. */
const cleanRecoveryCode = (typed: string) => typed.normalize('NFKC').toLowerCase().replace(/[\s-]/g, '')

/** Builds the second-factor service. Time comes from ctx.now only. */
export function createSecondFactorService(deps: SecondFactorDeps): SecondFactorService {
  const { audit, crypto, accounts, sessions, throttle } = deps
  const recoveryHash = (userId: string, code: string) => crypto.blindIndex(`${userId}|${code}`, RECOVERY_CODE_PURPOSE)
  const asPerson = (ctx: Ctx, session: CurrentSession): Ctx => ({
    ...ctx,
    actor: { kind: 'user', id: session.userId, roles: session.roles },
  })

  /** The sign-in lockout keys of the account: its e-mail and phone identifiers, and the IP. */
  async function lockKeys(ctx: Ctx, userId: string): Promise<ThrottleKey[]> {
    const [email, phone] = await Promise.all([accounts.getEmail(ctx, userId), accounts.getPhone(ctx, userId)])
    return [
      ...throttle.keysFor(email ? `email:${email}` : `user:${userId}`, ctx.ip),
      ...(phone ? throttle.keysFor(`phone:${phone}`, null) : []),
    ]
  }

  async function refuseWhileLocked(ctx: Ctx, keys: ThrottleKey[]): Promise<void> {
    const until = await throttle.lockedUntil(ctx.db, keys, ctx.now)
    if (until) throw new SignInLockedError(until, ctx.now)
  }

  /** Counts a wrong code (committed even though the caller then fails) and throws. */
  async function fail(ctx: Ctx, userId: string, keys: ThrottleKey[]): Promise<never> {
    const locked = await inTransaction(ctx, async (tx) => {
      const until = await throttle.fail(tx.db, keys, tx.now)
      await audit.record(tx, {
        action: 'second_factor.failed',
        subjectType: 'user',
        subjectId: userId,
        data: { locked: until !== undefined },
      })
      return until
    })
    if (locked) throw new SignInLockedError(locked, ctx.now)
    throw new SecondFactorRejectedError()
  }

  async function secretOf(ctx: Ctx, userId: string, ciphertext: string): Promise<Buffer> {
    return base32Decode(await crypto.decryptField(ctx.db, { subjectId: userId, field: TOTP_SECRET_FIELD }, ciphertext))
  }

  function newRecoveryCodes(userId: string): { shown: string[]; rows: { id: string; codeHash: string }[] } {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () =>
      Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join(''),
    )
    return {
      shown: codes.map(showRecoveryCode),
      rows: codes.map((code) => ({ id: randomUUID(), codeHash: recoveryHash(userId, code) })),
    }
  }

  async function complete(ctx: Ctx, session: CurrentSession): Promise<StartedSession> {
    const started = await sessions.passSecondFactor(ctx, session)
    if (!started) throw new SecondFactorRejectedError()
    return started
  }

  return {
    async status(ctx, userId) {
      const factor = await findTotpFactor(ctx.db, userId)
      const enrolled = Boolean(factor?.confirmed_at)
      return { enrolled, recoveryCodesLeft: enrolled ? await countRecoveryCodes(ctx.db, userId) : 0 }
    },

    async beginEnrolment(ctx, userId) {
      const existing = await findTotpFactor(ctx.db, userId)
      if (existing?.confirmed_at) throw new SecondFactorEnrolledError()
      const account = (await accounts.getEmail(ctx, userId)) ?? userId
      const fresh = existing && ctx.now.getTime() - existing.created_at.getTime() < ENROLMENT_REUSE_MS
      let secret: string
      if (existing && fresh) {
        secret = await crypto.decryptField(
          ctx.db,
          { subjectId: userId, field: TOTP_SECRET_FIELD },
          existing.secret_ciphertext,
        )
      } else {
        secret = newTotpSecret()
        await inTransaction(ctx, async (tx) => {
          const secretCiphertext = await crypto.encryptField(
            tx.db,
            { subjectId: userId, field: TOTP_SECRET_FIELD },
            secret,
          )
          if (!(await putPendingTotp(tx.db, { userId, secretCiphertext, now: tx.now })))
            throw new SecondFactorEnrolledError()
          await audit.record(tx, { action: 'second_factor.enrolment_started', subjectType: 'user', subjectId: userId })
        })
      }
      return { secret, uri: otpauthUri({ issuer: TOTP_ISSUER, account, secret }) }
    },

    async reset(ctx, userId) {
      return inTransaction(ctx, async (tx) => {
        const had = await deleteSecondFactor(tx.db, userId)
        await sessions.revokeAll(tx, { userId, reason: 'second_factor_reset' })
        await audit.record(tx, {
          action: 'second_factor.reset',
          subjectType: 'user',
          subjectId: userId,
          data: { hadFactor: had },
        })
        return had
      })
    },

    async confirmEnrolment(ctx, session, code) {
      const userId = session.userId
      const person = asPerson(ctx, session)
      const keys = await lockKeys(person, userId)
      await refuseWhileLocked(person, keys)
      const factor = await findTotpFactor(ctx.db, userId)
      if (factor?.confirmed_at) throw new SecondFactorEnrolledError()
      if (!factor) return fail(person, userId, keys)
      const step = matchTotp(await secretOf(ctx, userId, factor.secret_ciphertext), code.replace(/\s/g, ''), ctx.now)
      if (step === undefined) return fail(person, userId, keys)
      const recovery = newRecoveryCodes(userId)
      const started = await inTransaction(person, async (tx) => {
        if (!(await useTotpStep(tx.db, { userId, step, now: tx.now, confirm: true }))) return undefined
        await replaceRecoveryCodes(tx.db, { userId, codes: recovery.rows, now: tx.now })
        await throttle.succeed(tx.db, keys)
        await audit.record(tx, { action: 'second_factor.enrolled', subjectType: 'user', subjectId: userId })
        await audit.record(tx, {
          action: 'second_factor.recovery_codes_issued',
          subjectType: 'user',
          subjectId: userId,
          data: { count: recovery.rows.length },
        })
        return complete(tx, session)
      })
      if (!started) return fail(person, userId, keys)
      return { session: started, recoveryCodes: recovery.shown }
    },

    async verify(ctx, session, code) {
      const userId = session.userId
      const person = asPerson(ctx, session)
      const keys = await lockKeys(person, userId)
      await refuseWhileLocked(person, keys)
      const factor = await findTotpFactor(ctx.db, userId)
      if (!factor?.confirmed_at) return fail(person, userId, keys)
      const typed = code.normalize('NFKC').replace(/\s/g, '')
      let via: 'totp' | 'recovery'
      let spend: (tx: Ctx) => Promise<boolean>
      if (/^\d{6}$/.test(typed)) {
        const step = matchTotp(await secretOf(ctx, userId, factor.secret_ciphertext), typed, ctx.now)
        if (step === undefined) return fail(person, userId, keys)
        via = 'totp'
        spend = (tx) => useTotpStep(tx.db, { userId, step, now: tx.now, confirm: false })
      } else {
        const clean = cleanRecoveryCode(typed)
        if (!RECOVERY_CODE.test(clean)) return fail(person, userId, keys)
        via = 'recovery'
        spend = (tx) => useRecoveryCode(tx.db, { userId, codeHash: recoveryHash(userId, clean), now: tx.now })
      }
      const started = await inTransaction(person, async (tx) => {
        if (!(await spend(tx))) return undefined // a replayed step, or a used or unknown recovery code
        await throttle.succeed(tx.db, keys)
        await audit.record(tx, {
          action: 'second_factor.verified',
          subjectType: 'user',
          subjectId: userId,
          data: { via },
        })
        return complete(tx, session)
      })
      if (!started) return fail(person, userId, keys)
      return { session: started, via }
    },
  }
}
