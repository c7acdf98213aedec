/**
 * Proving one's identifiers: a link sent by e-mail (SMTP) and a six-digit
 * code sent by SMS, through the notifications module (in the caller's
 * transaction: a message is sent only if the work that wanted it commits).
 * A secret verifies only the address or number it was sent to; sending is
 * limited per person and per IP.
 */
import type { AuditLog } from '../../platform/audit/index'
import { inTransaction, type Ctx, type Locale } from '../../platform/context'
import type { FieldCrypto } from '../../platform/crypto/index'
import type { Notifications } from '../notifications/index'
import { EmailTakenError, LinkInvalidError, PhoneTakenError, TooManyRequestsError } from './accounts.errors'
import { findIdentifierIndexes, isUniqueViolation, markEmailVerified, markPhoneVerified } from './accounts.repository'
import { EMAIL_FIELD, EMAIL_INDEX_PURPOSE, type AccountsService } from './accounts.service'
import { applyPending, findPending, type IdentifierKind } from './corrections.repository'
import type { LoginThrottle } from './login-throttle'
import type { OneTimeSecrets } from './one-time-secrets'
import { PHONE_FIELD, PHONE_INDEX_PURPOSE } from './phones'

export interface VerificationDeps {
  audit: Pick<AuditLog, 'record'>
  crypto: Pick<FieldCrypto, 'blindIndex' | 'decryptField'>
  accounts: Pick<AccountsService, 'getEmail' | 'getPhone'>
  secrets: OneTimeSecrets
  notifications: Pick<Notifications, 'send'>
  throttle: LoginThrottle
  /** The public base URL links point to (OQU_PUBLIC_URL). */
  publicUrl: string
}

export interface VerificationService {
  /** Sends a verification link to the address (in ctx's transaction). */
  sendEmailLink(ctx: Ctx, input: { userId: string; email: string; locale: Locale }): Promise<void>
  /** Sends a six-digit code to the number by SMS (in ctx's transaction); throws TooManyRequestsError. */
  sendPhoneCode(ctx: Ctx, input: { userId: string; phone: string; locale: Locale }): Promise<void>
  /** Sends a new link to the account's current address; throws TooManyRequestsError. */
  resendEmailLink(ctx: Ctx, userId: string): Promise<void>
  /** Sends a new code to the account's current number; throws TooManyRequestsError. */
  resendPhoneCode(ctx: Ctx, userId: string): Promise<void>
  /** Uses a link: marks the address verified; returns whose it was. Throws LinkInvalidError. */
  confirmEmail(ctx: Ctx, secret: string): Promise<{ userId: string }>
  /**
   * Checks a code: marks the number verified, or puts a pending new number
   * in force. Throws CodeRejectedError, LinkInvalidError or PhoneTakenError.
   */
  confirmPhone(ctx: Ctx, userId: string, code: string): Promise<void>
  /** Counts a send against the person and the IP; throws TooManyRequestsError while over the limit. */
  limitSends(ctx: Ctx, userId: string, kind: 'email_link' | 'phone_code'): Promise<void>
  /** The account's live (unexpired) pending new address and number, decrypted, for its owner. */
  pendingIdentifiers(ctx: Ctx, userId: string): Promise<PendingIdentifiers>
}

/** New identifiers waiting for their proof (T-5.2.2); the verified ones stay in force until then. */
export interface PendingIdentifiers {
  email?: { value: string; expiresAt: Date }
  phone?: { value: string; expiresAt: Date }
}

/** The URL of the page that confirms an address with `secret`. */
export function emailVerificationUrl(publicUrl: string, secret: string): string {
  return new URL(`/account/verify-email?token=${encodeURIComponent(secret)}`, publicUrl).toString()
}

