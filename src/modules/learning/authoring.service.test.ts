// Authoring service additions (issue 5, T-3.1.1; T-4.5.1 for why deletion stops at publication): modules and
// lessons are edited and deleted by authors only, deletion only while the course is a draft, positions stay
// dense, every change leaves an audit entry (ids only) in the same transaction; the editor's read model and
// the "my courses" list see only what the actor may change.
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { describeEachDatabase } from '../../../test/database'
import { DeleteNotAllowedError } from './authoring.errors'
import { AUTHORING_PAGE_SIZE, createAuthoringService } from './authoring.service'
import { CourseInvalidError, CourseNotFoundError, NotAllowedError } from './learning.errors'
import { courseInput, learningFixtures, publishedCourse } from './test-fixtures'

const f = learningFixtures()
const authoring = createAuthoringService()

describeEachDatabase('authoring service', (get) => {
  async function auditOf(courseId: string) {
    return get()
      .db.selectFrom('audit_log')
      .select(['action', 'data'])
      .where('target_id', '=', courseId)
      .orderBy('seq')
      .execute()
  }

  it('edits a module’s titles and a lesson’s kind, video and texts, with audit events that carry ids only', async () => {
    const db = get().db
    const ctx = f.ctx(db)
    const { id } = await f.courses.create(ctx, courseInput({ languages: ['kk', 'ru'] }))
    const m = await f.courses.addModule(ctx, id, { titles: { kk: 'Кіріспе', ru: 'Введение' } })
    const texts = { kk: { title: 'Сабақ', bodyMarkdown: 'Мәтін' }, ru: { title: 'Урок', bodyMarkdown: 'Текст' } }
    const l = await f.courses.addLesson(ctx, m.id, { kind: 'text', texts })
    await assert.rejects(
      f.courses.updateModule(ctx, m.id, { titles: { kk: 'Жаңа' } }),
      (e: unknown) => e instanceof CourseInvalidError && e.problems[0]?.field === 'titles.ru',
    )
    await f.courses.updateModule(ctx, m.id, { titles: { kk: 'Жаңа кіріспе', ru: 'Новое введение' } })
    await f.courses.updateLesson(ctx, l.id, {
      kind: 'video',
      videoUrl: 'https://video.example.kz/1',
      required: false,
      durationMinutes: 25,
      texts: { kk: { title: 'Бейне', bodyMarkdown: '' }, ru: { title: 'Видео', bodyMarkdown: '' } },
    })
    const course = await authoring.course(ctx, id)
    assert.deepEqual(course.modules[0]!.titles, { kk: 'Жаңа кіріспе', ru: 'Новое введение' })
    assert.deepEqual(course.modules[0]!.lessons[0], {
      id: l.id,
      kind: 'video',
      videoUrl: 'https://video.example.kz/1',
      required: false,
      durationMinutes: 25,
      texts: { kk: { title: 'Бейне', bodyMarkdown: '' }, ru: { title: 'Видео', bodyMarkdown: '' } },
    })
    const audit = await auditOf(id)
    assert.deepEqual(
      audit.slice(-2).map((a) => a.action),
      ['course.module_updated', 'course.lesson_updated'],
    )
    assert.deepEqual(audit.at(-1)!.data, { moduleId: m.id, lessonId: l.id })
    assert.ok(!JSON.stringify(audit).includes('Бейне'), 'no course text in the audit log')
  })

  it('deletes modules and lessons of a draft only, keeping positions dense', async () => {
    const db = get().db
    const ctx = f.ctx(db)
    const { id } = await f.courses.create(ctx, courseInput({ languages: ['kk'] }))
    const [a, b, c] = [
      await f.courses.addModule(ctx, id, { titles: { kk: 'A' } }),
      await f.courses.addModule(ctx, id, { titles: { kk: 'B' } }),
      await f.courses.addModule(ctx, id, { titles: { kk: 'C' } }),
    ]
    const t = (x: string) => ({ kk: { title: x, bodyMarkdown: x } })
    const l1 = await f.courses.addLesson(ctx, a!.id, { kind: 'text', texts: t('1') })
    const l2 = await f.courses.addLesson(ctx, a!.id, { kind: 'text', texts: t('2') })
    await f.courses.addLesson(ctx, a!.id, { kind: 'text', texts: t('3') })
    await f.courses.deleteModule(ctx, b!.id)
    await f.courses.deleteLesson(ctx, l2.id)
    const positions = async (table: 'course_modules' | 'lessons', column: 'course_id' | 'module_id', of: string) =>
      (
        await db
          .withTables<{ [k: string]: { id: string; position: number; course_id: string; module_id: string } }>()
          .selectFrom(table)
          .select(['id', 'position'])
          .where(column, '=', of)
          .orderBy('position')
          .execute()
      ).map((r) => `${r.id === a!.id || r.id === c!.id || r.id === l1.id ? r.id : 'other'}@${r.position}`)
    assert.deepEqual(await positions('course_modules', 'course_id', id), [`${a!.id}@0`, `${c!.id}@1`])
    assert.deepEqual((await positions('lessons', 'module_id', a!.id)).slice(0, 1), [`${l1.id}@0`])
    assert.equal((await positions('lessons', 'module_id', a!.id)).length, 2)
    await f.courses.deleteModule(ctx, c!.id)
    await f.courses.publish(ctx, id)
    await assert.rejects(f.courses.deleteLesson(ctx, l1.id), DeleteNotAllowedError)
    await assert.rejects(f.courses.deleteModule(ctx, a!.id), DeleteNotAllowedError)
    await f.courses.archive(ctx, id)
    await assert.rejects(f.courses.deleteLesson(ctx, l1.id), DeleteNotAllowedError, 'archived courses keep theirs too')
    const actions = (await auditOf(id)).map((r) => r.action)
    assert.deepEqual(
      actions.filter((x) => x.endsWith('_deleted')),
      ['course.module_deleted', 'course.lesson_deleted', 'course.module_deleted'],
    )
  })

  it('keeps a published course complete when a lesson is edited', async () => {
    const db = get().db
    const { lessonId } = await publishedCourse(f, db, courseInput({ languages: ['ru'] }))
    await assert.rejects(
      f.courses.updateLesson(f.ctx(db), lessonId, { kind: 'text', texts: { ru: { title: 'Урок', bodyMarkdown: '' } } }),
      CourseInvalidError,
    )
    await f.courses.updateLesson(f.ctx(db), lessonId, {
      kind: 'quiz',
      texts: { ru: { title: 'Тест', bodyMarkdown: '' } },
    })
  })

  it('lets only authors and admins edit or delete; others see no course at all', async () => {
    const db = get().db
    const author = await f.user(db, 'instructor')
    const { id } = await f.courses.create(f.ctx(db, author), courseInput({ languages: ['kk'] }))
    const m = await f.courses.addModule(f.ctx(db, author), id, { titles: { kk: 'M' } })
    const l = await f.courses.addLesson(f.ctx(db, author), m.id, {
      kind: 'text',
      texts: { kk: { title: 'L', bodyMarkdown: 'B' } },
    })
    for (const actor of [await f.user(db, 'instructor'), await f.user(db, 'learner'), null]) {
      const ctx = f.ctx(db, actor)
      await assert.rejects(f.courses.updateModule(ctx, m.id, { titles: { kk: 'X' } }), NotAllowedError)
      await assert.rejects(
        f.courses.updateLesson(ctx, l.id, { kind: 'text', texts: { kk: { title: 'X', bodyMarkdown: 'X' } } }),
        NotAllowedError,
      )
      await assert.rejects(f.courses.deleteLesson(ctx, l.id), NotAllowedError)
      await assert.rejects(f.courses.deleteModule(ctx, m.id), NotAllowedError)
      await assert.rejects(f.courses.setCover(ctx, id, 'covers/x.webp'), NotAllowedError)
      await assert.rejects(authoring.course(ctx, id), CourseNotFoundError)
    }
    await assert.rejects(authoring.course(f.ctx(db, author), 'not-a-uuid'), CourseNotFoundError)
    const admin = await f.user(db, 'admin')
    assert.equal((await authoring.course(f.ctx(db, admin), id)).modules.length, 1)
    await f.courses.deleteLesson(f.ctx(db, admin), l.id)
    assert.equal(await authoring.list(f.ctx(db, await f.user(db, 'learner')), 1), null)
  })

  it('lists an instructor’s courses (created or taught) in pages, the reader’s language first', async () => {
    const db = get().db
    const me = await f.user(db, 'instructor')
    const someone = await f.user(db, 'instructor')
    for (let i = 0; i < AUTHORING_PAGE_SIZE + 1; i++) {
      f.clock.advance(1000)
      await f.courses.create(f.ctx(db, me), courseInput({ title: { kk: `Курс ${i}`, ru: `Курс-ru ${i}` } }))
    }
    const theirs = await f.courses.create(f.ctx(db, someone), courseInput({ languages: ['en'] }))
    await f.courses.create(f.ctx(db, someone), courseInput())
    await f.courses.setInstructors(f.ctx(db), theirs.id, [{ userId: me.id, displayName: 'Мен' }])
    const first = (await authoring.list(f.ctx(db, me, 'ru'), 1))!
    assert.equal(first.total, AUTHORING_PAGE_SIZE + 2)
    assert.equal(first.pageCount, 2)
    assert.equal(first.items.length, AUTHORING_PAGE_SIZE)
    assert.ok(first.items.some((c) => c.title.startsWith('Курс-ru') && c.locale === 'ru'))
    const second = (await authoring.list(f.ctx(db, me, 'ru'), 2))!
    assert.equal(second.items.length, 2)
    const english = [...first.items, ...second.items].find((c) => c.id === theirs.id)!
    assert.equal(english.locale, 'en', 'a course without the reader’s language shows its own')
    assert.deepEqual((await authoring.list(f.ctx(db, me), 9))!.items, [])
  })
})
