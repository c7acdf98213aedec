// Issue 3 "Staff roles (support, dpo, admin) require TOTP second factor"; T-4.4, B-3.2: enrolment, sign-in with real
// RFC 6238 codes computed at the travelled test clock, replay refusal, recovery codes, lockout, the half-signed-in state.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { createTestApp, type TestApp } from '../../../test/app'
import { pageDatabaseKinds } from '../../../test/database'
import { SESSION_COOKIE } from './authentication'
import { base32Decode, hotp, totpStep } from './totp'
import { client, codeNow, completeSignIn, createPerson, secretOnPage, type Client, type Person } from './test-fixtures'

const SECOND = 1000
const MINUTE = 60 * SECOND

for (const kind of pageDatabaseKinds()) {
  describe(`second factor for staff [${kind}]`, () => {
    let t: TestApp

    before(async () => {
      t = await createTestApp({ kind, env: { OQU_RATE_LIMIT: '100000' } })
    })
    after(async () => t?.close())

    /** The code of the step `steps` away from now. */
    const codeAtStep = (secret: string, steps: number) => hotp(base32Decode(secret), totpStep(t.clock.now()) + steps)
    const auditActions = async (userId: string) =>
      (
        await sql<{ action: string }>`SELECT action FROM audit_log WHERE subject_id = ${userId} ORDER BY seq`.execute(
          t.database.db,
        )
      ).rows.map((r) => r.action)

    async function enrolled(role: 'admin' | 'dpo' | 'support' = 'admin'): Promise<{ person: Person; browser: Client }> {
      const person = await createPerson(t, [role])
      const browser = client(t)
      await completeSignIn(t, browser, person)
      await browser.post('/logout')
      t.clock.advance(30 * SECOND)
      return { person, browser }
    }

    it('sends a staff member without a factor to enrolment, shows the QR code and secret, and signs in with the first code', async () => {
      t.clock.set('2026-03-02T04:00:10Z')
      const person = await createPerson(t, ['admin'])
      const browser = client(t, { locale: 'ru' })
      const res = await browser.signIn(person.email, person.password, '/account/sessions')
      assert.equal(res.headers.location, '/login/second-factor?next=%2Faccount%2Fsessions')
      const halfToken = browser.cookies.get(SESSION_COOKIE)
      assert.ok(halfToken)
      // Half signed in: nothing but the second factor.
      assert.equal((await browser.get('/account')).headers.location, '/login/second-factor')
      assert.equal((await browser.get('/api/v1/account/sessions')).statusCode, 401)
      const redirect = await browser.get('/login/second-factor?next=%2Faccount%2Fsessions')
      assert.equal(redirect.headers.location, '/login/second-factor/enrol?next=%2Faccount%2Fsessions')

      const page = await browser.get('/login/second-factor/enrol?next=%2Faccount%2Fsessions')
      assert.equal(page.statusCode, 200)
      assert.match(page.body, /<html lang="ru"/)
      assert.match(
        page.body,
        /<div class="qr-image" role="img" aria-label="[^"]+"><svg xmlns="http:\/\/www.w3.org\/2000\/svg"/,
      )
      const secret = secretOnPage(page.body)
      assert.match(secret, /^[A-Z2-7]{32}$/)
      assert.ok(
        page.body.includes(`otpauth://totp/Oqu:${encodeURIComponent(person.email)}?secret=${secret}&amp;issuer=Oqu`),
        'the URI as text',
      )
      assert.ok(!page.body.includes('<script'), 'no script: the CSP forbids inline ones')
      // A reload shows the same secret (the authenticator may already hold it).
      assert.equal(secretOnPage((await browser.get('/login/second-factor/enrol')).body), secret)
      // The secret is stored only encrypted.
      const stored = await sql<{ secret_ciphertext: string }>`
        SELECT secret_ciphertext FROM totp_factors WHERE user_id = ${person.id}`.execute(t.database.db)
      assert.ok(!stored.rows[0]!.secret_ciphertext.includes(secret))

      const wrong = await browser.post('/login/second-factor/enrol', {
        code: codeAtStep(secret, 3),
        next: '/account/sessions',
      })
      assert.equal(wrong.statusCode, 401)
      assert.match(wrong.body, /Код неверный или уже использован/)
      assert.equal(secretOnPage(wrong.body), secret, 'the same secret, to try again')

      const done = await browser.post('/login/second-factor/enrol', {
        code: codeNow(t, secret),
        next: '/account/sessions',
      })
      assert.equal(done.statusCode, 200)
      const codes = [...done.body.matchAll(/<li class="mono">([a-z2-9]{5}-[a-z2-9]{5})<\/li>/g)].map((m) => m[1])
      assert.equal(codes.length, 10)
      assert.equal(new Set(codes).size, 10)
      assert.match(done.body, /href="\/account\/sessions"/)
      // The token changed with the privilege; the half-signed-in one is worth nothing now.
      const fullToken = browser.cookies.get(SESSION_COOKIE)
      assert.ok(fullToken && fullToken !== halfToken)
      assert.equal((await browser.get('/account/sessions')).statusCode, 200)
      assert.match(
        (await browser.get('/account')).body,
        /Двухэтапный вход включён\. Осталось 10 кодов восстановления\./,
      )
      const stale = await t.app.inject({
        method: 'GET',
        url: '/account',
        headers: { cookie: `${SESSION_COOKIE}=${halfToken}` },
      })
      assert.equal(stale.statusCode, 303)
      // Enrolment happens once.
      assert.equal((await browser.get('/login/second-factor/enrol')).headers.location, '/account')
      const hashes = await sql<{ code_hash: string }>`
        SELECT code_hash FROM recovery_codes WHERE user_id = ${person.id}`.execute(t.database.db)
      assert.equal(hashes.rows.length, 10)
      for (const row of hashes.rows)
        for (const code of codes) assert.ok(!row.code_hash.includes(code!.replace('-', '')))
      assert.deepEqual(
        (await auditActions(person.id)).filter((a) => a.startsWith('second_factor') || a.startsWith('session.')),
        [
          'session.created',
          'second_factor.enrolment_started',
          'second_factor.failed',
          'second_factor.enrolled',
          'second_factor.recovery_codes_issued',
          'session.second_factor_passed',
        ],
      )
    })

    it('accepts the previous, current and next step, refuses older and newer ones and a step used twice', async () => {
      t.clock.set('2026-03-02T05:00:05Z')
      const { person, browser } = await enrolled('dpo')
      const secret = person.totpSecret!
      await browser.signIn(person.email, person.password)
      // The enrolment's step is now the previous one: using it again is a replay.
      const replay = await browser.post('/login/second-factor', { code: codeAtStep(secret, -1) })
      assert.equal(replay.statusCode, 401)
      assert.equal((await browser.post('/login/second-factor', { code: codeAtStep(secret, -2) })).statusCode, 401)
      assert.equal((await browser.post('/login/second-factor', { code: codeAtStep(secret, 2) })).statusCode, 401)
      const ok = await browser.post('/login/second-factor', { code: codeAtStep(secret, 0) })
      assert.equal(ok.statusCode, 303)
      assert.equal(ok.headers.location, '/account')
      await browser.post('/logout')
      // Same moment, same code: refused; the next step's code (clock drift) still works once.
      await browser.signIn(person.email, person.password)
      assert.equal((await browser.post('/login/second-factor', { code: codeAtStep(secret, 0) })).statusCode, 401)
      assert.equal((await browser.post('/login/second-factor', { code: codeAtStep(secret, 1) })).statusCode, 303)
      assert.equal((await browser.get('/account')).statusCode, 200)
    })

    it('lets each recovery code in once', async () => {
      t.clock.set('2026-03-02T06:00:00Z')
      const { person, browser } = await enrolled('support')
      const [first, second] = person.recoveryCodes!
      await browser.signIn(person.email, person.password)
      assert.equal((await browser.post('/login/second-factor', { code: first!.toUpperCase() })).statusCode, 303)
      await browser.post('/logout')
      await browser.signIn(person.email, person.password)
      assert.equal((await browser.post('/login/second-factor', { code: first! })).statusCode, 401, 'used already')
      assert.equal((await browser.post('/login/second-factor', { code: 'abcde-fghjk' })).statusCode, 401)
      assert.equal(
        (await browser.post('/login/second-factor', { code: ` ${second!.replace('-', ' ')} ` })).statusCode,
        303,
      )
      assert.match((await browser.get('/account')).body, /Екі қадамды кіру қосулы\. 8 қалпына келтіру коды қалды\./)
    })

    it('counts wrong codes towards the sign-in lockout: locked, even for the right code and the password', async () => {
      t.clock.set('2026-03-02T07:00:00Z')
      const { person, browser } = await enrolled('admin')
      const secret = person.totpSecret!
      await browser.signIn(person.email, person.password)
      for (let i = 0; i < 4; i++)
        assert.equal((await browser.post('/login/second-factor', { code: codeAtStep(secret, 5) })).statusCode, 401)
      const locked = await browser.post('/login/second-factor', { code: codeAtStep(secret, 5) })
      assert.equal(locked.statusCode, 429)
      assert.match(locked.body, /15/)
      assert.equal((await browser.post('/login/second-factor', { code: codeNow(t, secret) })).statusCode, 429)
      const other = client(t, { ip: '198.51.100.99' })
      assert.equal((await other.signIn(person.email, person.password)).statusCode, 429, 'the password too')
      t.clock.advance(16 * MINUTE)
      const later = client(t)
      await later.signIn(person.email, person.password)
      assert.equal((await later.post('/login/second-factor', { code: codeNow(t, secret) })).statusCode, 303)
    })

    it('ends a half-signed-in session after a quarter of an hour', async () => {
      t.clock.set('2026-03-02T08:00:00Z')
      const { person, browser } = await enrolled('admin')
      await browser.signIn(person.email, person.password)
      t.clock.advance(15 * MINUTE)
      assert.equal((await browser.get('/login/second-factor')).headers.location, '/login')
      assert.equal(browser.cookies.get(SESSION_COOKIE), undefined)
    })

    it('lets a half-signed-in person cancel by signing out', async () => {
      t.clock.set('2026-03-02T09:00:00Z')
      const { person, browser } = await enrolled('admin')
      await browser.signIn(person.email, person.password)
      assert.equal((await browser.get('/logout')).statusCode, 200)
      assert.equal((await browser.post('/logout')).headers.location, '/')
      assert.equal(browser.cookies.get(SESSION_COOKIE), undefined)
      assert.equal(
        (await browser.post('/login/second-factor', { code: codeNow(t, person.totpSecret!) })).headers.location,
        '/login',
      )
    })

    it('asks learners, guardians and instructors for no second factor', async () => {
      for (const role of ['learner', 'guardian', 'instructor'] as const) {
        const person = await createPerson(t, [role])
        const browser = client(t)
        assert.equal((await browser.signIn(person.email, person.password)).headers.location, '/account')
        assert.equal((await browser.get('/login/second-factor')).headers.location, '/account')
        assert.doesNotMatch((await browser.get('/account')).body, /Екі қадамды кіру/)
      }
    })
  })
}
