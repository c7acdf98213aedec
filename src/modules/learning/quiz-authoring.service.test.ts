// The quiz editor's service (issue 5 "Instructors and admins", T-3.1.1; B-3.4 need-to-know): a quiz lesson's quiz
// read with every text, and changed one step at a time through the quiz service — its rules, and its behaviour after
// an edit (open attempts dropped, past scores and a passed quiz kept). Unchanged questions keep their ids, so results
// per question survive a reorder or another question's edit. Only the course's authors and admins reach a quiz.
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { describeEachDatabase } from '../../../test/database'
import type { Db } from '../../platform/db/database'
import {
  CourseNotFoundError,
  LessonNotFoundError,
  OrderInvalidError,
  QuizChangedError,
  QuizInvalidError,
} from './learning.errors'
import type { LearningTables } from './learning.tables'
import { createQuizAuthoringService, QUIZ_DEFAULTS } from './quiz-authoring.service'
import type { QuestionInput } from './quizzes.service'
import { courseInput, courseWithQuiz, learningFixtures } from './test-fixtures'

const f = learningFixtures()
const qa = createQuizAuthoringService({ quizzes: f.quizzes })

const single = (kk: string, ru: string): QuestionInput => ({
  kind: 'single',
  prompt: { kk, ru },
  options: [
    { label: { kk: 'Иә', ru: 'Да' }, correct: true },
    { label: { kk: 'Жоқ', ru: 'Нет' }, correct: false },
  ],
})

/** A draft course in kk and ru with a quiz lesson that has no questions yet. */
async function emptyQuiz(db: Db) {
  const ctx = f.ctx(db)
  const { id } = await f.courses.create(ctx, courseInput())
  const { id: moduleId } = await f.courses.addModule(ctx, id, { titles: { kk: 'Модуль', ru: 'Модуль' } })
  const text = await f.courses.addLesson(ctx, moduleId, {
    kind: 'text',
    texts: { kk: { title: 'Мәтін', bodyMarkdown: 'Мәтін' }, ru: { title: 'Текст', bodyMarkdown: 'Текст' } },
  })
  const quiz = await f.courses.addLesson(ctx, moduleId, {
    kind: 'quiz',
    texts: { kk: { title: 'Тест', bodyMarkdown: '' }, ru: { title: 'Тест', bodyMarkdown: '' } },
  })
  return { courseId: id, quizId: quiz.id, textId: text.id }
}

