// T-5.2.2: correcting one's data over HTTP — a new e-mail verified by its link before it counts, bad input kept with
// localized messages and nothing changed, IIN and legal names by request to the DPO, shown with their status.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { createTestApp, type TestApp } from '../../../test/app'
import { pageDatabaseKinds } from '../../../test/database'
import type { NotificationTemplate } from '../notifications/index'
import { client, createPerson, type Person } from './test-fixtures'

const hidden = (body: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(body)?.[1] ?? ''

for (const kind of pageDatabaseKinds()) {
  describe(`correcting one's data [${kind}]`, () => {
    let t: TestApp
    let n = 0
    before(async () => {
      t = await createTestApp({ kind, env: { OQU_RATE_LIMIT: '100000', OQU_PUBLIC_URL: 'http://oqu.test' } })
    })
    after(async () => t?.close())

    const latest = async (to: string, template: NotificationTemplate) => {
      const ctx = { actor: null, requestId: 'test', ip: null, userAgent: null, locale: 'kk' as const }
      const message = await t.app.services.notifications.latestMessage(
        { ...ctx, now: t.clock.now(), db: t.database.db },
        { to, template },
      )
      return message?.text ?? ''
    }
    const userRow = async (id: string) =>
      (await sql<Record<string, unknown>>`select * from users where id = ${id}`.execute(t.database.db)).rows[0]!

    async function signedIn(
      locale: 'kk' | 'ru' = 'kk',
    ): Promise<{ person: Person; browser: ReturnType<typeof client> }> {
      n++
      const person = await createPerson(
        t,
        ['learner'],
        `+7701${String(7000000 + n * 131 + (kind === 'postgres' ? 1 : 0))}`,
      )
      const browser = client(t, { locale })
      assert.equal((await browser.signIn(person.email, person.password)).statusCode, 303)
      return { person, browser }
    }

    it('shows a Talap person the new e-mail and phone fields, and the request form for IIN and legal names', async () => {
      const { browser } = await signedIn('kk')
      const page = await browser.get('/account/edit')
      assert.equal(page.statusCode, 200)
      assert.match(page.body, /<label class="field-label" for="email">Жаңа электрондық пошта<\/label>/)
      assert.match(page.body, /<label class="field-label" for="phone">Жаңа ұялы телефон нөмірі<\/label>/)
      assert.match(page.body, /Қазіргі: [^<]*•/, 'the current address, masked')
      const options = [...page.body.matchAll(/<option value="([a-zA-Z]+)"/g)].map((m) => m[1])
      assert.deepEqual(options, ['surname', 'givenName', 'patronymic', 'iin'])
      assert.doesNotMatch(page.body, /id="userName"/, 'Talap does not ask for a user name')
      assert.match(page.body, /aria-current="page">Деректерді түзету</)
    })

    it('changes the e-mail address only when the link sent to the new one is used; the old one works until then', async () => {
      const { person, browser } = await signedIn('ru')
      await browser.get('/account/edit')
      const newEmail = `corrected.${n}.${kind}@mail.kz`
      const res = await browser.post('/account/edit', { email: newEmail, phone: '' })
      assert.equal(res.headers.location, '/account?done=email_pending')
      const profile = await browser.get('/account?done=email_pending')
      assert.match(profile.body, /Мы отправили ссылку на новый адрес/)
      assert.match(profile.body, /Ожидает подтверждения:/)
      assert.match(profile.body, /новый адрес co•••@mail\.kz \(до /)
      assert.equal((await client(t).signIn(newEmail, person.password)).statusCode, 401, 'not yet')
      assert.equal((await client(t).signIn(person.email, person.password)).statusCode, 303, 'the old one still')

      const link = /http:\/\/oqu\.test(\/account\/verify-email\?token=[A-Za-z0-9_-]{43})/.exec(
        await latest(newEmail, 'accounts.verify_email'),
      )![1]!
      const confirmer = client(t, { locale: 'ru' })
      const landing = await confirmer.get(link)
      const confirmed = await confirmer.post('/account/verify-email', { token: hidden(landing.body, 'token') })
      assert.equal(confirmed.statusCode, 200)
      assert.equal((await client(t).signIn(newEmail, person.password)).statusCode, 303)
      assert.equal((await client(t).signIn(person.email, person.password)).statusCode, 401)
      const after = await browser.get('/account')
      assert.doesNotMatch(after.body, /Ожидает подтверждения/)
      assert.match(after.body, /co•••@mail\.kz<\/span> <span class="badge badge-ok">/)
    })

    it('changes a verified phone number only with the code sent to the new one, entered on /account/verify', async () => {
      const { person, browser } = await signedIn('kk')
      await sql`update users set phone_verified_at = ${t.clock.now()} where id = ${person.id}`.execute(t.database.db)
      const before = await userRow(person.id)
      assert.doesNotMatch((await browser.get('/account/verify')).body, /action="\/account\/verify\/phone"/)
      await browser.get('/account/edit')
      const res = await browser.post('/account/edit', { phone: '8 (747) 555 12 34', email: '' })
      assert.equal(res.headers.location, '/account/verify?done=code_sent')
      assert.equal((await userRow(person.id)).phone_ciphertext, before.phone_ciphertext, 'the old number stays')
      const page = await browser.get('/account/verify?done=code_sent')
      assert.match(page.body, /action="\/account\/verify\/phone"/, 'the code form is offered for the new number')
      const code = /\b(\d{6})\b/.exec(await latest('+77475551234', 'accounts.verify_phone'))![1]!
      assert.equal(
        (await browser.post('/account/verify/phone', { code })).headers.location,
        '/account/verify?done=phone',
      )
      const after = await userRow(person.id)
      assert.notEqual(after.phone_ciphertext, before.phone_ciphertext)
      assert.equal(after.pending_phone_ciphertext, null)
      assert.match((await browser.get('/account')).body, /\+7 747 ••• •• 34/)
    })

    it('keeps what was typed and changes nothing on a foreign phone, a taken or malformed e-mail', async () => {
      const { person, browser } = await signedIn('ru')
      const other = await createPerson(t, ['learner'])
      const before = await userRow(person.id)
      await browser.get('/account/edit')
      const res = await browser.post('/account/edit', { email: other.email, phone: '+7 916 123 45 67' })
      assert.equal(res.statusCode, 400)
      assert.match(res.body, /Учётная запись с этим адресом уже есть/)
      assert.match(res.body, /Введите номер мобильного телефона в Казахстане/)
      assert.ok(res.body.includes(`value="${other.email}"`), 'the typed address is kept')
      assert.match(res.body, /value="\+7 916 123 45 67"/)
      assert.match(res.body, /aria-invalid="true"/)
      const bad = await browser.post('/account/edit', { email: 'not-an-address', phone: '' })
      assert.equal(bad.statusCode, 400)
      assert.deepEqual(await userRow(person.id), before)
      assert.equal(await latest(other.email, 'accounts.verify_email'), '', 'no message to the other person')
    })

    it('files a request for the IIN (malformed ones refused with the typed value kept) and shows its status', async () => {
      const { browser } = await signedIn('kk')
      await browser.get('/account/edit')
      const bad = await browser.post('/account/change-requests', {
        field: 'iin',
        value: '123456789012',
        reason: 'қате',
      })
      assert.equal(bad.statusCode, 400)
      assert.match(bad.body, /бақылау цифры сәйкес келмейді/)
      assert.match(bad.body, /value="123456789012"/)
      assert.match(bad.body, /<option value="iin" selected>/)
      assert.match(bad.body, />қате<\/textarea>/)
      const good = await browser.post('/account/change-requests', {
        field: 'iin',
        value: '950302300128',
        reason: 'Тіркелгенде қате жазылды',
      })
      assert.equal(good.headers.location, '/account?done=requested')
      const profile = await browser.get('/account?done=requested')
      assert.match(profile.body, /Түзету өтініштеріңіз/)
      assert.match(profile.body, /ЖСН: <span class="mono">••••••••0128<\/span> <span class="badge">Қаралуда<\/span>/)
      assert.doesNotMatch(profile.body, /950302300128/)
    })
  })
}
