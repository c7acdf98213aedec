// The BTS profile (B-1.2, B-2.1, B-2.2, B-2.5, B-4.2, T-3.1.4): a new version is accepted by a click, or implied
// by use after 7 calendar days from publication (day 6 and day 7 no, day 8 yes; publication at 23:30 Almaty);
// a person inactive since publication gets no acceptance. Purposes: defaults, every change a ledger entry,
// allows() the one check, and a marketing announcement that reaches only people with marketing on (real SMTP).
// Withdrawal: confirmed by password, signed receipt, refused with the obligations' reasons.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { createTestApp, type TestApp } from '../../../test/app'
import { databaseKinds } from '../../../test/database'
import { startSmtpListener, type SmtpListener } from '../../../test/smtp-listener'
import { almatyTime } from './calendar'
import { PasswordIncorrectError, PurposeInvalidError, WithdrawalRefusedError } from './privacy.errors'
import { createWithdrawalService } from './withdrawal.service'
import { canonicalRecord, createRecordSigner } from './signatures'
import {
  createUser,
  drainJobs,
  nextTexts,
  pageClient,
  TEST_PASSWORD,
  userCtx,
  type LifecycleApp,
} from './test-fixtures'

for (const kind of databaseKinds()) {
  describe(`acceptance by click or use, purposes and withdrawal, BTS [${kind}]`, () => {
    let t: TestApp & LifecycleApp
    let smtp: SmtpListener
    const published = almatyTime('2026-04-01', '23:30')

    before(async () => {
      smtp = await startSmtpListener()
      const app = await createTestApp({
        kind,
        env: { OQU_PROFILE: 'bts-education', OQU_SMTP_URL: smtp.url, OQU_PUBLIC_URL: 'https://oqu.example.kz' },
      })
      t = app as TestApp & LifecycleApp
      t.clock.set(almatyTime('2026-03-20', '10:00'))
    })
    after(async () => {
      await t.close()
      await smtp.close()
    })

    /** Signs the person in at `at` (a session's last_seen_at is its start). */
    async function activeAt(userId: string, at: Date): Promise<void> {
      t.clock.set(at)
      await t.app.services.accounts.sessions.start(userCtx(t, userId), { userId })
    }

    it('records an implied acceptance only for use from day 8 after publication; a click counts at once', async () => {
      const people = {
        day6: await createUser(t, 'ru'),
        day7: await createUser(t, 'kk'),
        day8: await createUser(t, 'en'),
        minor: await createUser(t, 'kk'),
        inactive: await createUser(t, 'ru'),
        clicked: await createUser(t, 'kk'),
      }
      const { versions, acceptance } = t.app.services.privacy
      const dpo = userCtx(t, '00000000-0000-4000-8000-000000000002')
      const draft = await versions.saveDraft(dpo, await nextTexts(t, 'bts-education'))
      t.clock.set(published)
      // BTS states no minimum notice: the new version may take effect on the day it is published.
      const v2 = await versions.publish(userCtx(t, people.day6.id), {
        versionId: draft.id,
        effectiveDate: '2026-04-01',
      })
      assert.equal(acceptance.impliedFrom(v2)?.toISOString(), almatyTime('2026-04-09').toISOString())
      await drainJobs(t)

      // Day 2: a click on "Accept" in the banner.
      t.clock.set(almatyTime('2026-04-03', '09:00'))
      const ctx = userCtx(t, people.clicked.id, 'kk')
      const banner = await acceptance.onRequest(ctx, people.clicked.id)
      assert.equal(banner?.clickToAccept, true)
      const text = await t.app.services.policies.policyText(t.database.db, v2.id, 'kk')
      const clicked = await acceptance.accept(ctx, {
        userId: people.clicked.id,
        versionId: v2.id,
        locale: 'kk',
        textSha256: text!.sha256,
      })
      assert.equal(clicked.channel, 'web')
      assert.equal(await acceptance.onRequest(ctx, people.clicked.id), undefined, 'no banner after accepting')

      await activeAt(people.day6.id, almatyTime('2026-04-07', '20:00'))
      await activeAt(people.day7.id, almatyTime('2026-04-08', '23:59'))
      await activeAt(people.day8.id, almatyTime('2026-04-09', '00:01'))
      // A minor active on day 8 too: their guardian consents for them, so use implies nothing (law Arts. 7–8).
      await sql`update users set adult_on = '2030-01-01', guardian_state = 'guardian_consented'
        where id = ${people.minor.id}`.execute(t.database.db)
      await activeAt(people.minor.id, almatyTime('2026-04-09', '00:01'))

      t.clock.set(almatyTime('2026-04-08', '23:59'))
      assert.equal(await acceptance.recordImplied(userCtx(t, people.day6.id)), 0, 'nothing is implied on day 7')
      t.clock.set(almatyTime('2026-04-10', '03:00'))
      assert.equal(await acceptance.recordImplied(userCtx(t, people.day6.id)), 1)
      assert.equal(await acceptance.recordImplied(userCtx(t, people.day6.id)), 0, 'recorded once')

      const accepted = async (id: string) =>
        (await t.app.services.consents.recordsOf(t.database.db, id)).filter(
          (r) => r.kind === 'policy_acceptance' && r.policyVersionId === v2.id,
        )
      assert.equal((await accepted(people.day6.id)).length, 0, 'day 6: no')
      assert.equal((await accepted(people.minor.id)).length, 0, 'a minor: no')
      assert.equal((await accepted(people.day7.id)).length, 0, 'day 7: no')
      assert.equal((await accepted(people.inactive.id)).length, 0, 'inactive since publication: no')
      const [implied] = await accepted(people.day8.id)
      assert.equal(implied?.channel, 'implied_by_use')
      assert.equal(implied?.locale, 'en', 'in the language the notice was sent in')
      assert.equal(implied?.evidence.rule, 'B-1.2')
      assert.equal(implied?.evidence.publishedAt, published.toISOString())
      assert.equal(implied?.evidence.usedAt, almatyTime('2026-04-09', '00:01').toISOString())
      assert.equal(typeof implied?.evidence.noticeSentAt, 'string', 'the e-mail notice went out first')
    })

    it('starts each purpose from the profile default and records every change in the ledger', async () => {
      const person = await createUser(t, 'ru')
      const { purposes } = t.app.services.privacy
      const db = t.database.db
      const states = await purposes.states(db, person.id)
      const state = (p: string) => states.find((s) => s.purpose === p)
      assert.equal(state('service')?.basis, 'essential')
      assert.equal(state('marketing')?.on, true)
      assert.equal(state('cross_border')?.on, false, 'cross-border transfer needs a separate yes (B-4.2, Art. 16)')
      assert.equal(state('geolocation')?.on, false)
      assert.equal(await purposes.allows(db, person.id, 'service'), true)
      assert.equal(await purposes.allows(db, person.id, 'nonsense'), false)
      const off = await purposes.set(userCtx(t, person.id, 'ru'), {
        subjectId: person.id,
        purpose: 'marketing',
        on: false,
        locale: 'ru',
      })
      assert.equal(off.kind, 'purpose_withdrawn')
      assert.equal(await purposes.allows(db, person.id, 'marketing'), false)
      await purposes.set(userCtx(t, person.id, 'ru'), {
        subjectId: person.id,
        purpose: 'cross_border',
        on: true,
        locale: 'ru',
      })
      assert.equal(await purposes.allows(db, person.id, 'cross_border'), true)
      await assert.rejects(
        purposes.set(userCtx(t, person.id), { subjectId: person.id, purpose: 'service', on: false, locale: 'kk' }),
        PurposeInvalidError,
      )
      const kinds = (await t.app.services.consents.recordsOf(db, person.id)).map((r) => `${r.kind}:${r.purpose ?? ''}`)
      assert.deepEqual(kinds, ['policy_acceptance:', 'purpose_withdrawn:marketing', 'purpose_granted:cross_border'])
    })

    it('sends a course announcement only to people whose marketing consent is on (T-3.1.4)', async () => {
      t.clock.set(almatyTime('2026-04-20', '10:00'))
      const yes = await createUser(t, 'ru')
      const no = await createUser(t, 'kk')
      const { purposes, marketing } = t.app.services.privacy
      await purposes.set(userCtx(t, no.id), { subjectId: no.id, purpose: 'marketing', on: false, locale: 'kk' })
      const before = smtp.messages.length
      await marketing.announceCourse(t.database.db, 'https://oqu.example.kz/courses/inclusive-education')
      await drainJobs(t)
      const mails = smtp.messages.slice(before)
      assert.ok(mails.some((m) => m.to.includes(yes.email) && m.subject === 'На Oqu открыт новый курс'))
      assert.ok(!mails.some((m) => m.to.includes(no.email)), 'marketing off: no announcement')
      const mail = mails.find((m) => m.to.includes(yes.email))
      const link = /https:\/\/oqu\.example\.kz(\/privacy\/unsubscribe\?u=[^\s]+)/.exec(mail?.text ?? '')?.[1]
      assert.ok(link, 'every announcement carries a one-click unsubscribe link')

      // One click, without signing in: the GET only asks (mail scanners fetch links), the button decides.
      const c = pageClient(t.app, 'ru')
      const asked = await c.get(link)
      assert.equal(asked.statusCode, 200)
      assert.equal(await purposes.allows(t.database.db, yes.id, 'marketing'), true, 'opening the link changes nothing')
      const params = new URL(link, 'https://x').searchParams
      const done = await c.post('/privacy/unsubscribe', { u: params.get('u')!, s: params.get('s')! })
      assert.equal(done.statusCode, 200)
      assert.equal(await purposes.allows(t.database.db, yes.id, 'marketing'), false)
      const forged = await c.get(`/privacy/unsubscribe?u=${no.id}&s=${params.get('s')!}`)
      assert.equal(forged.statusCode, 404, "another person's id with this signature is refused")
      const again = smtp.messages.length
      await marketing.sendAnnouncement(userCtx(t, yes.id), 'https://oqu.example.kz/courses/another')
      await drainJobs(t)
      assert.ok(!smtp.messages.slice(again).some((m) => m.to.includes(yes.email)), 'unsubscribed: no more')
    })

    it('withdraws consent only with the right password, as a signed record, and stops optional processing', async () => {
      const person = await createUser(t, 'en')
      const { withdrawal, purposes } = t.app.services.privacy
      const ctx = userCtx(t, person.id, 'en')
      assert.deepEqual(withdrawal.effects(), ['suspend_agreement', 'end_agreement'])
      await assert.rejects(
        withdrawal.withdraw(ctx, {
          subjectId: person.id,
          password: 'wrong password!!',
          effect: 'suspend_agreement',
          locale: 'en',
        }),
        PasswordIncorrectError,
      )
      assert.equal(await withdrawal.isWithdrawn(ctx, person.id), false)
      const record = await withdrawal.withdraw(ctx, {
        subjectId: person.id,
        password: TEST_PASSWORD,
        effect: 'suspend_agreement',
        locale: 'en',
      })
      assert.equal(record.kind, 'consent_withdrawn')
      assert.equal(record.evidence.effect, 'suspend_agreement')
      assert.match(record.signature ?? '', /^hmac-sha256:[0-9a-f]{64}$/)
      const canonical = canonicalRecord({
        id: record.id,
        subject_id: record.subjectId,
        given_by: record.givenBy,
        kind: record.kind,
        purpose: record.purpose,
        policy_version_id: record.policyVersionId,
        locale: record.locale,
        text_sha256: record.textSha256,
        decided_at: record.decidedAt,
        channel: record.channel,
        evidence: record.evidence,
      })
      assert.notEqual(createRecordSigner('another key').sign(canonical), record.signature)
      assert.equal(await withdrawal.isWithdrawn(ctx, person.id), true)
      assert.equal(await purposes.allows(t.database.db, person.id, 'marketing'), false)
      assert.equal(await purposes.allows(t.database.db, person.id, 'service'), true)
    })

    it('refuses a withdrawal an unfulfilled obligation prevents, stating the reason, and records nothing (Art. 8(2))', async () => {
      const person = await createUser(t, 'kk')
      const services = t.app.services
      const withdrawal = createWithdrawalService({
        profile: services.profile,
        audit: services.audit,
        consents: services.consents,
        policies: services.policies,
        verifyPassword: async (_ctx, userId, password) => userId === person.id && password === TEST_PASSWORD,
        obligations: async (_ctx, subjectId) => (subjectId === person.id ? ['privacy.obligations.unpaid_order'] : []),
      })
      const ctx = userCtx(t, person.id, 'kk')
      await assert.rejects(
        withdrawal.withdraw(ctx, {
          subjectId: person.id,
          password: TEST_PASSWORD,
          effect: 'end_agreement',
          locale: 'kk',
        }),
        (e) => e instanceof WithdrawalRefusedError && e.reasons.join() === 'privacy.obligations.unpaid_order',
      )
      assert.equal(await withdrawal.isWithdrawn(ctx, person.id), false)
      const kinds = (await services.consents.recordsOf(t.database.db, person.id)).map((r) => r.kind)
      assert.deepEqual(kinds, ['policy_acceptance'])
    })
  })
}
