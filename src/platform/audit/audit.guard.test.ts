import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { AuditEventError, checkAction, checkAuditData, checkReference, personalDataIn } from './audit.guard'

describe('audit payload guard', () => {
  it('accepts ids, uuids, codes, counts and flags', () => {
    assert.doesNotThrow(() =>
      checkAuditData({
        policyVersionId: '123e4567-e89b-12d3-a456-426614174000',
        purpose: 'marketing',
        count: 3,
        total: 1_000_000,
        withdrawn: true,
        reasonCode: null,
        userId: '42',
      }),
    )
  })

  for (const key of [
    'email',
    'userEmail',
    'e_mail',
    'phone_number',
    'iin',
    'firstName',
    'name',
    'fullname',
    'password',
    'accessToken',
    'ip',
  ]) {
    it(`refuses the key "${key}"`, () => {
      assert.throws(() => checkAuditData({ [key]: 'x' }), AuditEventError)
    })
  }

  const personal = [
    'aigerim@example.kz',
    'sent to aigerim.n+1@mail.example.com today',
    '900515301234',
    '900515 301234',
    'IIN 061211600012 given',
    '+7 701 234 56 78',
    '87012345678',
    '8 (701) 234-56-78',
    'mobile 7012345678',
    'or +77012345678',
    'call +44 20 7946 0958',
  ]
  for (const value of personal) {
    it(`refuses a value that looks like personal data: ${JSON.stringify(value)}`, () => {
      assert.throws(
        () => checkAuditData({ note: value }),
        (err: unknown) => {
          assert.ok(err instanceof AuditEventError)
          // The refused value must not travel on in the error message (and into logs).
          assert.ok(!err.message.includes(value))
          return true
        },
      )
    })
  }

  it('refuses numbers shaped like an IIN or a phone number', () => {
    assert.throws(() => checkAuditData({ value: 900515301234 }), AuditEventError)
    assert.throws(() => checkAuditData({ value: 87012345678 }), AuditEventError)
    assert.doesNotThrow(() => checkAuditData({ value: 1234567 }))
  })

  it('does not mistake a UUID whose last group is all digits for an IIN', () => {
    assert.equal(personalDataIn('123e4567-e89b-12d3-a456-426614174000'), undefined)
  })

  it('refuses nested objects, long strings and too many keys', () => {
    assert.throws(() => checkAuditData({ nested: { a: 1 } as never }), AuditEventError)
    assert.throws(() => checkAuditData({ text: 'x'.repeat(501) }), AuditEventError)
    assert.throws(
      () => checkAuditData(Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, i]))),
      AuditEventError,
    )
  })

  it('requires dotted lower-case actions', () => {
    assert.doesNotThrow(() => checkAction('consent.withdrawn'))
    assert.doesNotThrow(() => checkAction('crypto.subject_key_destroyed'))
    for (const bad of ['withdrawn', 'Consent.Withdrawn', 'consent withdrawn', 'consent.', '.x']) {
      assert.throws(() => checkAction(bad), AuditEventError)
    }
  })

  it('refuses subject and target ids that are personal data', () => {
    assert.doesNotThrow(() => checkReference('subject', 'user', '123e4567-e89b-12d3-a456-426614174000'))
    assert.throws(() => checkReference('subject', 'user', 'aigerim@example.kz'), AuditEventError)
    assert.throws(() => checkReference('subject', 'user', '900515301234'), AuditEventError)
    assert.throws(() => checkReference('target', 'user', '+77012345678'), AuditEventError)
    assert.throws(() => checkReference('target', 'User', '1'), AuditEventError)
  })
})
