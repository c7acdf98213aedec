/**
 * Journey: a learner signs in (after a mistyped password), sees their
 * account and sessions (B-2.2 login history), ends the session of another
 * device, and signs out — in Kazakh on a phone and in Russian on a desktop
 * (JOURNEY_DEVICE). No CSP refusals or script errors, no axe-core violations, and
 * screenshots of every page for review.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import type { Locale } from '../src/platform/context'
import { createPerson, type Person } from '../src/modules/accounts/test-fixtures'
import {
  VIEWPORTS,
  browserSkipReason,
  journeyPages,
  journeys,
  launchChromium,
  signInThroughForm,
  startTestServer,
  type TestServer,
} from '../test/browser'

const ANDROID_UA =
  'Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36'

interface Texts {
  signIn: string
  identifier: string
  password: string
  submit: string
  failed: RegExp
  account: string
  sessions: string
  sessionsNav: string
  thisDevice: string
  endSession: string
  ended: RegExp
  signOut: string
}

const TEXTS: Partial<Record<Locale, Texts>> = {
  kk: {
    signIn: 'Кіру',
    identifier: 'Электрондық пошта немесе телефон нөмірі',
    password: 'Құпиясөз',
    submit: 'Кіру',
    failed: /Электрондық пошта, телефон нөмірі немесе құпиясөз қате/,
    account: 'Сіздің тіркелгіңіз',
    sessions: 'Сіздің сеанстарыңыз',
    sessionsNav: 'Сеанстар',
    thisDevice: 'Осы құрылғы',
    endSession: 'Сеансты аяқтау',
    ended: /Сеанс аяқталды/,
    signOut: 'Шығу',
  },
  ru: {
    signIn: 'Вход',
    identifier: 'Электронная почта или номер телефона',
    password: 'Пароль',
    submit: 'Войти',
    failed: /Неверный адрес электронной почты или номер телефона либо пароль/,
    account: 'Ваша учётная запись',
    sessions: 'Ваши сеансы',
    sessionsNav: 'Сеансы',
    thisDevice: 'Это устройство',
    endSession: 'Завершить сеанс',
    ended: /Сеанс завершён/,
    signOut: 'Выйти',
  },
}

describe('sign-in, sessions and sign-out in Chromium', { skip: browserSkipReason() }, () => {
  let server: TestServer
  let browser: Browser
  // The mistyped password is refused with 401 on purpose.
  const pages = journeyPages(() => browser, { allow: (status, path) => status === 401 && path === '/login' })

  /** The sign-in form by its labels in `t`'s language; the password may be mistyped on purpose. */
  async function signIn(page: Page, t: Texts, person: Person, password = person.password) {
    await page.getByLabel(t.identifier).fill(person.email)
    await page.getByLabel(t.password, { exact: true }).fill(password)
    await page.getByRole('button', { name: t.submit, exact: true }).click()
    await page.waitForLoadState()
  }

  before(async () => {
    server = await startTestServer()
    browser = await launchChromium()
  })

  after(async () => {
    await pages.close()
    await browser?.close()
    await server?.close()
  })

  for (const [locale, device, viewport, t] of journeys(TEXTS)) {
    it(`${locale} on a ${device}: sign in, see and end sessions, sign out`, async () => {
      const person = await createPerson(server, ['learner'], undefined)
      const failures: string[] = []
      // Another device of the same person, to be ended from the sessions page.
      const other = await pages.open({ viewport: VIEWPORTS.phone, acceptLanguage: locale, userAgent: ANDROID_UA })
      await signInThroughForm(other.page, server, person)
      assert.equal(new URL(other.page.url()).pathname, '/account')

      const { page, problems } = await pages.open({ viewport, acceptLanguage: locale })
      await page.goto(`${server.baseUrl}/account/sessions`)
      assert.equal(new URL(page.url()).pathname, '/login', 'an anonymous visitor is sent to sign in')
      assert.equal(new URL(page.url()).searchParams.get('next'), '/account/sessions')
      assert.equal((await page.locator('h1').innerText()).trim(), t.signIn)
      await pages.check(page, `accounts-login-${locale}-${device}`, failures)

      await signIn(page, t, person, 'not the password')
      assert.match(await page.getByRole('alert').innerText(), t.failed)
      assert.equal(await page.getByLabel(t.identifier).inputValue(), person.email, 'what was typed is kept')
      assert.equal(await page.getByLabel(t.password, { exact: true }).inputValue(), '', 'the password is not')
      await pages.check(page, `accounts-login-error-${locale}-${device}`, failures)

      await page.getByLabel(t.password, { exact: true }).fill(person.password)
      await page.getByRole('button', { name: t.submit, exact: true }).click()
      await page.waitForLoadState()
      assert.equal(new URL(page.url()).pathname, '/account/sessions', 'back to the page asked for')
      assert.equal((await page.locator('h1').innerText()).trim(), t.sessions)
      assert.equal(await page.getByText(t.thisDevice, { exact: true }).count(), 1)
      await pages.check(page, `accounts-sessions-${locale}-${device}`, failures)

      await page.getByRole('button', { name: new RegExp(`^${t.endSession}: Chrome 126 · Android 14`) }).click()
      await page.waitForLoadState()
      assert.match(await page.getByRole('status').innerText(), t.ended)
      await other.page.reload()
      assert.equal(new URL(other.page.url()).pathname, '/login', 'the other device is signed out')

      await page.getByRole('link', { name: t.sessionsNav }).waitFor()
      await page.goto(`${server.baseUrl}/account`)
      assert.equal((await page.locator('h1').innerText()).trim(), t.account)
      assert.ok(!(await page.content()).includes(person.email), 'the address is shown masked')
      await pages.check(page, `accounts-profile-${locale}-${device}`, failures)

      await page.getByRole('navigation', { name: /./ }).getByRole('button', { name: t.signOut }).click()
      await page.waitForLoadState()
      assert.equal(new URL(page.url()).pathname, '/')
      await page.goto(`${server.baseUrl}/account`)
      assert.equal(new URL(page.url()).pathname, '/login', 'signed out')
      assert.deepEqual(problems, [])
      assert.equal(failures.length, 0, failures.join('\n'))
    })
  }
})
