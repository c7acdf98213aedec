/** Field encryption's public surface. */
export { createFieldCrypto, type FieldCrypto, type FieldCryptoDeps, type FieldRef } from './crypto.field'
export { computeBlindIndex, createKeyring, parseKeyring, type Keyring } from './crypto.keyring'
export {
  addLocalMasterKey,
  createLocalKeyring,
  keyringFromConfig,
  LOCAL_KEYRING_FILE,
  type LoadedKeyring,
} from './crypto.local-keyring'
export { rotateKeys, type RotateOptions, type RotationProgress, type RotationReport } from './crypto.rotation'
export { CryptoError, DecryptionError, KeyringError, SubjectKeyDestroyedError, UnknownKeyError } from './crypto.errors'
export type { KeyCacheOptions } from './crypto.key-cache'
export type { KeyTables } from './crypto.tables'
export { cryptoDataMap } from './crypto.data-map'
