// Law Arts. 7–9 (a guardian consents and withdraws for a minor) and T-5.2.2 (the IIN and legal names change only
// through a request the DPO decides), over HTTP: a live guardian sees each child's consent state and withdraws it
// with their own password — a signed record whose receipt names the guardian (givenBy) — while another guardian
// and a non-guardian get 404; the DPO lists data change requests without values (pages of 50), opens one (the
// value shown only then, audited), refuses only with a reason or approves, and the requester is e-mailed; anyone
// else gets 404.
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { createTestApp, type TestApp } from '../../../test/app'
import { databaseKinds } from '../../../test/database'
import { askedFields } from '../accounts/index'
import { almatyTime } from './calendar'
import {
  createDpo,
  createUser,
  ledgerCounts,
  pageClient,
  TEST_PASSWORD,
  userCtx,
  type LifecycleApp,
} from './test-fixtures'

type T = TestApp & LifecycleApp

/** A guardian account linked (consented) to `childId`, with the acceptance it gave for the child. */
async function linkGuardian(t: T, childId: string): Promise<{ id: string; email: string }> {
  const s = t.app.services
  const email = `guardian.${randomUUID().slice(0, 8)}@example.kz`
  const { id } = await s.accounts.accounts.createAccount(
    { ...userCtx(t, randomUUID()), actor: null },
    { email, password: TEST_PASSWORD, roles: ['guardian'] },
  )
  const policy = await s.policies.currentPolicy(t.database.db, s.profile.id, 'kk', t.clock.now())
  const consent = await s.consents.recordPolicyAcceptance(userCtx(t, id, 'kk'), {
    subjectId: childId,
    givenBy: id,
    policyVersionId: policy!.versionId,
    locale: 'kk',
    textSha256: policy!.sha256,
    channel: 'web',
    evidence: { on_behalf_of_minor: true },
  })
  const now = t.clock.now()
  await sql`insert into guardian_links (id, child_id, guardian_id, status, invited_at, linked_at, consented_at, consent_id)
    values (${randomUUID()}, ${childId}, ${id}, 'consented', ${now}, ${now}, ${now}, ${consent.id})`.execute(
    t.database.db,
  )
  return { id, email }
}

