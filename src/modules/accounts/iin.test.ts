// T-2.1.4, law-kz.md "IIN": strict two-pass checksum; date and sex are hints only; shown masked.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { InvalidIinError } from './accounts.errors'
import { iinCheckDigit, iinHints, isValidIin, maskIin, normaliseIin } from './iin'

const problem = (input: unknown) => {
  try {
    normaliseIin(input)
    return undefined
  } catch (err) {
    assert.ok(err instanceof InvalidIinError)
    return err.code
  }
}

/** A deterministic stream of 11-digit prefixes (no Math.random: failures must reproduce). */
function* prefixes(count: number): Generator<string> {
  let x = 123456789
  for (let i = 0; i < count; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31
    yield String(x % 100_000_000_000).padStart(11, '0')
  }
}

describe('IIN checksum', () => {
  it('accepts the examples of law-kz.md and refuses the never-issued one', () => {
    assert.equal(normaliseIin('900515301234'), '900515301234', 'first pass: 147 mod 11 = 4')
    assert.equal(normaliseIin('061211600012'), '061211600012', 'second pass: 87 → 10, then 112 mod 11 = 2')
    assert.equal(problem('821214240092'), 'accounts.iin_checksum', 'both passes give 10')
    assert.equal(iinCheckDigit('82121424009'), undefined)
    assert.equal(iinCheckDigit('90051530123'), 4)
    assert.equal(iinCheckDigit('06121160001'), 2)
  })

  it('refuses every other check digit of a valid number', () => {
    for (const valid of ['900515301234', '061211600012']) {
      for (let d = 0; d <= 9; d++) {
        const candidate = valid.slice(0, 11) + String(d)
        assert.equal(isValidIin(candidate), candidate === valid, candidate)
      }
    }
  })

  it('has exactly one valid check digit per prefix, or none when both passes give 10', () => {
    let neverIssued = 0
    for (const prefix of prefixes(2000)) {
      const valid = [...'0123456789'].filter((d) => isValidIin(prefix + d))
      const check = iinCheckDigit(prefix)
      if (check === undefined) {
        neverIssued++
        assert.deepEqual(valid, [], prefix)
      } else assert.deepEqual(valid, [String(check)], prefix)
    }
    assert.ok(neverIssued > 0, 'the sample includes prefixes that are never issued')
  })

  it('accepts the number typed with spaces, hyphens or full-width digits', () => {
    assert.equal(normaliseIin(' 900515 301234 '), '900515301234')
    assert.equal(normaliseIin('900515-301234'), '900515301234')
    assert.equal(normaliseIin('９００５１５３０１２３４'), '900515301234')
  })

  it('refuses what is not twelve digits, without repeating the input', () => {
    for (const input of [
      '',
      '90051530123',
      '9005153012345',
      '90051530123a',
      '+900515301234',
      '9005.1530.1234',
      42,
      null,
    ]) {
      assert.equal(problem(input), 'accounts.iin_format', JSON.stringify(input))
    }
    assert.equal(problem('9'.repeat(41)), 'accounts.iin_format')
    assert.throws(
      () => normaliseIin('900515301235'),
      (err: unknown) =>
        err instanceof InvalidIinError &&
        err.status === 400 &&
        !err.message.includes('900515') &&
        !err.message.includes('1235'),
    )
  })
})

describe('IIN hints', () => {
  it('reads the birth date and sex from the digits', () => {
    assert.deepEqual(iinHints('900515301234'), { birthDate: '1990-05-15', sex: 'male' })
    assert.deepEqual(iinHints('061211600012'), { birthDate: '2006-12-11', sex: 'female' })
  })

  it('maps the century digit: 1/2 → 1800s, 3/4 → 1900s, 5/6 → 2000s; odd male, even female', () => {
    const cases: [string, string, 'male' | 'female'][] = [
      ['1', '1890-01-02', 'male'],
      ['2', '1890-01-02', 'female'],
      ['3', '1990-01-02', 'male'],
      ['4', '1990-01-02', 'female'],
      ['5', '2090-01-02', 'male'],
      ['6', '2090-01-02', 'female'],
    ]
    for (const [marker, birthDate, sex] of cases) {
      const iin = withCheckDigit(`900102${marker}0000`)
      assert.deepEqual(iinHints(iin), { birthDate, sex }, marker)
    }
  })

  it('gives no date for impossible dates or unknown century digits, and refuses invalid numbers', () => {
    assert.equal(iinHints(withCheckDigit('900230300001')).birthDate, undefined, '30 February')
    assert.equal(iinHints(withCheckDigit('901301300001')).birthDate, undefined, 'month 13')
    assert.deepEqual(iinHints(withCheckDigit('900515000001')), { birthDate: undefined, sex: undefined })
    assert.deepEqual(iinHints(withCheckDigit('000229500001')), { birthDate: '2000-02-29', sex: 'male' })
    assert.throws(() => iinHints('900515301235'), InvalidIinError)
  })
})

describe('IIN masking', () => {
  it('shows only the last four digits', () => {
    assert.equal(maskIin('900515301234'), '••••••••1234')
    assert.equal(maskIin('900515 301234'), '••••••••1234')
    assert.equal(maskIin('garbage'), '••••••••')
  })
})

/** The first eleven digits of `twelve` with a correct check digit (the prefix must be issuable). */
function withCheckDigit(twelve: string): string {
  for (let serial = 0; serial < 100; serial++) {
    const prefix = twelve.slice(0, 7) + String(Number(twelve.slice(7, 11)) + serial).padStart(4, '0')
    const check = iinCheckDigit(prefix)
    if (check !== undefined) return prefix + String(check)
  }
  throw new Error('no issuable serial found')
}
