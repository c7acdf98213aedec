// The learner's side (issue 5, T-3.1.1, T-4.5): enrolment in free published courses only (idempotent, audited with
// ids), lessons for enrolled learners, last lesson remembered, progress over required lessons, completion once in
// the same transaction with the learning events told to the injected listener inside it.
import assert from 'node:assert/strict'
import { it } from 'node:test'
import type { LearningTables } from './learning.tables'
import { describeEachDatabase } from '../../../test/database'
import { courseFacts } from './course-facts'
import {
  CourseNotFoundError,
  EnrolmentClosedError,
  LessonNotFoundError,
  NotEnrolledError,
  QuizLessonError,
} from './learning.errors'
import { courseInput, courseWithQuiz, learningFixtures, publishedCourse } from './test-fixtures'

const f = learningFixtures()

describeEachDatabase('learner: enrolment and progress', (get) => {
  it('enrols in a free published course once; re-enrolling changes nothing; the audit entry holds ids only', async () => {
    const db = get().db
    const course = await publishedCourse(f, db)
    const learner = await f.user(db, 'learner')
    const first = await f.learner.enrol(f.ctx(db, learner), course.slug)
    const again = await f.learner.enrol(f.ctx(db, learner), course.slug)
    assert.equal(first.created, true)
    assert.equal(again.created, false)
    assert.equal(again.enrolmentId, first.enrolmentId)
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'enrolment.created')
      .where('target_id', '=', first.enrolmentId)
      .execute()
    assert.equal(rows.length, 1)
    assert.deepEqual(rows[0]!.data, { courseId: course.id })
    const state = await f.learner.enrolment(f.ctx(db, learner), course.id)
    assert.equal(state?.status, 'active')
    assert.equal(state?.progress.percent, 0)
  })

  it('refuses paid, draft and archived courses, and anonymous visitors', async () => {
    const db = get().db
    const learner = await f.user(db, 'learner')
    const paid = await publishedCourse(f, db, courseInput({ priceKzt: 15000 }))
    await assert.rejects(f.learner.enrol(f.ctx(db, learner), paid.slug), EnrolmentClosedError)
    const draft = await f.courses.create(f.ctx(db), courseInput())
    await assert.rejects(f.learner.enrol(f.ctx(db, learner), draft.slug), CourseNotFoundError)
    const archived = await publishedCourse(f, db)
    await f.courses.archive(f.ctx(db), archived.id)
    await assert.rejects(f.learner.enrol(f.ctx(db, learner), archived.slug), EnrolmentClosedError)
    await assert.rejects(f.learner.enrol(f.ctx(db, null), paid.slug), NotEnrolledError)
    const n = await db
      .withTables<LearningTables>()
      .selectFrom('enrolments')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('user_id', '=', learner.id)
      .executeTakeFirst()
    assert.equal(Number(n?.n), 0)
  })

  it('opens lessons only for enrolled learners, remembers the last one, and links previous and next', async () => {
    const db = get().db
    const c = await courseWithQuiz(f, db)
    const learner = await f.user(db, 'learner')
    const other = await f.user(db, 'learner')
    await assert.rejects(f.learner.lesson(f.ctx(db, learner), c.slug, c.textIds[0]), NotEnrolledError)
    await f.learner.enrol(f.ctx(db, learner), c.slug)
    assert.equal(await f.learner.resume(f.ctx(db, learner), c.slug), c.textIds[0])
    const page = await f.learner.lesson(f.ctx(db, learner, 'ru'), c.slug, c.videoId)
    assert.equal(page.lesson.title, 'Урок video')
    assert.equal(page.lesson.videoUrl, 'https://www.youtube-nocookie.com/embed/abc123')
    assert.equal(page.prev?.id, c.textIds[0])
    assert.equal(page.next?.id, c.textIds[1])
    assert.equal(await f.learner.resume(f.ctx(db, learner), c.slug), c.videoId)
    await assert.rejects(f.learner.lesson(f.ctx(db, other), c.slug, c.videoId), NotEnrolledError)
    const elsewhere = await publishedCourse(f, db)
    await assert.rejects(f.learner.lesson(f.ctx(db, learner), c.slug, elsewhere.lessonId), LessonNotFoundError)
  })

  it('counts required lessons only; a quiz is not marked done by hand', async () => {
    const db = get().db
    const c = await courseWithQuiz(f, db)
    const learner = await f.user(db, 'learner')
    await f.learner.enrol(f.ctx(db, learner), c.slug)
    await f.learner.markDone(f.ctx(db, learner), c.slug, c.videoId)
    let state = await f.learner.enrolment(f.ctx(db, learner), c.id)
    assert.deepEqual(state?.progress, { done: 0, required: 3, percent: 0 }, 'the optional video does not count')
    await f.learner.markDone(f.ctx(db, learner), c.slug, c.textIds[0])
    await f.learner.markDone(f.ctx(db, learner), c.slug, c.textIds[0])
    state = await f.learner.enrolment(f.ctx(db, learner), c.id)
    assert.deepEqual(state?.progress, { done: 1, required: 3, percent: 33 })
    await assert.rejects(f.learner.markDone(f.ctx(db, learner), c.slug, c.quizId), QuizLessonError)
  })

  it('lets a quiz lesson without questions yet be marked done, so the course can still be completed', async () => {
    const db = get().db
    const ctx = f.ctx(db)
    const input = courseInput()
    const { id, slug } = await f.courses.create(ctx, input)
    const m = await f.courses.addModule(ctx, id, { titles: { kk: 'М', ru: 'М' } })
    const texts = {
      kk: { title: 'Тест', bodyMarkdown: 'Сұрақтар кейін.' },
      ru: { title: 'Тест', bodyMarkdown: 'Вопросы позже.' },
    }
    const q = await f.courses.addLesson(ctx, m.id, { kind: 'quiz', texts })
    await f.courses.publish(ctx, id)
    const learner = await f.user(db, 'learner')
    await f.learner.enrol(f.ctx(db, learner), slug)
    const r = await f.learner.markDone(f.ctx(db, learner), slug, q.id)
    assert.equal(r.courseCompleted, true)
  })

  it('completes once when the last required lesson is done, telling the listener inside the transaction', async () => {
    const db = get().db
    const course = await publishedCourse(f, db)
    const learner = await f.user(db, 'learner')
    const { enrolmentId } = await f.learner.enrol(f.ctx(db, learner), course.slug)
    f.events.length = 0
    const r = await f.learner.markDone(f.ctx(db, learner), course.slug, course.lessonId)
    assert.equal(r.courseCompleted, true)
    assert.deepEqual(
      f.events.map((e) => [e.type, e.inTransaction, e.userId, e.courseId]),
      [
        ['lesson_completed', true, learner.id, course.id],
        ['course_completed', true, learner.id, course.id],
      ],
    )
    assert.equal((f.events[1] as { enrolmentId: string }).enrolmentId, enrolmentId)
    const again = await f.learner.markDone(f.ctx(db, learner), course.slug, course.lessonId)
    assert.equal(again.courseCompleted, false)
    assert.equal(f.events.length, 2, 'nothing told twice')
    const my = await f.learner.myLearning(f.ctx(db, learner))
    assert.equal(my.completed.length, 1)
    assert.equal(my.completed[0]!.progress.percent, 100)
    assert.deepEqual(my.completed[0]!.completedAt, f.clock.now())
  })

  it('rolls the completion back when the listener fails (same transaction)', async () => {
    const db = get().db
    const course = await publishedCourse(f, db)
    const learner = await f.user(db, 'learner')
    await f.learner.enrol(f.ctx(db, learner), course.slug)
    f.listener.override = async (_ctx, e) => {
      if (e.type === 'course_completed') throw new Error('certificate could not be issued')
    }
    try {
      await assert.rejects(f.learner.markDone(f.ctx(db, learner), course.slug, course.lessonId), /certificate/)
    } finally {
      f.listener.override = null
    }
    const state = await f.learner.enrolment(f.ctx(db, learner), course.id)
    assert.equal(state?.status, 'active')
    assert.equal(state?.progress.done, 0)
  })

  it('keeps learners apart: My learning lists only one’s own courses, current and completed', async () => {
    const db = get().db
    const a = await publishedCourse(f, db)
    const b = await publishedCourse(f, db)
    const learner = await f.user(db, 'learner')
    const other = await f.user(db, 'learner')
    await f.learner.enrol(f.ctx(db, learner), a.slug)
    await f.learner.enrol(f.ctx(db, learner), b.slug)
    await f.learner.markDone(f.ctx(db, learner), b.slug, b.lessonId)
    await f.learner.enrol(f.ctx(db, other), a.slug)
    const mine = await f.learner.myLearning(f.ctx(db, learner, 'ru'))
    assert.deepEqual(
      mine.current.map((e) => e.slug),
      [a.slug],
    )
    assert.deepEqual(
      mine.completed.map((e) => e.slug),
      [b.slug],
    )
    assert.match(mine.current[0]!.title, /^Course ru/)
    assert.equal(mine.current[0]!.continueLessonId, a.lessonId)
    const theirs = await f.learner.myLearning(f.ctx(db, other))
    assert.deepEqual(
      theirs.current.map((e) => e.slug),
      [a.slug],
    )
    assert.equal(theirs.completed.length, 0)
  })

  it('tells the achievements module a course’s facts by id', async () => {
    const db = get().db
    const course = await publishedCourse(
      f,
      db,
      courseInput({ durationHours: 24, title: { kk: 'Курс kk', ru: 'Курс ru' } }),
    )
    assert.deepEqual(await courseFacts(db, course.id), {
      id: course.id,
      slug: course.slug,
      languages: ['kk', 'ru'],
      durationHours: 24,
      titles: { kk: 'Курс kk', ru: 'Курс ru' },
    })
    assert.equal(await courseFacts(db, '00000000-0000-4000-8000-000000000000'), undefined)
  })
})
