/**
 * The keyring: master keys (KEKs) that wrap the per-subject data keys, and
 * the separate key for blind indexes. Key material stays inside this
 * closure; callers wrap, unwrap and index through it.
 */
import { createHmac } from 'node:crypto'
import { gcmDecrypt, gcmEncrypt, decodeSealed, encodeSealed, KEY_BYTES } from './crypto.aead'
import { KeyringError, UnknownKeyError } from './crypto.errors'

export interface Keyring {
  /** The master key that wraps new (and re-wrapped) data keys. */
  readonly activeId: string
  /** Every master key id in the ring, active one included. */
  ids(): readonly string[]
  has(id: string): boolean
  /** Wraps a data key under the active master key; `context` is bound as AAD. */
  wrap(dek: Buffer, context: string): { kekId: string; wrapped: string }
  /** Unwraps with the named master key; throws UnknownKeyError or DecryptionError. */
  unwrap(kekId: string, wrapped: string, context: string): Buffer
  /** HMAC-SHA256 of `value` under a key derived for `purpose`, base64url. */
  blindIndex(purpose: string, value: string): string
}

const KEY_ID = /^[A-Za-z0-9_-]{1,40}$/
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/
const PURPOSE = /^[a-z][a-z0-9_.]{0,63}$/

/** Decodes a base64 (or base64url) 32-byte key; `what` names it in errors. */
export function decodeKey(text: string, what: string): Buffer {
  const trimmed = text.trim()
  const key = BASE64.test(trimmed) ? Buffer.from(trimmed, 'base64') : Buffer.alloc(0)
  if (key.length !== KEY_BYTES) throw new KeyringError(`${what} must be ${KEY_BYTES} bytes in base64`)
  return key
}

/** Parses `id:base64key,id:base64key` into a map of master keys. */
export function parseMasterKeys(spec: string): Map<string, Buffer> {
  const keys = new Map<string, Buffer>()
  for (const entry of spec
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const colon = entry.indexOf(':')
    const id = colon > 0 ? entry.slice(0, colon).trim() : ''
    if (!KEY_ID.test(id))
      throw new KeyringError('Each keyring entry must be "id:base64key" with an id of letters, digits, _ or -')
    if (keys.has(id)) throw new KeyringError(`Master key id "${id}" appears twice in the keyring`)
    keys.set(id, decodeKey(entry.slice(colon + 1), `Master key "${id}"`))
  }
  if (keys.size === 0) throw new KeyringError('The keyring holds no master key')
  return keys
}

const wrapAad = (kekId: string, context: string) => JSON.stringify(['oqu.dek', 1, kekId, context])

/** HMAC-SHA256 blind index; the per-purpose key keeps indexes of different columns unlinkable. */
export function computeBlindIndex(key: Buffer, purpose: string, value: string): string {
  if (!PURPOSE.test(purpose)) throw new KeyringError(`Blind-index purpose "${purpose}" must look like "accounts.iin"`)
  const purposeKey = createHmac('sha256', key).update(`oqu.blind-index.v1|${purpose}`).digest()
  return createHmac('sha256', purposeKey).update(value, 'utf8').digest('base64url')
}

/** Builds a keyring from master keys, the active id (default: the last key) and the blind-index key. */
export function createKeyring(keys: Map<string, Buffer>, activeId: string | undefined, blindIndexKey: Buffer): Keyring {
  const ids = [...keys.keys()]
  const active = activeId ?? ids[ids.length - 1]
  if (active === undefined || !keys.has(active)) {
    throw new KeyringError(`The active master key "${active ?? ''}" is not in the keyring`)
  }
  if (blindIndexKey.length !== KEY_BYTES) throw new KeyringError(`The blind-index key must be ${KEY_BYTES} bytes`)
  const kek = (id: string) => {
    const key = keys.get(id)
    if (!key) throw new UnknownKeyError(id)
    return key
  }
  return {
    activeId: active,
    ids: () => ids,
    has: (id) => keys.has(id),
    wrap: (dek, context) => ({
      kekId: active,
      wrapped: encodeSealed(gcmEncrypt(kek(active), dek, wrapAad(active, context))),
    }),
    unwrap: (kekId, wrapped, context) => gcmDecrypt(kek(kekId), decodeSealed(wrapped), wrapAad(kekId, context)),
    blindIndex: (purpose, value) => computeBlindIndex(blindIndexKey, purpose, value),
  }
}

/** Parses a keyring from configuration strings (OQU_KEYRING, OQU_ACTIVE_KEY_ID, OQU_BLIND_INDEX_KEY). */
export function parseKeyring(spec: string, options: { activeId?: string | undefined; blindIndexKey: string }): Keyring {
  return createKeyring(parseMasterKeys(spec), options.activeId, decodeKey(options.blindIndexKey, 'The blind-index key'))
}
