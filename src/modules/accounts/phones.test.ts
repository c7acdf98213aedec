// T-2.1.2, law-kz.md "Phone numbers": Kazakh mobiles in E.164 from any usual way of typing them; others refused.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { InvalidPhoneError } from './accounts.errors'
import { formatPhone, maskPhone, normalisePhone, tryNormalisePhone } from './phones'

const problem = (input: unknown) => {
  try {
    normalisePhone(input)
    return undefined
  } catch (err) {
    assert.ok(err instanceof InvalidPhoneError, String(err))
    return err.code
  }
}

/** Kazakh mobile prefixes listed in law-kz.md (portable between operators). */
const KZ_MOBILE_PREFIXES = [
  700, 701, 702, 705, 706, 707, 708, 747, 760, 761, 762, 763, 764, 771, 775, 776, 777, 778, 785,
]

describe('phone normalisation', () => {
  it('gives one E.164 form for 8 7xx…, +7 7xx…, 7xx… and 7 7xx…, however grouped', () => {
    const typed = [
      '8 701 234 5678',
      '87012345678',
      '8 (701) 234-56-78',
      '8-701-234-56-78',
      '+7 701 234 56 78',
      '+7 (701) 234-56-78',
      '+77012345678',
      '7012345678',
      '701 234 56 78',
      '77012345678',
      '7 701 234 56 78',
      ' +7 701 234 56 78 ',
      '+7.701.234.56.78',
      '810 7 701 234 5678',
      '７０１２３４５６７８',
    ]
    for (const input of typed) assert.equal(normalisePhone(input), '+77012345678', JSON.stringify(input))
  })

  it('accepts every Kazakh mobile prefix', () => {
    for (const prefix of KZ_MOBILE_PREFIXES) {
      assert.equal(normalisePhone(`8 ${prefix} 123 45 67`), `+7${prefix}1234567`, String(prefix))
      assert.equal(normalisePhone(`+7${prefix}9876543`), `+7${prefix}9876543`, String(prefix))
    }
  })

  it('refuses Russian and other foreign numbers as not Kazakh', () => {
    const foreign = [
      '+7 916 123 45 67',
      '8 916 123 45 67',
      '9161234567',
      '+7 495 123 45 67',
      '+7 800 080 7777',
      '+7 940 123 4567',
      '+44 7911 123456',
      '+1 202 555 0143',
      '+995 555 12 34 56',
      '+998 90 123 45 67',
      '+996 555 123 456',
    ]
    for (const input of foreign) assert.equal(problem(input), 'accounts.phone_not_kz', input)
  })

  it('refuses Kazakh landlines as not mobile (the code goes by SMS)', () => {
    for (const input of ['8 7172 55 12 34', '+7 727 250 12 34', '8 (7122) 32-11-00', '+7 751 123 4567']) {
      assert.equal(problem(input), 'accounts.phone_not_mobile', input)
    }
  })

  it('refuses what is not a usable number', () => {
    const bad = [
      '',
      '   ',
      '12345',
      '+7701234567',
      '+770123456789',
      '+7 703 123 4567',
      '+7 709 123 4567',
      '+7 701 234 56 78 ext 5',
      '+7 701 CALL NOW',
      '8 701 234 56 78; drop table',
      'phone',
      '++77012345678',
      '1'.repeat(31),
    ]
    for (const input of bad) assert.equal(problem(input), 'accounts.phone_invalid', JSON.stringify(input))
    for (const input of [null, undefined, 77012345678, {}]) assert.equal(problem(input), 'accounts.phone_invalid')
  })

  it('never repeats the number in the error', () => {
    assert.throws(
      () => normalisePhone('+7 916 123 45 67'),
      (err: unknown) => err instanceof InvalidPhoneError && err.status === 400 && !/916|4567/.test(err.message),
    )
  })

  it('has a non-throwing variant', () => {
    assert.equal(tryNormalisePhone('87012345678'), '+77012345678')
    assert.equal(tryNormalisePhone('+79161234567'), undefined)
  })
})

describe('phone display', () => {
  it('groups the number for its owner and masks the middle for display', () => {
    assert.equal(formatPhone('+77012345678'), '+7 701 234 56 78')
    assert.equal(maskPhone('+77012345678'), '+7 701 ••• •• 78')
    assert.equal(maskPhone('not a phone'), '+• ••• ••• •• ••')
    assert.equal(formatPhone('+442079460000'), '+442079460000')
  })
})
