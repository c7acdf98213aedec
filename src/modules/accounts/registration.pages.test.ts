// T-1.2, T-3.2, T-5.2.1, law Art. 8(4): registration, verification and password reset over HTTP, as the app serves them.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { createTestApp, type TestApp } from '../../../test/app'
import { pageDatabaseKinds } from '../../../test/database'
import type { NotificationTemplate } from '../notifications/index'
import { SESSION_COOKIE } from './authentication'
import { client, iinFor, PASSWORD, type Client } from './test-fixtures'

const hidden = (body: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(body)?.[1] ?? ''

for (const kind of pageDatabaseKinds()) {
  describe(`registration pages [${kind}]`, () => {
    let t: TestApp
    let n = 0
    before(async () => {
      t = await createTestApp({ kind, env: { OQU_RATE_LIMIT: '100000', OQU_PUBLIC_URL: 'http://oqu.test' } })
    })
    after(async () => t?.close())

    const latest = async (to: string, template: NotificationTemplate) => {
      const ctx = {
        actor: null,
        requestId: 'test',
        ip: null,
        userAgent: null,
        locale: 'kk' as const,
        now: t.clock.now(),
        db: t.database.db,
      }
      const message = await t.app.services.notifications.latestMessage(ctx, { to, template })
      return message?.text ?? ''
    }

    async function register(browser: Client, over: Record<string, string> = {}) {
      n++
      const page = await browser.get('/register')
      const fields = {
        surname: 'Сейітқали',
        givenName: 'Әйгерім',
        phone: `8 707 ${String(1000000 + n * 3571).slice(-7)}`,
        email: `aigerim.${n}.${kind}@mail.kz`,
        iin: iinFor(100 + n),
        password: PASSWORD,
        acceptPolicy: 'yes',
        policyVersionId: hidden(page.body, 'policyVersionId'),
        policyLocale: hidden(page.body, 'policyLocale'),
        policySha256: hidden(page.body, 'policySha256'),
        ...over,
      }
      return { res: await browser.post('/register', fields), fields }
    }

    it('asks for exactly the Talap fields, with the policy shown before the account exists', async () => {
      const page = await client(t, { locale: 'kk' }).get('/register')
      assert.equal(page.statusCode, 200)
      const names = [...page.body.matchAll(/<input class="input" id="([a-zA-Z]+)"/g)].map((m) => m[1])
      assert.deepEqual(names, ['surname', 'givenName', 'patronymic', 'phone', 'email', 'iin', 'password'])
      assert.match(page.body, /<label class="field-label" for="iin">ЖСН<\/label>/)
      assert.match(page.body, /<label class="field-label" for="patronymic">Әкесінің аты \(міндетті емес\)<\/label>/)
      assert.match(page.body, /class="policy-text" tabindex="0" role="region"/)
      assert.match(hidden(page.body, 'policySha256'), /^[0-9a-f]{64}$/)
      assert.equal(hidden(page.body, 'policyLocale'), 'kk')
      assert.match(page.body, /<input type="checkbox" id="acceptPolicy" name="acceptPolicy" value="yes" required>/)
    })

    it('shows every problem next to its field and in a summary, keeps what was typed but the password', async () => {
      const browser = client(t, { locale: 'ru' })
      const { res } = await register(browser, {
        iin: '900515301235',
        phone: '+7 916 123 45 67',
        acceptPolicy: '',
        password: 'short',
      })
      assert.equal(res.statusCode, 400)
      assert.match(res.body, /role="alert"/)
      assert.match(res.body, /<a href="#iin">ИИН: В ИИН опечатка/)
      assert.match(res.body, /id="phone-error"[^>]*>.*Номера других стран/)
      assert.match(res.body, /aria-describedby="phone-hint phone-error" aria-invalid="true"/)
      assert.match(res.body, /id="acceptPolicy-error"/)
      assert.match(res.body, /value="900515301235"/)
      assert.ok(!res.body.includes('value="short"'))
      assert.equal(browser.cookies.get(SESSION_COOKIE), undefined)
    })

    it('refuses a policy hash that is not the text shown, and shows the policy again', async () => {
      const { res } = await register(client(t, { locale: 'en' }), { policySha256: 'f'.repeat(64) })
      assert.equal(res.statusCode, 409)
      assert.match(res.body, /Please read the policy again/)
    })

    it('registers, signs in, records the acceptance, and verifies the phone by code and the e-mail by link', async () => {
      const browser = client(t, { locale: 'kk' })
      const { res, fields } = await register(browser)
      assert.equal(res.statusCode, 303)
      assert.equal(res.headers.location, '/account/verify?done=registered')
      assert.ok(browser.cookies.get(SESSION_COOKIE))
      const verify = await browser.get('/account/verify?done=registered')
      assert.match(verify.body, /Тіркелгі ашылды/)
      const consents = await sql<{
        n: string
      }>`select count(*) as n from consent_records where channel = 'web_registration' and locale = 'kk' and text_sha256 = ${fields.policySha256}`.execute(
        t.database.db,
      )
      assert.ok(Number(consents.rows[0]?.n) >= 1)

      const e164 = `+7${fields.phone.replace(/\D/g, '').slice(1)}`
      const code = /\b(\d{6})\b/.exec(await latest(e164, 'accounts.verify_phone'))![1]!
      const wrong = await browser.post('/account/verify/phone', { code: code === '000000' ? '111111' : '000000' })
      assert.equal(wrong.statusCode, 400)
      assert.match(wrong.body, /Код қате\. 4 әрекет қалды/)
      assert.equal(
        (await browser.post('/account/verify/phone', { code })).headers.location,
        '/account/verify?done=phone',
      )

      const link = /http:\/\/oqu\.test(\/account\/verify-email\?token=[A-Za-z0-9_-]{43})/.exec(
        await latest(fields.email, 'accounts.verify_email'),
      )![1]!
      const landing = await client(t, { locale: 'ru' }).get(link)
      assert.equal(landing.statusCode, 200, 'opening the link changes nothing yet')
      const confirmer = client(t, { locale: 'ru' })
      await confirmer.get(link)
      const confirmed = await confirmer.post('/account/verify-email', { token: hidden(landing.body, 'token') })
      assert.match(confirmed.body, /Адрес электронной почты подтверждён/)
      const again = await confirmer.post('/account/verify-email', { token: hidden(landing.body, 'token') })
      assert.equal(again.statusCode, 400)
      const profile = await browser.get('/account')
      assert.match(profile.body, /••••••••\d{4}/, 'the IIN is shown masked')
      assert.ok(!profile.body.includes(fields.iin))
      assert.doesNotMatch(profile.body, /Расталмаған/, 'both contacts are confirmed')
    })

    it('refuses a second account with the same e-mail, phone or IIN, next to each field', async () => {
      const first = await register(client(t))
      const { res } = await register(client(t, { locale: 'en' }), {
        email: first.fields.email,
        phone: first.fields.phone,
        iin: first.fields.iin,
      })
      assert.equal(res.statusCode, 400)
      assert.match(res.body, /id="email-error"[^>]*>.*An account with this e-mail address already exists/)
      assert.match(res.body, /id="phone-error"[^>]*>.*An account with this phone number already exists/)
      assert.match(res.body, /id="iin-error"[^>]*>.*This IIN cannot be used for a new account/)
    })

    it('resets a password by e-mail link, answering the same for unknown addresses', async () => {
      const { fields } = await register(client(t))
      const browser = client(t, { locale: 'en', ip: '198.51.100.77' })
      await browser.get('/password/forgot')
      const unknown = await browser.post('/password/forgot', { email: `nobody.${n}@mail.kz` })
      const known = await browser.post('/password/forgot', { email: fields.email })
      assert.equal(unknown.statusCode, 200)
      const text = (body: string) => body.replace(/name="_csrf" value="[^"]*"/, '')
      assert.equal(text(unknown.body), text(known.body), 'the same page either way')
      const link = /http:\/\/oqu\.test(\/password\/reset\?token=[A-Za-z0-9_-]{43})/.exec(
        await latest(fields.email, 'accounts.password_reset'),
      )![1]!
      const form = await browser.get(link)
      assert.equal(form.statusCode, 200)
      const weak = await browser.post('/password/reset', { token: hidden(form.body, 'token'), password: 'short' })
      assert.equal(weak.statusCode, 400)
      assert.match(weak.body, /at least 12 characters/)
      const done = await browser.post('/password/reset', {
        token: hidden(form.body, 'token'),
        password: 'a brand new passphrase',
      })
      assert.equal(done.headers.location, '/login?done=password_reset')
      assert.match((await browser.get('/login?done=password_reset')).body, /Your password has been changed/)
      assert.equal((await client(t).signIn(fields.email, 'a brand new passphrase')).statusCode, 303)
      assert.equal(
        (await browser.post('/password/reset', { token: hidden(form.body, 'token'), password: 'another passphrase!' }))
          .statusCode,
        400,
      )
    })
  })
}