describeEachDatabase('quiz authoring service', (get) => {
  it('builds a quiz from nothing: defaults until the first question, then each step saved through the quiz service', async () => {
    const db = get().db
    const c = await emptyQuiz(db)
    const ctx = f.ctx(db)
    const empty = await qa.quiz(ctx, c.quizId)
    assert.equal(empty.saved, false)
    assert.deepEqual(
      { passPercent: empty.passPercent, maxAttempts: empty.maxAttempts, shuffleOptions: empty.shuffleOptions },
      QUIZ_DEFAULTS,
    )
    await assert.rejects(qa.saveSettings(ctx, c.quizId, { ...QUIZ_DEFAULTS, passPercent: 50 }), (e: unknown) => {
      assert.ok(e instanceof QuizInvalidError)
      assert.deepEqual(e.problems, [{ field: 'questions', problem: 'required' }])
      return true
    })
    const a = await qa.addQuestion(ctx, c.quizId, single('Бірінші?', 'Первый?'))
    const b = await qa.addQuestion(ctx, c.quizId, {
      kind: 'short',
      prompt: { kk: 'Ақын?', ru: 'Поэт?' },
      acceptedAnswers: ['Абай', '  ', ' Абай Құнанбайұлы '],
    })
    await qa.saveSettings(ctx, c.quizId, { passPercent: 50, maxAttempts: 3, shuffleOptions: true })
    const quiz = await qa.quiz(ctx, c.quizId)
    assert.equal(quiz.saved, true)
    assert.deepEqual([quiz.passPercent, quiz.maxAttempts, quiz.shuffleOptions], [50, 3, true])
    assert.deepEqual(
      quiz.questions.map((q) => q.id),
      [a.id, b.id],
      'settings keep the questions and their ids',
    )
    assert.deepEqual(quiz.questions[1]!.acceptedAnswers, ['Абай', 'Абай Құнанбайұлы'])
    assert.deepEqual(
      quiz.questions[0]!.options.map((o) => [o.label.ru, o.correct]),
      [
        ['Да', true],
        ['Нет', false],
      ],
    )
    // The service's rules, named by their place in the whole quiz; nothing changes.
    await assert.rejects(
      qa.updateQuestion(ctx, c.quizId, a.id, { ...single('', 'Первый?'), options: [] }),
      (e: unknown) => {
        assert.ok(e instanceof QuizInvalidError)
        assert.deepEqual(e.problems.map((p) => `${p.field}:${p.problem}`).sort(), [
          'questions.0.options:one_correct',
          'questions.0.options:too_few',
          'questions.0.prompt.kk:required',
        ])
        return true
      },
    )
    assert.deepEqual(await qa.quiz(ctx, c.quizId), quiz)
    await assert.rejects(qa.addQuestion(ctx, c.textId, single('?', '?')), LessonNotFoundError)
    await assert.rejects(qa.updateQuestion(ctx, c.quizId, c.textId, single('?', '?')), LessonNotFoundError)
  })

  it('keeps the ids of unchanged questions: reordering and editing another keep their results per question', async () => {
    const db = get().db
    const c = await courseWithQuiz(f, db)
    const teacher = await f.user(db, 'instructor')
    await f.courses.setInstructors(f.ctx(db), c.id, [{ userId: teacher.id, displayName: 'Мұғалім' }])
    const ctx = f.ctx(db, teacher)
    const learner = await f.user(db, 'learner')
    await f.learner.enrol(f.ctx(db, learner), c.slug)
    const { attemptId } = await f.quizzes.start(f.ctx(db, learner), c.slug, c.quizId)
    const open = await f.quizzes.openAttempt(f.ctx(db, learner), c.slug, c.quizId, attemptId)
    const answers = Object.fromEntries(
      open.questions.map((q) => [q.id, q.kind === 'short' ? { text: 'Абай' } : { optionIds: [] }]),
    )
    await f.quizzes.submit(f.ctx(db, learner), c.slug, c.quizId, attemptId, answers)

    const before = await qa.quiz(ctx, c.quizId)
    const [q1, q2, q3] = before.questions.map((q) => q.id)
    await qa.reorderQuestions(ctx, c.quizId, [q3!, q1!, q2!])
    let now = await qa.quiz(ctx, c.quizId)
    assert.deepEqual(
      now.questions.map((q) => q.id),
      [q3, q1, q2],
    )
    assert.equal(now.version, before.version + 1)
    await assert.rejects(qa.reorderQuestions(ctx, c.quizId, [q1!, q2!]), OrderInvalidError)
    await assert.rejects(qa.reorderQuestions(ctx, c.quizId, [q1!, q1!, q2!]), OrderInvalidError)

    // Editing the first question makes it a new question; the others keep theirs.
    const edited = await qa.updateQuestion(ctx, c.quizId, q1!, single('Жаңа?', 'Новый?'))
    now = await qa.quiz(ctx, c.quizId)
    assert.notEqual(edited.id, q1)
    assert.deepEqual(
      now.questions.map((q) => q.id),
      [q3, edited.id, q2],
    )
    const results = await f.quizzes.results(f.ctx(db, teacher, 'ru'), c.id)
    assert.deepEqual(
      results.quizzes[0]!.questions.map((q) => [q.prompt, q.answers, q.correct]),
      [
        ['Великий поэт?', 1, 1],
        ['Новый?', 0, 0],
        ['Простые числа?', 1, 0],
      ],
    )
    // The past attempt keeps its score; the changed question shows as changed.
    const past = await f.quizzes.result(f.ctx(db, learner), c.slug, c.quizId, attemptId)
    assert.equal(past.scorePercent, 33)
    assert.equal(past.questions.find((q) => q.id === q1)!.prompt, null)
    assert.equal(past.questions.find((q) => q.id === q3)!.prompt !== null, true)
  })

  it('drops an open attempt when the quiz changes, and never deletes the last question', async () => {
    const db = get().db
    const c = await courseWithQuiz(f, db)
    const learner = await f.user(db, 'learner')
    await f.learner.enrol(f.ctx(db, learner), c.slug)
    const { attemptId } = await f.quizzes.start(f.ctx(db, learner), c.slug, c.quizId)
    const quiz = await qa.quiz(f.ctx(db), c.quizId)
    await qa.deleteQuestion(f.ctx(db), c.quizId, quiz.questions[1]!.id)
    await assert.rejects(f.quizzes.submit(f.ctx(db, learner), c.slug, c.quizId, attemptId, {}), QuizChangedError)
    const after = await qa.quiz(f.ctx(db), c.quizId)
    assert.deepEqual(
      after.questions.map((q) => q.id),
      [quiz.questions[0]!.id, quiz.questions[2]!.id],
    )
    await qa.deleteQuestion(f.ctx(db), c.quizId, after.questions[0]!.id)
    // The last question stays: a quiz needs one (the quiz service's rule).
    await assert.rejects(qa.deleteQuestion(f.ctx(db), c.quizId, after.questions[1]!.id), (e: unknown) => {
      assert.ok(e instanceof QuizInvalidError)
      assert.deepEqual(e.problems, [{ field: 'questions', problem: 'required' }])
      return true
    })
    assert.equal((await qa.quiz(f.ctx(db), c.quizId)).questions.length, 1)
  })

  it('answers anyone but the course’s authors and admins that the course does not exist, and audits ids only', async () => {
    const db = get().db
    const c = await emptyQuiz(db)
    for (const who of [await f.user(db, 'instructor'), await f.user(db, 'learner'), await f.user(db, 'dpo')]) {
      await assert.rejects(qa.quiz(f.ctx(db, who), c.quizId), CourseNotFoundError)
      await assert.rejects(qa.addQuestion(f.ctx(db, who), c.quizId, single('?', '?')), CourseNotFoundError)
    }
    await assert.rejects(qa.quiz(f.ctx(db, null), c.quizId), CourseNotFoundError)
    const admin = await f.user(db, 'admin')
    await qa.addQuestion(f.ctx(db, admin), c.quizId, single('Құпия мәтін?', 'Секретный текст?'))
    const rows = await db
      .withTables<{ audit_log: { action: string; target_id: string; data: unknown } }>()
      .selectFrom('audit_log')
      .select(['action', 'data'])
      .where('target_id', '=', c.courseId)
      .where('action', '=', 'quiz.set')
      .execute()
    assert.equal(rows.length, 1)
    const data = typeof rows[0]!.data === 'string' ? JSON.parse(rows[0]!.data) : rows[0]!.data
    assert.deepEqual(Object.keys(data as object).sort(), ['lessonId', 'questions', 'version'])
    assert.ok(!JSON.stringify(data).includes('Құпия'), 'no question text in the audit log')
    const n = await db
      .withTables<LearningTables>()
      .selectFrom('quiz_questions')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('lesson_id', '=', c.quizId)
      .executeTakeFirst()
    assert.equal(Number(n?.n), 1)
  })
})
