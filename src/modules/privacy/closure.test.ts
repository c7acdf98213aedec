// T-1.2 (a person who does not accept the policy stops using the site and closes the account), T-4.5, T-4.5.5
// and B-2.4 (retention from the closure), law Art. 8(2) (an unfulfilled obligation refuses it with the reason):
// closing is confirmed by the password — a wrong one changes nothing — and recorded like a withdrawal (signed
// `consent_withdrawn`, effect close_account, with its receipt); the account is closed, every session ends, the
// roles go, and the account is handed over to retention with the date the profile's rule applies. A closed
// account cannot sign in: the right password is told so, anyone else gets the usual generic failure.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { createTestApp, type TestApp } from '../../../test/app'
import { databaseKinds } from '../../../test/database'
import { almatyTime } from './calendar'
import { createClosureService } from './closure.service'
import { PasswordIncorrectError, WithdrawalRefusedError } from './privacy.errors'
import { addYears, retentionUntil } from './retention'
import {
  createDpo,
  createUser,
  ledgerCounts,
  nextTexts,
  pageClient,
  TEST_PASSWORD,
  userCtx,
  type LifecycleApp,
} from './test-fixtures'

const statusOf = async (t: LifecycleApp, id: string) =>
  (await sql<{ status: string }>`select status from users where id = ${id}`.execute(t.database.db)).rows[0]?.status

const closuresOf = async (t: LifecycleApp, id: string) =>
  (
    await sql<{
      retention_until: string
      retention_from: string
      consent_id: string
    }>`select retention_until, retention_from, consent_id from account_closures where subject_id = ${id}`.execute(
      t.database.db,
    )
  ).rows

it('counts retention in Almaty calendar years; 29 February falls on 1 March (T-4.5.5)', () => {
  assert.equal(addYears('2026-05-14', 3), '2029-05-14')
  assert.equal(addYears('2028-02-29', 3), '2031-03-01')
  assert.equal(
    retentionUntil({ retention: { from: 'last_activity', years: 3, clauses: [] } }, almatyTime('2026-05-14', '23:30')),
    '2029-05-14',
  )
})

