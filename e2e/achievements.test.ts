/**
 * Journey: a completion certificate, in Kazakh on a phone and in Russian on
 * a desktop (JOURNEY_DEVICE; issue 5, T-4.5.2). A learner completes a course (the event
 * is raised through the service, as learning will raise it); anyone checks
 * the code at /verify by typing it, sees what the certificate shows; the
 * learner opens "My achievements" and downloads the PDF from their session and its text holds their
 * name and the code; an admin revokes it through the confirmed form; the
 * public page then says it is revoked; an unknown code is a clear 404. No
 * console errors, failed requests, sideways scrolling or axe-core violations.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import { createNamedPerson, PASSWORD, type Person } from '../src/modules/achievements/test-fixtures'
import { createCourseService } from '../src/modules/learning/index'
import { inTransaction, systemCtx } from '../src/platform/context'
import {
  browserSkipReason,
  journeyPages,
  journeys,
  launchChromium,
  signInThroughForm,
  startTestServer,
  type TestServer,
} from '../test/browser'

const JOURNEYS = {
  kk: {
    acceptLanguage: 'kk-KZ,kk;q=0.9',
    name: { surname: 'Сәрсенбаева', givenName: 'Әйгерім', patronymic: 'Нұрланқызы' },
    fullName: 'Сәрсенбаева Әйгерім Нұрланқызы',
    verifyTitle: 'Сертификатты тексеру',
    codeLabel: 'Сертификат коды',
    check: 'Тексеру',
    valid: 'Сертификат жарамды',
    mine: 'Менің жетістіктерім',
    firstCourse: 'Курс аяқталды',
    hours: '36 сағат',
    reason: 'Себебі',
    confirm: 'Бұл сертификатты кері қайтару керек екенін растаймын',
    revoke: 'Сертификатты кері қайтару',
    confirmRequired: 'Растау үшін белгіні қойыңыз.',
    done: 'Сертификат кері қайтарылды.',
    revoked: 'Сертификат кері қайтарылды',
    notFound: 'Бұл кодпен сертификат жоқ',
  },
  ru: {
    acceptLanguage: 'ru-RU,ru;q=0.9',
    name: { surname: 'Иванова', givenName: 'Мария', patronymic: 'Сергеевна' },
    fullName: 'Иванова Мария Сергеевна',
    verifyTitle: 'Проверка сертификата',
    codeLabel: 'Код сертификата',
    check: 'Проверить',
    valid: 'Сертификат действителен',
    mine: 'Мои достижения',
    firstCourse: 'Курс завершён',
    hours: '36 часов',
    reason: 'Причина',
    confirm: 'Подтверждаю, что этот сертификат нужно отозвать',
    revoke: 'Отозвать сертификат',
    confirmRequired: 'Отметьте флажок, чтобы подтвердить.',
    done: 'Сертификат отозван.',
    revoked: 'Сертификат отозван',
    notFound: 'Сертификата с таким кодом нет',
  },
} as const

const PDFTOTEXT = '/usr/bin/pdftotext'

describe('certificates in Chromium', { skip: browserSkipReason() }, () => {
  let server: TestServer
  let browser: Browser
  let courseId: string
  let admin: Person
  // Expected refusals: the unknown code (404) and the unconfirmed revoke form (400).
  const pages = journeyPages(() => browser, {
    allow: (status, p) => (status === 404 && p.startsWith('/verify/')) || (status === 400 && p.endsWith('/revoke')),
  })

  before(async () => {
    server = await startTestServer()
    const services = server.app.services
    const courses = createCourseService({ audit: services.audit })
    const { id } = await courses.create(systemCtx(server.database.db, server.clock), {
      slug: 'inclusive-education',
      languages: ['kk', 'ru'],
      level: 'beginner',
      durationHours: 36,
      priceKzt: null,
      texts: {
        kk: { title: 'Инклюзивті білім беру', summary: 'Қысқаша' },
        ru: { title: 'Инклюзивное образование', summary: 'Кратко' },
      },
    })
    courseId = id
    admin = await createNamedPerson(services, server.database.db, server.clock, ['admin'], null)
    browser = await launchChromium()
  })

  after(async () => {
    await pages.close()
    await browser?.close()
    await server?.close()
  })

  /** A learner of this journey who has completed the course: their certificate code. */
  async function completedBy(name: Record<string, string>): Promise<{ learner: Person; code: string }> {
    const services = server.app.services
    const learner = await createNamedPerson(services, server.database.db, server.clock, ['learner'], name)
    const ctx = { ...systemCtx(server.database.db, server.clock), actor: learner.actor }
    await inTransaction(ctx, (tx) =>
      services.achievements.onLearningEvent(tx, {
        type: 'course_completed',
        userId: learner.id,
        courseId,
        enrolmentId: randomUUID(),
        at: server.clock.now(),
      }),
    )
    const { certificates } = await services.achievements.forLearner(ctx, learner.id, 'kk')
    return { learner, code: certificates[0]!.code }
  }

  /** Signs `person` in on `page` through the form (their password is the fixtures' one). */
  const signIn = (page: Page, person: Person) =>
    signInThroughForm(page, server, { email: person.email, password: PASSWORD })

  for (const [locale, device, viewport, j] of journeys(JOURNEYS))
    it(`${locale} on a ${device}: check by code, download the PDF, revoke, see it revoked`, async () => {
      const { learner, code } = await completedBy(j.name)
      const failures: string[] = []
      const prefix = `achievements-${locale}-${device}`

      // Anyone: type the code (lower case, as people do) into the form.
      const visitor = await pages.open({ viewport, acceptLanguage: j.acceptLanguage })
      const page = visitor.page
      assert.equal((await page.goto(`${server.baseUrl}/verify`))?.status(), 200)
      assert.equal((await page.locator('h1').innerText()).trim(), j.verifyTitle)
      await pages.check(page, `${prefix}-1-verify-form`, failures)
      await page.getByLabel(j.codeLabel).fill(code.toLowerCase())
      await page.getByRole('button', { name: j.check, exact: true }).click()
      await page.waitForURL(`${server.baseUrl}/verify/${code}`)
      assert.match(await page.locator('h1').innerText(), new RegExp(j.valid))
      const facts = await page.locator('.certificate-facts').innerText()
      for (const shown of [j.fullName, 'Инклюзивті білім беру', 'Инклюзивное образование', j.hours, code]) {
        assert.ok(facts.includes(shown), `${shown} in ${facts}`)
      }
      await pages.check(page, `${prefix}-2-valid`, failures)

      // The learner downloads the PDF from their own session.
      const own = await pages.open({ viewport, acceptLanguage: j.acceptLanguage })
      await signIn(own.page, learner)
      await own.page.goto(`${server.baseUrl}/learn/achievements`)
      assert.equal((await own.page.locator('h1').innerText()).trim(), j.mine)
      assert.ok(await own.page.getByText(j.firstCourse, { exact: true }).isVisible(), 'the badge is shown')
      await pages.check(own.page, `${prefix}-2b-mine`, failures)
      const [download] = await Promise.all([
        own.page.waitForEvent('download'),
        own.page.locator('.certificate-actions a[download]').first().click(),
      ])
      assert.equal(download.suggestedFilename(), `certificate-${code}.pdf`)
      const body = fs.readFileSync((await download.path())!)
      assert.equal(body.subarray(0, 5).toString('latin1'), '%PDF-')
      if (fs.existsSync(PDFTOTEXT)) {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'oqu-e2e-cert-')), 'c.pdf')
        fs.writeFileSync(file, body)
        const text = execFileSync(PDFTOTEXT, ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' })
        assert.ok(text.includes(j.fullName), 'the name is in the PDF')
        assert.ok(text.includes(code), 'the code is in the PDF')
      }
      // Someone else's session gets nothing.
      const stranger = await pages.open({ viewport, acceptLanguage: j.acceptLanguage })
      await signIn(stranger.page, (await completedBy(j.name)).learner)
      const theirs = await stranger.context.request.get(`${server.baseUrl}/learn/certificates/${code}.pdf`)
      assert.equal(theirs.status(), 404)

      // The admin revokes: the form refuses without the confirmation and keeps the reason.
      const staff = await pages.open({ viewport, acceptLanguage: j.acceptLanguage })
      await signIn(staff.page, admin)
      await staff.page.goto(`${server.baseUrl}/admin/certificates/${code}`)
      await pages.check(staff.page, `${prefix}-3-admin`, failures)
      await staff.page.getByLabel(j.reason, { exact: true }).fill('Test: recorded in error')
      await staff.page.getByRole('button', { name: j.revoke }).click()
      await staff.page.waitForLoadState()
      assert.ok(await staff.page.getByText(j.confirmRequired).isVisible())
      assert.equal(await staff.page.getByLabel(j.reason, { exact: true }).inputValue(), 'Test: recorded in error')
      await pages.check(staff.page, `${prefix}-4-admin-error`, failures)
      await staff.page.getByLabel(j.confirm).check()
      await staff.page.getByRole('button', { name: j.revoke }).click()
      await staff.page.waitForURL(/\?done=revoked$/)
      assert.ok(await staff.page.getByText(j.done).isVisible())
      await pages.check(staff.page, `${prefix}-5-admin-revoked`, failures)

      // The public page now says so, without the reason.
      await page.reload()
      assert.equal((await page.locator('h1').innerText()).trim().replace(/^✕\s*/, ''), j.revoked)
      assert.ok(!(await page.content()).includes('recorded in error'))
      await pages.check(page, `${prefix}-6-revoked`, failures)

      assert.equal((await page.goto(`${server.baseUrl}/verify/OQU-2222-3333-4444`))?.status(), 404)
      assert.equal((await page.locator('h1').innerText()).trim(), j.notFound)
      await pages.check(page, `${prefix}-7-unknown`, failures)

      for (const p of [visitor, own, stranger, staff]) assert.deepEqual(p.problems, [])
      assert.equal(failures.length, 0, failures.join('\n'))
    })
})
