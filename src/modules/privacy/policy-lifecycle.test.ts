// Policy versions after version 1 under the Talap profile (T-6.1, T-6.2, T-6.4, T-1.2): drafting in kk/ru/en,
// the diff, the 10-day notice rule in Asia/Almaty calendar days (day 9 refused, day 10 allowed, publication at
// 23:30 Almaty), immutability, notices e-mailed to every person in their language in batches with delivery
// recorded, the new version governing from its effective date, and acceptance by the first use after it.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { createTestApp, type TestApp } from '../../../test/app'
import { databaseKinds } from '../../../test/database'
import { startSmtpListener, type SmtpListener } from '../../../test/smtp-listener'
import { almatyTime } from './calendar'
import { createNoticesService } from './notices.service'
import { sqlPeopleDirectory } from './people.repository'
import { NoticeTooShortError } from './privacy.errors'
import { createUser, drainJobs, nextTexts, TEST_PASSWORD, userCtx, type LifecycleApp } from './test-fixtures'

for (const kind of databaseKinds()) {
  describe(`policy lifecycle, Talap [${kind}]`, () => {
    let t: TestApp & LifecycleApp
    let smtp: SmtpListener
    const published = almatyTime('2026-03-10', '23:30')

    before(async () => {
      smtp = await startSmtpListener()
      const app = await createTestApp({
        kind,
        env: { OQU_PROFILE: 'talap', OQU_SMTP_URL: smtp.url, OQU_PUBLIC_URL: 'https://oqu.example.kz' },
      })
      t = app as TestApp & LifecycleApp
      t.clock.set(almatyTime('2026-03-01', '10:00'))
    })
    after(async () => {
      await t.close()
      await smtp.close()
    })

    it('drafts version 2 in kk, ru and en and shows what changed against version 1', async () => {
      const { versions } = t.app.services.privacy
      const ctx = userCtx(t, '00000000-0000-4000-8000-000000000001')
      const draft = await versions.saveDraft(ctx, await nextTexts(t, 'talap'))
      assert.equal(draft.number, 2)
      assert.equal(draft.status, 'draft')
      const diff = await versions.diff(t.database.db, draft.id, 'en')
      assert.equal(diff?.previous?.number, 1)
      assert.equal(diff?.diff.added, 1)
      assert.deepEqual(
        diff?.diff.blocks.filter((b) => b.kind === 'added'),
        [{ kind: 'added', text: 'NEW PARAGRAPH (en): analytics cookies are kept for 30 days.' }],
      )
      // Saving again replaces the texts of the same draft.
      const again = await versions.saveDraft(ctx, await nextTexts(t, 'talap'))
      assert.equal(again.id, draft.id)
    })

    it('refuses an effective date 9 calendar days after a publication at 23:30 Almaty, accepts 10 (T-6.4)', async () => {
      const { versions } = t.app.services.privacy
      t.clock.set(published)
      const draft = await versions.draft(t.database.db)
      assert.ok(draft)
      const ctx = userCtx(t, '00000000-0000-4000-8000-000000000001')
      await assert.rejects(versions.publish(ctx, { versionId: draft.version.id, effectiveDate: '2026-03-19' }), (e) => {
        assert.ok(e instanceof NoticeTooShortError)
        assert.deepEqual(e.params, { days: 10, earliest: '2026-03-20' })
        return true
      })
      assert.deepEqual(versions.noticeRule(ctx.now), { days: 10, today: '2026-03-10', earliest: '2026-03-20' })
      // One hour later it is 11 March in Almaty (still 10 March in UTC): the earliest date moves on.
      assert.equal(versions.noticeRule(new Date(published.getTime() + 3_600_000)).earliest, '2026-03-21')
      assert.equal((await versions.draft(t.database.db))?.version.status, 'draft', 'a refusal publishes nothing')
    })

    it('notifies every person by e-mail in their language, in batches, with delivery recorded per person', async () => {
      const ru = await createUser(t, 'ru')
      const en = await createUser(t, 'en')
      const kk = await createUser(t)
      const { versions, notices } = t.app.services.privacy
      t.clock.set(published)
      const draft = (await versions.draft(t.database.db))!
      const v2 = await versions.publish(userCtx(t, ru.id), { versionId: draft.version.id, effectiveDate: '2026-03-20' })
      assert.deepEqual(v2.effectiveAt, almatyTime('2026-03-20'))
      await drainJobs(t)
      const progress = await notices.progress(t.database.db, v2.id)
      assert.equal(progress?.queued, 3)
      assert.ok(progress?.finishedAt)
      assert.equal(progress?.delivery.sent, 3)
      const mails = await Promise.all([0, 1, 2].map((i) => smtp.message(i)))
      const to = (email: string) => mails.find((m) => m.to.includes(email))
      assert.equal(to(ru.email)?.subject, 'Политика конфиденциальности меняется')
      assert.equal(to(en.email)?.subject, 'Our privacy policy is changing')
      assert.equal(to(kk.email)?.subject, 'Құпиялылық саясаты өзгереді')
      assert.ok(to(en.email)?.text?.includes('https://oqu.example.kz/policy/versions/2'))
      const rows = await sql<{ n: string }>`select count(*) as n from policy_notices
        where version_id = ${v2.id} and notification_id is not null and notified_at is not null`.execute(t.database.db)
      assert.equal(Number(rows.rows[0]?.n), 3)
    })

    it('keeps a published version immutable (database trigger)', async () => {
      const v2 = await t.app.services.privacy.versions.versionByNumber(t.database.db, 2)
      assert.ok(v2)
      await assert.rejects(
        sql`update policy_texts set markdown = 'x', sha256 = encode(sha256(convert_to('x', 'UTF8')), 'hex')
        where version_id = ${v2.id} and locale = 'en'`.execute(t.database.db),
      )
      await assert.rejects(
        sql`update policy_versions set effective_at = now() where id = ${v2.id}`.execute(t.database.db),
      )
    })

    it('lets version 1 govern on day 9 and version 2 from 00:00 Almaty on day 10', async () => {
      const { policies } = t.app.services
      const day9 = almatyTime('2026-03-19', '23:59')
      const day10 = almatyTime('2026-03-20', '00:00')
      assert.equal((await policies.currentPolicy(t.database.db, 'talap', 'en', day9))?.number, 1)
      assert.equal((await policies.currentPolicy(t.database.db, 'talap', 'en', day10))?.number, 2)
    })

    it('shows the banner before the effective date and records acceptance at the first use after it (T-1.2)', async () => {
      const person = await createUser(t, 'ru')
      const { acceptance } = t.app.services.privacy
      t.clock.set(almatyTime('2026-03-15', '12:00'))
      const banner = await acceptance.onRequest(userCtx(t, person.id, 'ru'), person.id)
      assert.equal(banner?.version.number, 2)
      assert.equal(banner?.inForce, false)
      assert.equal(banner?.clickToAccept, false)
      const before = await t.app.services.consents.recordsOf(t.database.db, person.id)
      assert.equal(before.length, 1, 'only the registration acceptance of version 1')

      t.clock.set(almatyTime('2026-03-19', '23:59'))
      assert.ok(await acceptance.onRequest(userCtx(t, person.id, 'ru'), person.id), 'day 9: still the banner')
      assert.equal((await t.app.services.consents.recordsOf(t.database.db, person.id)).length, 1)

      t.clock.set(almatyTime('2026-03-20', '08:15'))
      assert.equal(await acceptance.onRequest(userCtx(t, person.id, 'ru'), person.id), undefined)
      assert.equal(await acceptance.onRequest(userCtx(t, person.id, 'ru'), person.id), undefined)
      const records = await t.app.services.consents.recordsOf(t.database.db, person.id)
      assert.equal(records.length, 2, 'one acceptance, not one per request')
      const accepted = records[1]!
      assert.equal(accepted.kind, 'policy_acceptance')
      assert.equal(accepted.channel, 'implied_by_use')
      assert.equal(accepted.locale, 'ru')
      assert.deepEqual(accepted.evidence, {
        rule: 'T-1.2',
        version: 2,
        effectiveAt: almatyTime('2026-03-20').toISOString(),
        bannerShownAt: almatyTime('2026-03-15', '12:00').toISOString(),
        noticeSentAt: null,
        usedAt: almatyTime('2026-03-20', '08:15').toISOString(),
      })
    })

    it('walks every active account in batches, each batch enqueueing the next, until everyone has a notice', async () => {
      for (let i = 0; i < 3; i++) await createUser(t)
      const services = t.app.services
      const people = (
        await sql<{ n: string }>`select count(*) as n from users where status = 'active'`.execute(t.database.db)
      ).rows[0]!.n
      const notices = createNoticesService({
        audit: services.audit,
        queue: services.queue,
        people: sqlPeopleDirectory,
        emailOf: (ctx, id) => services.accounts.accounts.getEmail(ctx, id),
        send: (ctx, input) => services.notifications.send(ctx, input),
        publicUrl: 'https://oqu.example.kz',
        batchSize: 2,
      })
      t.clock.set(almatyTime('2026-03-21', '09:00'))
      const ctx = userCtx(t, '00000000-0000-4000-8000-000000000001')
      const draft = await services.privacy.versions.saveDraft(ctx, await nextTexts(t, 'talap'))
      const v3 = await services.privacy.versions.publish(ctx, { versionId: draft.id, effectiveDate: '2026-03-31' })
      const batches: number[] = []
      for (let done = false; !done;) {
        const r = await notices.sendBatch(userCtx(t, '00000000-0000-4000-8000-000000000001'), v3.id)
        batches.push(r.queued)
        done = r.done
      }
      const total = Number(people)
      assert.equal(
        batches.reduce((a, b) => a + b, 0),
        total,
      )
      assert.ok(batches.length >= Math.ceil(total / 2))
      assert.ok(batches.slice(0, -1).every((n) => n === 2))
      const progress = await notices.progress(t.database.db, v3.id)
      assert.equal(progress?.queued, total)
      assert.ok(progress?.finishedAt)
      const queuedNext = await sql<{ n: string }>`select count(*) as n from jobs
        where name = 'send-policy-notices' and unique_key like ${`policy-notices:${v3.id}:%`}`.execute(t.database.db)
      assert.equal(Number(queuedNext.rows[0]?.n), batches.length - 1, 'each full batch enqueued the next')
      assert.deepEqual(await notices.sendBatch(ctx, v3.id), { queued: 0, done: true }, 'a finished run sends nothing')
    })

    it('never takes use as acceptance from someone who withdrew consent (T-5.1.3 over T-1.2)', async () => {
      t.clock.set(almatyTime('2026-03-22', '10:00'))
      const person = await createUser(t, 'en')
      const { withdrawal, acceptance } = t.app.services.privacy
      await withdrawal.withdraw(userCtx(t, person.id, 'en'), {
        subjectId: person.id,
        password: TEST_PASSWORD,
        effect: 'stop_processing',
        locale: 'en',
      })
      t.clock.set(almatyTime('2026-03-31', '09:00'))
      const banner = await acceptance.onRequest(userCtx(t, person.id, 'en'), person.id)
      assert.equal(banner?.version.number, 3, 'the banner still tells them')
      const kinds = (await t.app.services.consents.recordsOf(t.database.db, person.id)).map((r) => r.kind)
      assert.deepEqual(kinds, ['policy_acceptance', 'consent_withdrawn'])
    })

    it("never takes a minor's use as acceptance: their guardian consents for them (law Arts. 7–8)", async () => {
      t.clock.set(almatyTime('2026-03-22', '10:00'))
      const minor = await createUser(t, 'kk')
      await sql`update users set adult_on = '2030-01-01', guardian_state = 'guardian_consented'
        where id = ${minor.id}`.execute(t.database.db)
      t.clock.set(almatyTime('2026-03-31', '09:00'))
      const { acceptance } = t.app.services.privacy
      const banner = await acceptance.onRequest(userCtx(t, minor.id, 'kk'), minor.id)
      assert.equal(banner?.version.number, 3, 'the banner still tells them')
      const kinds = (await t.app.services.consents.recordsOf(t.database.db, minor.id)).map((r) => r.kind)
      assert.deepEqual(kinds, ['policy_acceptance'], 'only the acceptance of registration')
    })
  })
}