/** Builds the verification service. */
export function createVerificationService(deps: VerificationDeps): VerificationService {
  const { audit, crypto, accounts, secrets, notifications, throttle } = deps
  const emailIndex = (email: string) => crypto.blindIndex(email, EMAIL_INDEX_PURPOSE)
  const phoneIndex = (phone: string) => crypto.blindIndex(phone, PHONE_INDEX_PURPOSE)

  /** Counts a send against the person and the IP; refuses while either is over its limit. */
  async function limitSends(ctx: Ctx, userId: string, kind: 'email_link' | 'phone_code'): Promise<void> {
    const keys = throttle.keysFor(`user:${userId}`, ctx.ip, kind)
    const locked = await throttle.lockedUntil(ctx.db, keys, ctx.now)
    if (locked) throw new TooManyRequestsError(locked, ctx.now)
    await throttle.fail(ctx.db, keys, ctx.now)
  }

  async function pendingIdentifiers(ctx: Ctx, userId: string): Promise<PendingIdentifiers> {
    const row = await findPending(ctx.db, userId)
    const out: PendingIdentifiers = {}
    if (!row) return out
    const live = (at: Date | null): at is Date => at !== null && at > ctx.now
    if (row.pending_email_ciphertext && live(row.pending_email_expires_at)) {
      const value = await crypto.decryptField(
        ctx.db,
        { subjectId: userId, field: EMAIL_FIELD },
        row.pending_email_ciphertext,
      )
      out.email = { value, expiresAt: row.pending_email_expires_at }
    }
    if (row.pending_phone_ciphertext && live(row.pending_phone_expires_at)) {
      const value = await crypto.decryptField(
        ctx.db,
        { subjectId: userId, field: PHONE_FIELD },
        row.pending_phone_ciphertext,
      )
      out.phone = { value, expiresAt: row.pending_phone_expires_at }
    }
    return out
  }

  /** Puts a pending new identifier in force (audited `account.<kind>_changed`); false when it is not the pending one. */
  async function applyPendingChange(tx: Ctx, userId: string, kind: IdentifierKind, index: string): Promise<boolean> {
    try {
      if (!(await applyPending(tx.db, { id: userId, kind, index, now: tx.now }))) return false
    } catch (err) {
      // Another account verified the same address or number first.
      if (isUniqueViolation(err, `users_${kind}_index_key`))
        throw kind === 'email' ? new EmailTakenError() : new PhoneTakenError()
      throw err
    }
    await audit.record(tx, { action: `account.${kind}_changed`, subjectType: 'user', subjectId: userId })
    return true
  }

  const service: VerificationService = {
    limitSends,
    pendingIdentifiers,

    async sendEmailLink(ctx, { userId, email, locale }) {
      await inTransaction(ctx, async (tx) => {
        const targetIndex = emailIndex(email)
        const secret = await secrets.issueLink(tx.db, {
          purpose: 'email_verification',
          userId,
          targetIndex,
          now: tx.now,
        })
        const link = emailVerificationUrl(deps.publicUrl, secret)
        await notifications.send(tx, {
          subjectId: userId,
          channel: 'email',
          to: email,
          template: 'accounts.verify_email',
          locale,
          params: { link },
        })
        await audit.record(tx, { action: 'account.email_link_sent', subjectType: 'user', subjectId: userId })
      })
    },

    async sendPhoneCode(ctx, { userId, phone, locale }) {
      await limitSends(ctx, userId, 'phone_code')
      await inTransaction(ctx, async (tx) => {
        const code = await secrets.issueCode(tx.db, { userId, targetIndex: phoneIndex(phone), now: tx.now })
        await notifications.send(tx, {
          subjectId: userId,
          channel: 'sms',
          to: phone,
          template: 'accounts.verify_phone',
          locale,
          params: { code },
        })
        await audit.record(tx, { action: 'account.phone_code_sent', subjectType: 'user', subjectId: userId })
      })
    },

    async resendEmailLink(ctx, userId) {
      // A pending new address is the one waiting for a link.
      const email = (await pendingIdentifiers(ctx, userId)).email?.value ?? (await accounts.getEmail(ctx, userId))
      if (email === undefined) return
      await limitSends(ctx, userId, 'email_link')
      await service.sendEmailLink(ctx, { userId, email, locale: ctx.locale })
    },

    async resendPhoneCode(ctx, userId) {
      const phone = (await pendingIdentifiers(ctx, userId)).phone?.value ?? (await accounts.getPhone(ctx, userId))
      if (phone !== undefined) await service.sendPhoneCode(ctx, { userId, phone, locale: ctx.locale })
    },

    async confirmEmail(ctx, secret) {
      return inTransaction(ctx, async (tx) => {
        const used = await secrets.useLink(tx.db, 'email_verification', secret, tx.now)
        const current = await findIdentifierIndexes(tx.db, used.userId)
        if (used.targetIndex !== null && (await applyPendingChange(tx, used.userId, 'email', used.targetIndex)))
          return { userId: used.userId }
        // A link sent to an earlier address does not verify the new one.
        if (!current || current.email_index !== used.targetIndex || used.targetIndex === null)
          throw new LinkInvalidError()
        await markEmailVerified(tx.db, { id: used.userId, emailIndex: used.targetIndex, now: tx.now })
        await audit.record(tx, { action: 'account.email_verified', subjectType: 'user', subjectId: used.userId })
        return { userId: used.userId }
      })
    },

    async confirmPhone(ctx, userId, code) {
      // Outside a transaction: a wrong try must be counted even though this call then fails.
      const result = await secrets.useCode(ctx.db, userId, code, ctx.now)
      if (!result.ok) throw result.error
      const target = result.used.targetIndex
      await inTransaction(ctx, async (tx) => {
        if (target !== null && (await applyPendingChange(tx, userId, 'phone', target))) return
        const current = await findIdentifierIndexes(tx.db, userId)
        if (!current || target === null || current.phone_index !== target) throw new LinkInvalidError()
        await markPhoneVerified(tx.db, { id: userId, phoneIndex: target, now: tx.now })
        await audit.record(tx, { action: 'account.phone_verified', subjectType: 'user', subjectId: userId })
      })
    },
  }
  return service
}
