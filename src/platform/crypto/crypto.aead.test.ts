import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import { formatCiphertext, gcmDecrypt, gcmEncrypt, parseCiphertext } from './crypto.aead'
import { DecryptionError } from './crypto.errors'

describe('AES-256-GCM and the ciphertext format', () => {
  const key = randomBytes(32)

  it('round-trips through the v1 string form', () => {
    const text = formatCiphertext(3, gcmEncrypt(key, Buffer.from('Әә Ғғ Ққ'), 'aad'))
    assert.match(text, /^v1\.3\.[\w-]{16}\.[\w-]+\.[\w-]{22}$/)
    const { dekVersion, sealed } = parseCiphertext(text)
    assert.equal(dekVersion, 3)
    assert.equal(gcmDecrypt(key, sealed, 'aad').toString(), 'Әә Ғғ Ққ')
  })

  it('uses a fresh IV every time', () => {
    const a = formatCiphertext(1, gcmEncrypt(key, Buffer.from('x'), 'aad'))
    const b = formatCiphertext(1, gcmEncrypt(key, Buffer.from('x'), 'aad'))
    assert.notEqual(a, b)
  })

  it('refuses malformed strings', () => {
    for (const bad of ['', 'v2.1.a.b.c', 'v1.0.a.b.c', 'v1.1.a.b', 'v1.1.a!.b.c', 'plain text']) {
      assert.throws(() => {
        const { sealed } = parseCiphertext(bad)
        gcmDecrypt(key, sealed, 'aad')
      }, DecryptionError)
    }
  })
})