for (const kind of databaseKinds()) {
  describe(`closing the account, Talap [${kind}]`, () => {
    let t: TestApp & LifecycleApp
    before(async () => {
      t = (await createTestApp({ kind, env: { OQU_PROFILE: 'talap', OQU_RATE_LIMIT: '100000' } })) as TestApp &
        LifecycleApp
      t.clock.set(almatyTime('2026-05-04', '23:30'))
    })
    after(() => t.close())

    it('offers closing from the banner of a version not accepted ("I do not accept") and from the centre', async () => {
      const dpo = await createDpo(t)
      const d = pageClient(t.app, 'en')
      await d.signIn(dpo.email)
      await d.get('/dpo')
      await d.post('/dpo/draft', await nextTexts(t, 'talap'))
      const versionId = /name="versionId" value="([^"]+)"/.exec((await d.get('/dpo')).body)?.[1]
      assert.equal(
        (await d.post('/dpo/publish', { versionId: versionId!, effectiveDate: '2026-05-14' })).statusCode,
        303,
      )

      const person = await createUser(t, 'kk')
      const c = pageClient(t.app, 'kk')
      await c.signIn(person.email)
      const home = await c.get('/')
      assert.match(home.body, /class="policy-banner-close" href="\/privacy\/close">Тіркелгіні жабу</)
      assert.match((await c.get('/policy/versions/2')).body, /Қабылдамайсыз ба\? <a href="\/privacy\/close">/)
      assert.match((await c.get('/privacy')).body, /href="\/privacy\/close"/)
      const page = await c.get('/privacy/close')
      assert.equal(page.statusCode, 200)
      assert.match(page.body, /<h1 id="close-title">Тіркелгіні жабу<\/h1>/)
      // Closing today (4 May 2026, Almaty) keeps the data 3 years from this last activity (T-4.5).
      assert.match(page.body, /3 жыл, 2029 ж\. 4 мамыр дейін сақталады/)
      assert.match(page.body, /name="password"/)
    })

    it('refuses a wrong password and changes nothing', async () => {
      const person = await createUser(t, 'ru')
      const c = pageClient(t.app, 'ru')
      await c.signIn(person.email)
      await c.get('/privacy/close')
      const before = await ledgerCounts(t.database.db)
      const wrong = await c.post('/privacy/close', { password: 'not my password at all' })
      assert.equal(wrong.statusCode, 403)
      assert.match(wrong.body, /Неверный пароль/)
      assert.match(wrong.body, /aria-invalid="true"/)
      const after = await ledgerCounts(t.database.db)
      assert.equal(after.records, before.records, 'no ledger record')
      assert.equal(after.audit, before.audit + 1, 'only the unconfirmed attempt is audited')
      assert.equal(await statusOf(t, person.id), 'active')
      assert.deepEqual(await closuresOf(t, person.id), [])
      assert.equal((await c.get('/account')).statusCode, 200, 'still signed in')
    })

    it('closes with the password: signed record and receipt, every session ended, retention date kept', async () => {
      t.clock.set(almatyTime('2026-05-06', '10:00'))
      const person = await createUser(t, 'en')
      const other = pageClient(t.app, 'en')
      await other.signIn(person.email) // a second device
      const c = pageClient(t.app, 'en')
      await c.signIn(person.email)
      // The person is also the linked guardian of a minor: closing ends that link too.
      const child = await createUser(t, 'kk')
      const linkId = randomUUID()
      await sql`insert into guardian_links (id, child_id, guardian_id, status, invited_at, linked_at)
        values (${linkId}, ${child.id}, ${person.id}, 'linked', ${t.clock.now()}, ${t.clock.now()})`.execute(
        t.database.db,
      )
      await c.get('/privacy/close')
      const done = await c.post('/privacy/close', { password: TEST_PASSWORD })
      assert.equal(done.statusCode, 200)
      assert.match(done.body, /Your account is closed\. You have been signed out\./)
      assert.match(done.body, /kept until May 6, 2029/)
      assert.match(done.body, /Withdrawal of consent to processing/)
      assert.match(done.body, /What it does<\/dt><dd>The account is closed/)
      assert.match(done.body, /hmac-sha256:[0-9a-f]{64}/)
      assert.doesNotMatch(done.body, /href="\/account"/, 'the page is drawn signed out')

      assert.equal(await statusOf(t, person.id), 'closed')
      const [closure] = await closuresOf(t, person.id)
      assert.equal(closure?.retention_until, '2029-05-06')
      assert.equal(closure?.retention_from, 'last_activity')
      const records = await t.app.services.consents.recordsOf(t.database.db, person.id)
      const last = records.at(-1)!
      assert.equal(last.id, closure?.consent_id)
      assert.equal(last.kind, 'consent_withdrawn')
      assert.equal(last.evidence.effect, 'close_account')
      assert.match(last.signature ?? '', /^hmac-sha256:/)
      const open = await sql<{ n: string }>`select count(*) as n from sessions
        where user_id = ${person.id} and revoked_at is null`.execute(t.database.db)
      assert.equal(Number(open.rows[0]?.n), 0, 'every session ended')
      const roles = await sql<{ n: string }>`select count(*) as n from user_roles where user_id = ${person.id}`.execute(
        t.database.db,
      )
      assert.equal(Number(roles.rows[0]?.n), 0)
      for (const who of [c, other]) assert.equal((await who.get('/account')).statusCode, 303, 'signed out everywhere')
      const link = await sql<{ status: string }>`select status from guardian_links where id = ${linkId}`.execute(
        t.database.db,
      )
      assert.equal(link.rows[0]?.status, 'revoked', "the guardian's link ended with the account")
      // Audit: ids and counts only.
      const audit = await sql<{ action: string; data: unknown }>`select action, data from audit_log
        where subject_id = ${person.id} and action in ('account.closed', 'account.status_closed')`.execute(
        t.database.db,
      )
      assert.deepEqual(audit.rows.map((r) => r.action).sort(), ['account.closed', 'account.status_closed'])
      assert.ok(!JSON.stringify(audit.rows).includes(person.email))
    })

    it('lets a closed account not sign in: the right password is told so, others get the generic failure', async () => {
      const person = await createUser(t, 'kk')
      await t.app.services.privacy.closure.close(userCtx(t, person.id, 'kk'), {
        subjectId: person.id,
        password: TEST_PASSWORD,
        locale: 'kk',
      })
      const c = pageClient(t.app, 'ru')
      await c.get('/login')
      const right = await c.post('/login', { identifier: person.email, password: TEST_PASSWORD })
      assert.equal(right.statusCode, 403)
      assert.match(right.body, /Эта учётная запись закрыта/)
      const wrong = await c.post('/login', { identifier: person.email, password: 'not the password at all' })
      assert.equal(wrong.statusCode, 401)
      assert.doesNotMatch(wrong.body, /закрыта/, 'without the password nobody learns it is closed')
      const unknown = await c.post('/login', { identifier: 'nobody.here@example.kz', password: TEST_PASSWORD })
      assert.equal(unknown.statusCode, 401)
      assert.equal(wrong.body.replace(/value="[^"]*"/g, ''), unknown.body.replace(/value="[^"]*"/g, ''))
    })

    it('refuses closing when an unfulfilled obligation prevents it, stating the reason (Art. 8(2))', async () => {
      const person = await createUser(t, 'kk')
      const s = t.app.services
      const closure = createClosureService({
        profile: s.profile,
        audit: s.audit,
        consents: s.consents,
        policies: s.policies,
        verifyPassword: async (_ctx, userId, password) => userId === person.id && password === TEST_PASSWORD,
        obligations: async (_ctx, subjectId) => (subjectId === person.id ? ['privacy.obligations.unpaid_order'] : []),
        closeAccount: async () => assert.fail('must not close'),
      })
      const ctx = userCtx(t, person.id, 'kk')
      const before = await ledgerCounts(t.database.db)
      assert.deepEqual((await closure.preview(ctx, person.id)).reasons, ['privacy.obligations.unpaid_order'])
      await assert.rejects(
        closure.close(ctx, { subjectId: person.id, password: 'wrong password here', locale: 'kk' }),
        PasswordIncorrectError,
        'the password is checked first',
      )
      await assert.rejects(
        closure.close(ctx, { subjectId: person.id, password: TEST_PASSWORD, locale: 'kk' }),
        (e) => e instanceof WithdrawalRefusedError && e.reasons.join() === 'privacy.obligations.unpaid_order',
      )
      assert.equal((await ledgerCounts(t.database.db)).records, before.records)
      assert.equal(await statusOf(t, person.id), 'active')
      assert.deepEqual(await closuresOf(t, person.id), [])
    })
  })

  describe(`closing the account, BTS [${kind}]`, () => {
    let t: TestApp & LifecycleApp
    before(async () => {
      t = (await createTestApp({ kind, env: { OQU_PROFILE: 'bts-education' } })) as TestApp & LifecycleApp
      t.clock.set(almatyTime('2028-02-29', '09:00'))
    })
    after(() => t.close())

    it('ends the User Agreement: kept 3 years after it ends (B-2.4), 29 February → 1 March', async () => {
      const person = await createUser(t, 'ru')
      const c = pageClient(t.app, 'ru')
      await c.signIn(person.email)
      const page = await c.get('/privacy/close')
      assert.match(
        page.body,
        /Закрытие прекращает Пользовательское соглашение: ваши данные хранятся 3 года — до 1 марта 2031/,
      )
      await c.get('/privacy/close')
      assert.equal((await c.post('/privacy/close', { password: TEST_PASSWORD })).statusCode, 200)
      const [closure] = await closuresOf(t, person.id)
      assert.equal(closure?.retention_from, 'agreement_end')
      assert.equal(closure?.retention_until, '2031-03-01')
    })
  })
}
