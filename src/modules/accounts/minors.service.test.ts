// Law Arts. 7–8, issue 3: on a BTS install the entered birth date decides at registration and on
// correction (T-5.2.2) whether a guardian's consent is needed; sessions of such an account carry the
// restriction (the actor's `restricted`), and correcting the date never frees a known minor silently.
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { sql } from 'kysely'
import { describeEachDatabase } from '../../../test/database'
import { mayProcess } from './policies'
import { accountsHarness, PASSWORD } from './test-fixtures'

describeEachDatabase('minors on the BTS profile', (get) => {
  it('registers an entered under-18 birth date as awaiting a guardian, an adult one as free', async () => {
    // 2026-03-01 in Almaty: born 2008-03-02 is 17 for one more day; born 2008-03-01 is 18 today.
    const h = await accountsHarness(get().db, 'bts-education', '2026-03-01T10:00:00Z')
    const register = async (n: number, birthDate: string) =>
      h.registration.register(h.ctx(), {
        asked: h.asked,
        raw: { phone: `+7 747 123 45 ${60 + n}`, email: `minor${n}@bts.kz`, userName: `pupil_${n}`, birthDate },
        password: PASSWORD,
        acceptedPolicy: true,
        policy: await h.shownPolicy('kk'),
      })
    const minor = await register(1, '2008-03-02')
    const adult = await register(2, '2008-03-01')
    const facts = async (id: string) =>
      (
        await sql<{ adult_on: string | null; guardian_state: string | null }>`
        select adult_on, guardian_state from users where id = ${id}`.execute(get().db)
      ).rows[0]
    assert.deepEqual(await facts(minor.userId), { adult_on: '2026-03-02', guardian_state: 'awaiting_guardian' })
    assert.deepEqual(await facts(adult.userId), { adult_on: null, guardian_state: null })
    const minorSession = await h.sessions.resolve(h.ctx(), minor.session.token)
    assert.equal(minorSession?.restricted, 'awaiting_guardian')
    assert.equal(
      mayProcess({ kind: 'user', id: minor.userId, roles: ['learner'], restricted: 'awaiting_guardian' }),
      false,
    )
    const adultSession = await h.sessions.resolve(h.ctx(), adult.session.token)
    assert.equal(adultSession?.restricted, undefined)
    assert.equal(mayProcess({ kind: 'user', id: adult.userId, roles: ['learner'] }), true)

    // A correction to an under-18 date restricts the account; a correction back asks for personal consent.
    const asSelf = (id: string) => h.ctx({ actor: { kind: 'user', id, roles: ['learner'] } })
    await h.corrections.updateProfile(asSelf(adult.userId), adult.userId, {
      asked: h.asked,
      values: { userName: 'pupil_2', birthDate: '2010-01-01' },
    })
    assert.deepEqual(await facts(adult.userId), { adult_on: '2028-01-01', guardian_state: 'awaiting_guardian' })
    assert.equal((await h.sessions.resolve(h.ctx(), adult.session.token))?.restricted, 'awaiting_guardian')
    await h.corrections.updateProfile(asSelf(adult.userId), adult.userId, {
      asked: h.asked,
      values: { userName: 'pupil_2', birthDate: '2000-01-01' },
    })
    assert.equal((await h.sessions.resolve(h.ctx(), adult.session.token))?.restricted, 'personal_consent_due')
  })
})
