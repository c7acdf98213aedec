/**
 * The IIN (ЖСН / ИИН), Kazakhstan's twelve-digit individual identification
 * number: `YYMMDD C NNNN K`. The check digit K is validated strictly (two
 * weighted passes, law-kz.md); the birth date and sex the digits encode are
 * only hints, because since 2013 they need not match the holder. The IIN is
 * restricted personal data: callers encrypt it, index it by keyed hash, show
 * it masked and never log it. Nothing here repeats the number in an error.
 */
import { InvalidIinError } from './accounts.errors'

/** Field name of the encrypted IIN (part of the ciphertext's AAD: never change it). */
export const IIN_FIELD = 'accounts.iin'
/** Blind-index purpose of the IIN. */
export const IIN_INDEX_PURPOSE = 'accounts.iin'

const FIRST_PASS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
const SECOND_PASS = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]
const MASK = '••••••••'

/** What the digits suggest about the holder: never proof of age or sex. */
export interface IinHints {
  /** `YYYY-MM-DD`, or undefined when the digits are not a real date or the century digit is unknown. */
  birthDate: string | undefined
  sex: 'male' | 'female' | undefined
}

function weightedRemainder(digits: readonly number[], weights: readonly number[]): number {
  let sum = 0
  for (let i = 0; i < weights.length; i++) sum += digits[i]! * weights[i]!
  return sum % 11
}

/**
 * The check digit for the first eleven digits, or undefined when both
 * passes give 10 (such a number is never issued).
 */
export function iinCheckDigit(first11: string): number | undefined {
  if (!/^\d{11}$/.test(first11)) throw new TypeError('iinCheckDigit needs exactly eleven digits')
  const digits = [...first11].map(Number)
  const first = weightedRemainder(digits, FIRST_PASS)
  if (first !== 10) return first
  const second = weightedRemainder(digits, SECOND_PASS)
  return second === 10 ? undefined : second
}

/** Twelve digits from what a person typed: spaces and hyphens between groups are dropped, full-width digits folded. */
function digitsOf(input: unknown): string | undefined {
  if (typeof input !== 'string' || input.length > 40) return undefined
  const compact = input.normalize('NFKC').replace(/[\s-]/g, '')
  return /^\d{12}$/.test(compact) ? compact : undefined
}

/** The IIN as twelve digits; throws InvalidIinError (`format` or `checksum`). */
export function normaliseIin(input: unknown): string {
  const iin = digitsOf(input)
  if (iin === undefined) throw new InvalidIinError('format')
  const check = iinCheckDigit(iin.slice(0, 11))
  if (check === undefined || check !== Number(iin[11])) throw new InvalidIinError('checksum')
  return iin
}

/** True when `input` is an IIN with a correct check digit. */
export function isValidIin(input: unknown): boolean {
  try {
    normaliseIin(input)
    return true
  } catch {
    return false
  }
}

const CENTURY: Record<string, number> = { '1': 1800, '2': 1800, '3': 1900, '4': 1900, '5': 2000, '6': 2000 }

/** Birth date and sex as the digits suggest them (hints only: ask the person, never rely on these). */
export function iinHints(iin: string): IinHints {
  const valid = normaliseIin(iin)
  const marker = valid[6]!
  const century = CENTURY[marker]
  const sex = century === undefined ? undefined : Number(marker) % 2 === 1 ? 'male' : 'female'
  if (century === undefined) return { birthDate: undefined, sex }
  const year = century + Number(valid.slice(0, 2))
  const month = Number(valid.slice(2, 4))
  const day = Number(valid.slice(4, 6))
  const date = new Date(Date.UTC(year, month - 1, day))
  const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  return { birthDate: real ? date.toISOString().slice(0, 10) : undefined, sex }
}

/** `••••••••1234`: the last four digits only. */
export function maskIin(iin: string): string {
  const digits = digitsOf(iin)
  return MASK + (digits ?? '').slice(-4)
}
