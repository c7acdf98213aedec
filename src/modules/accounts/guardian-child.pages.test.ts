// Issue 3 "The guardian can see and act for the child's account" (law Arts. 7–8; T-5.2.2 correction, B-2.1
// consent per purpose): the guardian opens a child's page from /account/children, sees the child's data masked,
// corrects it under the child's own rules (a new e-mail is verified by the child), files a correction request,
// switches the child's optional purposes (ledger: subject = child, givenBy = guardian) — every act audited with
// the guardian as the actor. Only a live guardian of a child still under 18: another guardian, the guardian of
// another child, the child, after the link ended or from the 18th birthday — 404. Ending the link restricts
// the child again unless another guardian's consent remains (`account.restricted`, ids only). A new guardian
// who registers from the invitation comes back to it (register → verify → invitation).
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { createTestApp, type TestApp } from '../../../test/app'
import { databaseKinds } from '../../../test/database'
import type { Ctx } from '../../platform/context'
import { NotAllowedError } from './accounts.errors'
import {
  client,
  createPerson,
  hiddenValue,
  iinFor,
  PASSWORD,
  registerMinor,
  type Client,
  type Person,
} from './test-fixtures'

const ROUTES = (linkId: string) =>
  [
    ['GET', `/account/children/${linkId}`],
    ['GET', `/account/children/${linkId}/edit`],
    ['POST', `/account/children/${linkId}/edit`],
    ['POST', `/account/children/${linkId}/change-requests`],
    ['POST', `/account/children/${linkId}/purposes`],
    ['POST', `/account/children/${linkId}/consent`],
  ] as const

