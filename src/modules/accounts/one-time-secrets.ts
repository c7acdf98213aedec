/**
 * One-time secrets: links (32 random bytes, for e-mail verification and
 * password reset) and six-digit codes (phone verification). The table keeps
 * an HMAC of each, so a copy of it reveals no working link and no code (a
 * plain hash of six digits would fall to a million guesses). Each secret
 * works once, until its expiry; a new one replaces the person's earlier
 * ones; a code dies after MAX_CODE_ATTEMPTS wrong tries.
 */
import { randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto'
import type { FieldCrypto } from '../../platform/crypto/index'
import type { Db } from '../../platform/db/database'
import { CodeRejectedError, LinkInvalidError } from './accounts.errors'
import type { TokenPurpose } from './accounts.tables'
import {
  countAttempt,
  deleteExpiredTokens,
  findOpenToken,
  markTokenUsed,
  replaceToken,
  useTokenByHash,
} from './account-tokens.repository'

/** Blind-index purpose of the secrets' HMACs. */
export const SECRET_PURPOSE = 'accounts.one_time_secret'
export const MAX_CODE_ATTEMPTS = 5

const MINUTE = 60_000
/** How long each kind of secret works. */
export const SECRET_LIFETIMES: Record<TokenPurpose, number> = {
  email_verification: 48 * 60 * MINUTE,
  phone_verification: 10 * MINUTE,
  password_reset: 30 * MINUTE,
}
const LINK_SECRET = /^[A-Za-z0-9_-]{43}$/
const CODE = /^\d{6}$/

/** A used secret: whose it was, and the address or number it was sent to (blind index). */
export interface UsedSecret {
  userId: string
  targetIndex: string | null
}

export interface OneTimeSecrets {
  /** Issues a link secret (43 characters) in `db`'s transaction. */
  issueLink(db: Db, input: IssueInput & { purpose: 'email_verification' | 'password_reset' }): Promise<string>
  /** Issues a six-digit code (phone verification). */
  issueCode(db: Db, input: IssueInput): Promise<string>
  /** Uses a link secret; throws LinkInvalidError when unknown, used or expired. */
  useLink(db: Db, purpose: 'email_verification' | 'password_reset', secret: string, now: Date): Promise<UsedSecret>
  /**
   * Checks the user's newest code. Returns a result instead of throwing, so a
   * wrong try is counted even when the caller's transaction then fails.
   */
  useCode(db: Db, userId: string, code: string, now: Date): Promise<CodeResult>
  /** Deletes secrets that expired a day ago. */
  purge(db: Db, now: Date): Promise<number>
}

/** The outcome of entering a code: used, or rejected as wrong (with the tries left) or expired/used up. */
export type CodeResult = { ok: true; used: UsedSecret } | { ok: false; error: CodeRejectedError }

interface IssueInput {
  userId: string
  targetIndex: string | null
  now: Date
}

/** Builds the one-time secrets over the keyring's HMAC. */
export function createOneTimeSecrets(deps: { crypto: Pick<FieldCrypto, 'blindIndex'> }): OneTimeSecrets {
  const hmac = (value: string) => deps.crypto.blindIndex(value, SECRET_PURPOSE)
  const codeHash = (id: string, code: string) => hmac(`code|${id}|${code}`)
  const expiry = (purpose: TokenPurpose, now: Date) => new Date(now.getTime() + SECRET_LIFETIMES[purpose])

  return {
    async issueLink(db, input) {
      const secret = randomBytes(32).toString('base64url')
      const { purpose, userId, targetIndex, now } = input
      const row = { id: randomUUID(), userId, purpose, targetIndex, now, expiresAt: expiry(purpose, now) }
      await replaceToken(db, { ...row, secretHash: hmac(`link|${purpose}|${secret}`) })
      return secret
    },

    async issueCode(db, input) {
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0')
      const id = randomUUID()
      const purpose = 'phone_verification'
      await replaceToken(db, {
        ...input,
        id,
        purpose,
        secretHash: codeHash(id, code),
        expiresAt: expiry(purpose, input.now),
      })
      return code
    },

    async useLink(db, purpose, secret, now) {
      if (!LINK_SECRET.test(secret)) throw new LinkInvalidError()
      const row = await useTokenByHash(db, { purpose, secretHash: hmac(`link|${purpose}|${secret}`), now })
      if (!row) throw new LinkInvalidError()
      return { userId: row.user_id, targetIndex: row.target_index }
    },

    async useCode(db, userId, code, now) {
      const typed = code.normalize('NFKC').replace(/\s/g, '')
      const row = await findOpenToken(db, { userId, purpose: 'phone_verification', now })
      if (!row || row.attempts >= MAX_CODE_ATTEMPTS) return { ok: false, error: new CodeRejectedError('expired') }
      const expected = Buffer.from(row.secret_hash)
      const given = Buffer.from(codeHash(row.id, CODE.test(typed) ? typed : 'invalid'))
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
        const left = MAX_CODE_ATTEMPTS - (await countAttempt(db, row.id))
        return { ok: false, error: left > 0 ? new CodeRejectedError('wrong', left) : new CodeRejectedError('expired') }
      }
      await markTokenUsed(db, row.id, now)
      return { ok: true, used: { userId: row.user_id, targetIndex: row.target_index } }
    },

    purge: (db, now) => deleteExpiredTokens(db, new Date(now.getTime() - 24 * 60 * MINUTE)),
  }
}
