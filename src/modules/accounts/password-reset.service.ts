/**
 * Password reset by a single-use, short-lived link sent to the account's
 * e-mail address. Asking for one answers the same whether or not an account
 * has the address; asking is limited per address and per IP. Setting the new
 * password ends every session of the account and proves the address.
 */
import type { AuditLog } from '../../platform/audit/index'
import { inTransaction, type Ctx } from '../../platform/context'
import type { FieldCrypto } from '../../platform/crypto/index'
import type { Notifications } from '../notifications/index'
import { LinkInvalidError, TooManyRequestsError } from './accounts.errors'
import { findIdentifierIndexes, findUserForSignIn, markEmailVerified, updatePasswordHash } from './accounts.repository'
import { EMAIL_INDEX_PURPOSE } from './accounts.service'
import { normaliseEmail } from './emails'
import type { LoginThrottle } from './login-throttle'
import type { OneTimeSecrets } from './one-time-secrets'
import { checkPasswordPolicy, hashPassword } from './passwords'
import type { SessionsService } from './sessions.service'

export interface PasswordResetDeps {
  audit: Pick<AuditLog, 'record'>
  crypto: Pick<FieldCrypto, 'blindIndex'>
  secrets: OneTimeSecrets
  notifications: Pick<Notifications, 'send'>
  sessions: Pick<SessionsService, 'revokeAll'>
  throttle: LoginThrottle
  publicUrl: string
}

export interface PasswordResetService {
  /** Sends a reset link if an active account has the address; the same answer either way. Throws InvalidEmailError or TooManyRequestsError. */
  requestReset(ctx: Ctx, email: string): Promise<void>
  /** Sets a new password with a reset link's secret; throws WeakPasswordError (link kept) or LinkInvalidError. */
  resetPassword(ctx: Ctx, input: { secret: string; password: string }): Promise<{ userId: string }>
}

/** The URL of the page that sets a new password with `secret`. */
export function passwordResetUrl(publicUrl: string, secret: string): string {
  return new URL(`/password/reset?token=${encodeURIComponent(secret)}`, publicUrl).toString()
}

/** Builds the password-reset service. */
export function createPasswordResetService(deps: PasswordResetDeps): PasswordResetService {
  const { audit, crypto, secrets, notifications, sessions, throttle } = deps

  return {
    async requestReset(ctx, typed) {
      const email = normaliseEmail(typed)
      const keys = throttle.keysFor(`email:${email}`, ctx.ip, 'reset')
      const locked = await throttle.lockedUntil(ctx.db, keys, ctx.now)
      if (locked) throw new TooManyRequestsError(locked, ctx.now)
      await throttle.fail(ctx.db, keys, ctx.now)
      const emailIndex = crypto.blindIndex(email, EMAIL_INDEX_PURPOSE)
      const user = await findUserForSignIn(ctx.db, { emailIndex })
      if (!user || user.status !== 'active') return
      await inTransaction(ctx, async (tx) => {
        const secret = await secrets.issueLink(tx.db, {
          purpose: 'password_reset',
          userId: user.id,
          targetIndex: emailIndex,
          now: tx.now,
        })
        const link = passwordResetUrl(deps.publicUrl, secret)
        await notifications.send(tx, {
          subjectId: user.id,
          channel: 'email',
          to: email,
          template: 'accounts.password_reset',
          locale: tx.locale,
          params: { link },
        })
        await audit.record(tx, { action: 'password.reset_requested', subjectType: 'user', subjectId: user.id })
      })
    },

    async resetPassword(ctx, { secret, password }) {
      checkPasswordPolicy(password) // before the link is used: a weak password keeps it working
      const passwordHash = await hashPassword(password)
      return inTransaction(ctx, async (tx) => {
        const used = await secrets.useLink(tx.db, 'password_reset', secret, tx.now)
        const current = await findIdentifierIndexes(tx.db, used.userId)
        if (!current || current.status !== 'active' || !used.targetIndex || current.email_index !== used.targetIndex)
          throw new LinkInvalidError()
        await updatePasswordHash(tx.db, { id: used.userId, passwordHash, now: tx.now })
        // The link reached the mailbox: the address is proven too.
        await markEmailVerified(tx.db, { id: used.userId, emailIndex: used.targetIndex, now: tx.now })
        await sessions.revokeAll(tx, { userId: used.userId, reason: 'password_reset' })
        await audit.record(tx, { action: 'password.reset', subjectType: 'user', subjectId: used.userId })
        return { userId: used.userId }
      })
    },
  }
}
