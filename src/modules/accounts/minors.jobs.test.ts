// Issue 3 "at 18 the learner is asked to consent personally" (law Arts. 7–8): the `ask-personal-consent` job,
// run by its cron schedule (00:15 Asia/Almaty), e-mails a person on their 18th birthday — not the day before —
// once, in their own language (of their own consent records, not their guardian's), a link to the page where
// they consent; an adult who never needed a guardian gets nothing. Delivered to a real SMTP listener.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { createTestApp, type TestApp } from '../../../test/app'
import { databaseKinds } from '../../../test/database'
import { startSmtpListener, type SmtpListener } from '../../../test/smtp-listener'
import { client, createPerson, hiddenValue, registerMinor } from './test-fixtures'

const SUBJECTS = {
  ru: 'Вам исполнилось 18: дайте согласие в Oqu лично',
  kk: 'Сізге 18 жас толды: Oqu-да келісіміңізді өзіңіз беріңіз',
}

for (const kind of databaseKinds())
  describe(`the birthday e-mail asking for personal consent [${kind}]`, () => {
    let t: TestApp
    let smtp: SmtpListener
    before(async () => {
      smtp = await startSmtpListener()
      t = await createTestApp({
        kind,
        env: { OQU_SMTP_URL: smtp.url, OQU_PUBLIC_URL: 'https://oqu.example.kz', OQU_RATE_LIMIT: '100000' },
      })
      t.clock.set('2026-01-15T09:00:00+05:00')
    })
    after(async () => {
      await t?.close()
      await smtp?.close()
    })

    /** Runs every due job (cron slots included: each run enqueues the next slot) until none is left. */
    async function drain() {
      for (let i = 0; i < 50; i++) if ((await t.app.services.queue.runOnce({ limit: 20 })).length === 0) return
      throw new Error('jobs did not settle')
    }
    const asked = (email: string) =>
      smtp.messages.filter((m) => m.to.includes(email) && Object.values(SUBJECTS).includes(m.subject))

    it('e-mails the person on their 18th birthday (Almaty), once, in their own language', async () => {
      // A: registered in Russian; their guardian consented from an English page. B: registered in Kazakh and
      // still waiting for a guardian. Both born on 15 May 2010 (the IIN they confirmed). C: an adult.
      const a = client(t, { locale: 'ru' })
      const minorA = await registerMinor(a, 1, `a.${kind}@mail.kz`)
      const minorB = await registerMinor(client(t, { locale: 'kk' }), 2, `b.${kind}@mail.kz`)
      const adult = await createPerson(t, ['learner'])
      const parent = await createPerson(t, ['learner'])
      const guardian = client(t, { locale: 'en' })
      await guardian.signIn(parent.email, parent.password)
      await a.get('/account/guardian')
      await a.post('/account/guardian/invite', { email: parent.email })
      const ctx = { actor: null, requestId: 't', ip: null, userAgent: null, locale: 'kk' as const, db: t.database.db }
      const invite = await t.app.services.notifications.latestMessage(
        { ...ctx, now: t.clock.now() },
        { to: parent.email, template: 'accounts.guardian_invite' },
      )
      const token = /token=([A-Za-z0-9_-]{43})/.exec(invite?.text ?? '')![1]!
      await guardian.get(`/guardian/accept?token=${token}`)
      const linkId = /([0-9a-f-]{36})$/.exec(
        String((await guardian.post('/guardian/accept', { token })).headers.location),
      )![1]!
      const review = await guardian.get(`/account/children/${linkId}`)
      await guardian.post(`/account/children/${linkId}/consent`, {
        acceptPolicy: 'yes',
        policyVersionId: hiddenValue(review.body, 'policyVersionId'),
        policyLocale: hiddenValue(review.body, 'policyLocale'),
        policySha256: hiddenValue(review.body, 'policySha256'),
      })
      await drain()

      // The day before: the 00:15 run of 14 May 2028 asks nobody.
      t.clock.set('2028-05-14T00:00:00+05:00')
      await drain()
      t.clock.set('2028-05-14T00:20:00+05:00')
      await drain()
      assert.deepEqual(asked(minorA.email), [])
      assert.deepEqual(asked(minorB.email), [])

      // The birthday: the 00:15 run of 15 May asks both, each in their language, with the link to consent.
      t.clock.set('2028-05-14T23:50:00+05:00')
      await drain()
      t.clock.set('2028-05-15T00:20:00+05:00')
      await drain()
      const [toA] = asked(minorA.email)
      assert.equal(toA?.subject, SUBJECTS.ru)
      assert.ok(toA?.text?.includes('https://oqu.example.kz/account/guardian'))
      assert.equal(asked(minorB.email)[0]?.subject, SUBJECTS.kk)
      assert.deepEqual(asked(adult.email), [])

      // Once per person: the next night's run sends nothing more.
      t.clock.set('2028-05-15T23:50:00+05:00')
      await drain()
      t.clock.set('2028-05-16T00:20:00+05:00')
      await drain()
      assert.equal(asked(minorA.email).length, 1)
      assert.equal(asked(minorB.email).length, 1)
      const audit = await sql<{ data: unknown }>`select data from audit_log
        where action = 'account.adult_consent_asked'`.execute(t.database.db)
      assert.equal(audit.rows.length, 2)
      for (const row of audit.rows) assert.deepEqual(row.data, { emailed: true })

      // The link leads to the personal consent (after signing in).
      assert.equal((await a.get('/account/guardian')).headers.location, '/login?next=%2Faccount%2Fguardian')
      t.clock.set('2026-01-15T09:00:00+05:00')
    })
  })
