// Issue 3 "Roles and guardians", law Arts. 7–8 (a minor's consent is given by the parent or guardian):
// a learner under 18 — by the IIN hint they confirm — is registered restricted (sign in, see the
// "ask your parent or guardian" page, nothing more: no enrolment, no optional purposes), invites a guardian
// by a single-use e-mail link; the guardian links and consents for the child (ledger: subject = child,
// givenBy = guardian) and the restriction lifts; another guardian gets nothing; at 18 (Almaty) the
// learner is asked to consent personally.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { createTestApp, type TestApp } from '../../../test/app'
import { pageDatabaseKinds } from '../../../test/database'
import type { Ctx } from '../../platform/context'
import { iinCheckDigit } from './iin'
import { client, createPerson, PASSWORD, type Client } from './test-fixtures'

const hidden = (body: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(body)?.[1] ?? ''

/** A valid IIN whose digits say born on 15 May 2010 (a 2000s marker). */
function minorIin(n: number): string {
  for (let serial = n * 10; ; serial++) {
    const prefix = `1005155${String(serial % 10_000).padStart(4, '0')}`
    const check = iinCheckDigit(prefix)
    if (check !== undefined) return prefix + String(check)
  }
}

for (const kind of pageDatabaseKinds())
  describe(`minors and guardians [${kind}]`, () => {
    let t: TestApp
    let n = 0
    before(async () => {
      t = await createTestApp({ kind, env: { OQU_RATE_LIMIT: '100000' } })
    })
    after(async () => t?.close())

    const ctx = (): Ctx => ({
      actor: null,
      requestId: 'test',
      ip: null,
      userAgent: null,
      locale: 'kk',
      now: t.clock.now(),
      db: t.database.db,
    })

    async function register(browser: Client, over: Record<string, string> = {}) {
      n++
      const page = await browser.get('/register')
      const email = `bala.${n}.${kind}@mail.kz`
      const fields = {
        surname: 'Сейітқали',
        givenName: 'Ерасыл',
        phone: `8 707 ${String(2000000 + n * 3571).slice(-7)}`,
        email,
        iin: minorIin(200 + n),
        password: PASSWORD,
        acceptPolicy: 'yes',
        policyVersionId: hidden(page.body, 'policyVersionId'),
        policyLocale: hidden(page.body, 'policyLocale'),
        policySha256: hidden(page.body, 'policySha256'),
        ...over,
      }
      return { res: await browser.post('/register', fields), email }
    }

    async function inviteAndLink(child: Client, guardian: Client, guardianEmail: string) {
      await child.get('/account/guardian')
      const sent = await child.post('/account/guardian/invite', { email: guardianEmail })
      assert.equal(sent.headers.location, '/account/guardian?done=sent')
      const message = await t.app.services.notifications.latestMessage(ctx(), {
        to: guardianEmail,
        template: 'accounts.guardian_invite',
      })
      const token = /token=([A-Za-z0-9_-]{43})/.exec(message?.text ?? '')?.[1]
      assert.ok(token, 'the e-mail carries the link')
      const page = await guardian.get(`/guardian/accept?token=${token}`)
      assert.equal(page.statusCode, 200)
      const linked = await guardian.post('/guardian/accept', { token })
      assert.equal(linked.statusCode, 303)
      const linkId = /^\/account\/children\/([0-9a-f-]{36})$/.exec(String(linked.headers.location))?.[1]
      assert.ok(linkId)
      return { token, linkId }
    }

    it('asks to confirm an under-18 IIN birth date, and "not mine" makes no minor', async () => {
      const browser = client(t, { locale: 'ru' })
      const { res } = await register(browser)
      assert.equal(res.statusCode, 400)
      assert.match(res.body, /name="iinBirthDate" value="confirmed"/)
      assert.match(res.body, /2010-05-15/)
      assert.match(res.body, /ваша ли это дата рождения/)
      const adult = client(t)
      const done = await register(adult, { iinBirthDate: 'not_mine' })
      assert.equal(done.res.statusCode, 303)
      assert.equal((await adult.get('/learn')).statusCode, 200, 'not restricted')
    })

    it('restricts a confirmed minor to the essentials until a guardian consents, then lets them enrol', async () => {
      const child = client(t, { locale: 'kk' })
      const { res } = await register(child, { iinBirthDate: 'confirmed' })
      assert.equal(res.statusCode, 303)
      // Essentials: own account, the guardian page.
      assert.equal((await child.get('/account')).statusCode, 200)
      const ask = await child.get('/account/guardian')
      assert.equal(ask.statusCode, 200)
      assert.match(ask.body, /action="\/account\/guardian\/invite"/)
      // Nothing beyond: learning pages send to the guardian page; enrolment and optional purposes are refused.
      assert.equal((await child.get('/learn')).headers.location, '/account/guardian')
      const enrol = await child.post('/courses/any-course/enrol')
      assert.equal(enrol.statusCode, 403)
      assert.match(enrol.body, /ата-анаңыздан/)
      await child.get('/privacy')
      assert.equal((await child.post('/privacy/purposes', { purpose: 'marketing', on: 'yes' })).statusCode, 403)

      const parentPerson = await createPerson(t, ['learner'])
      const parent = client(t, { locale: 'ru' })
      await parent.signIn(parentPerson.email, parentPerson.password)
      const { token, linkId } = await inviteAndLink(child, parent, parentPerson.email)
      // Single use: the same link again changes nothing.
      await parent.get(`/guardian/accept?token=${token}`)
      assert.equal((await parent.post('/guardian/accept', { token })).statusCode, 400)
      const stored = await sql<{
        n: number
      }>`SELECT count(*)::int AS n FROM guardian_links WHERE token_hash = ${token}`.execute(t.database.db)
      assert.equal(stored.rows[0]!.n, 0, 'the secret is never stored as is')
      // Linked is not consented: still restricted.
      assert.equal((await child.post('/courses/any-course/enrol')).statusCode, 403)

      // Another guardian gets nothing of this child.
      const otherPerson = await createPerson(t, ['guardian'])
      const other = client(t)
      await other.signIn(otherPerson.email, otherPerson.password)
      assert.equal((await other.get(`/account/children/${linkId}`)).statusCode, 404)
      await other.get('/account/children')
      assert.equal((await other.post(`/account/children/${linkId}/consent`, { acceptPolicy: 'yes' })).statusCode, 404)
      assert.equal((await other.post(`/account/children/${linkId}/revoke`)).statusCode, 404)
      assert.doesNotMatch((await other.get('/account/children')).body, /Ерасыл/)

      // The guardian reviews the policy and consents for the child.
      const review = await parent.get(`/account/children/${linkId}`)
      assert.equal(review.statusCode, 200)
      const refused = await parent.post(`/account/children/${linkId}/consent`, {})
      assert.equal(refused.statusCode, 400, 'the policy must be accepted')
      const consent = await parent.post(`/account/children/${linkId}/consent`, {
        acceptPolicy: 'yes',
        policyVersionId: hidden(review.body, 'policyVersionId'),
        policyLocale: hidden(review.body, 'policyLocale'),
        policySha256: hidden(review.body, 'policySha256'),
      })
      assert.equal(consent.headers.location, '/account/children?done=consented')
      const link = await sql<{ child_id: string; guardian_id: string; consent_id: string; status: string }>`
        SELECT child_id, guardian_id, consent_id, status FROM guardian_links WHERE id = ${linkId}`.execute(
        t.database.db,
      )
      const row = link.rows[0]!
      assert.equal(row.status, 'consented')
      assert.equal(row.guardian_id, parentPerson.id)
      const record = await sql<{ subject_id: string; given_by: string }>`
        SELECT subject_id, given_by FROM consent_records WHERE id = ${row.consent_id}`.execute(t.database.db)
      assert.deepEqual(record.rows[0], { subject_id: row.child_id, given_by: parentPerson.id })

      // The children page shows the child's name, status and the receipt; the receipt opens for the guardian.
      const children = await parent.get('/account/children')
      assert.match(children.body, /Ерасыл/)
      assert.match(children.body, new RegExp(`/privacy/consents/${row.consent_id}/receipt`))
      assert.equal((await parent.get(`/privacy/consents/${row.consent_id}/receipt`)).statusCode, 200)
      assert.equal((await other.get(`/privacy/consents/${row.consent_id}/receipt`)).statusCode, 404)

      // The restriction has lifted: enrolment reaches the learning module (no such course here).
      assert.equal((await child.post('/courses/any-course/enrol')).statusCode, 404)
      assert.equal((await child.get('/learn')).statusCode, 200)

      // Audit entries carry ids only.
      const audit = await sql<{ data: unknown }>`
        SELECT data FROM audit_log WHERE action LIKE 'guardian.%'`.execute(t.database.db)
      assert.ok(audit.rows.length >= 3)
      for (const r of audit.rows) assert.doesNotMatch(JSON.stringify(r.data), /@|Ерасыл/)

      // The guardian ends the link: the child is no longer theirs to see.
      await parent.get('/account/children')
      assert.equal(
        (await parent.post(`/account/children/${linkId}/revoke`)).headers.location,
        '/account/children?done=revoked',
      )
      assert.doesNotMatch((await parent.get('/account/children')).body, /Ерасыл/)
      assert.equal((await parent.get(`/account/children/${linkId}`)).statusCode, 404)
    })

    it('asks the learner to consent personally from the 18th birthday (Almaty), not the day before', async () => {
      t.clock.set('2026-01-15T09:00:00+05:00')
      const child = client(t, { locale: 'en' })
      await register(child, { iinBirthDate: 'confirmed' })
      const parentPerson = await createPerson(t, ['learner'])
      const parent = client(t)
      await parent.signIn(parentPerson.email, parentPerson.password)
      const { linkId } = await inviteAndLink(child, parent, parentPerson.email)
      const review = await parent.get(`/account/children/${linkId}`)
      await parent.post(`/account/children/${linkId}/consent`, {
        acceptPolicy: 'yes',
        policyVersionId: hidden(review.body, 'policyVersionId'),
        policyLocale: hidden(review.body, 'policyLocale'),
        policySha256: hidden(review.body, 'policySha256'),
      })
      // Born 15 May 2010 by the IIN they confirmed. Sessions last 30 days: sign in again after travelling.
      t.clock.set('2028-05-14T23:59:00+05:00')
      await child.signIn(`bala.${n}.${kind}@mail.kz`, PASSWORD)
      assert.equal((await child.get('/learn')).statusCode, 200, 'the day before: still the guardian consent')
      t.clock.set('2028-05-15T00:01:00+05:00')
      assert.equal((await child.get('/learn')).headers.location, '/account/guardian', 'on the day: asked')
      const ask = await child.get('/account/guardian')
      assert.match(ask.body, /You are 18 now/)
      assert.match(ask.body, /action="\/account\/consent"/)
      assert.equal((await child.post('/courses/any-course/enrol')).statusCode, 403)
      await child.get('/account/guardian')
      const done = await child.post('/account/consent', {
        acceptPolicy: 'yes',
        policyVersionId: hidden(ask.body, 'policyVersionId'),
        policyLocale: hidden(ask.body, 'policyLocale'),
        policySha256: hidden(ask.body, 'policySha256'),
      })
      assert.equal(done.headers.location, '/account?done=saved')
      assert.equal((await child.get('/learn')).statusCode, 200)
      const own = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM consent_records WHERE subject_id = given_by AND evidence->>'came_of_age' = 'true'`.execute(
        t.database.db,
      )
      assert.equal(own.rows[0]!.n, 1)
      t.clock.set('2026-01-15T09:00:00+05:00')
    })
  })
