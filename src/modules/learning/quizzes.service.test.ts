// Quizzes (issue 5): authoring validation, options shuffled per attempt and stored, immediate feedback, score and
// pass mark (met exactly passes), all wrong, partial multiple choice (no credit), empty answers, attempts limit held
// in the transaction (no double submit), a passed quiz counts as done, and a quiz edited after attempts.
import assert from 'node:assert/strict'
import { it } from 'node:test'
import type { LearningTables } from './learning.tables'
import { describeEachDatabase } from '../../../test/database'
import type { Actor } from '../../platform/context'
import type { Db } from '../../platform/db/database'
import {
  AttemptClosedError,
  AttemptsExhaustedError,
  NotAllowedError,
  NotEnrolledError,
  QuizChangedError,
  QuizInvalidError,
} from './learning.errors'
import type { SubmittedAnswers } from './quizzes.service'
import { courseWithQuiz, learningFixtures, quizInput } from './test-fixtures'

const f = learningFixtures()

/** The questions of an open attempt, and answers built from their (shown) labels. */
async function take(
  db: Db,
  learner: Actor,
  c: { slug: string; quizId: string },
  pick: (q: { kind: string; labels: string[] }) => string[] | string,
) {
  const { attemptId } = await f.quizzes.start(f.ctx(db, learner, 'ru'), c.slug, c.quizId)
  const open = await f.quizzes.openAttempt(f.ctx(db, learner, 'ru'), c.slug, c.quizId, attemptId)
  const answers: SubmittedAnswers = {}
  for (const q of open.questions) {
    const choice = pick({ kind: q.kind, labels: q.options.map((o) => o.label) })
    answers[q.id] =
      typeof choice === 'string'
        ? { text: choice }
        : { optionIds: q.options.filter((o) => choice.includes(o.label)).map((o) => o.id) }
  }
  return { attemptId, open, answers }
}

const allRight = (q: { kind: string }) =>
  q.kind === 'single' ? ['Астана'] : q.kind === 'multiple' ? ['2', '7'] : '  абай '

