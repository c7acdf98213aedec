/**
 * The avatar (B-2.2; asked only by operator profiles that list it, e.g.
 * BTS). Stored in the database, not in OQU_DATA_DIR: the re-encoded WebP
 * is a few kilobytes, and kept as ciphertext under the person's own data
 * key it is erased with everything else of theirs when that key is
 * destroyed, travels with the database's backups and needs no file paths,
 * permissions or second clean-up. Uploads and removals are audited.
 */
import type { AuditLog } from '../../platform/audit/index'
import { inTransaction, type Ctx } from '../../platform/context'
import type { FieldCrypto } from '../../platform/crypto/index'
import { processAvatar } from './avatar-images'
import { deleteAvatar, findAvatar, hasAvatar, upsertAvatar } from './avatars.repository'

/** Field name of the encrypted picture (part of the ciphertext's AAD: never change it). */
export const AVATAR_FIELD = 'accounts.avatar'

export interface AvatarsService {
  /** Checks, re-encodes and stores the picture; throws AvatarRejectedError and then changes nothing. */
  put(ctx: Ctx, userId: string, upload: { bytes: Uint8Array; truncated?: boolean }): Promise<void>
  /** The stored WebP, or undefined. */
  get(ctx: Ctx, userId: string): Promise<{ webp: Buffer; updatedAt: Date } | undefined>
  /** When the picture was stored, or undefined when there is none. */
  updatedAt(ctx: Ctx, userId: string): Promise<Date | undefined>
  /** Removes the picture; false when there was none. */
  remove(ctx: Ctx, userId: string): Promise<boolean>
}

/** Builds the avatars service. */
export function createAvatarsService(deps: {
  audit: Pick<AuditLog, 'record'>
  crypto: Pick<FieldCrypto, 'encryptField' | 'decryptField'>
}): AvatarsService {
  const { audit, crypto } = deps
  const ref = (userId: string) => ({ subjectId: userId, field: AVATAR_FIELD })
  return {
    async put(ctx, userId, upload) {
      // Decoding and encoding run on sharp's thread pool, before any transaction opens.
      const image = await processAvatar(upload.bytes, upload.truncated)
      await inTransaction(ctx, async (tx) => {
        const imageCiphertext = await crypto.encryptField(tx.db, ref(userId), image.webp.toString('base64'))
        await upsertAvatar(tx.db, { userId, imageCiphertext, width: image.width, height: image.height, now: tx.now })
        await audit.record(tx, {
          action: 'account.avatar_set',
          subjectType: 'user',
          subjectId: userId,
          data: { bytes: image.webp.length },
        })
      })
    },

    async get(ctx, userId) {
      const row = await findAvatar(ctx.db, userId)
      if (!row) return undefined
      const base64 = await crypto.decryptField(ctx.db, ref(userId), row.image_ciphertext)
      return { webp: Buffer.from(base64, 'base64'), updatedAt: row.updated_at }
    },

    updatedAt: (ctx, userId) => hasAvatar(ctx.db, userId),

    async remove(ctx, userId) {
      return inTransaction(ctx, async (tx) => {
        const done = await deleteAvatar(tx.db, userId)
        if (done) await audit.record(tx, { action: 'account.avatar_removed', subjectType: 'user', subjectId: userId })
        return done
      })
    },
  }
}
