// Authoring (issue 5, T-3.1.1): courses are created, validated, ordered and published by those allowed to, and
// every change leaves an audit entry in the same transaction.
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { describeEachDatabase } from '../../../test/database'
import {
  CourseInvalidError,
  NotAllowedError,
  NotPublishableError,
  OrderInvalidError,
  SlugTakenError,
} from './learning.errors'
import { courseInput, learningFixtures, publishedCourse } from './test-fixtures'

const f = learningFixtures()

describeEachDatabase('course authoring', (get) => {
  it('refuses an invalid course and lists every problem: no language, title per language, slug format, price ≥ 0', async () => {
    const ctx = f.ctx(get().db)
    await assert.rejects(
      f.courses.create(ctx, { ...courseInput(), languages: [], texts: {} }),
      (e: unknown) => e instanceof CourseInvalidError && e.problems.some((p) => p.field === 'languages'),
    )
    const bad = courseInput({ slug: 'Bad Slug!', priceKzt: -5, durationHours: 0 })
    bad.texts.ru = { title: '   ', summary: '' }
    await assert.rejects(f.courses.create(ctx, bad), (e: unknown) => {
      assert.ok(e instanceof CourseInvalidError)
      assert.deepEqual(e.problems.map((p) => `${p.field}:${p.problem}`).sort(), [
        'durationHours:range',
        'priceKzt:range',
        'slug:format',
        'texts.ru.title:required',
      ])
      return true
    })
    // Words that name pages of their own (/learn/achievements, /teach/courses) are not course addresses.
    for (const slug of ['achievements', 'certificates', 'courses'])
      await assert.rejects(
        f.courses.create(ctx, courseInput({ slug })),
        (e: unknown) =>
          e instanceof CourseInvalidError && e.problems.some((p) => p.field === 'slug' && p.problem === 'reserved'),
      )
    const count = await get()
      .db.selectFrom('audit_log')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst()
    assert.equal(Number(count?.n), 0, 'nothing written for a refused input')
  })

  it('creates a draft with texts per language (price 0 = free) and records course.created', async () => {
    const db = get().db
    const { id } = await f.courses.create(f.ctx(db), courseInput({ priceKzt: 0, languages: ['ru'] }))
    const row = await db
      .withTables<{ courses: { id: string; status: string; price_kzt: number | null; languages: string[] } }>()
      .selectFrom('courses')
      .select(['status', 'price_kzt', 'languages'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    assert.deepEqual(row, { status: 'draft', price_kzt: null, languages: ['ru'] })
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'target_type'])
      .where('target_id', '=', id)
      .execute()
    assert.deepEqual(audit, [{ action: 'course.created', target_type: 'course' }])
  })

  it('refuses a slug another course has', async () => {
    const ctx = f.ctx(get().db)
    const input = courseInput()
    await f.courses.create(ctx, input)
    await assert.rejects(f.courses.create(ctx, courseInput({ slug: input.slug })), SlugTakenError)
  })

  it('publishes only a complete course: a module with a lesson, texts in every declared language', async () => {
    const db = get().db
    const ctx = f.ctx(db)
    const { id } = await f.courses.create(ctx, courseInput())
    await assert.rejects(f.courses.publish(ctx, id), NotPublishableError)
    const { id: moduleId } = await f.courses.addModule(ctx, id, { titles: { kk: 'Модуль', ru: 'Модуль' } })
    await assert.rejects(f.courses.publish(ctx, id), (e: unknown) => {
      assert.ok(e instanceof NotPublishableError)
      assert.deepEqual(e.problems, [{ field: 'modules.0.lessons', problem: 'required' }])
      return true
    })
    await assert.rejects(
      f.courses.addLesson(ctx, moduleId, { kind: 'text', texts: { kk: { title: 'Сабақ', bodyMarkdown: 'Мәтін' } } }),
      (e: unknown) => e instanceof CourseInvalidError && e.problems.some((p) => p.field === 'texts.ru.title'),
    )
    const texts = { kk: { title: 'Сабақ', bodyMarkdown: 'Мәтін' }, ru: { title: 'Урок', bodyMarkdown: 'Текст' } }
    await f.courses.addLesson(ctx, moduleId, { kind: 'text', texts })
    await f.courses.publish(ctx, id)
    await f.courses.archive(ctx, id)
    const actions = await db
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', id)
      .orderBy('seq')
      .execute()
    assert.deepEqual(
      actions.map((a) => a.action),
      ['course.created', 'course.module_added', 'course.lesson_added', 'course.published', 'course.archived'],
    )
  })

  it('freezes the slug once published (stable URLs), and keeps a published course complete', async () => {
    const db = get().db
    const input = courseInput()
    const { id, slug } = await publishedCourse(f, db, input)
    await assert.rejects(f.courses.update(f.ctx(db), id, { ...input, slug: `${slug}-new` }), CourseInvalidError)
    const texts = { ...input.texts, en: { title: 'Digital literacy', summary: '' } }
    const withEnglish = { ...input, languages: ['kk', 'ru', 'en'] as const, texts }
    await assert.rejects(f.courses.update(f.ctx(db), id, withEnglish), NotPublishableError)
    await f.courses.update(f.ctx(db), id, { ...input, durationHours: 12 })
  })

  it('reorders modules and lessons; a list that is not exactly the current items is refused', async () => {
    const db = get().db
    const ctx = f.ctx(db)
    const { id } = await f.courses.create(ctx, courseInput({ languages: ['kk'] }))
    const a = await f.courses.addModule(ctx, id, { titles: { kk: 'A' } })
    const b = await f.courses.addModule(ctx, id, { titles: { kk: 'B' } })
    const c = await f.courses.addModule(ctx, id, { titles: { kk: 'C' } })
    await f.courses.reorderModules(ctx, id, [c.id, a.id, b.id])
    const order = await db
      .withTables<{ course_modules: { id: string; course_id: string; position: number } }>()
      .selectFrom('course_modules')
      .select('id')
      .where('course_id', '=', id)
      .orderBy('position')
      .execute()
    assert.deepEqual(
      order.map((r) => r.id),
      [c.id, a.id, b.id],
    )
    await assert.rejects(f.courses.reorderModules(ctx, id, [c.id, a.id]), OrderInvalidError)
    await assert.rejects(f.courses.reorderModules(ctx, id, [c.id, a.id, a.id]), OrderInvalidError)
    const texts = (t: string) => ({ kk: { title: t, bodyMarkdown: t } })
    const l1 = await f.courses.addLesson(ctx, a.id, { kind: 'text', texts: texts('1') })
    const l2 = await f.courses.addLesson(ctx, a.id, { kind: 'quiz', texts: { kk: { title: '2', bodyMarkdown: '' } } })
    await f.courses.reorderLessons(ctx, a.id, [l2.id, l1.id])
    await assert.rejects(f.courses.reorderLessons(ctx, b.id, [l1.id]), OrderInvalidError)
  })

  it('lets admins and the course’s own instructors edit; other instructors, learners and visitors may not', async () => {
    const db = get().db
    const author = await f.user(db, 'instructor')
    const { id } = await f.courses.create(f.ctx(db, author), courseInput())
    const teacher = await f.user(db, 'instructor')
    await f.courses.setInstructors(f.ctx(db), id, [{ userId: teacher.id, displayName: 'Айгүл Серікқызы' }])
    for (const actor of [author, teacher, await f.user(db, 'admin')]) await f.courses.archive(f.ctx(db, actor), id)
    for (const actor of [await f.user(db, 'instructor'), await f.user(db, 'learner'), null])
      await assert.rejects(f.courses.update(f.ctx(db, actor), id, courseInput()), NotAllowedError)
    await assert.rejects(f.courses.create(f.ctx(db, await f.user(db, 'learner')), courseInput()), NotAllowedError)
    await assert.rejects(f.courses.create(f.ctx(db, author), courseInput(), { demo: true }), NotAllowedError)
  })

  it('checks lesson inputs: a video needs an https URL, a text lesson a body', async () => {
    const ctx = f.ctx(get().db)
    const { id } = await f.courses.create(ctx, courseInput({ languages: ['en'] }))
    const m = await f.courses.addModule(ctx, id, { titles: { en: 'M' } })
    const problems = async (input: Parameters<typeof f.courses.addLesson>[2]) => {
      try {
        await f.courses.addLesson(ctx, m.id, input)
        return []
      } catch (e) {
        assert.ok(e instanceof CourseInvalidError)
        return e.problems.map((p) => `${p.field}:${p.problem}`)
      }
    }
    assert.deepEqual(await problems({ kind: 'video', texts: { en: { title: 'V', bodyMarkdown: '' } } }), [
      'videoUrl:required',
    ])
    const http = { kind: 'video', videoUrl: 'http://x.kz/v', texts: { en: { title: 'V', bodyMarkdown: '' } } } as const
    assert.deepEqual(await problems(http), ['videoUrl:format'])
    assert.deepEqual(await problems({ kind: 'text', texts: { en: { title: 'T', bodyMarkdown: ' ' } } }), [
      'texts.en.bodyMarkdown:required',
    ])
    assert.deepEqual(await problems({ ...http, videoUrl: 'https://video.example.kz/v/1' }), [])
  })
})