describeEachDatabase('quizzes', (get) => {
  it('refuses a quiz that breaks the rules, and anyone but the course’s authors', async () => {
    const db = get().db
    const c = await courseWithQuiz(f, db)
    const bad = quizInput({ passPercent: 101, maxAttempts: 0 })
    bad.questions[0]!.options![1]!.correct = true
    bad.questions[2]!.acceptedAnswers = ['  ']
    await assert.rejects(f.quizzes.setQuiz(f.ctx(db), c.quizId, bad), (e: unknown) => {
      assert.ok(e instanceof QuizInvalidError)
      assert.deepEqual(e.problems.map((p) => `${p.field}:${p.problem}`).sort(), [
        'maxAttempts:out_of_range',
        'passPercent:out_of_range',
        'questions.0.options:one_correct',
        'questions.2.acceptedAnswers:required',
      ])
      return true
    })
    await assert.rejects(f.quizzes.setQuiz(f.ctx(db), c.textIds[0], quizInput()), QuizInvalidError)
    const stranger = await f.user(db, 'instructor')
    await assert.rejects(f.quizzes.setQuiz(f.ctx(db, stranger), c.quizId, quizInput()), NotAllowedError)
  })

  it('shuffles options per attempt and stores the order: a reload shows the same order', async () => {
    const db = get().db
    const c = await courseWithQuiz(f, db)
    const learner = await f.user(db, 'learner')
    await assert.rejects(f.quizzes.start(f.ctx(db, learner), c.slug, c.quizId), NotEnrolledError)
    await f.learner.enrol(f.ctx(db, learner), c.slug)
    const { attemptId } = await f.quizzes.start(f.ctx(db, learner), c.slug, c.quizId)
    const again = await f.quizzes.start(f.ctx(db, learner), c.slug, c.quizId)
    assert.equal(again.attemptId, attemptId, 'one open attempt')
    const a = await f.quizzes.openAttempt(f.ctx(db, learner), c.slug, c.quizId, attemptId)
    const b = await f.quizzes.openAttempt(f.ctx(db, learner), c.slug, c.quizId, attemptId)
    assert.deepEqual(a, b)
    assert.deepEqual(
      a.questions.map((q) => q.options.length),
      [3, 3, 0],
    )
    const row = await db
      .withTables<LearningTables>()
      .selectFrom('quiz_attempts')
      .select('option_order')
      .where('id', '=', attemptId)
      .executeTakeFirstOrThrow()
    assert.deepEqual(
      row.option_order[a.questions[0]!.id],
      a.questions[0]!.options.map((o) => o.id),
    )
  })

  it('all right passes with 100 %, tells quiz_passed, and the quiz lesson counts as done', async () => {
    const db = get().db
    const c = await courseWithQuiz(f, db)
    const learner = await f.user(db, 'learner')
    await f.learner.enrol(f.ctx(db, learner), c.slug)
    f.events.length = 0
    const { attemptId, answers } = await take(db, learner, c, allRight)
    const r = await f.quizzes.submit(f.ctx(db, learner, 'ru'), c.slug, c.quizId, attemptId, answers)
    assert.equal(r.scorePercent, 100)
    assert.equal(r.passed, true)
    assert.deepEqual(
      r.questions.map((q) => q.correct),
      [true, true, true],
    )
    assert.equal(r.questions[0]!.explanation, 'Астана — столица с 1997 года.')
    assert.deepEqual(
      f.events.map((e) => e.type),
      ['quiz_passed', 'lesson_completed'],
    )
    assert.equal((f.events[0] as { scorePercent: number }).scorePercent, 100)
    const state = await f.learner.enrolment(f.ctx(db, learner), c.id)
    assert.equal(state?.progress.done, 1)
  })

  it('all wrong scores 0 and shows what was right; partial multiple choice and empty answers score nothing', async () => {
    const db = get().db
    const c = await courseWithQuiz(f, db)
    const learner = await f.user(db, 'learner')
    await f.learner.enrol(f.ctx(db, learner), c.slug)
    const wrong = await take(db, learner, c, (q) =>
      q.kind === 'single' ? ['Алматы'] : q.kind === 'multiple' ? ['4'] : 'Пушкин',
    )
    const r = await f.quizzes.submit(f.ctx(db, learner, 'ru'), c.slug, c.quizId, wrong.attemptId, wrong.answers)
    assert.equal(r.scorePercent, 0)
    assert.equal(r.passed, false)
    const single = r.questions[0]!
    assert.deepEqual(
      single.options.filter((o) => o.correct).map((o) => o.label),
      ['Астана'],
    )
    assert.deepEqual(
      single.options.filter((o) => o.chosen).map((o) => o.label),
      ['Алматы'],
    )
    assert.deepEqual(r.questions[2]!.acceptedAnswers, ['Абай', 'Абай Құнанбайұлы'])
    const partial = await take(db, learner, c, (q) =>
      q.kind === 'single' ? ['Астана'] : q.kind === 'multiple' ? ['2'] : '',
    )
    const p = await f.quizzes.submit(f.ctx(db, learner), c.slug, c.quizId, partial.attemptId, partial.answers)
    assert.deepEqual(
      p.questions.map((q) => q.correct),
      [true, false, false],
    )
    assert.equal(p.scorePercent, 33)
    const empty = await take(db, learner, c, () => [])
    const e = await f.quizzes.submit(f.ctx(db, learner), c.slug, c.quizId, empty.attemptId, {})
    assert.equal(e.scorePercent, 0)
    assert.equal(
      e.questions.every((q) => !q.correct),
      true,
    )
    const state = await f.learner.enrolment(f.ctx(db, learner), c.id)
    assert.equal(state?.progress.done, 0, 'a failed quiz is not done')
  })

  it('passes a mark met exactly (2 of 3 right with 67 %)', async () => {
    const db = get().db
    const c = await courseWithQuiz(f, db, quizInput({ passPercent: 67 }))
    const learner = await f.user(db, 'learner')
    await f.learner.enrol(f.ctx(db, learner), c.slug)
    const t = await take(db, learner, c, (q) => (q.kind === 'multiple' ? ['2'] : allRight(q)))
    const r = await f.quizzes.submit(f.ctx(db, learner), c.slug, c.quizId, t.attemptId, t.answers)
    assert.equal(r.scorePercent, 67)
    assert.equal(r.passed, true)
  })

  it('enforces the attempts limit and refuses a second submit of the same attempt, even at once', async () => {
    const db = get().db
    const c = await courseWithQuiz(f, db, quizInput({ maxAttempts: 2 }))
    const learner = await f.user(db, 'learner')
    await f.learner.enrol(f.ctx(db, learner), c.slug)
    const first = await take(db, learner, c, () => [])
    const both = await Promise.allSettled([
      f.quizzes.submit(f.ctx(db, learner), c.slug, c.quizId, first.attemptId, first.answers),
      f.quizzes.submit(f.ctx(db, learner), c.slug, c.quizId, first.attemptId, first.answers),
    ])
    assert.equal(both.filter((x) => x.status === 'fulfilled').length, 1)
    const failed = both.find((x) => x.status === 'rejected')
    assert.ok(failed && failed.reason instanceof AttemptClosedError)
    const second = await take(db, learner, c, () => [])
    await f.quizzes.submit(f.ctx(db, learner), c.slug, c.quizId, second.attemptId, second.answers)
    await assert.rejects(f.quizzes.start(f.ctx(db, learner), c.slug, c.quizId), AttemptsExhaustedError)
    const summary = await f.quizzes.summary(f.ctx(db, learner), c.slug, c.quizId)
    assert.equal(summary?.attemptsUsed, 2)
    assert.equal(summary?.attemptsLeft, 0)
    const n = await db
      .withTables<LearningTables>()
      .selectFrom('quiz_answers')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('attempt_id', '=', first.attemptId)
      .executeTakeFirst()
    assert.equal(Number(n?.n), 3, 'answers stored once')
  })

  it('after an edit: past scores stay, a passed quiz stays done, an open attempt is dropped, new attempts use the new questions', async () => {
    const db = get().db
    const c = await courseWithQuiz(f, db)
    const learner = await f.user(db, 'learner')
    await f.learner.enrol(f.ctx(db, learner), c.slug)
    const passed = await take(db, learner, c, allRight)
    await f.quizzes.submit(f.ctx(db, learner), c.slug, c.quizId, passed.attemptId, passed.answers)
    const open = await take(db, learner, c, allRight)
    const edited = quizInput()
    edited.questions = edited.questions.slice(0, 1)
    await f.quizzes.setQuiz(f.ctx(db), c.quizId, edited)
    await assert.rejects(
      f.quizzes.submit(f.ctx(db, learner), c.slug, c.quizId, open.attemptId, open.answers),
      QuizChangedError,
    )
    const old = await f.quizzes.result(f.ctx(db, learner), c.slug, c.quizId, passed.attemptId)
    assert.equal(old.scorePercent, 100)
    assert.equal(old.questions.length, 3)
    assert.equal(old.questions[1]!.prompt, null, 'a removed question is shown as removed')
    assert.equal(old.questions[1]!.correct, true, 'its stored verdict stays')
    const state = await f.learner.enrolment(f.ctx(db, learner), c.id)
    assert.equal(state?.progress.done, 1)
    const next = await take(db, learner, c, allRight)
    assert.equal(next.open.questions.length, 1)
  })

  it('reads the quiz lesson once for its panel: the same standing and open attempt as summary and openAttempt', async () => {
    const db = get().db
    const c = await courseWithQuiz(f, db)
    const learner = await f.user(db, 'learner')
    await f.learner.enrol(f.ctx(db, learner), c.slug)
    const { attemptId } = await f.quizzes.start(f.ctx(db, learner), c.slug, c.quizId)
    let statements = 0
    const counted = db.withPlugin({
      transformQuery: (args) => {
        statements++
        return args.node
      },
      transformResult: async (args) => args.result,
    })
    const panel = await f.quizzes.panel(f.ctx(counted, learner, 'ru'), c.slug, c.quizId, { open: true })
    assert.ok(statements <= 7, `${statements} statements`)
    assert.deepEqual(panel.summary, await f.quizzes.summary(f.ctx(db, learner, 'ru'), c.slug, c.quizId))
    assert.deepEqual(panel.open, await f.quizzes.openAttempt(f.ctx(db, learner, 'ru'), c.slug, c.quizId, attemptId))
    const closed = await f.quizzes.panel(f.ctx(db, learner), c.slug, c.quizId, { open: false })
    assert.equal(closed.open, null)
    assert.equal(closed.summary?.openAttemptId, attemptId)
  })

  it('shows the course’s instructor results per question; another instructor and learners get nothing', async () => {
    const db = get().db
    const c = await courseWithQuiz(f, db)
    const teacher = await f.user(db, 'instructor')
    await f.courses.setInstructors(f.ctx(db), c.id, [{ userId: teacher.id, displayName: 'Teacher' }])
    for (const pick of [allRight, () => []]) {
      const learner = await f.user(db, 'learner')
      await f.learner.enrol(f.ctx(db, learner), c.slug)
      const t = await take(db, learner, c, pick)
      await f.quizzes.submit(f.ctx(db, learner), c.slug, c.quizId, t.attemptId, t.answers)
    }
    const view = await f.quizzes.results(f.ctx(db, teacher, 'ru'), c.id)
    assert.equal(view.quizzes.length, 1)
    assert.deepEqual(
      view.quizzes[0]!.questions.map((q) => [q.prompt, q.answers, q.correct]),
      [
        ['Столица Казахстана?', 2, 1],
        ['Простые числа?', 2, 1],
        ['Великий поэт?', 2, 1],
      ],
    )
    assert.equal(view.quizzes[0]!.passed, 1)
    for (const who of [await f.user(db, 'instructor'), await f.user(db, 'learner')])
      await assert.rejects(f.quizzes.results(f.ctx(db, who), c.id), /not found|No such course/i)
  })
})
