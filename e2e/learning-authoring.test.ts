/**
 * Journey (issue 5, "Instructors and admins"): an instructor signs in, creates
 * a course taught in Kazakh and Russian, adds a module and two lessons
 * (previewing the Markdown), reorders the lessons from the keyboard (the
 * script moves the item in place, keeps the focus and announces the new
 * position; the order survives a reload), publishes, and finds the course in
 * /courses. In kk on a phone and ru on a desktop (JOURNEY_DEVICE; the desktop
 * also drags a lesson), plus a kk desktop upload of a cover and a lesson
 * file; no console errors, failed requests, sideways scrolling or axe-core
 * violations.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import type { Browser, Page } from 'playwright-core'
import sharp from 'sharp'
import { createAccountsService } from '../src/modules/accounts/index'
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
    other: 'ru',
    myCourses: 'Менің курстарым',
    newCourse: 'Жаңа курс',
    before: 'Жариялау алдында курсқа мыналар керек',
    published: 'Курс жарияланды',
    announce: /Кіріспе сабақ: енді 2 ішінде 2-орында/,
  },
  ru: {
    acceptLanguage: 'ru-RU,ru;q=0.9',
    other: 'kk',
    myCourses: 'Мои курсы',
    newCourse: 'Новый курс',
    before: 'Перед публикацией в курсе не хватает',
    published: 'Курс опубликован',
    announce: /Вводный урок: теперь на месте 2 из 2/,
  },
} as const

const PASSWORD = 'correct horse battery'

describe('course authoring in Chromium', { skip: browserSkipReason() }, () => {
  let server: TestServer
  let browser: Browser
  const pages = journeyPages(() => browser)

  before(async () => {
    server = await startTestServer()
    browser = await launchChromium()
  })

  after(async () => {
    await pages.close()
    await browser?.close()
    await server?.close()
  })

  /** A new instructor, signed in on `page` through the form. */
  async function signInAsInstructor(page: Page): Promise<void> {
    const { audit, crypto } = server.app.services
    const accounts = createAccountsService({ audit, crypto })
    const email = `teacher.${randomBytes(4).toString('hex')}@example.kz`
    await accounts.createAccount(systemCtx(server.database.db, server.clock), {
      email,
      password: PASSWORD,
      roles: ['instructor'],
    })
    await signInThroughForm(page, server, { email, password: PASSWORD })
  }

  const lessonTitles = (page: Page) =>
    page.locator('.outline-lessons .outline-title').allInnerTexts() as Promise<string[]>

  for (const [locale, device, viewport, j] of journeys(JOURNEYS))
    it(`${locale} on a ${device}: create, build, reorder by keyboard, publish`, async () => {
      const { page, problems } = await pages.open({ viewport, acceptLanguage: j.acceptLanguage })
      const failures: string[] = []
      const prefix = `authoring-${locale}-${device}`
      const base = server.baseUrl
      const slug = `journey-${locale}-${device}-${randomBytes(2).toString('hex')}`
      const kkTitle = `Цифрлық сауаттылық ${locale} ${device}`
      const ruTitle = `Цифровая грамотность ${locale} ${device}`

      await signInAsInstructor(page)

      await page.goto(`${base}/teach/courses`)
      assert.equal((await page.locator('h1').innerText()).trim(), j.myCourses)
      assert.equal(await page.locator('.empty-state').count(), 1)
      await pages.check(page, `${prefix}-1-empty`, failures)

      await page.getByRole('link', { name: j.newCourse }).click()
      await page.waitForURL(/\/teach\/courses\/new$/)
      assert.ok(await page.locator(`input[name="languages"][value="${locale}"]`).isChecked(), 'own language first')
      await page.locator(`input[name="languages"][value="${j.other}"]`).check()
      await page.locator('#title_kk').fill(kkTitle)
      await page.locator('#summary_kk').fill('Мұғалімдерге арналған курс')
      await page.locator('#title_ru').fill(ruTitle)
      await page.locator('#durationHours').fill('12')
      await page.locator('#slug').fill(slug)
      await pages.check(page, `${prefix}-2-course-form`, failures)
      await page.locator('.authoring-form form button[type="submit"]').click()
      await page.waitForURL(/\/teach\/courses\/[0-9a-f-]{36}\?done=created/)
      assert.match(await page.locator('.publish-checklist').innerText(), new RegExp(j.before))

      await page.locator('#module-title_kk').fill('Кіріспе')
      await page.locator('#module-title_ru').fill('Введение')
      await page.locator('#add-module button[type="submit"]').click()
      await page.waitForURL(/done=module_added/)

      const lessons = [
        { kk: 'Кіріспе сабақ', ru: 'Вводный урок' },
        { kk: 'Құралдар', ru: 'Инструменты' },
      ]
      for (const [i, l] of lessons.entries()) {
        await page.locator('.outline-module a[href$="/lessons/new"]').first().click()
        await page.waitForURL(/\/lessons\/new$/)
        await page.locator('#title_kk').fill(l.kk)
        await page.locator('#body_kk').fill(`## ${l.kk}\n\n**Маңызды** мәтін`)
        await page.locator('#title_ru').fill(l.ru)
        await page.locator('#body_ru').fill(`## ${l.ru}\n\n- первый пункт`)
        if (i === 0) {
          await page.locator('button[name="action"][value="preview"]').click()
          await page.waitForLoadState('load')
          assert.equal(await page.locator('.markdown-preview strong').first().innerText(), 'Маңызды')
          assert.equal(await page.locator('#title_kk').inputValue(), l.kk, 'the preview keeps the input')
          await pages.check(page, `${prefix}-3-lesson-preview`, failures)
        }
        await page.locator('button[name="action"][value="save"]').click()
        await page.waitForURL(/done=lesson_added/)
      }
      const firstTitle = (l: (typeof lessons)[number]) => (locale === 'kk' ? l.kk : l.ru)
      assert.deepEqual(await lessonTitles(page), lessons.map(firstTitle))
      await pages.check(page, `${prefix}-4-editor`, failures)

      // Keyboard: focus the first lesson's "move down" and press Enter.
      const down = page.locator('.outline-lessons > li').first().locator('form[data-move="down"] button')
      await down.focus()
      await page.keyboard.press('Enter')
      await page.waitForFunction(`document.getElementById('reorder-status').textContent.length > 0`, undefined, {
        timeout: 5000,
      })
      assert.match(await page.locator('#reorder-status').innerText(), j.announce)
      assert.deepEqual(await lessonTitles(page), [...lessons].reverse().map(firstTitle))
      const focused = (await page.evaluate(
        `document.activeElement.closest('[data-id]').querySelector('.outline-title').textContent`,
      )) as string
      assert.equal(focused, firstTitle(lessons[0]!), 'the focus stays with the moved lesson')
      await page.reload()
      assert.deepEqual(await lessonTitles(page), [...lessons].reverse().map(firstTitle), 'the order was saved')
      if (device === 'desktop') {
        // Drag and drop: the first lesson by its handle onto the lower half of the second.
        const items = page.locator('.outline-lessons > li')
        await items
          .nth(0)
          .locator('.drag-handle')
          .dragTo(items.nth(1), { targetPosition: { x: 40, y: 40 } })
        await page.waitForFunction(`document.getElementById('reorder-status').textContent.includes('2')`)
        assert.deepEqual(await lessonTitles(page), lessons.map(firstTitle))
        await page.reload()
        assert.deepEqual(await lessonTitles(page), lessons.map(firstTitle), 'the dragged order was saved')
      }

      await page.locator('#publication form[action$="/publish"] button').click()
      await page.waitForURL(/done=published/)
      assert.match(await page.locator('.notice-success').innerText(), new RegExp(j.published))
      await pages.check(page, `${prefix}-5-published`, failures)

      await page.goto(`${base}/courses`)
      const title = locale === 'kk' ? kkTitle : ruTitle
      assert.ok(await page.getByRole('link', { name: title }).isVisible(), 'the course is in the catalogue')
      assert.deepEqual(problems, [])
      assert.equal(failures.length, 0, failures.join('\n'))
    })

  it('kk on a desktop: a cover picture and a lesson file, uploaded with the plain forms', async () => {
    const { page, problems } = await pages.open({
      viewport: VIEWPORTS.desktop,
      acceptLanguage: JOURNEYS.kk.acceptLanguage,
    })
    const failures: string[] = []
    const base = server.baseUrl
    await signInAsInstructor(page)

    await page.goto(`${base}/teach/courses/new`)
    await page.locator('#title_kk').fill('Файлдары бар курс')
    await page.locator('#durationHours').fill('3')
    await page.locator('#slug').fill(`files-${randomBytes(2).toString('hex')}`)
    await page.locator('.authoring-form form button[type="submit"]').click()
    await page.waitForURL(/done=created/)
    await page.locator('#module-title_kk').fill('Модуль')
    await page.locator('#add-module button[type="submit"]').click()
    await page.waitForURL(/done=module_added/)
    await page.locator('.outline-module a[href$="/lessons/new"]').click()
    await page.locator('#title_kk').fill('Сабақ')
    await page.locator('#body_kk').fill('Мәтін')
    await page.locator('button[name="action"][value="save"]').click()
    await page.waitForURL(/done=lesson_added/)

    await page.locator('#cover a').click()
    await page.waitForURL(/\/cover$/)
    await pages.check(page, 'authoring-kk-desktop-6-cover-form', failures)
    const png = await sharp({ create: { width: 1600, height: 900, channels: 3, background: '#0b3a57' } })
      .png()
      .toBuffer()
    await page.locator('#cover-file').setInputFiles({ name: 'cover.png', mimeType: 'image/png', buffer: png })
    await page.locator('form[enctype="multipart/form-data"] button[type="submit"]').click()
    await page.waitForURL(/done=cover_saved/)
    await page.waitForFunction(`document.querySelector('img.cover-preview').naturalWidth > 0`)
    assert.equal(await page.evaluate(`document.querySelector('img.cover-preview').naturalWidth`), 1200)

    await page.locator('.outline-lesson a[href*="/lessons/"]').first().click()
    await page.waitForURL(/\/lessons\/[0-9a-f-]{36}$/)
    const pdf = Buffer.from('%PDF-1.7\n%%EOF\n')
    await page
      .locator('#attachment-file')
      .setInputFiles({ name: 'Жоспар.pdf', mimeType: 'application/pdf', buffer: pdf })
    await page.locator('#attachments button[type="submit"]').last().click()
    await page.waitForURL(/done=attachment_added/)
    assert.equal(await page.locator('.attachment-item a').innerText(), 'Жоспар.pdf')
    await pages.check(page, 'authoring-kk-desktop-7-lesson-files', failures)
    assert.deepEqual(problems, [])
    assert.equal(failures.length, 0, failures.join('\n'))
  })
})
