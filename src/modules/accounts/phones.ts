/**
 * Phone numbers as accounts keep them: Kazakh mobile numbers in E.164
 * (`+77XXXXXXXXX`). Kazakhstan shares +7 with Russia, so the country comes
 * from libphonenumber's metadata (KZ default region), not from a hand regex:
 * `8 701 …`, `+7 701 …` and `701 …` are one number; `+7 9…` is Russian and
 * refused, as are landlines (a verification code goes by SMS).
 */
import { parsePhoneNumberWithError, type PhoneNumber } from 'libphonenumber-js/max'
import { InvalidPhoneError } from './accounts.errors'

/** Field name of the encrypted phone number (part of the ciphertext's AAD: never change it). */
export const PHONE_FIELD = 'accounts.phone'
/** Blind-index purpose of the E.164 phone number. */
export const PHONE_INDEX_PURPOSE = 'accounts.phone'

// Digits and the separators people type; no letters (vanity numbers) and no extensions.
const TYPED_PHONE = /^\+?[\d\s().-]{6,30}$/
const KZ_E164 = /^\+77\d{9}$/

function parse(input: string): PhoneNumber | undefined {
  try {
    return parsePhoneNumberWithError(input, 'KZ')
  } catch {
    return undefined
  }
}

/** The number in E.164 (`+77012345678`); throws InvalidPhoneError (`invalid`, `not_kz`, `not_mobile`). */
export function normalisePhone(input: unknown): string {
  if (typeof input !== 'string') throw new InvalidPhoneError('invalid')
  const typed = input.normalize('NFKC').trim()
  if (!TYPED_PHONE.test(typed)) throw new InvalidPhoneError('invalid')
  const phone = parse(typed)
  if (!phone || !phone.isValid()) {
    // A well-formed +7 number outside Kazakhstan's plan is still "not Kazakh", not "invalid".
    if (phone && phone.countryCallingCode === '7' && !phone.nationalNumber.startsWith('7'))
      throw new InvalidPhoneError('not_kz')
    throw new InvalidPhoneError('invalid')
  }
  if (phone.country !== 'KZ') throw new InvalidPhoneError('not_kz')
  if (phone.getType() !== 'MOBILE') throw new InvalidPhoneError('not_mobile')
  const e164 = phone.number
  if (!KZ_E164.test(e164)) throw new InvalidPhoneError('invalid')
  return e164
}

/** The E.164 number, or undefined when it is not a Kazakh mobile number. */
export function tryNormalisePhone(input: unknown): string | undefined {
  try {
    return normalisePhone(input)
  } catch {
    return undefined
  }
}

/** `+7 701 234 56 78`: an E.164 Kazakh number grouped for reading (the owner's own view). */
export function formatPhone(e164: string): string {
  if (!KZ_E164.test(e164)) return e164
  const n = e164.slice(2)
  return `+7 ${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6, 8)} ${n.slice(8)}`
}

/** `+7 701 ••• •• 78`: enough to recognise one's own number, not to dial it. */
export function maskPhone(e164: string): string {
  if (!KZ_E164.test(e164)) return '+• ••• ••• •• ••'
  const n = e164.slice(2)
  return `+7 ${n.slice(0, 3)} ••• •• ${n.slice(8)}`
}
