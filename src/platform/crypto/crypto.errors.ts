/** Errors of field encryption. Messages never carry key material or plaintext. */

export class CryptoError extends Error {
  override name = 'CryptoError'
  readonly code: string = 'crypto.error'
}

/** The subject's data key was destroyed (crypto-shredding): their encrypted values are gone for good. */
export class SubjectKeyDestroyedError extends CryptoError {
  override name = 'SubjectKeyDestroyedError'
  override readonly code = 'crypto.subject_key_destroyed'
  constructor(readonly subjectId: string) {
    super(`The data key of subject ${subjectId} was destroyed: their encrypted data can no longer be read or written`)
  }
}

/** Authentication failed: the value was altered, or belongs to another subject, field or key. */
export class DecryptionError extends CryptoError {
  override name = 'DecryptionError'
  override readonly code = 'crypto.decryption_failed'
}

/** A ciphertext or wrapped key names a master key that is not in the keyring. */
export class UnknownKeyError extends CryptoError {
  override name = 'UnknownKeyError'
  override readonly code = 'crypto.unknown_key'
  constructor(readonly keyId: string) {
    super(`Master key "${keyId}" is not in the keyring (OQU_KEYRING): add it back to read data wrapped under it`)
  }
}

/** The keyring configuration is malformed. */
export class KeyringError extends CryptoError {
  override name = 'KeyringError'
  override readonly code = 'crypto.keyring_invalid'
}
