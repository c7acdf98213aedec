/**
 * Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP), written with
 * node:crypto: HMAC-SHA1 of the 30-second step counter, dynamic truncation,
 * six digits. The secret is 20 random bytes, shown to the person as base32
 * (RFC 4648, no padding) inside an `otpauth://` URI their authenticator app
 * reads from a QR code. Time always comes from the caller (ctx.now).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/** Seconds per step (RFC 6238 X). */
export const TOTP_PERIOD = 30
/** Digits of a code. */
export const TOTP_DIGITS = 6
/** Steps accepted either side of the current one, for clocks that drift a little. */
export const TOTP_WINDOW = 1

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

/** RFC 4648 base32 without padding. */
export function base32Encode(bytes: Uint8Array): string {
  let out = ''
  let bits = 0
  let value = 0
  for (const byte of bytes) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31]
  return out
}

/** Decodes base32 (case and spaces ignored, padding allowed); throws on another character. */
export function base32Decode(text: string): Buffer {
  const clean = text.replace(/[\s=]/g, '').toUpperCase()
  const out: number[] = []
  let bits = 0
  let value = 0
  for (const char of clean) {
    const index = BASE32.indexOf(char)
    if (index < 0) throw new TypeError('not base32')
    value = ((value << 5) | index) & 0xffff
    bits += 5
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff)
      bits -= 8
    }
  }
  return Buffer.from(out)
}

/** A fresh secret: 20 random bytes (the HMAC-SHA1 block of RFC 4226's advice), base32. */
export function newTotpSecret(): string {
  return base32Encode(randomBytes(20))
}

/** HOTP (RFC 4226): HMAC-SHA1 of the 8-byte big-endian counter, dynamically truncated to `digits`. */
export function hotp(secret: Uint8Array, counter: number, digits = TOTP_DIGITS): string {
  const message = Buffer.alloc(8)
  message.writeBigUInt64BE(BigInt(counter))
  const mac = createHmac('sha1', secret).update(message).digest()
  const offset = mac[mac.length - 1]! & 0x0f
  const binary = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits
  return String(binary).padStart(digits, '0')
}

/** The step counter at a time: whole periods since the Unix epoch (RFC 6238 T). */
export function totpStep(at: Date, period = TOTP_PERIOD): number {
  return Math.floor(at.getTime() / 1000 / period)
}

/** The code an authenticator shows at `at`. */
export function totpAt(secret: Uint8Array, at: Date, digits = TOTP_DIGITS, period = TOTP_PERIOD): string {
  return hotp(secret, totpStep(at, period), digits)
}

/**
 * The step whose code matches `code` within ±TOTP_WINDOW steps of `at`, or
 * undefined. Compares in constant time; every step of the window is tried.
 */
export function matchTotp(secret: Uint8Array, code: string, at: Date): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined
  const now = totpStep(at)
  let found: number | undefined
  for (let step = now - TOTP_WINDOW; step <= now + TOTP_WINDOW; step++) {
    if (timingSafeEqual(Buffer.from(hotp(secret, step)), Buffer.from(code)) && found === undefined) found = step
  }
  return found
}

/** The `otpauth://` URI authenticator apps read (Key Uri Format): issuer, account label, secret, parameters. */
export function otpauthUri(input: { issuer: string; account: string; secret: string }): string {
  const label = `${encodeURIComponent(input.issuer)}:${encodeURIComponent(input.account)}`
  const params = new URLSearchParams({
    secret: input.secret,
    issuer: input.issuer,
    algorithm: 'SHA1',
    digits: String(TOTP_DIGITS),
    period: String(TOTP_PERIOD),
  })
  return `otpauth://totp/${label}?${params.toString()}`
}

/** The secret in groups of four for typing by hand (`ABCD EFGH …`). */
export function groupSecret(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ')
}
