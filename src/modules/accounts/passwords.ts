/**
 * Passwords: the policy, and argon2id hashing off the event loop
 * (@node-rs/argon2 runs on libuv's thread pool). Parameters follow OWASP's
 * argon2id baseline: 19 MiB memory, 2 passes, 1 lane. Passwords are NFC
 * normalised first, so the same Kazakh letters typed on different keyboards
 * give the same hash.
 */
import { hash, parseOptions, verify, type Algorithm, type Options } from '@node-rs/argon2'
import { WeakPasswordError } from './accounts.errors'

export const PASSWORD_MIN_LENGTH = 12
export const PASSWORD_MAX_LENGTH = 256

// Algorithm.Argon2id: the package declares a const enum, which isolatedModules cannot read.
const ARGON2ID = 2 as Algorithm

export const ARGON2_OPTIONS: Readonly<Options> = {
  algorithm: ARGON2ID,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
}

/** Throws WeakPasswordError unless the password meets the policy (length counted in characters, not bytes). */
export function checkPasswordPolicy(password: string): void {
  const chars = [...password.normalize('NFC')]
  const limits = { min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH }
  if (chars.length < PASSWORD_MIN_LENGTH) throw new WeakPasswordError('too_short', limits)
  if (chars.length > PASSWORD_MAX_LENGTH) throw new WeakPasswordError('too_long', limits)
  if (chars.every((c) => c === chars[0])) throw new WeakPasswordError('repetitive', limits)
}

/** Checks the policy, then hashes with argon2id → a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`). */
export async function hashPassword(password: string): Promise<string> {
  checkPasswordPolicy(password)
  return hash(password.normalize('NFC'), ARGON2_OPTIONS)
}

/** True when `password` matches the stored hash; false for a wrong password or a malformed hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password.normalize('NFC'))
  } catch {
    return false
  }
}

/** True when a stored hash was made with other parameters than today's: rehash it at the next sign-in. */
export function needsRehash(passwordHash: string): boolean {
  try {
    const used = parseOptions(passwordHash)
    return (
      used.algorithm !== ARGON2_OPTIONS.algorithm ||
      used.memoryCost !== ARGON2_OPTIONS.memoryCost ||
      used.timeCost !== ARGON2_OPTIONS.timeCost ||
      used.parallelism !== ARGON2_OPTIONS.parallelism
    )
  } catch {
    return true
  }
}
