// "My learning" in pages (issue 5; T-3.1.1), on both databases: a learner with 23 current and 21 completed courses
// sees 20 of each list a page, newest activity first, with previous/next links in their language that keep the other
// list's page; a page beyond the last shows the last; the empty states stay for a learner with no courses.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createTestApp, type TestApp } from '../../../test/app'
import { databaseKinds } from '../../../test/database'
import { createAuditLog } from '../../platform/audit/index'
import { systemCtx, type Ctx } from '../../platform/context'
import { browserAs, type Browser } from './authoring.test-fixtures'
import { createCourseService } from './courses.service'
import { createLearnerService, MY_LEARNING_PAGE_SIZE } from './learner.service'
import { courseInput } from './test-fixtures'

const CURRENT = 23
const COMPLETED = 21

/** The course titles a page lists in one of its sections (`current-title` or `completed-title`). */
function titles(body: string, section: 'current' | 'completed'): string[] {
  const start = body.indexOf(`id="${section}-title"`)
  const part = body.slice(start, body.indexOf('</section>', start))
  return [...part.matchAll(/<h3 class="learn-card-title"[^>]*><a [^>]*>([^<]+)<\/a>/g)].map((m) => m[1]!)
}

for (const kind of databaseKinds())
  describe(`My learning in pages [${kind}]`, () => {
    let t: TestApp
    let learner: Browser
    /** Titles in the order the learner acted on them (the last is the newest). */
    const current: string[] = []
    const completed: string[] = []

    before(async () => {
      t = await createTestApp({ kind, env: { OQU_RATE_LIMIT: '100000' } })
      learner = await browserAs(t, ['learner'], 'ru')
      const audit = createAuditLog({ clock: t.clock })
      const courses = createCourseService({ audit })
      const learning = createLearnerService({ audit })
      const as = (): Ctx => ({
        ...systemCtx(t.database.db, t.clock),
        actor: { kind: 'user', id: learner.id!, roles: ['learner'] },
      })
      for (let i = 0; i < CURRENT + COMPLETED; i++) {
        const done = i % 2 === 1 && completed.length < COMPLETED
        const title = `${done ? 'Завершённый' : 'Текущий'} курс ${String(i).padStart(2, '0')}`
        const input = courseInput({ languages: ['ru'], title: { ru: title } })
        const system = systemCtx(t.database.db, t.clock)
        const { id, slug } = await courses.create(system, input)
        const { id: moduleId } = await courses.addModule(system, id, { titles: { ru: 'Модуль' } })
        const lesson = await courses.addLesson(system, moduleId, {
          kind: 'text',
          texts: { ru: { title: 'Урок', bodyMarkdown: 'Текст' } },
        })
        await courses.publish(system, id)
        t.clock.advance(60_000)
        await learning.enrol(as(), slug)
        if (done) await learning.markDone(as(), slug, lesson.id)
        ;(done ? completed : current).push(title)
      }
      assert.deepEqual([current.length, completed.length], [CURRENT, COMPLETED])
    })
    after(() => t?.close())

    it('lists 20 of each list a page, newest first, with links that keep the other list’s page', async () => {
      const newest = (list: string[]) => [...list].reverse()
      const first = await learner.get('/learn')
      assert.equal(first.statusCode, 200)
      assert.deepEqual(titles(first.body, 'current'), newest(current).slice(0, MY_LEARNING_PAGE_SIZE))
      assert.deepEqual(titles(first.body, 'completed'), newest(completed).slice(0, MY_LEARNING_PAGE_SIZE))
      assert.match(first.body, /<nav class="pagination" aria-label="Страницы текущих курсов">/)
      assert.match(first.body, /<nav class="pagination" aria-label="Страницы завершённых курсов">/)
      assert.match(first.body, /href="\/learn\?page=2#current-title">Далее/)
      assert.match(first.body, /href="\/learn\?completedPage=2#completed-title">Далее/)
      assert.ok(!first.body.includes('rel="prev"'), 'no previous page on the first')

      const second = await learner.get('/learn?page=2&completedPage=2')
      assert.deepEqual(titles(second.body, 'current'), newest(current).slice(MY_LEARNING_PAGE_SIZE))
      assert.deepEqual(titles(second.body, 'completed'), newest(completed).slice(MY_LEARNING_PAGE_SIZE))
      assert.match(second.body, /Страница 2 из 2/)
      assert.match(second.body, /href="\/learn\?completedPage=2#current-title">← Назад/)
      assert.match(second.body, /href="\/learn\?page=2#completed-title">← Назад/)
      assert.ok(!second.body.includes('rel="next"'), 'no next page on the last')

      const beyond = await learner.get('/learn?page=99&completedPage=abc')
      assert.equal(beyond.statusCode, 200)
      assert.deepEqual(titles(beyond.body, 'current'), newest(current).slice(MY_LEARNING_PAGE_SIZE))
      assert.deepEqual(titles(beyond.body, 'completed'), newest(completed).slice(0, MY_LEARNING_PAGE_SIZE))
    })

    it('keeps the empty states, without page links, for a learner with no courses', async () => {
      const someone = await browserAs(t, ['learner'], 'kk')
      const page = await someone.get('/learn?page=2')
      assert.equal(page.statusCode, 200)
      assert.match(page.body, /class="empty-state"/)
      assert.ok(!page.body.includes('class="pagination"'))
      assert.deepEqual(titles(page.body, 'current'), [])
    })
  })
