import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { WeakPasswordError } from './accounts.errors'
import { checkPasswordPolicy, hashPassword, needsRehash, verifyPassword } from './passwords'

const problem = (password: string) => {
  try {
    checkPasswordPolicy(password)
    return undefined
  } catch (err) {
    assert.ok(err instanceof WeakPasswordError)
    return err.code
  }
}

describe('password policy', () => {
  it('wants 12 to 256 characters, counted as characters rather than bytes', () => {
    assert.equal(problem('elevenchars'), 'accounts.password_too_short')
    assert.equal(problem('twelve chars'), undefined)
    assert.equal(problem('Әә Ғғ Ққ Ңң Өө Ұұ'), undefined)
    assert.equal(problem('Қазақстан'), 'accounts.password_too_short', '9 letters, 18 bytes')
    assert.equal(problem('🔑🗝'.repeat(5) + '🔑'), 'accounts.password_too_short', '11 code points, 22 UTF-16 units')
    assert.equal(problem('ab'.repeat(128)), undefined)
    assert.equal(problem('ab'.repeat(128) + 'c'), 'accounts.password_too_long')
  })

  it('refuses one character repeated, spaces included', () => {
    assert.equal(problem('aaaaaaaaaaaaaaaaaaaa'), 'accounts.password_repetitive')
    assert.equal(problem(' '.repeat(16)), 'accounts.password_repetitive')
    assert.equal(problem('ққққққққққққ'), 'accounts.password_repetitive')
    assert.equal(problem('aaaaaaaaaaab'), undefined)
  })

  it('says what is wrong without repeating the password', () => {
    for (const password of ['short-pass', 'zzzzzzzzzzzzzzzz']) {
      assert.throws(
        () => checkPasswordPolicy(password),
        (err: unknown) => err instanceof WeakPasswordError && !err.message.includes(password) && err.params.min === 12,
      )
    }
  })
})

describe('password hashing', () => {
  it('hashes with argon2id at the OWASP parameters and verifies', async () => {
    const hashed = await hashPassword('correct horse battery')
    assert.match(hashed, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/)
    assert.equal(await verifyPassword(hashed, 'correct horse battery'), true)
    assert.equal(await verifyPassword(hashed, 'correct horse batterY'), false)
    assert.notEqual(await hashPassword('correct horse battery'), hashed, 'a fresh salt every time')
    assert.equal(needsRehash(hashed), false)
  })

  it('treats composed and decomposed Kazakh letters as the same password', async () => {
    const composed = 'Өмір өзен секілді' // Ө as one code point
    const decomposed = composed.normalize('NFD')
    const hashed = await hashPassword(decomposed)
    assert.equal(await verifyPassword(hashed, composed), true)
  })

  it('refuses to hash a password that breaks the policy', async () => {
    await assert.rejects(hashPassword('short'), WeakPasswordError)
  })

  it('answers false (never throws) for a malformed hash, and asks to rehash weaker parameters', async () => {
    assert.equal(await verifyPassword('not a hash', 'correct horse battery'), false)
    assert.equal(needsRehash('not a hash'), true)
    assert.equal(
      needsRehash('$argon2id$v=19$m=4096,t=3,p=1$c29tZXNhbHRzb21lc2FsdA$YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXowMTIzNDU'),
      true,
    )
  })

  it('hashes off the event loop: timers keep firing while it works', async () => {
    let ticks = 0
    const timer = setInterval(() => ticks++, 1)
    try {
      await Promise.all([1, 2, 3].map(() => hashPassword('correct horse battery')))
    } finally {
      clearInterval(timer)
    }
    assert.ok(ticks >= 2, `the event loop ran ${ticks} timer ticks during hashing`)
  })
})
