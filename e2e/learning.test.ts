/**
 * Journey: a teacher finds a course in the demo catalogue, in Kazakh on a
 * phone and in Russian on a desktop (JOURNEY_DEVICE) — opens /courses, searches with an
 * inflected word, filters by price with the plain GET form, opens the course
 * and sees its programme and the honest next step; a paid course says it
 * cannot be bought yet; an unknown course is a 404 page. No console errors,
 * failed requests, sideways scrolling or axe-core violations on any page.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Browser } from 'playwright-core'
import { createCourseService, seedDemoContent } from '../src/modules/learning/index'
import { createAuditLog } from '../src/platform/audit/index'
import { systemCtx } from '../src/platform/context'
import {
  VIEWPORTS,
  browserSkipReason,
  journeyPages,
  journeys,
  launchChromium,
  startTestServer,
  type TestServer,
} from '../test/browser'

const JOURNEYS = {
  kk: {
    acceptLanguage: 'kk-KZ,kk;q=0.9',
    catalogue: 'Курстар каталогы',
    search: 'сауаттылықты',
    found: 'Цифрлық сауаттылық негіздері',
    count: /«сауаттылықты» бойынша \d+ курс табылды/,
    free: 'Тегін',
    programme: 'Курс бағдарламасы',
    signIn: 'Жазылу үшін кіріңіз',
    paidTitle: 'Lesson Study: сабақты бірлесіп зерттеу',
    notPurchasable: 'Сатып алу әзірге қолжетімсіз',
    notFound: 'Курс табылмады',
  },
  ru: {
    acceptLanguage: 'ru-RU,ru;q=0.9',
    catalogue: 'Каталог курсов',
    search: 'цифровая грамотность',
    found: 'Основы цифровой грамотности',
    count: /По запросу «цифровая грамотность» найден/,
    free: 'Бесплатные',
    programme: 'Программа курса',
    signIn: 'Войдите, чтобы записаться',
    paidTitle: 'Lesson Study: совместное исследование урока',
    notPurchasable: 'Покупка пока недоступна',
    notFound: 'Курс не найден',
  },
} as const

describe('course catalogue in Chromium', { skip: browserSkipReason() }, () => {
  let server: TestServer
  let browser: Browser
  const pages = journeyPages(() => browser)

  before(async () => {
    server = await startTestServer()
    const courses = createCourseService({ audit: createAuditLog({ clock: server.clock }) })
    await seedDemoContent(systemCtx(server.database.db, server.clock), courses)
    browser = await launchChromium()
  })

  after(async () => {
    await pages.close()
    await browser?.close()
    await server?.close()
  })

  for (const [locale, device, viewport, j] of journeys(JOURNEYS))
    it(`${locale} on a ${device}: search, filter, open a course`, async () => {
      const { page, problems } = await pages.open({ viewport, acceptLanguage: j.acceptLanguage })
      const failures: string[] = []
      const prefix = `learning-${locale}-${device}`

      assert.equal((await page.goto(`${server.baseUrl}/courses`))?.status(), 200)
      assert.equal((await page.locator('h1').innerText()).trim(), j.catalogue)
      assert.equal(await page.locator('.course-card').count(), 5)
      await pages.check(page, `${prefix}-1-catalogue`, failures)

      await page.getByRole('searchbox').fill(j.search)
      await page.getByRole('searchbox').press('Enter')
      await page.waitForURL(/\/courses\?q=/)
      assert.match(await page.locator('.result-count').innerText(), j.count)
      assert.equal(await page.locator('.course-card-title').first().innerText(), j.found)
      await pages.check(page, `${prefix}-2-search`, failures)

      await page.locator('#filter-price').selectOption('free')
      await page.locator('.filter-actions button').click()
      await page.waitForURL(/price=free/)
      assert.equal(await page.locator('#filter-price option:checked').innerText(), j.free)
      assert.equal(await page.locator('#catalogue-q').inputValue(), j.search, 'the search is kept')
      await pages.check(page, `${prefix}-3-filtered`, failures)

      await page.getByRole('link', { name: j.found }).click()
      await page.waitForURL(/\/courses\/demo-digital-literacy$/)
      assert.equal((await page.locator('h1').innerText()).trim(), j.found)
      assert.ok(await page.getByRole('heading', { name: j.programme }).isVisible())
      assert.ok((await page.locator('.lesson-item').count()) >= 5)
      const enrol = page.getByRole('link', { name: j.signIn })
      assert.equal(await enrol.getAttribute('href'), '/login?next=%2Fcourses%2Fdemo-digital-literacy')
      await pages.check(page, `${prefix}-4-course`, failures)

      await page.goto(`${server.baseUrl}/courses/demo-lesson-study`)
      assert.equal((await page.locator('h1').innerText()).trim(), j.paidTitle)
      assert.ok(await page.getByRole('heading', { name: j.notPurchasable }).isVisible())
      assert.equal(await page.locator('.enrol-box a, .enrol-box button').count(), 0, 'no buy button')
      await pages.check(page, `${prefix}-5-paid`, failures)

      assert.deepEqual(problems, [])
      // The 404 below is the point of the step, so the watcher's record stops here.
      assert.equal((await page.goto(`${server.baseUrl}/courses/no-such-course`))?.status(), 404)
      assert.match(await page.locator('h1').innerText(), new RegExp(j.notFound))
      await pages.check(page, `${prefix}-6-not-found`, failures)
      assert.equal(failures.length, 0, failures.join('\n'))
    })

  it('works from the keyboard: the search box, the filters and the course links are reachable in order', async () => {
    const { page } = await pages.open({ viewport: VIEWPORTS.desktop, acceptLanguage: 'ru' })
    await page.goto(`${server.baseUrl}/courses`)
    const order: string[] = []
    for (let i = 0; i < 20; i++) {
      await page.keyboard.press('Tab')
      order.push(
        (await page.evaluate('document.activeElement.id || document.activeElement.textContent.trim()')) as string,
      )
    }
    const at = (name: string) => order.indexOf(name)
    assert.ok(at('catalogue-q') >= 0, order.join(' | '))
    assert.ok(at('catalogue-q') < at('filter-lang') && at('filter-lang') < at('filter-price'), order.join(' | '))
    assert.ok(at('filter-level') < at('Основы цифровой грамотности'), order.join(' | '))
  })
})
