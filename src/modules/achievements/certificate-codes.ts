/**
 * Certificate codes: `OQU-` and three groups of four characters drawn at
 * random from 30 letters and digits that cannot be mistaken for each other
 * (no 0/O, 1/I/L, U/V pairs), about 59 bits: guessing a valid code is
 * hopeless, so the public verify page gives nothing away by answering.
 */
import { randomInt } from 'node:crypto'

export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ'
const GROUPS = 3
const GROUP_LENGTH = 4
const CODE = new RegExp(`^OQU-([${CODE_ALPHABET}]{4})-([${CODE_ALPHABET}]{4})-([${CODE_ALPHABET}]{4})$`)

/** A fresh random code. */
export function newCertificateCode(): string {
  const groups: string[] = []
  for (let g = 0; g < GROUPS; g++) {
    let group = ''
    for (let i = 0; i < GROUP_LENGTH; i++) group += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]
    groups.push(group)
  }
  return `OQU-${groups.join('-')}`
}

/**
 * The canonical form of a code as someone typed or scanned it (any case,
 * spaces or hyphens anywhere, with or without `OQU`); undefined when it
 * cannot be a code.
 */
export function normaliseCertificateCode(input: string): string | undefined {
  if (input.length > 40) return undefined
  let s = input.toUpperCase().replace(/[\s-]+/g, '')
  if (s.startsWith('OQU')) s = s.slice(3)
  if (s.length !== GROUPS * GROUP_LENGTH) return undefined
  const code = `OQU-${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8, 12)}`
  return CODE.test(code) ? code : undefined
}
