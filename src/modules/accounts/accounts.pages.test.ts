// B-2.2, T-4.4: sign-in, sign-out and "your sessions" over HTTP, as the whole app serves them.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createTestApp, type TestApp } from '../../../test/app'
import { pageDatabaseKinds } from '../../../test/database'
import { SESSION_COOKIE } from './authentication'
import { client, createPerson, type Person } from './test-fixtures'

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE

for (const kind of pageDatabaseKinds()) {
  describe(`accounts pages [${kind}]`, () => {
    let t: TestApp
    let person: Person

    before(async () => {
      t = await createTestApp({ kind, env: { OQU_RATE_LIMIT: '100000' } })
      person = await createPerson(t, ['learner'], '+77011234567')
    })
    after(async () => t?.close())

    it('serves an accessible sign-in form with a CSRF token, in the chosen language', async () => {
      const browser = client(t, { locale: 'ru' })
      const res = await browser.get('/login')
      assert.equal(res.statusCode, 200)
      assert.match(res.headers['cache-control'] as string, /no-store/)
      assert.match(res.body, /<html lang="ru"/)
      assert.match(res.body, /<h1 id="sign-in-title">Вход<\/h1>/)
      assert.match(
        res.body,
        /<label class="field-label" for="identifier">Электронная почта или номер телефона<\/label>/,
      )
      assert.match(res.body, /<label class="field-label" for="password">Пароль<\/label>/)
      assert.match(res.body, /name="_csrf" value="[^"]+"/)
      assert.match(res.body, /autocomplete="current-password"/)
      assert.match(res.body, /aria-describedby="identifier-hint"/)
    })

    it('signs in: a fresh HttpOnly, SameSite=Lax session cookie, then the account page', async () => {
      const browser = client(t)
      await browser.get('/login')
      const anonymous = browser.cookies.get(SESSION_COOKIE)
      assert.equal(anonymous, undefined, 'no session before signing in')
      const res = await browser.signIn(person.email, person.password)
      assert.equal(res.statusCode, 303)
      assert.equal(res.headers.location, '/account')
      const cookie = String(res.headers['set-cookie'])
        .split(/,(?=\s*\w+=)/)
        .find((c) => c.includes(SESSION_COOKIE))!
      assert.match(cookie, /HttpOnly/)
      assert.match(cookie, /SameSite=Lax/)
      assert.match(cookie, /Path=\//)
      assert.match(cookie, /Max-Age=2592000/, '30 days, relative to when the browser receives it')
      assert.doesNotMatch(cookie, /Secure/, 'plain-http public URL')
      const page = await browser.get('/account')
      assert.equal(page.statusCode, 200)
      assert.match(page.body, /[a-z]{2}•••@example\.kz/)
      assert.ok(!page.body.includes(person.email), 'the address is shown masked')
      assert.match(page.body, /\+7 701 ••• •• 67/)
      assert.match(page.body, /Білім алушы/)
    })

    it('signs in with the phone number typed the Kazakh way', async () => {
      const browser = client(t)
      const res = await browser.signIn('8 701 123 45 67', person.password)
      assert.equal(res.statusCode, 303)
      assert.ok(browser.cookies.get(SESSION_COOKIE))
    })

    it('gives one localized message whatever failed, keeps what was typed but never the password', async () => {
      const browser = client(t, { locale: 'ru' })
      const wrong = await browser.signIn(person.email, 'wrong password!!')
      const unknown = await browser.signIn('nobody@example.kz', person.password)
      for (const res of [wrong, unknown]) {
        assert.equal(res.statusCode, 401)
        assert.match(res.body, /role="alert"/)
        assert.match(res.body, /Неверный адрес электронной почты или номер телефона либо пароль/)
        assert.match(res.body, /aria-describedby="identifier-hint sign-in-error" aria-invalid="true"/)
        assert.ok(!res.body.includes('wrong password!!') && !res.body.includes(person.password))
      }
      assert.match(wrong.body, new RegExp(`value="${person.email.replace('.', '\\.')}"`))
      assert.equal(browser.cookies.get(SESSION_COOKIE), undefined)
    })

    it('asks for what is missing, next to the field', async () => {
      const browser = client(t, { locale: 'en' })
      await browser.get('/login')
      const res = await browser.post('/login', { identifier: '  ', password: '' })
      assert.equal(res.statusCode, 400)
      assert.match(res.body, /id="identifier-error"[^>]*>.*Enter your e-mail address or phone number/)
      assert.match(res.body, /id="password-error"[^>]*>.*Enter your password/)
      assert.match(res.body, /aria-describedby="identifier-hint identifier-error" aria-invalid="true"/)
    })

    it('refuses a post without the CSRF token', async () => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/login',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ identifier: person.email, password: person.password }).toString(),
      })
      assert.equal(res.statusCode, 403)
    })

    it('goes back only to a local page after signing in', async () => {
      const cases: [string, string][] = [
        ['/account/sessions', '/account/sessions'],
        ['//evil.example/phish', '/account'],
        ['https://evil.example/', '/account'],
        ['/\\evil.example', '/account'],
        ['/login', '/account'],
        ['/logout', '/account'],
      ]
      for (const [next, expected] of cases) {
        const res = await client(t).signIn(person.email, person.password, next)
        assert.equal(res.headers.location, expected, next)
      }
    })

    it('sends a signed-in visitor of /login on, and an anonymous one of /account to sign in first', async () => {
      const browser = client(t)
      const anonymous = await browser.get('/account/sessions')
      assert.equal(anonymous.statusCode, 303)
      assert.equal(anonymous.headers.location, '/login?next=%2Faccount%2Fsessions')
      await browser.signIn(person.email, person.password)
      const again = await browser.get('/login?next=/account/sessions')
      assert.equal(again.headers.location, '/account/sessions')
    })

    it('rotates the session at sign-in: the old token stops working', async () => {
      const browser = client(t)
      await browser.signIn(person.email, person.password)
      const first = browser.cookies.get(SESSION_COOKIE)!
      await browser.signIn(person.email, person.password)
      const second = browser.cookies.get(SESSION_COOKIE)!
      assert.notEqual(first, second)
      const stale = await t.app.inject({ method: 'GET', url: '/account', cookies: { [SESSION_COOKIE]: first } })
      assert.equal(stale.statusCode, 303)
    })

    it('lists the sessions with browser, OS, masked IP and the current one marked; ends another', async () => {
      const phone = client(t, {
        ip: '198.51.100.23',
        userAgent:
          'Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
      })
      await phone.signIn(person.email, person.password)
      const laptop = client(t, { locale: 'en', ip: '203.0.113.99' })
      await laptop.signIn(person.email, person.password)
      const page = await laptop.get('/account/sessions')
      assert.equal(page.statusCode, 200)
      assert.match(page.body, /Chrome 126 · Android 14/)
      assert.match(page.body, /Firefox 128 · Linux/)
      assert.match(page.body, /198\.51\.•••\.•••/)
      assert.ok(!page.body.includes('198.51.100.23') && !page.body.includes('203.0.113.99'))
      assert.match(page.body, /This device/)
      const phoneSession =
        /action="\/account\/sessions\/([0-9a-f-]{36})\/revoke"><input [^>]*><button [^>]*aria-label="End session: Chrome 126 · Android 14/.exec(
          page.body,
        )
      assert.ok(phoneSession, 'the phone’s session has an End session button')
      const ended = await laptop.post(`/account/sessions/${phoneSession[1]}/revoke`)
      assert.equal(ended.statusCode, 303)
      assert.equal(ended.headers.location, '/account/sessions?done=revoked')
      assert.match(
        (await laptop.get('/account/sessions?done=revoked')).body,
        /role="status">The session has been ended/,
      )
      assert.equal((await phone.get('/account')).statusCode, 303, 'the phone is signed out')
    })

    it('signs out everywhere else, and signs out here with POST /logout', async () => {
      const a = client(t)
      const b = client(t)
      await a.signIn(person.email, person.password)
      await b.signIn(person.email, person.password)
      await a.get('/account/sessions')
      const res = await a.post('/account/sessions/revoke-others')
      assert.equal(res.headers.location, '/account/sessions?done=revoked_others')
      assert.equal((await b.get('/account')).statusCode, 303)
      assert.equal((await a.get('/account')).statusCode, 200)
      const confirm = await a.get('/logout')
      assert.equal(confirm.statusCode, 200, 'GET /logout only asks')
      const out = await a.post('/logout')
      assert.equal(out.statusCode, 303)
      assert.equal(out.headers.location, '/')
      assert.equal(a.cookies.get(SESSION_COOKIE), undefined)
      assert.equal((await a.get('/account')).statusCode, 303)
    })

    it('ends an unused session after 7 days, travelling in time', async () => {
      const browser = client(t)
      await browser.signIn(person.email, person.password)
      t.clock.advance(6 * DAY)
      assert.equal((await browser.get('/account')).statusCode, 200)
      t.clock.advance(7 * DAY + MINUTE)
      const res = await browser.get('/account')
      assert.equal(res.statusCode, 303)
      assert.equal(browser.cookies.get(SESSION_COOKIE), undefined, 'the dead cookie is cleared')
    })

    it('locks sign-in for 15 minutes after 5 failures, in the visitor’s language', async () => {
      const victim = await createPerson(t)
      const browser = client(t, { locale: 'ru', ip: '192.0.2.50' })
      for (let i = 0; i < 4; i++)
        assert.equal((await browser.signIn(victim.email, `wrong password ${i}`)).statusCode, 401)
      const locked = await browser.signIn(victim.email, 'wrong password 5')
      assert.equal(locked.statusCode, 429)
      assert.match(locked.body, /попробуйте снова через 15 минут/)
      assert.equal((await browser.signIn(victim.email, victim.password)).statusCode, 429)
      t.clock.advance(15 * MINUTE)
      assert.equal((await browser.signIn(victim.email, victim.password)).statusCode, 303)
    })

    it('answers the sessions API with JSON: 401 when anonymous, only one’s own sessions otherwise', async () => {
      const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/account/sessions' })
      assert.equal(anonymous.statusCode, 401)
      assert.equal(anonymous.json().error.code, 'unauthenticated')
      const browser = client(t)
      await browser.signIn(person.email, person.password)
      const res = await browser.get('/api/v1/account/sessions')
      assert.equal(res.statusCode, 200)
      const { sessions } = res.json() as { sessions: { current: boolean; maskedIp: string }[] }
      assert.equal(sessions.filter((s) => s.current).length, 1)
      assert.ok(sessions.every((s) => s.maskedIp.includes('•••')))
      assert.ok(!res.body.includes('ciphertext') && !res.body.includes('token'))
    })
  })
}

describe('accounts pages behind https', () => {
  it('marks the session cookie Secure when the public URL is https', async () => {
    const t = await createTestApp({ env: { OQU_PUBLIC_URL: 'https://oqu.example.kz', OQU_RATE_LIMIT: '100000' } })
    try {
      const person = await createPerson(t)
      const res = await client(t).signIn(person.email, person.password)
      const cookie = String(res.headers['set-cookie'])
      assert.match(cookie, new RegExp(`${SESSION_COOKIE}=[^;]+;.*Secure`))
    } finally {
      await t.close()
    }
  })
})