for (const kind of databaseKinds()) {
  describe(`guardians withdraw for their children [${kind}]`, () => {
    let t: T
    before(async () => {
      t = (await createTestApp({ kind, env: { OQU_PROFILE: 'bts-education', OQU_RATE_LIMIT: '100000' } })) as T
      t.clock.set(almatyTime('2026-06-01', '10:00'))
    })
    after(() => t.close())

    it("shows each child's consents to their live guardian only, and withdraws with the guardian's password", async () => {
      const child = await createUser(t)
      const guardian = await linkGuardian(t, child.id)
      const otherChild = await createUser(t)
      const otherGuardian = await linkGuardian(t, otherChild.id)
      const learner = await createUser(t, 'kk')

      const nobody = pageClient(t.app, 'kk')
      await nobody.signIn(learner.email)
      assert.equal((await nobody.get('/privacy/children')).statusCode, 404, 'a non-guardian')
      await nobody.get('/privacy')
      const posted = await nobody.post(`/privacy/children/${child.id}/withdraw`, { password: TEST_PASSWORD })
      assert.equal(posted.statusCode, 404)

      const other = pageClient(t.app, 'en')
      await other.signIn(otherGuardian.email)
      const theirs = await other.get('/privacy/children')
      assert.equal(theirs.statusCode, 200)
      assert.ok(theirs.body.includes(otherChild.id) && !theirs.body.includes(child.id), 'only their own child')
      const before = await ledgerCounts(t.database.db)
      const refused = await other.post(`/privacy/children/${child.id}/withdraw`, {
        password: TEST_PASSWORD,
        effect: 'end_agreement',
      })
      assert.equal(refused.statusCode, 404, "another guardian's child looks like an unknown one")
      assert.equal((await ledgerCounts(t.database.db)).records, before.records)

      const g = pageClient(t.app, 'ru')
      await g.signIn(guardian.email)
      assert.match((await g.get('/privacy')).body, /href="\/privacy\/children"/, 'the centre leads there')
      const page = await g.get('/privacy/children')
      assert.equal(page.statusCode, 200)
      assert.match(page.body, /<h1>Согласия ваших детей<\/h1>/)
      assert.match(page.body, /Ребёнок \(имя не хранится\)/)
      assert.match(page.body, /Принято: .* \(вами\)\. <a href="\/privacy\/consents\/[0-9a-f-]{36}\/receipt">/)
      assert.match(page.body, new RegExp(`action="/privacy/children/${child.id}/withdraw"`))

      const wrong = await g.post(`/privacy/children/${child.id}/withdraw`, {
        password: 'not my password at all',
        effect: 'end_agreement',
      })
      assert.equal(wrong.statusCode, 403)
      assert.match(wrong.body, /Неверный пароль/)
      assert.equal((await ledgerCounts(t.database.db)).records, before.records, 'nothing recorded')

      await g.get('/privacy/children')
      const done = await g.post(`/privacy/children/${child.id}/withdraw`, {
        password: TEST_PASSWORD,
        effect: 'end_agreement',
      })
      assert.equal(done.statusCode, 303)
      const receipt = await g.get(String(done.headers.location))
      assert.equal(receipt.statusCode, 200, 'the guardian opens the receipt they gave')
      assert.match(receipt.body, /Отзыв согласия на обработку/)
      assert.match(receipt.body, /Дано законным представителем/)
      assert.match(receipt.body, /hmac-sha256:[0-9a-f]{64}/)
      const record = (await t.app.services.consents.recordsOf(t.database.db, child.id)).at(-1)!
      assert.equal(record.kind, 'consent_withdrawn')
      assert.equal(record.subjectId, child.id)
      assert.equal(record.givenBy, guardian.id)
      assert.equal(record.evidence.on_behalf_of_minor, true)
      assert.equal(record.evidence.effect, 'end_agreement')
      const { privacy } = t.app.services
      assert.equal(await privacy.withdrawal.isWithdrawn(userCtx(t, child.id), child.id), true)
      assert.equal(await privacy.purposes.allows(t.database.db, child.id, 'marketing'), false)
      assert.match((await g.get('/privacy/children')).body, /Согласие ребёнка отозвано/)
      assert.equal(await privacy.withdrawal.isWithdrawn(userCtx(t, otherChild.id), otherChild.id), false)
    })

    it("records a representative's purpose decision for the child (setForSubject, for the accounts module)", async () => {
      const child = await createUser(t, 'kk')
      const guardian = await linkGuardian(t, child.id)
      const { purposes } = t.app.services.privacy
      const record = await purposes.setForSubject(userCtx(t, guardian.id, 'ru'), {
        subjectId: child.id,
        purpose: 'marketing',
        on: false,
        givenBy: guardian.id,
      })
      assert.equal(record.kind, 'purpose_withdrawn')
      assert.equal(record.givenBy, guardian.id)
      assert.equal(record.locale, 'ru')
      assert.equal(record.evidence.on_behalf_of_minor, true)
      assert.equal(await purposes.allows(t.database.db, child.id, 'marketing'), false)
    })
  })

  describe(`data change requests on the DPO's desk, Talap [${kind}]`, () => {
    let t: T
    before(async () => {
      t = (await createTestApp({ kind, env: { OQU_PROFILE: 'talap', OQU_RATE_LIMIT: '100000' } })) as T
      t.clock.set(almatyTime('2026-05-04', '10:00'))
    })
    after(() => t.close())

    const file = async (userId: string, field: string, value: string) =>
      t.app.services.accounts.corrections.fileRequest(userCtx(t, userId), userId, {
        field,
        value,
        reason: 'Паспорт бойынша',
        asked: askedFields(t.app.services.profile),
      })

    it('lists requests without values, opens one (audited), refuses only with a reason, e-mails the requester', async () => {
      const person = await createUser(t, 'ru')
      const refusedId = (await file(person.id, 'surname', 'Сейітқали')).id
      const approvedId = (await file(person.id, 'givenName', 'Ерасыл')).id

      const learner = pageClient(t.app, 'kk')
      await learner.signIn(person.email)
      assert.equal((await learner.get('/dpo/requests')).statusCode, 404)
      await learner.get('/privacy')
      assert.equal((await learner.post(`/dpo/requests/${refusedId}/open`)).statusCode, 404)
      const notYours = await learner.post(`/dpo/requests/${refusedId}/decide`, { decision: 'approve', note: '' })
      assert.equal(notYours.statusCode, 404)

      const dpo = await createDpo(t)
      const d = pageClient(t.app, 'ru')
      await d.signIn(dpo.email)
      assert.match((await d.get('/dpo')).body, /href="\/dpo\/requests"/)
      const list = await d.get('/dpo/requests')
      assert.equal(list.statusCode, 200)
      assert.match(list.body, /<h1>Заявки на изменение данных<\/h1>/)
      assert.ok(list.body.includes(`/dpo/requests/${refusedId}/open`))
      assert.ok(!list.body.includes('Сейітқали') && !list.body.includes('Паспорт'), 'no value, no reason in the list')
      const viewed = async () =>
        Number(
          (
            await sql<{ n: string }>`select count(*) as n from audit_log
              where action = 'account.change_request_viewed' and target_id = ${refusedId}`.execute(t.database.db)
          ).rows[0]?.n,
        )
      assert.equal(await viewed(), 0)
      const opened = await d.post(`/dpo/requests/${refusedId}/open`)
      assert.equal(opened.statusCode, 200)
      assert.match(opened.body, /Запрошенное значение<\/dt><dd class="mono">Сейітқали/)
      assert.match(opened.body, /Паспорт бойынша/)
      assert.equal(await viewed(), 1, 'opening is audited')

      const noReason = await d.post(`/dpo/requests/${refusedId}/decide`, { decision: 'reject', note: '  ' })
      assert.equal(noReason.statusCode, 400)
      assert.match(noReason.body, /Укажите причину отказа/)
      const refused = await d.post(`/dpo/requests/${refusedId}/decide`, {
        decision: 'reject',
        note: 'Нужна копия документа.',
      })
      assert.equal(refused.statusCode, 303)
      assert.equal(refused.headers.location, '/dpo/requests?decided=rejected')
      assert.match((await d.get('/dpo/requests?decided=rejected')).body, /В заявке отказано/)
      const ctx = userCtx(t, dpo.id)
      const message = await t.app.services.notifications.latestMessage(ctx, {
        to: person.email,
        template: 'privacy.change_request_decided',
      })
      const text = message?.text ?? ''
      assert.match(text, /Здравствуйте!/, 'e-mailed, in the language of their newest decision')
      assert.match(text, /\/account\b/)
      assert.ok(!text.includes('Сейітқали') && !text.includes('копия'), 'no value, no note')

      await d.post(`/dpo/requests/${approvedId}/open`)
      const approved = await d.post(`/dpo/requests/${approvedId}/decide`, { decision: 'approve', note: '' })
      assert.equal(approved.headers.location, '/dpo/requests?decided=approved')
      const fields = await t.app.services.accounts.accounts.getProfileFields(ctx, person.id)
      assert.equal(fields.givenName, 'Ерасыл')
      assert.equal(fields.surname, undefined, 'the refused value is not applied')
      const decided = await d.get('/dpo/requests?status=approved')
      assert.ok(decided.body.includes(`/dpo/requests/${approvedId}/open`))
      assert.ok(!decided.body.includes(`/dpo/requests/${refusedId}/open`))
      const again = await d.post(`/dpo/requests/${approvedId}/decide`, { decision: 'reject', note: 'late' })
      assert.equal(again.statusCode, 409, 'a decided request stays decided')
    })

    it('pages the queue by 50', async () => {
      const person = await createUser(t, 'en')
      for (let i = 0; i < 51; i++) {
        t.clock.advance(1000)
        await file(person.id, 'patronymic', i % 2 ? 'Серікұлы' : 'Серікқызы')
      }
      const dpo = await createDpo(t)
      const d = pageClient(t.app, 'en')
      await d.signIn(dpo.email)
      const first = await d.get('/dpo/requests')
      assert.equal((first.body.match(/action="\/dpo\/requests\/[^"]+\/open"/g) ?? []).length, 50)
      assert.match(first.body, /rel="next" href="\/dpo\/requests\?status=open&amp;page=2"/)
      const second = await d.get('/dpo/requests?status=open&page=2')
      assert.ok((second.body.match(/action="\/dpo\/requests\/[^"]+\/open"/g) ?? []).length >= 1)
      assert.match(second.body, /rel="prev"/)
      assert.equal((await d.get('/dpo/requests?status=closed')).statusCode, 400, 'no such status')
    })
  })
}
