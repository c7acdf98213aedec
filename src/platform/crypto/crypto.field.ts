/**
 * Field encryption with per-subject data keys. Each subject (person) gets a
 * random data key (DEK), stored wrapped under a master key (KEK). Values are
 * AES-256-GCM encrypted under the DEK with the subject id and field name as
 * AAD, so a value copied to another subject or column fails to decrypt.
 * Destroying the subject's DEK makes all their values unreadable at once.
 */
import { randomBytes } from 'node:crypto'
import type { AuditLog } from '../audit/audit.log'
import { systemClock, type Clock } from '../clock'
import { inTransaction, type Ctx } from '../context'
import type { Db } from '../db/database'
import { formatCiphertext, gcmDecrypt, gcmEncrypt, KEY_BYTES, parseCiphertext } from './crypto.aead'
import { DecryptionError, SubjectKeyDestroyedError } from './crypto.errors'
import { createKeyCache, type KeyCacheOptions } from './crypto.key-cache'
import type { Keyring } from './crypto.keyring'
import { rotateKeys, type RotateOptions, type RotationReport } from './crypto.rotation'
import { dekContext, destroyKeys, findCurrentKey, findKey, insertKey, type SubjectKeyRow } from './crypto.subject-keys'

/** Which value is encrypted: the subject it belongs to and its field, e.g. `accounts.iin`. */
export interface FieldRef {
  subjectId: string
  field: string
}

export interface FieldCrypto {
  /** Encrypts under the subject's data key (created on first use) → `v1.<dekVersion>.<iv>.<ct>.<tag>`. */
  encryptField(db: Db, ref: FieldRef, plaintext: string): Promise<string>
  /** Decrypts; throws SubjectKeyDestroyedError after shredding, DecryptionError on tampering or a wrong ref. */
  decryptField(db: Db, ref: FieldRef, ciphertext: string): Promise<string>
  /** Crypto-shredding: destroys every data key of the subject, audited as `crypto.subject_key_destroyed`. */
  destroySubjectKey(ctx: Ctx, subjectId: string): Promise<{ destroyedVersions: number }>
  /** Keyed hash for exact-match lookups; the caller normalises `value` first (trim, case, E.164, …). */
  blindIndex(value: string, purpose: string): string
  /** Re-wraps data keys still under an old master key with the active one. */
  rotateKeys(db: Db, options?: RotateOptions): Promise<RotationReport>
}

export interface FieldCryptoDeps {
  keyring: Keyring
  audit: Pick<AuditLog, 'record'>
  clock?: Clock
  cache?: KeyCacheOptions
}

const fieldAad = (ref: FieldRef, version: number) => JSON.stringify(['oqu.field', 1, ref.subjectId, ref.field, version])

function checkRef(ref: FieldRef): void {
  if (!ref.subjectId || !ref.field) throw new TypeError('encryptField/decryptField need a subjectId and a field name')
}

/** Builds the field-encryption service. */
export function createFieldCrypto(deps: FieldCryptoDeps): FieldCrypto {
  const { keyring, audit } = deps
  const clock = deps.clock ?? systemClock
  const cache = createKeyCache(deps.cache)

  /** The usable DEK of a key row, from the cache when its wrapped form still matches. */
  function unwrap(subjectId: string, row: SubjectKeyRow): Buffer {
    if (row.destroyed_at !== null || row.wrapped_key === null || row.kek_id === null) {
      throw new SubjectKeyDestroyedError(subjectId)
    }
    const cached = cache.get(subjectId, row.version)
    if (cached && cached.wrapped === row.wrapped_key) return cached.dek
    const dek = keyring.unwrap(row.kek_id, row.wrapped_key, dekContext(subjectId, row.version))
    cache.set(subjectId, row.version, { dek, wrapped: row.wrapped_key })
    return dek
  }

  /** The subject's current key row, created (version 1) when they have none. */
  async function currentKey(db: Db, subjectId: string): Promise<SubjectKeyRow> {
    const existing = await findCurrentKey(db, subjectId)
    if (existing) return existing
    const dek = randomBytes(KEY_BYTES)
    const { kekId, wrapped } = keyring.wrap(dek, dekContext(subjectId, 1))
    dek.fill(0)
    await insertKey(db, { subjectId, version: 1, wrapped, kekId, now: clock.now() })
    // Re-read: a concurrent writer may have created the key first, and theirs is the one that counts.
    const row = await findCurrentKey(db, subjectId)
    if (!row) throw new Error(`subject key for ${subjectId} vanished after insert`)
    return row
  }

  /** Tries the cached DEK first; on failure (maybe stale) falls back to the database. */
  async function openWithKey(db: Db, ref: FieldRef, version: number, seal: (dek: Buffer) => Buffer): Promise<Buffer> {
    const cached = cache.get(ref.subjectId, version)
    if (cached) {
      try {
        return seal(cached.dek)
      } catch (err) {
        if (!(err instanceof DecryptionError)) throw err
        cache.evict(ref.subjectId, version)
      }
    }
    const row = await findKey(db, ref.subjectId, version)
    if (!row) throw new DecryptionError(`No data key version ${version} for this subject: the value belongs elsewhere`)
    return seal(unwrap(ref.subjectId, row))
  }

  return {
    async encryptField(db, ref, plaintext) {
      checkRef(ref)
      const row = await currentKey(db, ref.subjectId)
      const sealed = gcmEncrypt(unwrap(ref.subjectId, row), Buffer.from(plaintext, 'utf8'), fieldAad(ref, row.version))
      return formatCiphertext(row.version, sealed)
    },

    async decryptField(db, ref, ciphertext) {
      checkRef(ref)
      const { dekVersion, sealed } = parseCiphertext(ciphertext)
      const aad = fieldAad(ref, dekVersion)
      const plain = await openWithKey(db, ref, dekVersion, (dek) => gcmDecrypt(dek, sealed, aad))
      return plain.toString('utf8')
    },

    async destroySubjectKey(ctx, subjectId) {
      const destroyedVersions = await inTransaction(ctx, async (tx) => {
        const n = await destroyKeys(tx.db, subjectId, tx.now)
        await audit.record(tx, { action: 'crypto.subject_key_destroyed', subjectId, data: { destroyedVersions: n } })
        return n
      })
      cache.evictSubject(subjectId)
      return { destroyedVersions }
    },

    blindIndex: (value, purpose) => keyring.blindIndex(purpose, value),

    rotateKeys: (db, options) => rotateKeys(db, keyring, { now: () => clock.now(), ...options }),
  }
}
