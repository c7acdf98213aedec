/**
 * E-mail addresses as accounts keep them: one normalised form, so that the
 * blind index finds an address however it was typed. Trimmed, Unicode NFC,
 * lower-cased; the domain in its canonical Unicode form (IDNA), so
 * `Білім.ҚАЗ` and `xn--90aud6hb.xn--80ao21a` are the same address.
 */
import { domainToASCII, domainToUnicode } from 'node:url'
import { InvalidEmailError } from './accounts.errors'

const MAX_ADDRESS = 254
const MAX_LOCAL = 64
const MAX_DOMAIN = 253
// Printable, no spaces, quotes, brackets or separators that need quoting in an address.
const LOCAL_PART = /^[^\s\p{Cc}\p{Cf}@"(),:;<>[\]\\]+$/u
const ASCII_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/
const TOP_LEVEL = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/

/** The normalised address, or undefined when it is not of a usable shape. */
export function tryNormaliseEmail(input: unknown): string | undefined {
  if (typeof input !== 'string' || input.length > 4 * MAX_ADDRESS) return undefined
  const text = input.trim().normalize('NFC').toLowerCase()
  const at = text.lastIndexOf('@')
  if (at <= 0 || at !== text.indexOf('@')) return undefined
  const local = text.slice(0, at)
  const domain = normaliseDomain(text.slice(at + 1))
  if (domain === undefined || !validLocalPart(local)) return undefined
  const address = `${local}@${domain}`
  return address.length <= MAX_ADDRESS ? address : undefined
}

/** The normalised address; throws InvalidEmailError (which does not repeat the input). */
export function normaliseEmail(input: unknown): string {
  const address = tryNormaliseEmail(input)
  if (address === undefined) throw new InvalidEmailError()
  return address
}

function validLocalPart(local: string): boolean {
  return (
    local.length <= MAX_LOCAL &&
    LOCAL_PART.test(local) &&
    !local.startsWith('.') &&
    !local.endsWith('.') &&
    !local.includes('..')
  )
}

/** A domain of at least two labels with a real-looking top level, in canonical Unicode form. */
function normaliseDomain(domain: string): string | undefined {
  const ascii = domainToASCII(domain)
  if (ascii === '' || ascii.length > MAX_DOMAIN) return undefined
  const labels = ascii.split('.')
  if (labels.length < 2 || !labels.every((l) => ASCII_LABEL.test(l))) return undefined
  if (!TOP_LEVEL.test(labels[labels.length - 1]!)) return undefined
  return domainToUnicode(ascii)
}

/** `ai•••@example.kz`: enough for the owner to recognise the address, not to read it over a shoulder. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@')
  if (at <= 0) return '•••'
  const local = [...address.slice(0, at)]
  const shown = local.length <= 2 ? 1 : 2
  return `${local.slice(0, shown).join('')}•••${address.slice(at)}`
}
