/**
 * The embedded mode's keyring: `keys.json` in the data directory, created
 * with a fresh master key and blind-index key on first start (mode 0600).
 * Convenient, but the keys then sit next to the data they protect, so the
 * caller logs the warning this returns; production uses OQU_KEYRING.
 */
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { Config } from '../../config'
import { ConfigError } from '../../config'
import { KEY_BYTES } from './crypto.aead'
import { KeyringError } from './crypto.errors'
import { computeBlindIndex, createKeyring, decodeKey, parseKeyring, type Keyring } from './crypto.keyring'

export const LOCAL_KEYRING_FILE = 'keys.json'
const FORMAT = 'oqu-local-keyring/1'

interface LocalKeyFile {
  format: typeof FORMAT
  activeKeyId: string
  keys: Record<string, string>
  blindIndexKey: string
}

export interface LoadedKeyring {
  keyring: Keyring
  /** Something the operator should know; the caller logs it. */
  warning?: string
}

const freshKey = () => randomBytes(KEY_BYTES).toString('base64')

function readKeyFile(file: string): LocalKeyFile {
  let parsed: Partial<LocalKeyFile>
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LocalKeyFile>
  } catch (err) {
    throw new KeyringError(`Cannot read the local keyring ${file}: ${(err as Error).message}`)
  }
  if (parsed.format !== FORMAT || !parsed.keys || !parsed.activeKeyId || !parsed.blindIndexKey) {
    throw new KeyringError(`The local keyring ${file} is not in the ${FORMAT} format`)
  }
  return parsed as LocalKeyFile
}

/** Writes via a temporary file and rename, so a crash never leaves half a keyring. */
function writeKeyFile(file: string, content: LocalKeyFile, exclusive: boolean): void {
  const json = `${JSON.stringify(content, null, 2)}\n`
  if (exclusive) return fs.writeFileSync(file, json, { mode: 0o600, flag: 'wx' })
  const tmp = `${file}.${process.pid}.tmp`
  fs.writeFileSync(tmp, json, { mode: 0o600, flag: 'w' })
  fs.renameSync(tmp, file)
}

function toKeyring(content: LocalKeyFile): Keyring {
  const keys = new Map(Object.entries(content.keys).map(([id, k]) => [id, decodeKey(k, `Local master key "${id}"`)]))
  return createKeyring(keys, content.activeKeyId, decodeKey(content.blindIndexKey, 'The local blind-index key'))
}

/** Opens (or on first start creates) `<dataDir>/keys.json`. */
export function createLocalKeyring(dataDir: string): LoadedKeyring {
  const file = path.join(dataDir, LOCAL_KEYRING_FILE)
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true })
    writeKeyFile(file, { format: FORMAT, activeKeyId: 'k1', keys: { k1: freshKey() }, blindIndexKey: freshKey() }, true)
    const keyring = toKeyring(readKeyFile(file))
    const warning =
      `Created a local keyring at ${file} (master key k1 and a blind-index key). Without it the encrypted ` +
      'personal data cannot be read: back it up, but apart from database backups. In production set ' +
      'OQU_KEYRING and OQU_BLIND_INDEX_KEY instead.'
    return { keyring, warning }
  }
  const keyring = toKeyring(readKeyFile(file))
  const loose = (fs.statSync(file).mode & 0o077) !== 0
  return loose
    ? { keyring, warning: `The local keyring ${file} is readable by other users: run chmod 600 on it` }
    : { keyring }
}

/** Adds a fresh master key to the local keyring and makes it active (then run key rotation). */
export function addLocalMasterKey(dataDir: string): { keyId: string } {
  const file = path.join(dataDir, LOCAL_KEYRING_FILE)
  const content = readKeyFile(file)
  let n = Object.keys(content.keys).length + 1
  while (content.keys[`k${n}`] !== undefined) n++
  const keyId = `k${n}`
  writeKeyFile(file, { ...content, activeKeyId: keyId, keys: { ...content.keys, [keyId]: freshKey() } }, false)
  return { keyId }
}

/** Re-throws a KeyringError as a ConfigError naming the variable, so start-up says what to fix. */
function asConfigError(err: unknown): never {
  if (!(err instanceof KeyringError)) throw err
  const variable = /blind-index/.test(err.message)
    ? 'OQU_BLIND_INDEX_KEY'
    : /active/.test(err.message)
      ? 'OQU_ACTIVE_KEY_ID'
      : 'OQU_KEYRING'
  throw new ConfigError(variable, err.message)
}

/** The keyring the configuration asks for: OQU_KEYRING when set, else the local keyring in the data directory. */
export function keyringFromConfig(
  config: Pick<Config, 'keyring' | 'activeKeyId' | 'blindIndexKey' | 'dataDir'>,
): LoadedKeyring {
  const { keyring: spec, activeKeyId, blindIndexKey } = config
  if (spec === undefined) {
    const local = createLocalKeyring(config.dataDir)
    if (blindIndexKey === undefined) return local
    // An explicit blind-index key wins, so indexes stay stable if the local file is replaced.
    let key: Buffer
    try {
      key = decodeKey(blindIndexKey, 'The blind-index key')
    } catch (err) {
      asConfigError(err)
    }
    return {
      ...local,
      keyring: { ...local.keyring, blindIndex: (purpose, value) => computeBlindIndex(key, purpose, value) },
    }
  }
  if (blindIndexKey === undefined) throw new ConfigError('OQU_BLIND_INDEX_KEY', 'is required when OQU_KEYRING is set')
  try {
    return { keyring: parseKeyring(spec, { activeId: activeKeyId, blindIndexKey }) }
  } catch (err) {
    asConfigError(err)
  }
}
