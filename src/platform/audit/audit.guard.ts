/**
 * Keeps personal data out of the audit log. Entries name people by id; a
 * payload key or value that looks like an e-mail, phone number, IIN, name or
 * secret is refused before it can be written, because an append-only log can
 * never be cleaned afterwards. The checks are heuristics that err on the side
 * of refusing: rename the key or record an id instead.
 */
import type { AuditData, AuditValue } from './audit.tables'

export class AuditEventError extends Error {
  override name = 'AuditEventError'
  readonly code = 'audit.invalid_event'
}

/** Words that, anywhere in a payload key, mean the value is (or reveals) personal data or a secret. */
const FORBIDDEN_KEY_WORDS = new Set(
  (
    'email mail phone tel mobile msisdn iin bin name firstname lastname fullname username surname patronymic ' +
    'password passwd pwd token secret otp address birth birthdate dob card pan cvc cvv passport cookie ip'
  ).split(' '),
)

const MAX_KEYS = 32
const MAX_STRING = 500
const KEY_FORMAT = /^[A-Za-z][A-Za-z0-9_]{0,63}$/
const ACTION_FORMAT = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/
const TYPE_FORMAT = /^[a-z][a-z0-9_]{0,63}$/
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi
const EMAIL = /[^\s@]+@[^\s@]+\.[^\s@]+/
const IIN = /(?<!\d)\d{6}[\s-]?\d{6}(?!\d)/
// +7 / 8 / 7 followed by ten digits in the usual groupings, a bare 7xx… number, or "+" and 9–14 digits.
const PHONE_KZ = /(?<![\w+])(?:\+7|8|7)[\s-]*\(?\d{3}\)?[\s-]*\d{3}[\s-]*\d{2}[\s-]*\d{2}(?!\d)|(?<!\d)7\d{9}(?!\d)/
const PHONE_INTL = /\+\d(?:[\s\-()]*\d){8,13}(?!\d)/

/** Splits `firstName`, `first_name`, `first-name` into lower-case words. */
function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase())
}

/** Names what personal data `text` seems to contain, or undefined. UUIDs are ignored: they are ids. */
export function personalDataIn(text: string): string | undefined {
  const t = text.replace(UUID, ' ')
  if (EMAIL.test(t)) return 'an e-mail address'
  if (PHONE_KZ.test(t) || PHONE_INTL.test(t)) return 'a phone number'
  if (IIN.test(t)) return 'an IIN (12 digits)'
  return undefined
}

function checkKey(key: string): void {
  if (!KEY_FORMAT.test(key))
    throw new AuditEventError(`audit data key "${key}" must be an identifier (letters, digits, _)`)
  const words = keyWords(key)
  const bad =
    words.find((w) => FORBIDDEN_KEY_WORDS.has(w)) ?? (FORBIDDEN_KEY_WORDS.has(words.join('')) ? key : undefined)
  if (bad !== undefined) {
    throw new AuditEventError(
      `audit data key "${key}" names personal data or a secret ("${bad}"): record an id instead`,
    )
  }
}

function checkValue(key: string, value: AuditValue): void {
  if (value === null || typeof value === 'boolean') return
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new AuditEventError(`audit data "${key}" must be a finite number`)
    if (Number.isInteger(value)) checkText(key, String(Math.abs(value)))
    return
  }
  if (typeof value !== 'string')
    throw new AuditEventError(`audit data "${key}" must be a string, number, boolean or null`)
  if (value.length > MAX_STRING)
    throw new AuditEventError(`audit data "${key}" is longer than ${MAX_STRING} characters`)
  checkText(key, value)
}

function checkText(field: string, text: string): void {
  const found = personalDataIn(text)
  // The value itself is never echoed: it is the personal data being refused.
  if (found) throw new AuditEventError(`audit ${field} looks like ${found}: audit entries name people by id only`)
}

/** Throws AuditEventError unless `data` is a small flat object free of personal data. */
export function checkAuditData(data: AuditData): void {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new AuditEventError('audit data must be a flat object')
  }
  const entries = Object.entries(data)
  if (entries.length > MAX_KEYS) throw new AuditEventError(`audit data has more than ${MAX_KEYS} keys`)
  for (const [key, value] of entries) {
    checkKey(key)
    checkValue(key, value)
  }
}

/** Throws AuditEventError when the action is not dotted (`consent.withdrawn`). */
export function checkAction(action: string): void {
  if (!ACTION_FORMAT.test(action)) {
    throw new AuditEventError(`audit action "${action}" must be dotted lower case, e.g. "consent.withdrawn"`)
  }
}

/** Checks a subject/target reference: a lower-case type and an id that is not itself personal data. */
export function checkReference(role: 'subject' | 'target', type?: string | null, id?: string | null): void {
  if (type != null && !TYPE_FORMAT.test(type))
    throw new AuditEventError(`audit ${role}Type "${type}" must be snake_case`)
  if (id == null) return
  if (typeof id !== 'string' || id.length === 0 || id.length > 128) {
    throw new AuditEventError(`audit ${role}Id must be a non-empty string of at most 128 characters`)
  }
  checkText(`${role}Id`, id)
}
