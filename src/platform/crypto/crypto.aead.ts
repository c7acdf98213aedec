/**
 * AES-256-GCM primitives and the ciphertext format. A field value is stored
 * as `v1.<dekVersion>.<iv>.<ct>.<tag>` (base64url parts): the format version,
 * and the version of the subject's data key that encrypted it.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { DecryptionError } from './crypto.errors'

export const KEY_BYTES = 32
const IV_BYTES = 12
const TAG_BYTES = 16
const FORMAT = 'v1'

export interface Sealed {
  iv: Buffer
  ct: Buffer
  tag: Buffer
}

/** Encrypts with a fresh random IV; `aad` is authenticated but not stored. */
export function gcmEncrypt(key: Buffer, plaintext: Buffer, aad: string): Sealed {
  const iv = randomBytes(IV_BYTES)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  cipher.setAAD(Buffer.from(aad, 'utf8'))
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()])
  return { iv, ct, tag: cipher.getAuthTag() }
}

/** Decrypts and authenticates; throws DecryptionError on any mismatch (data, AAD, key). */
export function gcmDecrypt(key: Buffer, sealed: Sealed, aad: string): Buffer {
  if (sealed.iv.length !== IV_BYTES || sealed.tag.length !== TAG_BYTES) {
    throw new DecryptionError('Malformed ciphertext: bad IV or tag length')
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv, { authTagLength: TAG_BYTES })
    decipher.setAAD(Buffer.from(aad, 'utf8'))
    decipher.setAuthTag(sealed.tag)
    return Buffer.concat([decipher.update(sealed.ct), decipher.final()])
  } catch {
    throw new DecryptionError('Decryption failed: the value was altered or belongs to another subject, field or key')
  }
}

const b64 = (b: Buffer) => b.toString('base64url')
const B64URL = /^[A-Za-z0-9_-]*$/

function fromB64(part: string): Buffer {
  if (!B64URL.test(part)) throw new DecryptionError('Malformed ciphertext: not base64url')
  return Buffer.from(part, 'base64url')
}

/** Joins sealed parts into the stored string form `<iv>.<ct>.<tag>`. */
export function encodeSealed(s: Sealed): string {
  return `${b64(s.iv)}.${b64(s.ct)}.${b64(s.tag)}`
}

/** Parses `<iv>.<ct>.<tag>`. */
export function decodeSealed(text: string): Sealed {
  const parts = text.split('.')
  if (parts.length !== 3) throw new DecryptionError('Malformed ciphertext: expected three parts')
  const [iv, ct, tag] = parts.map(fromB64) as [Buffer, Buffer, Buffer]
  return { iv, ct, tag }
}

/** The stored form of a field value. */
export function formatCiphertext(dekVersion: number, sealed: Sealed): string {
  return `${FORMAT}.${dekVersion}.${encodeSealed(sealed)}`
}

/** Splits a stored field value into its data-key version and sealed parts. */
export function parseCiphertext(text: string): { dekVersion: number; sealed: Sealed } {
  if (typeof text !== 'string') throw new DecryptionError('Malformed ciphertext: not a string')
  const match = /^v1\.([1-9][0-9]{0,8})\.(.*)$/.exec(text)
  if (!match) throw new DecryptionError('Malformed ciphertext: unknown format (expected v1.<version>.…)')
  return { dekVersion: Number(match[1]), sealed: decodeSealed(match[2]!) }
}
