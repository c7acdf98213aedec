/**
 * Sign-in with an e-mail address or a phone number and a password, and
 * sign-out. Every failure looks the same from outside: one message, and a
 * password check against a dummy hash when there is no account, so neither
 * the answer nor its timing tells whether an account exists. Failures count
 * towards a lockout per identifier and per IP (login-throttle.ts).
 */
import { randomBytes } from 'node:crypto'
import type { AuditLog } from '../../platform/audit/index'
import { inTransaction, type Ctx } from '../../platform/context'
import type { FieldCrypto } from '../../platform/crypto/index'
import { SignInFailedError, SignInLockedError } from './accounts.errors'
import { AccountClosedError } from './account-closure.service'
import { findUserForSignIn, updatePasswordHash, type SignInRow } from './accounts.repository'
import { EMAIL_INDEX_PURPOSE } from './accounts.service'
import { tryNormaliseEmail } from './emails'
import type { LoginThrottle } from './login-throttle'
import { hashPassword, needsRehash, PASSWORD_MAX_LENGTH, verifyPassword } from './passwords'
import { PHONE_INDEX_PURPOSE, tryNormalisePhone } from './phones'
import type { CurrentSession, SessionsService, StartedSession } from './sessions.service'

export interface SignInInput {
  /** An e-mail address or a Kazakh mobile number, as typed. */
  identifier: string
  password: string
  /** The browser's current session, if any: it is replaced, never reused. */
  replacing?: CurrentSession | null
}

export interface SignInService {
  /** Checks the password and opens a new session; throws SignInFailedError or SignInLockedError. */
  signIn(ctx: Ctx, input: SignInInput): Promise<StartedSession>
  /** Ends the session (audited `session.revoked`, reason `signed_out`). */
  signOut(ctx: Ctx, session: CurrentSession): Promise<void>
}

export interface SignInServiceDeps {
  audit: Pick<AuditLog, 'record'>
  crypto: Pick<FieldCrypto, 'blindIndex'>
  sessions: Pick<SessionsService, 'start' | 'revoke'>
  throttle: LoginThrottle
}

type Identifier =
  | { via: 'email'; normalised: string; lookup: { emailIndex: string } }
  | { via: 'phone'; normalised: string; lookup: { phoneIndex: string } }
  | { via: 'unusable'; normalised: string; lookup: undefined }

type FailureReason = 'unknown_account' | 'bad_password' | 'inactive' | 'no_password'

/** Builds the sign-in service. */
export function createSignInService(deps: SignInServiceDeps): SignInService {
  const { audit, crypto, sessions, throttle } = deps
  // Hashed once, lazily: verifying against it costs what verifying a real hash costs.
  let dummyHash: Promise<string> | undefined
  const dummy = () => (dummyHash ??= hashPassword(randomBytes(24).toString('base64url')))

  function identify(typed: string): Identifier {
    const text = typed.trim()
    if (text.includes('@')) {
      const email = tryNormaliseEmail(text)
      if (email)
        return {
          via: 'email',
          normalised: email,
          lookup: { emailIndex: crypto.blindIndex(email, EMAIL_INDEX_PURPOSE) },
        }
    } else {
      const phone = tryNormalisePhone(text)
      if (phone)
        return {
          via: 'phone',
          normalised: phone,
          lookup: { phoneIndex: crypto.blindIndex(phone, PHONE_INDEX_PURPOSE) },
        }
    }
    return { via: 'unusable', normalised: text.normalize('NFC').toLowerCase().slice(0, 320), lookup: undefined }
  }

  /** Verifies the password; runs argon2 even when there is no account or no password. */
  async function check(row: SignInRow | undefined, password: string): Promise<FailureReason | undefined> {
    const tooLong = [...password].length > PASSWORD_MAX_LENGTH
    const ok = await verifyPassword(row?.password_hash ?? (await dummy()), tooLong ? '' : password)
    if (!row) return 'unknown_account'
    if (!row.password_hash) return 'no_password'
    if (!ok || tooLong) return 'bad_password'
    if (row.status !== 'active') return 'inactive'
    return undefined
  }

  async function recordFailure(
    ctx: Ctx,
    id: Identifier,
    row: SignInRow | undefined,
    reason: FailureReason,
  ): Promise<never> {
    const keys = throttle.keysFor(`${id.via}:${id.normalised}`, ctx.ip)
    const locked = await inTransaction(ctx, async (tx) => {
      const until = await throttle.fail(tx.db, keys, tx.now)
      await audit.record(tx, {
        action: 'login.failed',
        ...(row ? { subjectType: 'user', subjectId: row.id } : {}),
        data: { reason, via: id.via, locked: until !== undefined },
      })
      return until
    })
    if (locked) throw new SignInLockedError(locked, ctx.now)
    throw new SignInFailedError()
  }

  return {
    async signIn(ctx, input) {
      const id = identify(input.identifier)
      const keys = throttle.keysFor(`${id.via}:${id.normalised}`, ctx.ip)
      const lockedUntil = await throttle.lockedUntil(ctx.db, keys, ctx.now)
      if (lockedUntil) {
        await audit.record(ctx, { action: 'login.failed', data: { reason: 'locked', via: id.via, locked: true } })
        throw new SignInLockedError(lockedUntil, ctx.now)
      }
      const row = id.lookup ? await findUserForSignIn(ctx.db, id.lookup) : undefined
      const failure = await check(row, input.password)
      // The right password of a closed account (T-1.2) is told so; it still counts as a failed sign-in.
      if (failure === 'inactive' && row?.status === 'closed')
        await recordFailure(ctx, id, row, failure).catch((err: unknown) => {
          if (!(err instanceof SignInFailedError)) throw err
          throw new AccountClosedError()
        })
      if (failure || !row) return recordFailure(ctx, id, row, failure ?? 'unknown_account')
      // Rehash outside the transaction: argon2 should not hold locks.
      const rehashed = needsRehash(row.password_hash!)
        ? await hashPassword(input.password).catch(() => undefined)
        : undefined
      return inTransaction(ctx, async (tx) => {
        await throttle.succeed(tx.db, keys)
        if (rehashed) await updatePasswordHash(tx.db, { id: row.id, passwordHash: rehashed, now: tx.now })
        return sessions.start(tx, { userId: row.id, replacing: input.replacing ?? null })
      })
    },

    async signOut(ctx, session) {
      await sessions.revoke(ctx, { userId: session.userId, sessionId: session.id, reason: 'signed_out' })
    },
  }
}