for (const kind of databaseKinds())
  describe(`the guardian acts for the child [${kind}]`, () => {
    let t: TestApp
    let n = 0
    before(async () => {
      t = await createTestApp({ kind, env: { OQU_RATE_LIMIT: '100000' } })
      t.clock.set('2026-01-15T09:00:00+05:00')
    })
    after(async () => t?.close())

    const db = () => t.database.db
    const ctx = (over: Partial<Ctx> = {}): Ctx => ({
      actor: null,
      requestId: 'test',
      ip: null,
      userAgent: null,
      locale: 'kk',
      now: t.clock.now(),
      db: db(),
      ...over,
    })

    /** A minor registered through the form (Talap: the IIN's birth date, 15 May 2010, confirmed). */
    async function minor(): Promise<{ browser: Client; email: string; iin: string }> {
      const browser = client(t, { locale: 'kk' })
      return { browser, ...(await registerMinor(browser, ++n, `bala.${n}.${kind}@mail.kz`)) }
    }

    async function guardian(): Promise<{ person: Person; browser: Client }> {
      const person = await createPerson(t, ['learner'])
      const browser = client(t, { locale: 'ru' })
      await browser.signIn(person.email, person.password)
      return { person, browser }
    }

    /** The child (still awaiting a guardian) invites `parent`, who links; returns the link and the child's id. */
    async function invite(child: Client, parent: { person: Person; browser: Client }) {
      await child.get('/account/guardian')
      await child.post('/account/guardian/invite', { email: parent.person.email })
      const message = await t.app.services.notifications.latestMessage(ctx(), {
        to: parent.person.email,
        template: 'accounts.guardian_invite',
      })
      const token = /token=([A-Za-z0-9_-]{43})/.exec(message?.text ?? '')![1]!
      await parent.browser.get(`/guardian/accept?token=${token}`)
      const linked = await parent.browser.post('/guardian/accept', { token })
      const linkId = /([0-9a-f-]{36})$/.exec(String(linked.headers.location))![1]!
      const row = await sql<{ child_id: string }>`select child_id from guardian_links where id = ${linkId}`.execute(
        db(),
      )
      return { linkId, childId: row.rows[0]!.child_id }
    }

    /** The linked guardian reviews the policy on the child's page and consents for the child. */
    async function consent(parent: { browser: Client }, linkId: string) {
      const review = await parent.browser.get(`/account/children/${linkId}`)
      const done = await parent.browser.post(`/account/children/${linkId}/consent`, {
        acceptPolicy: 'yes',
        policyVersionId: hiddenValue(review.body, 'policyVersionId'),
        policyLocale: hiddenValue(review.body, 'policyLocale'),
        policySha256: hiddenValue(review.body, 'policySha256'),
      })
      assert.equal(done.headers.location, '/account/children?done=consented')
    }

    async function link(child: Client, parent: { person: Person; browser: Client }) {
      const linked = await invite(child, parent)
      await consent(parent, linked.linkId)
      return linked
    }

    const auditOf = async (action: string, subjectId: string) =>
      (
        await sql<{ actor_id: string; data: Record<string, unknown> }>`
          select actor_id, data from audit_log where action = ${action} and subject_id = ${subjectId}
          order by occurred_at, id`.execute(db())
      ).rows

    it('shows the child masked, corrects it under the child’s rules and switches purposes, as the guardian', async () => {
      const child = await minor()
      const parent = await guardian()
      // Linked, not yet consented: the policy comes first; purposes wait for the consent.
      const pending = await invite(child.browser, parent)
      const before = await parent.browser.get(`/account/children/${pending.linkId}`)
      assert.equal(before.statusCode, 200)
      assert.match(before.body, new RegExp(`action="/account/children/${pending.linkId}/consent"`))
      assert.doesNotMatch(before.body, /\/purposes"/)
      const early = await parent.browser.post(`/account/children/${pending.linkId}/purposes`, {
        purpose: 'marketing',
        on: '0',
      })
      assert.equal(early.headers.location, `/account/children/${pending.linkId}`, 'nothing to switch before consent')
      const refused = await parent.browser.post(`/account/children/${pending.linkId}/consent`, {})
      assert.equal(refused.statusCode, 400, 'the policy must be accepted')
      await consent(parent, pending.linkId)
      const { linkId, childId } = pending

      // From the children list to the child's page: the data masked like the child's own account page.
      assert.ok((await parent.browser.get('/account/children')).body.includes(`href="/account/children/${linkId}"`))
      const page = await parent.browser.get(`/account/children/${linkId}`)
      assert.equal(page.statusCode, 200)
      assert.match(page.body, /Сейітқали/)
      assert.ok(page.body.includes(`••••••••${child.iin.slice(-4)}`), 'the IIN masked')
      assert.ok(!page.body.includes(child.iin), 'never the whole IIN')
      assert.ok(!page.body.includes(child.email), 'never the whole address')
      assert.match(page.body, new RegExp(`href="/account/children/${linkId}/edit"`))
      assert.match(page.body, /name="purpose" value="marketing"/)

      // Correction: a bad address changes nothing and keeps what was typed.
      const edit = await parent.browser.get(`/account/children/${linkId}/edit`)
      assert.equal(edit.statusCode, 200)
      assert.match(edit.body, new RegExp(`action="/account/children/${linkId}/edit"`))
      const bad = await parent.browser.post(`/account/children/${linkId}/edit`, { email: 'not an address' })
      assert.equal(bad.statusCode, 400)
      assert.match(bad.body, /value="not an address"/)
      const none = await sql<{ n: number }>`select count(*)::int as n from users
        where id = ${childId} and pending_email_index is not null`.execute(db())
      assert.equal(none.rows[0]!.n, 0)
      // A new address waits for the child to confirm it: the link goes to the child's new address.
      const newEmail = `bala.new.${n}.${kind}@mail.kz`
      const saved = await parent.browser.post(`/account/children/${linkId}/edit`, { email: newEmail })
      assert.equal(saved.headers.location, `/account/children/${linkId}?done=email_pending`)
      const verify = await t.app.services.notifications.latestMessage(ctx(), {
        to: newEmail,
        template: 'accounts.verify_email',
      })
      assert.ok(verify?.text?.includes('/account/verify-email?token='))
      const waiting = await parent.browser.get(`/account/children/${linkId}?done=email_pending`)
      assert.match(waiting.body, /notice-pending/)
      assert.doesNotMatch(waiting.body, /href="\/account\/verify"/, "the child confirms, not the guardian's page")
      // The IIN and legal names: by request to the DPO, filed for the child.
      await parent.browser.get(`/account/children/${linkId}/edit`)
      const request = await parent.browser.post(`/account/children/${linkId}/change-requests`, {
        field: 'surname',
        value: 'Жаңабаев',
        reason: '',
      })
      assert.equal(request.headers.location, `/account/children/${linkId}?done=requested`)
      const filed = await sql<{ user_id: string }>`select user_id from data_change_requests`.execute(db())
      assert.ok(filed.rows.some((r) => r.user_id === childId))

      // Purposes: Talap's marketing is on by default; the guardian turns it off for the child.
      await parent.browser.get(`/account/children/${linkId}`)
      const off = await parent.browser.post(`/account/children/${linkId}/purposes`, { purpose: 'marketing', on: '0' })
      assert.equal(off.headers.location, `/account/children/${linkId}?done=purpose#purpose-marketing`)
      assert.equal(await t.app.services.privacy.purposes.allows(db(), childId, 'marketing'), false)
      const record = await sql<{ id: string; given_by: string; kind: string }>`select id, given_by, kind
        from consent_records where subject_id = ${childId} and purpose = 'marketing'`.execute(db())
      assert.deepEqual(
        record.rows.map((r) => [r.kind, r.given_by]),
        [['purpose_withdrawn', parent.person.id]],
      )
      const after = await parent.browser.get(`/account/children/${linkId}?done=purpose`)
      assert.match(after.body, new RegExp(`/privacy/consents/${record.rows[0]!.id}/receipt`))
      assert.equal((await parent.browser.get(`/privacy/consents/${record.rows[0]!.id}/receipt`)).statusCode, 200)
      // An essential purpose or an unknown one cannot be switched: a message, nothing recorded.
      for (const purpose of ['service', 'no_such_purpose']) {
        const res = await parent.browser.post(`/account/children/${linkId}/purposes`, { purpose, on: '0' })
        assert.equal(res.statusCode, 400, purpose)
        assert.match(res.body, /role="alert"/)
      }
      const count = await sql<{ n: number }>`select count(*)::int as n from consent_records
        where subject_id = ${childId} and purpose is not null`.execute(db())
      assert.equal(count.rows[0]!.n, 1)

      // Every act is the guardian's: the child is the subject, the guardian the actor; ids and names only.
      for (const action of ['account.email_change_requested', 'account.change_requested']) {
        const rows = await auditOf(action, childId)
        assert.equal(rows.length, 1, action)
        assert.equal(rows[0]!.actor_id, parent.person.id, action)
        assert.doesNotMatch(JSON.stringify(rows[0]!.data), /@|Жаңабаев/)
      }
    })

    it('answers 404 to anyone but the live guardian of this child, and from the child’s 18th birthday', async () => {
      const a = await minor()
      const b = await minor()
      const g1 = await guardian()
      const g2 = await guardian()
      const linkA = await link(a.browser, g1)
      const linkB = await link(b.browser, g2)
      const tries = async (who: Client, linkId: string) => {
        for (const [method, url] of ROUTES(linkId)) {
          await who.get('/account')
          const res = method === 'GET' ? await who.get(url) : await who.post(url, { email: 'x@example.kz' })
          assert.equal(res.statusCode, 404, `${method} ${url}`)
        }
      }
      await tries(g1.browser, linkB.linkId) // the same guardian, another child
      await tries(g2.browser, linkA.linkId) // another guardian
      await tries(a.browser, linkA.linkId) // the child itself
      const stranger = await guardian()
      await tries(stranger.browser, linkA.linkId)
      assert.equal((await g1.browser.get(`/account/children/${linkA.linkId}`)).statusCode, 200)

      // Born 15 May 2010: on 15 May 2028 (Almaty) the person speaks for themselves. Sign in again after travelling.
      t.clock.set('2028-05-14T23:00:00+05:00')
      await g1.browser.signIn(g1.person.email, g1.person.password)
      assert.equal((await g1.browser.get(`/account/children/${linkA.linkId}`)).statusCode, 200, 'the day before')
      t.clock.set('2028-05-15T00:30:00+05:00')
      await tries(g1.browser, linkA.linkId)
      const list = await g1.browser.get('/account/children')
      assert.ok(!list.body.includes(`href="/account/children/${linkA.linkId}"`), 'no way in from the list either')
      t.clock.set('2026-01-15T09:00:00+05:00')
    })

    it('restricts the child again when the last guardian who consented ends the link (or an admin does)', async () => {
      const child = await minor()
      const g1 = await guardian()
      const g2 = await guardian()
      // Both link while the child waits (only then may the child invite), then both consent.
      const first = await invite(child.browser, g1)
      const second = await invite(child.browser, g2)
      await consent(g1, first.linkId)
      await consent(g2, second.linkId)
      assert.equal((await child.browser.post('/courses/any-course/enrol')).statusCode, 404, 'free: no such course')

      // One guardian leaves: the other's consent remains.
      await g1.browser.get('/account/children')
      assert.equal(
        (await g1.browser.post(`/account/children/${first.linkId}/revoke`)).headers.location,
        '/account/children?done=revoked',
      )
      assert.equal((await child.browser.post('/courses/any-course/enrol')).statusCode, 404)
      assert.deepEqual(await auditOf('account.restricted', first.childId), [])

      // The last one leaves: the child waits for a guardian again and does nothing beyond the essentials.
      await g2.browser.get('/account/children')
      await g2.browser.post(`/account/children/${second.linkId}/revoke`)
      assert.equal((await child.browser.post('/courses/any-course/enrol')).statusCode, 403)
      assert.equal((await child.browser.get('/learn')).headers.location, '/account/guardian')
      assert.match((await child.browser.get('/account/guardian')).body, /action="\/account\/guardian\/invite"/)
      const state = await sql<{ guardian_state: string }>`select guardian_state from users
        where id = ${first.childId}`.execute(db())
      assert.equal(state.rows[0]!.guardian_state, 'awaiting_guardian')
      const restricted = await auditOf('account.restricted', first.childId)
      assert.equal(restricted.length, 1)
      assert.equal(restricted[0]!.actor_id, g2.person.id)
      assert.deepEqual(restricted[0]!.data, { linkId: second.linkId, reason: 'guardian_link_ended' })
      assert.equal((await g2.browser.get(`/account/children/${second.linkId}`)).statusCode, 404)

      // An administrator may end a link too; anyone else may not.
      const g3 = await guardian()
      const third = await link(child.browser, g3)
      assert.equal((await child.browser.post('/courses/any-course/enrol')).statusCode, 404, 'free again')
      const { guardians } = t.app.services.accounts
      const asUser = (id: string, roles: ('admin' | 'learner')[]) => ctx({ actor: { kind: 'user', id, roles } })
      await assert.rejects(guardians.revoke(asUser(g1.person.id, ['learner']), third.linkId), NotAllowedError)
      const admin = await createPerson(t, ['admin'])
      await guardians.revoke(asUser(admin.id, ['admin']), third.linkId)
      assert.equal((await child.browser.post('/courses/any-course/enrol')).statusCode, 403)
      const ended = await auditOf('guardian.revoked', third.childId)
      assert.deepEqual(ended.at(-1), { actor_id: admin.id, data: { linkId: third.linkId, by: 'admin' } })

      // Closing the guardian's account ends their links the same way.
      const g4 = await guardian()
      const fourth = await link(child.browser, g4)
      assert.equal(await guardians.endLinksOf(ctx(), g4.person.id), 1)
      assert.equal((await child.browser.post('/courses/any-course/enrol')).statusCode, 403)
      assert.equal((await auditOf('account.restricted', fourth.childId)).length, 3)
      for (const row of await auditOf('guardian.revoked', fourth.childId))
        assert.doesNotMatch(JSON.stringify(row.data), /@|Сейітқали/)
    })

    it('brings a guardian without an account back to the invitation after registering and verifying', async () => {
      const child = await minor()
      const email = `ata.${n}.${kind}@mail.kz`
      await child.browser.get('/account/guardian')
      await child.browser.post('/account/guardian/invite', { email })
      const message = await t.app.services.notifications.latestMessage(ctx(), {
        to: email,
        template: 'accounts.guardian_invite',
      })
      const token = /token=([A-Za-z0-9_-]{43})/.exec(message?.text ?? '')![1]!
      const invitation = `/guardian/accept?token=${token}`
      const next = encodeURIComponent(invitation)
      const newcomer = client(t, { locale: 'ru' })
      // The invitation's "register" (and the sign-in page's) keep the way back.
      assert.ok((await newcomer.get(invitation)).body.includes(`href="/register?next=${next}"`))
      assert.ok((await newcomer.get(`/login?next=${next}`)).body.includes(`href="/register?next=${next}"`))
      const form = await newcomer.get(`/register?next=${next}`)
      assert.equal(hiddenValue(form.body, 'next'), invitation)
      const phone = String(5000000 + n * 7919).slice(-7)
      const registered = await newcomer.post('/register', {
        surname: 'Сейітқалиева',
        givenName: 'Гүлнар',
        phone: `8 707 ${phone}`,
        email,
        iin: iinFor(600 + n),
        password: PASSWORD,
        acceptPolicy: 'yes',
        policyVersionId: hiddenValue(form.body, 'policyVersionId'),
        policyLocale: hiddenValue(form.body, 'policyLocale'),
        policySha256: hiddenValue(form.body, 'policySha256'),
        next: invitation,
      })
      assert.equal(registered.headers.location, `/account/verify?done=registered&next=${next}`)
      const verify = await newcomer.get(String(registered.headers.location))
      assert.ok(verify.body.includes(`href="${invitation}"`), 'continue to the invitation')
      // Confirming the phone keeps it, after a wrong code too.
      const wrong = await newcomer.post('/account/verify/phone', { code: '000000', next: invitation })
      assert.equal(wrong.statusCode, 400)
      assert.ok(wrong.body.includes(`href="${invitation}"`))
      const sms = await t.app.services.notifications.latestMessage(ctx(), {
        to: `+7707${phone}`,
        template: 'accounts.verify_phone',
      })
      const code = /\b(\d{6})\b/.exec(sms?.text ?? '')![1]!
      const confirmed = await newcomer.post('/account/verify/phone', { code, next: hiddenValue(wrong.body, 'next') })
      assert.equal(confirmed.headers.location, `/account/verify?done=phone&next=${next}`)
      // Back on the invitation, signed in now: one click links.
      assert.match((await newcomer.get(invitation)).body, /action="\/guardian\/accept"/)
      const linked = await newcomer.post('/guardian/accept', { token })
      assert.match(String(linked.headers.location), /^\/account\/children\/[0-9a-f-]{36}$/)
      // Only a page of this site is come back to.
      const offsite = await client(t).get(`/register?next=${encodeURIComponent('//evil.example/x')}`)
      assert.equal(hiddenValue(offsite.body, 'next'), '')
    })
  })
