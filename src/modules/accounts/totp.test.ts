// Issue 3 "Staff roles require TOTP second factor": RFC 6238 (SHA-1) and RFC 4226 test vectors, window and base32.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  base32Decode,
  base32Encode,
  groupSecret,
  hotp,
  matchTotp,
  newTotpSecret,
  otpauthUri,
  totpAt,
  totpStep,
} from './totp'

// RFC 6238 appendix B: the SHA-1 seed is the ASCII string "12345678901234567890", codes of 8 digits.
const RFC_SEED = Buffer.from('12345678901234567890', 'ascii')
const RFC_6238_SHA1: [number, string, string][] = [
  [59, '0000000000000001', '94287082'],
  [1111111109, '00000000023523EC', '07081804'],
  [1111111111, '00000000023523ED', '14050471'],
  [1234567890, '000000000273EF07', '89005924'],
  [2000000000, '0000000003F940AA', '69279037'],
  [20000000000, '0000000027BC86AA', '65353130'],
]

describe('TOTP (RFC 6238)', () => {
  for (const [seconds, stepHex, code] of RFC_6238_SHA1) {
    it(`gives ${code} at T=${seconds}s (step ${stepHex})`, () => {
      const at = new Date(seconds * 1000)
      assert.equal(totpStep(at), Number.parseInt(stepHex, 16))
      assert.equal(totpAt(RFC_SEED, at, 8), code)
      // The six-digit code is the last six digits of the same truncation.
      assert.equal(totpAt(RFC_SEED, at), code.slice(2))
    })
  }

  it('matches RFC 4226 appendix D HOTP values for counters 0..9', () => {
    const expected = [
      '755224',
      '287082',
      '359152',
      '969429',
      '338314',
      '254676',
      '287922',
      '162583',
      '399871',
      '520489',
    ]
    assert.deepEqual(
      expected.map((_, counter) => hotp(RFC_SEED, counter)),
      expected,
    )
  })

  it('accepts the code of the previous, current and next step only, and says which step matched', () => {
    const at = new Date(1111111111 * 1000)
    const step = totpStep(at)
    const codeOf = (s: number) => hotp(RFC_SEED, s)
    assert.equal(matchTotp(RFC_SEED, codeOf(step), at), step)
    assert.equal(matchTotp(RFC_SEED, codeOf(step - 1), at), step - 1)
    assert.equal(matchTotp(RFC_SEED, codeOf(step + 1), at), step + 1)
    assert.equal(matchTotp(RFC_SEED, codeOf(step - 2), at), undefined)
    assert.equal(matchTotp(RFC_SEED, codeOf(step + 2), at), undefined)
    assert.equal(matchTotp(RFC_SEED, '12345', at), undefined)
    assert.equal(matchTotp(RFC_SEED, 'abcdef', at), undefined)
  })

  it('round-trips base32 (RFC 4648 vectors) and makes 160-bit secrets', () => {
    const vectors: [string, string][] = [
      ['', ''],
      ['f', 'MY'],
      ['fo', 'MZXQ'],
      ['foo', 'MZXW6'],
      ['foob', 'MZXW6YQ'],
      ['fooba', 'MZXW6YTB'],
      ['foobar', 'MZXW6YTBOI'],
    ]
    for (const [plain, encoded] of vectors) {
      assert.equal(base32Encode(Buffer.from(plain)), encoded)
      assert.equal(base32Decode(encoded.toLowerCase() + '===').toString(), plain)
    }
    assert.equal(base32Encode(RFC_SEED), 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ')
    const secret = newTotpSecret()
    assert.match(secret, /^[A-Z2-7]{32}$/)
    assert.equal(base32Decode(secret).length, 20)
    assert.notEqual(newTotpSecret(), secret)
    assert.throws(() => base32Decode('MZ1W'), TypeError)
    assert.equal(groupSecret('ABCDEFGHIJ'), 'ABCD EFGH IJ')
  })

  it('writes the otpauth URI with issuer, escaped label and parameters', () => {
    const uri = otpauthUri({ issuer: 'Oqu Talap', account: 'a.b+c@мектеп.kz', secret: 'JBSWY3DPEHPK3PXP' })
    const url = new URL(uri)
    assert.equal(url.protocol, 'otpauth:')
    assert.equal(url.host, 'totp')
    assert.equal(decodeURIComponent(url.pathname.slice(1)), 'Oqu Talap:a.b+c@мектеп.kz')
    assert.equal(url.searchParams.get('secret'), 'JBSWY3DPEHPK3PXP')
    assert.equal(url.searchParams.get('issuer'), 'Oqu Talap')
    assert.equal(url.searchParams.get('digits'), '6')
    assert.equal(url.searchParams.get('period'), '30')
    assert.equal(url.searchParams.get('algorithm'), 'SHA1')
  })
})
