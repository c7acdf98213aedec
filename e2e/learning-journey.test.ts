/**
 * Journey (issue 5): a teacher signs in, finds the demo course by an inflected
 * word, enrols, takes the lessons (mark as done, the outline ticks them), takes
 * the final quiz — fails once and sees what was right, passes — and sees the
 * course completed on /learn, downloads the certificate (its text holds the
 * name, the course and the code) and checks it on the public /verify page.
 * In Kazakh on a phone and Russian on a desktop (JOURNEY_DEVICE), then the
 * course's instructor (in Russian, on a phone) sees them; no console errors, failed requests, sideways scrolling or axe-core violations.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { Browser } from 'playwright-core'
import { createPerson, PASSWORD, type Person } from '../src/modules/accounts/test-fixtures'
import { createNamedPerson, fullNameOf, KAZAKH_NAME } from '../src/modules/achievements/test-fixtures'
import { createCourseService, createQuizService, seedDemoContent } from '../src/modules/learning/index'
import { createAuditLog } from '../src/platform/audit/index'
import { systemCtx } from '../src/platform/context'
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

const JOURNEYS = {
  kk: {
    acceptLanguage: 'kk-KZ,kk;q=0.9',
    search: 'сауаттылықты',
    course: 'Цифрлық сауаттылық негіздері',
    enrol: 'Курсқа жазылу',
    markDone: 'Өтілді деп белгілеу',
    start: 'Тестті бастау',
    again: 'Қайта тапсыру',
    submit: 'Жауаптарды жіберу',
    back: 'Тестке оралу',
    failed: /Тапсырылмады/,
    passed: /Тапсырылды/,
    completed: 'Құттықтаймыз: курс аяқталды!',
    completedSection: 'Аяқталған курстар',
    download: 'PDF жүктеу',
    verify: 'Тексеру беті',
    valid: 'Сертификат жарамды',
    answers: {
      single: ['Ұзындығы: бірнеше кездейсоқ сөзден тұратын фраза', 'Құпиясөзден бөлек телефонға келген код сұралады'],
      multiple: ['Телефон нөмірлері', 'Бағалары'],
      shortPrompt: 'Дербес деректер туралы Заңның нөмірі қандай? (мысалы, 12-III)',
    },
  },
  ru: {
    acceptLanguage: 'ru-RU,ru;q=0.9',
    search: 'цифровой грамотности',
    course: 'Основы цифровой грамотности',
    enrol: 'Записаться на курс',
    markDone: 'Отметить как пройденный',
    start: 'Начать тест',
    again: 'Пройти ещё раз',
    submit: 'Отправить ответы',
    back: 'Вернуться к тесту',
    failed: /Не сдан/,
    passed: /Сдан/,
    completed: 'Поздравляем: курс завершён!',
    completedSection: 'Завершённые курсы',
    download: 'Скачать PDF',
    verify: 'Страница проверки',
    valid: 'Сертификат действителен',
    answers: {
      single: ['Длина: фраза из нескольких случайных слов', 'Кроме пароля запрашивается код, пришедший на телефон'],
      multiple: ['Номера телефонов', 'Оценки'],
      shortPrompt: 'Какой номер у Закона о персональных данных? (например, 12-III)',
    },
  },
} as const

describe('learning journey in Chromium', { skip: browserSkipReason() }, () => {
  let server: TestServer
  let browser: Browser
  let instructor: Person
  const pages = journeyPages(() => browser)

  before(async () => {
    server = await startTestServer()
    instructor = await createPerson(server, ['instructor'])
    const audit = createAuditLog({ clock: server.clock })
    await seedDemoContent(systemCtx(server.database.db, server.clock), createCourseService({ audit }), {
      quizzes: createQuizService({ audit }),
      instructorUserId: instructor.id,
    })
    browser = await launchChromium()
  })

  after(async () => {
    await pages.close()
    await browser?.close()
    await server?.close()
  })

  const walks = journeys(JOURNEYS)
  for (const [locale, device, viewport, j] of walks)
    it(`${locale} on a ${device}: sign in, find, enrol, lessons, quiz (fail, pass), completed, certificate verified`, async () => {
      const { audit, crypto } = server.app.services
      const named = await createNamedPerson({ audit, crypto }, server.database.db, server.clock, ['learner'])
      const person: Person = { id: named.id, email: named.email, password: PASSWORD, roles: ['learner'] }
      const { page, problems } = await pages.open({ viewport, acceptLanguage: j.acceptLanguage })
      const failures: string[] = []
      const prefix = `learning-journey-${locale}-${device}`

      await signInThroughForm(page, server, person, '/courses')

      await page.getByRole('searchbox').fill(j.search)
      await page.getByRole('searchbox').press('Enter')
      await page.waitForURL(/\/courses\?q=/)
      await page.getByRole('link', { name: j.course }).click()
      await page.waitForURL(/\/courses\/demo-digital-literacy$/)
      await pages.check(page, `${prefix}-0-course`, failures)
      await page.getByRole('button', { name: j.enrol }).click()
      await page.waitForURL(/\/learn\/demo-digital-literacy\/lessons\//)
      await pages.check(page, `${prefix}-1-lesson`, failures)

      // Text lessons: mark each done; the outline ticks them off.
      for (let i = 0; i < 10; i++) {
        const done = page.getByRole('button', { name: j.markDone })
        if ((await done.count()) === 0) break
        await done.click()
        await page.waitForLoadState()
      }
      assert.equal(await page.locator('.outline-lessons .done-mark').count(), 5)
      await page.getByRole('button', { name: j.start }).click()
      await page.waitForLoadState()
      await pages.check(page, `${prefix}-2-quiz`, failures)

      // First attempt: nothing answered — fails and shows what was right.
      await page.getByRole('button', { name: j.submit }).click()
      await page.waitForURL(/\/attempts\//)
      assert.match(await page.locator('.quiz-result .notice').innerText(), j.failed)
      assert.ok((await page.locator('.option-right').count()) >= 4)
      await pages.check(page, `${prefix}-3-failed`, failures)

      await page.getByRole('link', { name: j.back }).click()
      await page.getByRole('button', { name: j.again }).click()
      await page.waitForLoadState()
      for (const label of [...j.answers.single, ...j.answers.multiple])
        await page.getByLabel(label, { exact: true }).check()
      await page.getByLabel(j.answers.shortPrompt).fill(' 94-v ')
      await page.getByRole('button', { name: j.submit }).click()
      await page.waitForURL(/\/attempts\//)
      assert.match(await page.locator('.quiz-result .notice').innerText(), j.passed)
      assert.ok(await page.getByText(j.completed).isVisible())
      await pages.check(page, `${prefix}-4-passed`, failures)

      await page.goto(`${server.baseUrl}/learn`)
      const completed = page.locator('section[aria-labelledby="completed-title"]')
      assert.equal((await completed.locator('h2').innerText()).trim(), j.completedSection)
      assert.ok(await completed.getByRole('link', { name: j.course }).isVisible())
      assert.match(await completed.locator('.progress-value').innerText(), /100%/)
      await pages.check(page, `${prefix}-5-my-learning`, failures)

      // The certificate (T-4.5): issued on completion, downloaded by its holder, checked by anyone.
      const certificates = page.locator('.certificate-list li')
      assert.equal(await certificates.count(), 1)
      const code = (await certificates.locator('code').innerText()).trim()
      assert.match(code, /^OQU-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/)
      const pdfHref = await certificates.getByRole('link', { name: j.download }).getAttribute('href')
      const pdf = await page.context().request.get(new URL(pdfHref!, server.baseUrl).toString())
      assert.equal(pdf.status(), 200)
      const body = await pdf.body()
      assert.equal(body.subarray(0, 5).toString('latin1'), '%PDF-')
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'oqu-e2e-journey-')), 'certificate.pdf')
      fs.writeFileSync(file, body)
      const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' })
      for (const expected of [fullNameOf(KAZAKH_NAME), code])
        assert.ok(text.includes(expected), `the certificate shows ${expected}`)
      assert.ok(text.replace(/\s+/g, ' ').includes(j.course), 'the certificate names the course')
      // The public link carries the operator's public address; this server listens elsewhere.
      const verifyHref = await certificates.getByRole('link', { name: j.verify }).getAttribute('href')
      assert.equal(new URL(verifyHref!, server.baseUrl).pathname, `/verify/${code}`)
      await page.goto(`${server.baseUrl}/verify/${code}`)
      assert.match(await page.locator('h1').innerText(), new RegExp(j.valid))
      assert.ok((await page.locator('main').innerText()).includes(fullNameOf(KAZAKH_NAME)))
      await pages.check(page, `${prefix}-6-verify`, failures)

      assert.deepEqual(problems, [])
      assert.equal(failures.length, 0, failures.join('\n'))
    })

  // After the journeys above (node:test runs a file's tests in order): the course's instructor sees them.
  // Once, on a phone: the Russian journey above walked on a desktop.
  it(`the course's instructor on a phone sees the learners' progress and quiz results, no contact data`, async () => {
    const { page, problems } = await pages.open({ viewport: VIEWPORTS.phone, acceptLanguage: 'ru-RU,ru;q=0.9' })
    const failures: string[] = []
    await signInThroughForm(page, server, instructor, '/teach')
    await page.getByRole('link', { name: 'Основы цифровой грамотности' }).click()
    await page.waitForURL(/\/teach\/demo-digital-literacy$/)
    assert.match(await page.locator('#learners-title').innerText(), new RegExp(`Слушатели \\(${walks.length}\\)`))
    assert.equal(await page.locator('section[aria-labelledby="learners-title"] tbody tr').count(), walks.length)
    assert.doesNotMatch(await page.locator('main').innerText(), /@example\.kz/)
    assert.ok((await page.locator('section[aria-labelledby="results-title"] tbody tr').count()) >= 4)
    await pages.check(page, 'learning-journey-teach-phone', failures)
    assert.deepEqual(problems, [])
    assert.equal(failures.length, 0, failures.join('\n'))
  })
})
