// Law Arts. 7–8 (a minor — under 18 — consents through a parent or guardian), law-kz.md: ages count in
// Almaty calendar days (UTC+5) from ctx.now, and the 18th birthday is the first day of adulthood.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { adultOn, almatyDate, isMinorOn, restrictionOf } from './minors'

describe('minors', () => {
  it('finds the 18th birthday, 29 February coming of age on 1 March of a common year', () => {
    assert.equal(adultOn('2010-05-15'), '2028-05-15')
    assert.equal(adultOn('2008-02-29'), '2026-03-01')
    assert.equal(adultOn('2012-02-29'), '2030-03-01')
  })

  it('counts the day in Almaty: 19:00 UTC is already the next day there', () => {
    assert.equal(almatyDate(new Date('2028-05-14T18:59:59Z')), '2028-05-14')
    assert.equal(almatyDate(new Date('2028-05-14T19:00:00Z')), '2028-05-15')
    assert.equal(isMinorOn('2010-05-15', new Date('2028-05-14T18:59:59Z')), true, 'the day before, Almaty')
    assert.equal(isMinorOn('2010-05-15', new Date('2028-05-14T19:00:00Z')), false, 'on the day, Almaty')
  })

  it('restricts a minor awaiting a guardian, frees them after the consent, and asks again at 18', () => {
    const before = new Date('2028-05-14T18:00:00Z')
    const onTheDay = new Date('2028-05-14T19:30:00Z')
    const waiting = { adult_on: '2028-05-15', guardian_state: 'awaiting_guardian' as const }
    const consented = { adult_on: '2028-05-15', guardian_state: 'guardian_consented' as const }
    assert.equal(restrictionOf(waiting, before), 'awaiting_guardian')
    assert.equal(restrictionOf(consented, before), undefined)
    assert.equal(restrictionOf(consented, onTheDay), 'personal_consent_due')
    assert.equal(restrictionOf(waiting, onTheDay), 'personal_consent_due')
    assert.equal(restrictionOf({ adult_on: null, guardian_state: null }, onTheDay), undefined)
  })
})
