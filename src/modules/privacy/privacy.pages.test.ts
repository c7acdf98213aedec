// The privacy pages over HTTP: the DPO's desk (role dpo only) drafts, previews the diff and publishes under the
// notice rule with a clear refusal (T-6.4); /policy and /policy/versions/<n> in each language; the banner on
// every page of a person who has not accepted, acceptance by use (Talap) or by "Accept" (BTS); the privacy
// centre: purposes on/off with receipts, withdrawal by password with a signed receipt, complaints to the DPO.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createTestApp, type TestApp } from '../../../test/app'
import { pageDatabaseKinds } from '../../../test/database'
import { almatyTime } from './calendar'
import { createDpo, createUser, nextTexts, pageClient, userCtx, type LifecycleApp } from './test-fixtures'

const kinds = pageDatabaseKinds()

for (const kind of kinds) {
  describe(`privacy pages, Talap [${kind}]`, () => {
    let t: TestApp & LifecycleApp
    before(async () => {
      t = (await createTestApp({ kind, env: { OQU_PROFILE: 'talap' } })) as TestApp & LifecycleApp
      t.clock.set(almatyTime('2026-05-04', '23:30'))
    })
    after(() => t.close())

    it('opens the DPO desk to the dpo role only', async () => {
      const anonymous = await pageClient(t.app).get('/dpo')
      assert.equal(anonymous.statusCode, 303)
      assert.match(String(anonymous.headers.location), /^\/login\?next=%2Fdpo/)
      const learner = await createUser(t, 'kk')
      const c = pageClient(t.app)
      await c.signIn(learner.email)
      assert.equal((await c.get('/dpo')).statusCode, 404)
      const dpo = await createDpo(t)
      const d = pageClient(t.app, 'en')
      await d.signIn(dpo.email)
      const desk = await d.get('/dpo')
      assert.equal(desk.statusCode, 200)
      assert.match(desk.body, /<h1>Privacy desk<\/h1>/)
      assert.match(desk.body, /name="kk"/)
      // Drafts are Markdown and never pass raw HTML (the markdown module escapes it).
      const texts = await nextTexts(t, 'talap')
      await d.post('/dpo/draft', { ...texts, en: `${texts.en}\n<script>alert(1)</script>\n` })
      const page = await d.get('/dpo')
      assert.ok(!page.body.includes('<script>alert(1)'))
      assert.ok(page.body.includes('&lt;script&gt;alert(1)&lt;/script&gt;'))
    })

    it('saves a draft, shows its diff, refuses day 9 with the earliest date and publishes day 10', async () => {
      const dpo = await createDpo(t)
      const d = pageClient(t.app, 'ru')
      await d.signIn(dpo.email)
      await d.get('/dpo')
      const saved = await d.post('/dpo/draft', await nextTexts(t, 'talap'))
      assert.equal(saved.statusCode, 303)
      const desk = await d.get('/dpo?saved=1')
      assert.match(desk.body, /Черновик сохранён/)
      assert.match(desk.body, /<ins>NEW PARAGRAPH \(ru\)/)
      assert.match(desk.body, /class="diff-label">добавлено</, 'a word, not colour alone')
      const versionId = /name="versionId" value="([^"]+)"/.exec(desk.body)?.[1]
      assert.ok(versionId)
      const refused = await d.post('/dpo/publish', { versionId, effectiveDate: '2026-05-13' })
      assert.equal(refused.statusCode, 409)
      assert.match(refused.body, /не менее чем за 10 дней.*2026-05-14 или позже/)
      assert.match(refused.body, /value="2026-05-13"/, 'the date typed is kept')
      const ok = await d.post('/dpo/publish', { versionId, effectiveDate: '2026-05-14' })
      assert.equal(ok.statusCode, 303)
      assert.equal(ok.headers.location, '/dpo?published=2')
      const after = await d.get('/dpo?published=2')
      assert.match(after.body, /Редакция 2 опубликована/)
    })

    it('serves /policy and /policy/versions/<n> in kk, ru and en with the diff to the previous version', async () => {
      for (const [locale, word] of [
        ['kk', 'Құпиялылық саясаты'],
        ['ru', 'Политика конфиденциальности'],
        ['en', 'Privacy policy'],
      ] as const) {
        const c = pageClient(t.app, locale)
        const current = await c.get('/policy')
        assert.equal(current.statusCode, 200)
        assert.ok(current.body.includes(word), locale)
        assert.ok(current.body.includes('+7 (7172) 64 86 86'), 'the operator and DPO contacts (T-6.3)')
        assert.ok(current.body.includes('info@talap.edu.kz'))
        assert.ok(current.body.includes('href="/policy/versions/2#changes"'), 'the coming version is announced')
        const v2 = await c.get('/policy/versions/2')
        assert.equal(v2.statusCode, 200)
        assert.ok(v2.body.includes(`<ins>NEW PARAGRAPH (${locale})`), locale)
        assert.equal((await c.get('/policy/versions/1')).statusCode, 200)
      }
      assert.equal((await pageClient(t.app).get('/policy/versions/3')).statusCode, 404, 'no draft at a public URL')
    })

    it('shows the banner on every page until the effective date, then records acceptance by use (T-1.2)', async () => {
      t.clock.set(almatyTime('2026-05-10', '12:00'))
      const person = await createUser(t, 'en')
      const c = pageClient(t.app, 'en')
      await c.signIn(person.email)
      for (const path of ['/', '/courses', '/account', '/privacy']) {
        const page = await c.get(path)
        assert.match(page.body, /class="policy-banner"/, path)
        assert.match(page.body, /href="\/policy\/versions\/2#changes"/, path)
      }
      t.clock.set(almatyTime('2026-05-14', '00:05'))
      const page = await c.get('/')
      assert.doesNotMatch(page.body, /class="policy-banner"/)
      const history = await c.get('/privacy/consents')
      assert.match(history.body, /by continuing to use the Service/)
    })
  })

  describe(`privacy pages, BTS [${kind}]`, () => {
    let t: TestApp & LifecycleApp
    before(async () => {
      t = (await createTestApp({ kind, env: { OQU_PROFILE: 'bts-education' } })) as TestApp & LifecycleApp
      t.clock.set(almatyTime('2026-06-01', '10:00'))
    })
    after(() => t.close())

    it('lets a person accept a new version from the banner', async () => {
      const person = await createUser(t, 'kk')
      const dpo = await createDpo(t)
      const d = pageClient(t.app, 'kk')
      await d.signIn(dpo.email)
      await d.get('/dpo')
      await d.post('/dpo/draft', await nextTexts(t, 'bts-education'))
      const desk = await d.get('/dpo')
      const versionId = /name="versionId" value="([^"]+)"/.exec(desk.body)?.[1]
      assert.equal(
        (await d.post('/dpo/publish', { versionId: versionId!, effectiveDate: '2026-06-01' })).statusCode,
        303,
      )

      const c = pageClient(t.app, 'kk')
      await c.signIn(person.email)
      const home = await c.get('/')
      assert.match(home.body, /action="\/policy\/accept"/)
      const accepted = await c.post('/policy/accept', { version: '2' })
      assert.equal(accepted.statusCode, 303)
      assert.equal(accepted.headers.location, '/policy/versions/2?accepted=1')
      const page = await c.get('/policy/versions/2?accepted=1')
      assert.match(page.body, /2-редакцияны қабылдағаныңыз жазылды/)
      assert.doesNotMatch(page.body, /class="policy-banner"/)
    })

    it('turns marketing off with a receipt, shows what is held, withdraws with the password and files a complaint', async () => {
      const person = await createUser(t, 'ru')
      const c = pageClient(t.app, 'ru')
      assert.equal((await c.get('/privacy')).statusCode, 303, 'anonymous: sign in first')
      await c.signIn(person.email)
      await c.post('/policy/accept', { version: '2' }).catch(() => undefined)
      const centre = await c.get('/privacy')
      assert.equal(centre.statusCode, 200)
      assert.match(centre.body, /Что мы о вас храним/)
      assert.match(centre.body, /\*\*\*|•/, 'values masked')
      assert.ok(!centre.body.includes(person.email), 'the address is masked')
      assert.ok((await c.get('/privacy?reveal=1')).body.includes(person.email), 'revealed on request')
      const off = await c.post('/privacy/purposes', { purpose: 'marketing', on: '0' })
      assert.equal(off.statusCode, 303)
      assert.equal(await t.app.services.privacy.purposes.allows(t.database.db, person.id, 'marketing'), false)
      const history = await c.get('/privacy/consents')
      assert.match(history.body, /Отзыв согласия на цель обработки — Информирование о новых курсах/)
      const receiptLink = /href="(\/privacy\/consents\/[^"]+\/receipt)"/.exec(history.body)?.[1]
      assert.equal((await c.get(receiptLink!)).statusCode, 200)

      await c.get('/privacy')
      const wrong = await c.post('/privacy/withdraw', { password: 'not my password at all', effect: 'end_agreement' })
      assert.equal(wrong.statusCode, 403)
      assert.match(wrong.body, /Неверный пароль/)
      const done = await c.post('/privacy/withdraw', { password: 'correct horse battery', effect: 'end_agreement' })
      assert.equal(done.statusCode, 303)
      const receipt = await c.get(String(done.headers.location))
      assert.equal(receipt.statusCode, 200)
      assert.match(receipt.body, /Отзыв согласия на обработку/)
      assert.match(receipt.body, /hmac-sha256:[0-9a-f]{64}/)

      await c.get('/privacy')
      const short = await c.post('/privacy/complaints', { text: 'short' })
      assert.equal(short.statusCode, 400)
      assert.match(short.body, />short<\/textarea>/, 'the text typed is kept')
      const filed = await c.post('/privacy/complaints', { text: 'My data were shown to another learner.' })
      assert.equal(filed.statusCode, 303)
      assert.match((await c.get('/privacy')).body, /Ваши жалобы.*открыта/s, 'the person follows their complaint')
      const dpo = await createDpo(t)
      const d = pageClient(t.app, 'ru')
      await d.signIn(dpo.email)
      assert.match((await d.get('/dpo')).body, /My data were shown to another learner\./)
    })

    it('pages the consent history by 50, newest first', async () => {
      const person = await createUser(t, 'en')
      const { purposes } = t.app.services.privacy
      for (let i = 0; i < 54; i++) {
        t.clock.advance(1000)
        await purposes.set(userCtx(t, person.id, 'en'), {
          subjectId: person.id,
          purpose: 'contests',
          on: i % 2 === 0,
          locale: 'en',
        })
      }
      const c = pageClient(t.app, 'en')
      await c.signIn(person.email)
      const first = await c.get('/privacy/consents')
      assert.match(first.body, /Page 1 of 2/)
      assert.match(first.body, /rel="next" href="\/privacy\/consents\?page=2"/)
      assert.equal((first.body.match(/<tr><td class="mono">/g) ?? []).length, 50)
      const second = await c.get('/privacy/consents?page=2')
      assert.equal((second.body.match(/<tr><td class="mono">/g) ?? []).length, 5)
      assert.match(second.body, /Acceptance of the privacy policy|privacy policy/i, 'the oldest decision is last')
    })
  })
}
