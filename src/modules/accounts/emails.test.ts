import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { InvalidEmailError } from './accounts.errors'
import { maskEmail, normaliseEmail, tryNormaliseEmail } from './emails'

describe('e-mail normalisation', () => {
  it('trims and lower-cases', () => {
    assert.equal(normaliseEmail('  Aigerim.Serikova@Example.KZ\n'), 'aigerim.serikova@example.kz')
    assert.equal(normaliseEmail('a+tag@sub.mail.kz'), 'a+tag@sub.mail.kz')
  })

  it('gives one form for a domain typed in Unicode or in punycode', () => {
    assert.equal(normaliseEmail('Info@Білім.ҚАЗ'), 'info@білім.қаз')
    assert.equal(normaliseEmail('info@xn--90aud6hb.xn--80ao21a'), 'info@білім.қаз')
  })

  it('gives one form for composed and decomposed letters', () => {
    const composed = 'әсем@example.kz'
    assert.equal(normaliseEmail(composed.normalize('NFD')), composed)
  })

  it('refuses what is not an address', () => {
    const bad = [
      '',
      'plain',
      '@example.kz',
      'a@',
      'a@@example.kz',
      'a@b@example.kz',
      'a b@example.kz',
      'a@exa mple.kz',
      'a@localhost',
      'a@example',
      'a@example.k',
      'a@1.2.3.4',
      'a@[1.2.3.4]',
      'a@-example.kz',
      'a@example-.kz',
      'a@exa_mple.kz',
      'a@example..kz',
      '.a@example.kz',
      'a.@example.kz',
      'a..b@example.kz',
      '"quoted"@example.kz',
      'a\u0000b@example.kz',
      'a\u200bb@example.kz',
      `${'x'.repeat(65)}@example.kz`,
      `a@${'x'.repeat(250)}.kz`,
    ]
    for (const input of bad) assert.equal(tryNormaliseEmail(input), undefined, JSON.stringify(input))
    assert.equal(tryNormaliseEmail(42), undefined)
    assert.equal(tryNormaliseEmail(null), undefined)
  })

  it('throws an error that does not repeat the input', () => {
    assert.throws(
      () => normaliseEmail('secret-person@nowhere'),
      (err: unknown) =>
        err instanceof InvalidEmailError && err.code === 'accounts.email_invalid' && !err.message.includes('secret'),
    )
  })
})

describe('e-mail masking', () => {
  it('shows the first letters of the local part and the domain', () => {
    assert.equal(maskEmail('aigerim.s@example.kz'), 'ai•••@example.kz')
    assert.equal(maskEmail('ab@example.kz'), 'a•••@example.kz')
    assert.equal(maskEmail('әсем@білім.қаз'), 'әс•••@білім.қаз')
    assert.equal(maskEmail('broken'), '•••')
  })
})
