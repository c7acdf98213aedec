/**
 * Journey: a new learner registers with the Talap profile's fields after
 * reading the privacy policy (one mistake first), confirms the phone with
 * the SMS code and the e-mail address with the link, signs out, resets the
 * password by e-mail and signs in with the new one — in Kazakh on a phone
 * and Russian on a desktop (JOURNEY_DEVICE), axe-core clean, with no console
 * errors, CSP refusals or failed requests, and screenshots of every step.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import type { Locale } from '../src/platform/context'
import type { NotificationTemplate } from '../src/modules/notifications/index'
import { iinFor } from '../src/modules/accounts/test-fixtures'
import {
  browserSkipReason,
  journeyPages,
  journeys,
  launchChromium,
  startTestServer,
  type TestServer,
} from '../test/browser'

interface Texts {
  surname: string
  givenName: string
  phone: string
  email: string
  iin: string
  password: string
  accept: string
  create: string
  iinTypo: RegExp
  created: RegExp
  code: string
  confirmPhone: string
  phoneDone: RegExp
  confirm: string
  emailDone: RegExp
  signOut: string
  forgot: string
  send: string
  newPassword: string
  change: string
  changed: RegExp
  identifier: string
  signIn: string
}

const TEXTS: Partial<Record<Locale, Texts>> = {
  kk: {
    surname: 'Тегі',
    givenName: 'Аты',
    phone: 'Ұялы телефон нөмірі',
    email: 'Электрондық пошта',
    iin: 'ЖСН',
    password: 'Құпиясөз',
    accept: 'Құпиялылық саясатын оқыдым және қабылдаймын',
    create: 'Тіркелгі ашу',
    iinTypo: /ЖСН-де қате бар/,
    created: /Тіркелгі ашылды/,
    code: 'Растау коды',
    confirmPhone: 'Телефонды растау',
    phoneDone: /Телефон нөмірі расталды/,
    confirm: 'Растау',
    emailDone: /Электрондық пошта расталды/,
    signOut: 'Шығу',
    forgot: 'Құпиясөзді ұмыттыңыз ба?',
    send: 'Сілтеме жіберу',
    newPassword: 'Жаңа құпиясөз',
    change: 'Құпиясөзді өзгерту',
    changed: /Құпиясөз өзгертілді/,
    identifier: 'Электрондық пошта немесе телефон нөмірі',
    signIn: 'Кіру',
  },
  ru: {
    surname: 'Фамилия',
    givenName: 'Имя',
    phone: 'Номер мобильного телефона',
    email: 'Электронная почта',
    iin: 'ИИН',
    password: 'Пароль',
    accept: 'Я прочитал(а) политику конфиденциальности и принимаю её',
    create: 'Создать учётную запись',
    iinTypo: /В ИИН опечатка/,
    created: /Учётная запись создана/,
    code: 'Код подтверждения',
    confirmPhone: 'Подтвердить телефон',
    phoneDone: /Номер телефона подтверждён/,
    confirm: 'Подтвердить',
    emailDone: /Адрес электронной почты подтверждён/,
    signOut: 'Выйти',
    forgot: 'Забыли пароль?',
    send: 'Отправить ссылку',
    newPassword: 'Новый пароль',
    change: 'Сменить пароль',
    changed: /Пароль изменён/,
    identifier: 'Электронная почта или номер телефона',
    signIn: 'Войти',
  },
}

describe('registration, verification and password reset in Chromium', { skip: browserSkipReason() }, () => {
  let server: TestServer
  let browser: Browser
  // The IIN with a typo is refused on purpose (400).
  const pages = journeyPages(() => browser, { allow: (status, path) => status === 400 && path === '/register' })
  let n = 0

  before(async () => {
    server = await startTestServer()
    browser = await launchChromium()
  })

  after(async () => {
    await pages.close()
    await browser?.close()
    await server?.close()
  })

  /** The newest message to `to`, read the way the developer outbox reads it. */
  async function message(to: string, template: NotificationTemplate): Promise<string> {
    const ctx = {
      actor: null,
      requestId: 'e2e',
      ip: null,
      userAgent: null,
      locale: 'kk' as const,
      now: server.clock.now(),
      db: server.database.db,
    }
    return (await server.app.services.notifications.latestMessage(ctx, { to, template }))?.text ?? ''
  }

  async function submit(page: Page, name: string) {
    await page.getByRole('button', { name, exact: true }).click()
    await page.waitForLoadState()
  }

  for (const [locale, device, viewport, t] of journeys(TEXTS)) {
    it(`${locale} on a ${device}: register, confirm phone and e-mail, reset the password`, async () => {
      n++
      const failures: string[] = []
      const email = `e2e.${locale}.${device}.${n}@mail.kz`
      const national = `707${String(2000000 + n * 7).slice(-7)}`
      const { page, problems } = await pages.open({ viewport, acceptLanguage: locale })

      await page.goto(`${server.baseUrl}/register`)
      await page.getByLabel(t.surname, { exact: true }).fill('Сейітқали')
      await page.getByLabel(t.givenName, { exact: true }).fill('Әйгерім')
      await page.getByLabel(t.phone).fill(`8 ${national}`)
      await page.getByLabel(t.email, { exact: true }).fill(email)
      await page.getByLabel(t.iin, { exact: true }).fill('900515301235')
      await page.getByLabel(t.password, { exact: true }).fill('көктем келді, алма гүлдеді')
      await page.getByLabel(t.accept).check()
      await pages.check(page, `accounts-register-${locale}-${device}`, failures)
      await submit(page, t.create)
      assert.match(await page.getByRole('alert').innerText(), t.iinTypo)
      await pages.check(page, `accounts-register-error-${locale}-${device}`, failures)

      await page.getByLabel(t.iin, { exact: true }).fill(iinFor(500 + n))
      await page.getByLabel(t.password, { exact: true }).fill('көктем келді, алма гүлдеді')
      await page.getByLabel(t.accept).check()
      await submit(page, t.create)
      assert.equal(new URL(page.url()).pathname, '/account/verify')
      assert.match(await page.getByRole('status').innerText(), t.created)

      const code = /\b(\d{6})\b/.exec(await message(`+7${national}`, 'accounts.verify_phone'))![1]!
      await page.getByLabel(t.code).fill(code)
      await pages.check(page, `accounts-verify-${locale}-${device}`, failures)
      await submit(page, t.confirmPhone)
      assert.match(await page.getByRole('status').innerText(), t.phoneDone)

      const link = /https?:\/\/\S+\/account\/verify-email\?token=[A-Za-z0-9_-]{43}/.exec(
        await message(email, 'accounts.verify_email'),
      )![0]
      await page.goto(`${server.baseUrl}${new URL(link).pathname}${new URL(link).search}`)
      await submit(page, t.confirm)
      assert.match(await page.getByRole('status').innerText(), t.emailDone)

      await page.goto(`${server.baseUrl}/account`)
      assert.ok(!(await page.content()).includes(iinFor(500 + n)), 'the IIN is masked')
      await pages.check(page, `accounts-profile-registered-${locale}-${device}`, failures)
      await page.getByRole('navigation', { name: /./ }).getByRole('button', { name: t.signOut }).click()
      await page.waitForLoadState()

      await page.goto(`${server.baseUrl}/login`)
      await page.getByRole('link', { name: t.forgot }).click()
      await page.getByLabel(t.email, { exact: true }).fill(email)
      await submit(page, t.send)
      await pages.check(page, `accounts-forgot-sent-${locale}-${device}`, failures)
      const reset = /https?:\/\/\S+\/password\/reset\?token=[A-Za-z0-9_-]{43}/.exec(
        await message(email, 'accounts.password_reset'),
      )![0]
      await page.goto(`${server.baseUrl}${new URL(reset).pathname}${new URL(reset).search}`)
      await page.getByLabel(t.newPassword).fill('жаңа құпиясөз, жаңа көктем')
      await pages.check(page, `accounts-reset-${locale}-${device}`, failures)
      await submit(page, t.change)
      assert.match(await page.getByRole('status').innerText(), t.changed)

      await page.getByLabel(t.identifier).fill(`8 ${national}`)
      await page.getByLabel(t.password, { exact: true }).fill('жаңа құпиясөз, жаңа көктем')
      await submit(page, t.signIn)
      assert.equal(new URL(page.url()).pathname, '/account', 'signed in with the phone and the new password')
      assert.deepEqual(problems, [])
      assert.equal(failures.length, 0, failures.join('\n'))
    })
  }
})
