/**
 * Journeys: a staff member (admin) sets up the TOTP second factor at first
 * sign-in (QR code, secret as text, a wrong code, then the right one, the
 * recovery codes) and signs in with a code later; a learner corrects their
 * e-mail address (a taken one refused with the input kept, then a new one
 * that counts only after its link is used) — in Kazakh on a phone and in
 * Russian on a desktop (JOURNEY_DEVICE). Codes are computed from the
 * server's test clock.
 * No CSP refusals or script errors, no axe-core violations, screenshots.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import type { Locale } from '../src/platform/context'
import { createPerson, type Person } from '../src/modules/accounts/test-fixtures'
import { base32Decode, totpAt } from '../src/modules/accounts/index'
import {
  browserSkipReason,
  journeyPages,
  journeys,
  launchChromium,
  signInThroughForm,
  startTestServer,
  type TestServer,
} from '../test/browser'

interface Texts {
  identifier: string
  password: string
  submit: string
  enrolTitle: string
  code: string
  finish: string
  wrongCode: RegExp
  recoveryTitle: string
  continue: string
  account: string
  codeTitle: string
  confirm: string
  signOut: string
  editNav: string
  editTitle: string
  newEmail: string
  save: string
  taken: RegExp
  pending: RegExp
  verifyTitle: string
  verifyButton: string
  verified: RegExp
}

const TEXTS: Partial<Record<Locale, Texts>> = {
  kk: {
    identifier: 'Электрондық пошта немесе телефон нөмірі',
    password: 'Құпиясөз',
    submit: 'Кіру',
    enrolTitle: 'Екі қадамды кіруді баптау',
    code: 'Код',
    finish: 'Баптауды аяқтау',
    wrongCode: /Код қате немесе бұрын қолданылған/,
    recoveryTitle: 'Қалпына келтіру кодтары',
    continue: 'Жалғастыру',
    account: 'Сіздің тіркелгіңіз',
    codeTitle: 'Екінші қадам: растау коды',
    confirm: 'Растау',
    signOut: 'Шығу',
    editNav: 'Деректерді түзету',
    editTitle: 'Деректерді түзету',
    newEmail: 'Жаңа электрондық пошта',
    save: 'Сақтау',
    taken: /Бұл электрондық пошта мекенжайымен тіркелгі бар/,
    pending: /Растауды күтуде/,
    verifyTitle: 'Электрондық поштаны растау',
    verifyButton: 'Растау',
    verified: /Электрондық пошта расталды/,
  },
  ru: {
    identifier: 'Электронная почта или номер телефона',
    password: 'Пароль',
    submit: 'Войти',
    enrolTitle: 'Настройка двухэтапного входа',
    code: 'Код',
    finish: 'Завершить настройку',
    wrongCode: /Код неверный или уже использован/,
    recoveryTitle: 'Коды восстановления',
    continue: 'Продолжить',
    account: 'Ваша учётная запись',
    codeTitle: 'Второй шаг: код подтверждения',
    confirm: 'Подтвердить',
    signOut: 'Выйти',
    editNav: 'Исправить данные',
    editTitle: 'Исправление данных',
    newEmail: 'Новый адрес электронной почты',
    save: 'Сохранить',
    taken: /Учётная запись с этим адресом уже есть/,
    pending: /Ожидает подтверждения/,
    verifyTitle: 'Подтверждение электронной почты',
    verifyButton: 'Подтвердить',
    verified: /Адрес электронной почты подтверждён/,
  },
}

describe('second factor and e-mail correction in Chromium', { skip: browserSkipReason() }, () => {
  let server: TestServer
  let browser: Browser
  // Refusals the journey provokes on purpose: a wrong code (401), a taken address (409 → 400 page).
  const pages = journeyPages(() => browser, {
    allow: (status, path) =>
      (status === 401 && path.startsWith('/login/second-factor')) || (status === 400 && path === '/account/edit'),
  })

  /**
   * The password step only, by the form's labels: the staff journey passes
   * the second factor itself (signInThroughForm would enrol it on its own).
   */
  async function enterPassword(page: Page, t: Texts, person: Person) {
    await page.goto(`${server.baseUrl}/login`)
    await page.getByLabel(t.identifier).fill(person.email)
    await page.getByLabel(t.password, { exact: true }).fill(person.password)
    await page.getByRole('button', { name: t.submit, exact: true }).click()
    await page.waitForLoadState()
  }

  const codeAt = (secret: string, offsetSteps = 0) =>
    totpAt(base32Decode(secret), new Date(server.clock.now().getTime() + offsetSteps * 30_000))

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
    it(`${locale} on a ${device}: a staff member enrols the second factor and signs in with a code`, async () => {
      const person = await createPerson(server, ['admin'])
      const failures: string[] = []
      const { page, problems } = await pages.open({ viewport, acceptLanguage: locale })
      await enterPassword(page, t, person)
      assert.equal(new URL(page.url()).pathname, '/login/second-factor/enrol')
      assert.equal((await page.locator('h1').innerText()).trim(), t.enrolTitle)
      assert.ok(await page.locator('.qr-image svg').isVisible(), 'the QR code is drawn')
      const secret = (await page.locator('#totp-secret').innerText()).replace(/\s/g, '')
      assert.match(secret, /^[A-Z2-7]{32}$/)
      await pages.check(page, `accounts-totp-enrol-${locale}-${device}`, failures)
      // Half signed in: the account page sends back here.
      await page.goto(`${server.baseUrl}/account`)
      assert.equal(new URL(page.url()).pathname, '/login/second-factor/enrol')

      await page.getByLabel(t.code, { exact: true }).fill(codeAt(secret, 4))
      await page.getByRole('button', { name: t.finish }).click()
      await page.waitForLoadState()
      assert.match(await page.getByRole('alert').innerText(), t.wrongCode)
      await pages.check(page, `accounts-totp-enrol-error-${locale}-${device}`, failures)
      await page.getByLabel(t.code, { exact: true }).fill(codeAt(secret))
      await page.getByRole('button', { name: t.finish }).click()
      await page.waitForLoadState()
      assert.equal((await page.locator('h1').innerText()).trim(), t.recoveryTitle)
      assert.equal(await page.locator('.recovery-codes li').count(), 10)
      await pages.check(page, `accounts-totp-recovery-${locale}-${device}`, failures)
      await page.getByRole('link', { name: t.continue }).click()
      await page.waitForLoadState()
      assert.equal((await page.locator('h1').innerText()).trim(), t.account)

      await page.getByRole('navigation', { name: /./ }).getByRole('button', { name: t.signOut }).click()
      await page.waitForLoadState()
      server.clock.advance(30_000) // the next step: a code works once
      await enterPassword(page, t, person)
      assert.equal(new URL(page.url()).pathname, '/login/second-factor')
      assert.equal((await page.locator('h1').innerText()).trim(), t.codeTitle)
      await pages.check(page, `accounts-totp-code-${locale}-${device}`, failures)
      await page.getByLabel(t.code, { exact: true }).fill(codeAt(secret))
      await page.getByRole('button', { name: t.confirm, exact: true }).click()
      await page.waitForLoadState()
      assert.equal(new URL(page.url()).pathname, '/account')
      assert.deepEqual(problems, [])
      assert.equal(failures.length, 0, failures.join('\n'))
    })

    it(`${locale} on a ${device}: a learner corrects the e-mail address, confirmed by its link`, async () => {
      const person = await createPerson(server, ['learner'])
      const taken = await createPerson(server, ['learner'])
      const failures: string[] = []
      const { page, problems } = await pages.open({ viewport, acceptLanguage: locale })
      await signInThroughForm(page, server, person)
      await page.getByRole('link', { name: t.editNav }).first().click()
      await page.waitForLoadState()
      assert.equal((await page.locator('h1').innerText()).trim(), t.editTitle)
      await pages.check(page, `accounts-edit-${locale}-${device}`, failures)

      await page.getByLabel(t.newEmail).fill(taken.email)
      await page.getByRole('button', { name: t.save }).click()
      await page.waitForLoadState()
      assert.match(await page.getByRole('alert').first().innerText(), t.taken)
      assert.equal(await page.getByLabel(t.newEmail).inputValue(), taken.email, 'what was typed is kept')
      await pages.check(page, `accounts-edit-error-${locale}-${device}`, failures)

      const newEmail = `corrected.${locale}.${device}.${person.id.slice(0, 8)}@mail.kz`
      await page.getByLabel(t.newEmail).fill(newEmail)
      await page.getByRole('button', { name: t.save }).click()
      await page.waitForLoadState()
      assert.equal(new URL(page.url()).pathname, '/account')
      assert.match(await page.locator('main').innerText(), t.pending)
      await pages.check(page, `accounts-edit-pending-${locale}-${device}`, failures)

      const message = await server.app.services.notifications.latestMessage(
        {
          actor: null,
          requestId: 'e2e',
          ip: null,
          userAgent: null,
          locale,
          now: server.clock.now(),
          db: server.database.db,
        },
        { to: newEmail, template: 'accounts.verify_email' },
      )
      const link = /(\/account\/verify-email\?token=[A-Za-z0-9_-]{43})/.exec(message?.text ?? '')![1]!
      await page.goto(`${server.baseUrl}${link}`)
      assert.equal((await page.locator('h1').innerText()).trim(), t.verifyTitle)
      await page.getByRole('button', { name: t.verifyButton, exact: true }).click()
      await page.waitForLoadState()
      assert.match(await page.locator('main').innerText(), t.verified)
      await page.goto(`${server.baseUrl}/account`)
      const main = await page.locator('main').innerText()
      assert.doesNotMatch(main, t.pending)
      assert.match(main, /co•••@mail\.kz/)
      await pages.check(page, `accounts-edit-done-${locale}-${device}`, failures)
      assert.deepEqual(problems, [])
      assert.equal(failures.length, 0, failures.join('\n'))
    })
  }
})
