/**
 * Journey (issue 5, "Instructors and admins"; T-3.1.1): an instructor opens
 * the quiz lesson of their course, adds a single-choice and a short-answer
 * question in Kazakh and Russian, sets the pass mark, moves a question from
 * the keyboard (the script moves it in place and announces its new place);
 * a learner then enrols and sees those questions in the lesson player.
 * Kazakh on a phone, Russian on a desktop (journeys()); no console errors,
 * failed requests, sideways scrolling or axe-core violations.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import type { Browser } from 'playwright-core'
import { createPerson, type Person } from '../src/modules/accounts/test-fixtures'
import { createCourseService } from '../src/modules/learning/index'
import { createAuditLog } from '../src/platform/audit/index'
import { systemCtx } from '../src/platform/context'
import {
  browserSkipReason,
  journeyPages,
  journeys,
  launchChromium,
  signInThroughForm,
  startTestServer,
  type TestServer,
} from '../test/browser'

const JOURNEYS = journeys({
  kk: {
    acceptLanguage: 'kk-KZ,kk;q=0.9',
    editor: 'Тест сұрақтары',
    empty: 'Бұл тестте әлі сұрақ жоқ',
    addSingle: 'Бір жауапты сұрақ',
    addShort: 'Қысқа жауапты сұрақ',
    settingsSaved: 'Тест баптаулары сақталды',
    announce: /: енді 2 ішінде 2-орында/,
    enrol: 'Курсқа жазылу',
    facts: ['2 сұрақ', 'Өту шегі: 60%'],
    start: 'Тестті бастау',
  },
  ru: {
    acceptLanguage: 'ru-RU,ru;q=0.9',
    editor: 'Вопросы теста',
    empty: 'В этом тесте пока нет вопросов',
    addSingle: 'Вопрос с одним ответом',
    addShort: 'Вопрос с кратким ответом',
    settingsSaved: 'Настройки теста сохранены',
    announce: /: теперь на месте 2 из 2/,
    enrol: 'Записаться на курс',
    facts: ['2 вопроса', 'Проходной балл: 60%'],
    start: 'Начать тест',
  },
})

const QUESTIONS = {
  single: { kk: 'Қазақстанның астанасы?', ru: 'Столица Казахстана?' },
  short: { kk: 'Қазақтың ұлы ақыны?', ru: 'Великий казахский поэт?' },
}

describe('quiz authoring in Chromium', { skip: browserSkipReason() }, () => {
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

  /** A published free course in kk and ru by `teacher`: a text lesson, then a quiz lesson with no questions yet. */
  async function course(teacher: Person) {
    const courses = createCourseService({ audit: createAuditLog({ clock: server.clock }) })
    const ctx = {
      ...systemCtx(server.database.db, server.clock),
      actor: { kind: 'user' as const, id: teacher.id, roles: teacher.roles },
    }
    const slug = `quiz-journey-${randomBytes(3).toString('hex')}`
    const { id } = await courses.create(ctx, {
      slug,
      languages: ['kk', 'ru'],
      level: 'beginner',
      durationHours: 2,
      priceKzt: null,
      texts: { kk: { title: 'Қазақстан туралы', summary: '' }, ru: { title: 'О Казахстане', summary: '' } },
    })
    const { id: moduleId } = await courses.addModule(ctx, id, { titles: { kk: 'Модуль', ru: 'Модуль' } })
    await courses.addLesson(ctx, moduleId, {
      kind: 'text',
      texts: { kk: { title: 'Кіріспе', bodyMarkdown: 'Мәтін' }, ru: { title: 'Введение', bodyMarkdown: 'Текст' } },
    })
    const quiz = await courses.addLesson(ctx, moduleId, {
      kind: 'quiz',
      texts: { kk: { title: 'Қорытынды тест', bodyMarkdown: '' }, ru: { title: 'Итоговый тест', bodyMarkdown: '' } },
    })
    await courses.publish(ctx, id)
    return { id, slug, quizId: quiz.id }
  }

  for (const [locale, device, viewport, j] of JOURNEYS)
    it(`${locale} on a ${device}: questions written by the instructor reach the learner`, async () => {
      const failures: string[] = []
      const prefix = `quiz-authoring-${locale}-${device}`
      const teacher = await createPerson(server, ['instructor'])
      const c = await course(teacher)
      const base = server.baseUrl

      const { page, problems } = await pages.open({ viewport, acceptLanguage: j.acceptLanguage })
      await signInThroughForm(page, server, teacher, `/teach/courses/${c.id}`)
      await page.getByRole('link', { name: new RegExp(`^${j.editor}`) }).click()
      await page.waitForURL(/\/quiz$/)
      assert.match(await page.locator('main').innerText(), new RegExp(j.empty))

      await page.getByRole('link', { name: j.addSingle }).click()
      await page.waitForURL(/\/questions\/new\?kind=single$/)
      await page.locator('#prompt_kk').fill(QUESTIONS.single.kk)
      await page.locator('#prompt_ru').fill(QUESTIONS.single.ru)
      for (const [i, [kk, ru]] of [
        ['Астана', 'Астана'],
        ['Алматы', 'Алматы'],
      ].entries()) {
        await page.locator(`#option_${i}_kk`).fill(kk!)
        await page.locator(`#option_${i}_ru`).fill(ru!)
      }
      await page.locator('input[name="correct_0"]').check()
      await pages.check(page, `${prefix}-1-question-form`, failures)
      await page.locator('button[name="action"][value="save"]').click()
      await page.waitForURL(/done=quiz_question_added/)

      await page.getByRole('link', { name: j.addShort }).click()
      await page.waitForURL(/kind=short$/)
      await page.locator('#prompt_kk').fill(QUESTIONS.short.kk)
      await page.locator('#prompt_ru').fill(QUESTIONS.short.ru)
      await page.locator('#accepted').fill('Абай\nАбай Құнанбайұлы')
      await page.locator('button[name="action"][value="save"]').click()
      await page.waitForURL(/done=quiz_question_added/)

      await page.locator('#passPercent').fill('60')
      await page.locator('#settings button[type="submit"]').click()
      await page.waitForURL(/done=quiz_settings_saved/)
      assert.match(await page.locator('.notice-success').innerText(), new RegExp(j.settingsSaved))

      // Keyboard: the first question's "move down", by Enter; the script moves it and announces its place.
      const prompts = async () =>
        (await page.locator('.quiz-item .outline-title').allInnerTexts()).map((s) => s.replace(/^\d+\.\s*/, ''))
      const before = await prompts()
      await page.locator('.quiz-item').first().locator('form[data-move="down"] button').focus()
      await page.keyboard.press('Enter')
      await page.waitForFunction(`document.getElementById('reorder-status').textContent.length > 0`)
      assert.match(await page.locator('#reorder-status').innerText(), j.announce)
      assert.deepEqual(await prompts(), [...before].reverse())
      await page.reload()
      assert.deepEqual(await prompts(), [...before].reverse(), 'the order was saved')
      await pages.check(page, `${prefix}-2-quiz-editor`, failures)
      assert.deepEqual(problems, [])

      const learner = await createPerson(server, ['learner'])
      const l = await pages.open({ viewport, acceptLanguage: j.acceptLanguage })
      await signInThroughForm(l.page, server, learner, `/courses/${c.slug}`)
      await l.page.getByRole('button', { name: j.enrol }).click()
      await l.page.waitForURL(/\/learn\//)
      await l.page.goto(`${base}/learn/${c.slug}/lessons/${c.quizId}`)
      const facts = await l.page.locator('.quiz-facts').innerText()
      for (const fact of j.facts) assert.ok(facts.includes(fact), `${fact} in ${facts}`)
      await l.page.getByRole('button', { name: j.start }).click()
      await l.page.locator('.quiz-form').waitFor()
      const shown = await l.page.locator('.quiz-question .quiz-prompt').allInnerTexts()
      assert.deepEqual(
        shown.map((s) => s.replace(/^\d+\.\s*/, '').trim()),
        [QUESTIONS.short[locale as 'kk' | 'ru'], QUESTIONS.single[locale as 'kk' | 'ru']],
      )
      await pages.check(l.page, `${prefix}-3-learner-quiz`, failures)
      assert.deepEqual(l.problems, [])
      assert.equal(failures.length, 0, failures.join('\n'))
    })
})
