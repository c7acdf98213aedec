/**
 * Quizzes: authoring (`setQuiz`, used by the authoring pages through
 * quiz-authoring.service.ts, by tests and by demo content), taking them, and
 * results for the course's instructors.
 *
 * Taking: "start" opens an attempt whose option order is drawn once and
 * stored (a reload shows the same order); "submit" scores it (rules in
 * quiz-scoring.ts), stores every answer with right/wrong, and a pass makes
 * the quiz lesson done. The attempts limit and the one-submit rule hold in
 * the database transaction: the enrolment row is locked first, and closing
 * an attempt only succeeds while it is still open. Editing a quiz bumps its
 * version and drops attempts not yet submitted; submitted attempts keep
 * their scores and answers, and a passed quiz stays done.
 */
import { randomUUID } from 'node:crypto'
import type { AuditLog } from '../../platform/audit/index'
import { inTransaction, type Ctx, type Locale } from '../../platform/context'
import { findCourseById, findCourseBySlug, lessonTitles } from './catalogue.repository'
import { chooseLocale } from './catalogue.service'
import * as courses from './courses.repository'
import { ignoreLearningEvents, type LearningEventListener } from './learning.events'
import {
  AttemptClosedError,
  AttemptsExhaustedError,
  CourseNotFoundError,
  LessonNotFoundError,
  NotAllowedError,
  NotEnrolledError,
  QuizChangedError,
  QuizInvalidError,
  type Problem,
} from './learning.errors'
import { canEditCourse, canSeeLearners, isLearner } from './learning.policies'
import type { QuestionKind, Texts } from './learning.tables'
import { recordLessonDone, type ProgressDeps } from './progress'
import * as repo from './progress.repository'
import { matchQuestions, storedQuestions } from './quiz-identity'
import { openAttemptOf, summaryOf, textIn, type OpenAttempt, type QuizSummary } from './quiz-panel'
import { isAnswerCorrect, isPassed, scorePercent, shuffled } from './quiz-scoring'

export interface QuestionInput {
  kind: QuestionKind
  prompt: Texts
  explanation?: Texts
  /** Single and multiple choice: the options in order, with the right ones marked. */
  options?: { label: Texts; correct: boolean }[]
  /** Short answer: every accepted answer. */
  acceptedAnswers?: string[]
}

export interface QuizInput {
  /** 0–100: the score that passes (met exactly passes). */
  passPercent: number
  /** null = unlimited. */
  maxAttempts: number | null
  shuffleOptions: boolean
  questions: QuestionInput[]
}

export interface QuizServiceDeps {
  audit: Pick<AuditLog, 'record'>
  onEvent?: LearningEventListener
}

export type { AttemptQuestion, OpenAttempt, QuizSummary } from './quiz-panel'

export interface QuestionFeedback {
  id: string
  kind: QuestionKind | null
  /** null when the question was removed after the attempt (the stored verdict stays). */
  prompt: string | null
  correct: boolean
  options: { id: string; label: string; chosen: boolean; correct: boolean }[]
  textAnswer: string | null
  acceptedAnswers: string[]
  explanation: string | null
}

export interface AttemptResult {
  id: string
  number: number
  scorePercent: number
  passed: boolean
  passPercent: number
  correctCount: number
  questionCount: number
  submittedAt: Date
  locale: Locale
  questions: QuestionFeedback[]
}

export type SubmittedAnswers = Record<string, { optionIds?: readonly string[]; text?: string | null }>

export interface QuizResultsView {
  quizzes: {
    lessonId: string
    /** The quiz lesson's title in the reader's language (or the course's first). */
    title: string
    attempts: number
    passed: number
    learners: number
    questions: { id: string; prompt: string; answers: number; correct: number }[]
  }[]
}

export interface QuizService {
  /** Creates or replaces the quiz of a quiz lesson (course authors only). */
  setQuiz(ctx: Ctx, lessonId: string, input: QuizInput): Promise<void>
  /** The learner's standing on the quiz; null when the lesson has no quiz yet. */
  summary(ctx: Ctx, slug: string, lessonId: string): Promise<QuizSummary | null>
  /**
   * What the quiz lesson shows, each row read once: the standing, and the open
   * attempt's questions unless `open` is false (a result is shown instead).
   */
  panel(
    ctx: Ctx,
    slug: string,
    lessonId: string,
    options: { open: boolean },
  ): Promise<{ summary: QuizSummary | null; open: OpenAttempt | null }>
  /** Opens an attempt (or returns the one already open). */
  start(ctx: Ctx, slug: string, lessonId: string): Promise<{ attemptId: string }>
  /** The open attempt's questions in its stored order. */
  openAttempt(ctx: Ctx, slug: string, lessonId: string, attemptId: string): Promise<OpenAttempt>
  submit(ctx: Ctx, slug: string, lessonId: string, attemptId: string, answers: SubmittedAnswers): Promise<AttemptResult>
  /** A submitted attempt of the learner's, with feedback per question. */
  result(ctx: Ctx, slug: string, lessonId: string, attemptId: string): Promise<AttemptResult>
  /** Per quiz and question of the course: answers and right answers (its instructors and admins). */
  results(ctx: Ctx, courseId: string): Promise<QuizResultsView>
}

/** How much a quiz may hold (the authoring pages name these numbers in their messages). */
export const QUIZ_LIMITS = { questions: 100, options: 12, text: 2000, answer: 500 } as const
const LIMITS = QUIZ_LIMITS

function quizProblems(input: QuizInput, languages: readonly Locale[]): Problem[] {
  const p: Problem[] = []
  const texts = (field: string, t: Texts | undefined, required: boolean) => {
    for (const l of languages) {
      const v = (t?.[l] ?? '').trim()
      if (required && v === '') p.push({ field: `${field}.${l}`, problem: 'required' })
      if (v.length > LIMITS.text) p.push({ field: `${field}.${l}`, problem: 'too_long' })
    }
  }
  if (!Number.isInteger(input.passPercent) || input.passPercent < 0 || input.passPercent > 100)
    p.push({ field: 'passPercent', problem: 'out_of_range' })
  if (
    input.maxAttempts !== null &&
    (!Number.isInteger(input.maxAttempts) || input.maxAttempts < 1 || input.maxAttempts > 100)
  )
    p.push({ field: 'maxAttempts', problem: 'out_of_range' })
  if (input.questions.length === 0) p.push({ field: 'questions', problem: 'required' })
  if (input.questions.length > LIMITS.questions) p.push({ field: 'questions', problem: 'too_many' })
  for (const [i, q] of input.questions.entries()) {
    const f = `questions.${i}`
    texts(`${f}.prompt`, q.prompt, true)
    texts(`${f}.explanation`, q.explanation, false)
    if (q.kind === 'short') {
      const answers = (q.acceptedAnswers ?? []).map((a) => a.trim()).filter((a) => a !== '')
      if (answers.length === 0) p.push({ field: `${f}.acceptedAnswers`, problem: 'required' })
      if (answers.some((a) => a.length > LIMITS.answer)) p.push({ field: `${f}.acceptedAnswers`, problem: 'too_long' })
      if ((q.options ?? []).length > 0) p.push({ field: `${f}.options`, problem: 'not_allowed' })
      continue
    }
    const options = q.options ?? []
    if (options.length < 2) p.push({ field: `${f}.options`, problem: 'too_few' })
    if (options.length > LIMITS.options) p.push({ field: `${f}.options`, problem: 'too_many' })
    for (const [j, o] of options.entries()) texts(`${f}.options.${j}.label`, o.label, true)
    const right = options.filter((o) => o.correct).length
    if (q.kind === 'single' && right !== 1) p.push({ field: `${f}.options`, problem: 'one_correct' })
    if (q.kind === 'multiple' && right < 1) p.push({ field: `${f}.options`, problem: 'some_correct' })
  }
  return p
}

/** Keeps only the languages of the course, trimmed. */
function pickTexts(t: Texts | undefined, languages: readonly Locale[]): Texts {
  const out: Texts = {}
  for (const l of languages) {
    const v = (t?.[l] ?? '').trim()
    if (v !== '') out[l] = v
  }
  return out
}

export function createQuizService(deps: QuizServiceDeps): QuizService {
  const progressDeps: ProgressDeps = { audit: deps.audit, onEvent: deps.onEvent ?? ignoreLearningEvents }

  /** The signed-in learner's enrolment (locked when writing) and the quiz lesson of that course. */
  async function context(ctx: Ctx, slug: string, lessonId: string, lock: boolean) {
    const found = await lookup(ctx, slug, lessonId, lock)
    if (!found.settings) throw new LessonNotFoundError()
    return { ...found, settings: found.settings }
  }

  /** Like `context`, but a quiz lesson without questions yet gives no settings instead of an error. */
  async function lookup(ctx: Ctx, slug: string, lessonId: string, lock: boolean) {
    if (!isLearner(ctx.actor)) throw new NotEnrolledError()
    const course = await findCourseBySlug(ctx.db, slug)
    if (!course) throw new CourseNotFoundError()
    const enrolment = lock
      ? await repo.lockEnrolment(ctx.db, ctx.actor.id, course.id)
      : await repo.findEnrolment(ctx.db, ctx.actor.id, course.id)
    if (!enrolment) throw course.status === 'draft' ? new CourseNotFoundError() : new NotEnrolledError()
    const lesson = await repo.lessonCourse(ctx.db, lessonId)
    if (!lesson || lesson.course_id !== course.id || lesson.kind !== 'quiz') throw new LessonNotFoundError()
    const settings = await repo.quizSettings(ctx.db, lessonId)
    return { course, enrolment, settings }
  }

  async function feedback(
    ctx: Ctx,
    languages: readonly Locale[],
    lessonId: string,
    attempt: repo.AttemptRow,
    passPercent: number,
  ): Promise<AttemptResult> {
    const { questions, options } = await repo.quizQuestions(ctx.db, lessonId)
    const answers = await repo.answersOf(ctx.db, attempt.id)
    const locale = chooseLocale(ctx.locale, languages, languages)
    // The attempt's questions: those still in the quiz in their order, then any removed since (jsonb keeps no key order).
    const asked = new Set([...Object.keys(attempt.option_order), ...answers.map((a) => a.question_id)])
    const fromOrder = [
      ...questions.filter((q) => asked.has(q.id)).map((q) => q.id),
      ...[...asked].filter((id) => !questions.some((q) => q.id === id)),
    ]
    return {
      id: attempt.id,
      number: attempt.number,
      scorePercent: attempt.score_percent ?? 0,
      passed: attempt.passed ?? false,
      passPercent,
      correctCount: attempt.correct_count ?? 0,
      questionCount: attempt.question_count ?? 0,
      submittedAt: attempt.submitted_at ?? attempt.started_at,
      locale,
      questions: fromOrder.map((qid) => {
        const answer = answers.find((a) => a.question_id === qid)
        const q = questions.find((x) => x.id === qid)
        const chosen = new Set(answer?.chosen_option_ids ?? [])
        const own = options.filter((o) => o.question_id === qid)
        const shownOrder = attempt.option_order[qid] ?? own.map((o) => o.id)
        return {
          id: qid,
          kind: q?.kind ?? null,
          prompt: q ? textIn(q.prompt, ctx.locale, languages) : null,
          correct: answer?.correct ?? false,
          options: shownOrder.flatMap((oid) => {
            const o = own.find((x) => x.id === oid)
            return o
              ? [
                  {
                    id: o.id,
                    label: textIn(o.label, ctx.locale, languages),
                    chosen: chosen.has(o.id),
                    correct: o.correct,
                  },
                ]
              : []
          }),
          textAnswer: answer?.text_answer ?? null,
          acceptedAnswers: q?.kind === 'short' ? q.accepted_answers : [],
          explanation: q?.explanation ? textIn(q.explanation, ctx.locale, languages) || null : null,
        }
      }),
    }
  }

  return {
    async setQuiz(ctx, lessonId, input) {
      await inTransaction(ctx, async (tx) => {
        const lesson = await repo.lessonCourse(tx.db, lessonId)
        if (!lesson) throw new LessonNotFoundError()
        const course = await courses.lockCourse(tx.db, lesson.course_id)
        if (!course) throw new CourseNotFoundError()
        const instructorUserIds = await courses.instructorUserIds(tx.db, course.id)
        if (!canEditCourse(tx.actor, { createdBy: course.created_by, instructorUserIds })) throw new NotAllowedError()
        const problems = quizProblems(input, course.languages)
        if (lesson.kind !== 'quiz') problems.unshift({ field: 'lesson', problem: 'not_a_quiz' })
        if (problems.length > 0) throw new QuizInvalidError(problems)
        const version = await repo.saveQuizSettings(tx.db, {
          lessonId,
          passPercent: input.passPercent,
          maxAttempts: input.maxAttempts,
          shuffleOptions: input.shuffleOptions,
          now: tx.now,
        })
        const incoming = input.questions.map((q) => ({
          kind: q.kind,
          prompt: pickTexts(q.prompt, course.languages),
          explanation: q.explanation ? pickTexts(q.explanation, course.languages) : null,
          acceptedAnswers:
            q.kind === 'short' ? (q.acceptedAnswers ?? []).map((a) => a.trim()).filter((a) => a !== '') : [],
          options:
            q.kind === 'short'
              ? []
              : (q.options ?? []).map((o) => ({ label: pickTexts(o.label, course.languages), correct: o.correct })),
        }))
        // A question whose content did not change keeps its ids (its results per question carry on; quiz-identity.ts).
        const kept = matchQuestions(storedQuestions(await repo.quizQuestions(tx.db, lessonId)), incoming)
        await repo.replaceQuestions(
          tx.db,
          lessonId,
          incoming.map((q, i) => ({
            ...q,
            id: kept[i]?.id ?? randomUUID(),
            options: q.options.map((o, j) => ({ ...o, id: kept[i]?.options[j]?.id ?? randomUUID() })),
          })),
        )
        await deps.audit.record(tx, {
          action: 'quiz.set',
          targetType: 'course',
          targetId: course.id,
          data: { lessonId, version, questions: input.questions.length },
        })
      })
    },

    async summary(ctx, slug, lessonId) {
      const { enrolment, settings } = await lookup(ctx, slug, lessonId, false)
      if (!settings) return null
      const all = await repo.attempts(ctx.db, enrolment.id, lessonId)
      const { questions } = await repo.quizQuestions(ctx.db, lessonId)
      return summaryOf(settings, all, questions.length)
    },

    async panel(ctx, slug, lessonId, options) {
      const { course, enrolment, settings } = await lookup(ctx, slug, lessonId, false)
      if (!settings) return { summary: null, open: null }
      const all = await repo.attempts(ctx.db, enrolment.id, lessonId)
      const quiz = await repo.quizQuestions(ctx.db, lessonId)
      const summary = summaryOf(settings, all, quiz.questions.length)
      const attempt = options.open ? all.find((a) => a.submitted_at === null) : undefined
      return { summary, open: attempt ? openAttemptOf(attempt, quiz, ctx.locale, course.languages) : null }
    },

    async start(ctx, slug, lessonId) {
      return inTransaction(ctx, async (tx) => {
        const { enrolment, settings } = await context(tx, slug, lessonId, true)
        const all = await repo.attempts(tx.db, enrolment.id, lessonId)
        const open = all.find((a) => a.submitted_at === null)
        if (open) return { attemptId: open.id }
        if (settings.max_attempts !== null && all.length >= settings.max_attempts) throw new AttemptsExhaustedError()
        const id = randomUUID()
        const { questions, options } = await repo.quizQuestions(tx.db, lessonId)
        const order: Record<string, string[]> = {}
        for (const q of questions) {
          const ids = options.filter((o) => o.question_id === q.id).map((o) => o.id)
          order[q.id] = settings.shuffle_options ? shuffled(ids, `${id}:${q.id}`) : ids
        }
        const number = Math.max(0, ...all.map((a) => a.number)) + 1
        await repo.insertAttempt(tx.db, {
          id,
          enrolmentId: enrolment.id,
          lessonId,
          number,
          version: settings.version,
          order,
          now: tx.now,
        })
        await deps.audit.record(tx, {
          action: 'quiz.attempt_started',
          subjectType: 'user',
          subjectId: enrolment.user_id,
          targetType: 'quiz_attempt',
          targetId: id,
          data: { lessonId, number },
        })
        return { attemptId: id }
      })
    },

    async openAttempt(ctx, slug, lessonId, attemptId) {
      const { course, enrolment } = await context(ctx, slug, lessonId, false)
      const attempt = (await repo.attempts(ctx.db, enrolment.id, lessonId)).find((a) => a.id === attemptId)
      if (!attempt) throw new QuizChangedError()
      if (attempt.submitted_at !== null) throw new AttemptClosedError()
      return openAttemptOf(attempt, await repo.quizQuestions(ctx.db, lessonId), ctx.locale, course.languages)
    },

    async submit(ctx, slug, lessonId, attemptId, given) {
      return inTransaction(ctx, async (tx) => {
        const { course, enrolment, settings } = await context(tx, slug, lessonId, true)
        const attempt = (await repo.attempts(tx.db, enrolment.id, lessonId)).find((a) => a.id === attemptId)
        // Gone: the quiz was edited after the attempt began (its open attempts were dropped).
        if (!attempt) throw new QuizChangedError()
        if (attempt.submitted_at !== null) throw new AttemptClosedError()
        if (attempt.quiz_version !== settings.version) throw new QuizChangedError()
        const { questions, options } = await repo.quizQuestions(tx.db, lessonId)
        const answers: repo.AnswerRow[] = questions.map((q) => {
          const own = options.filter((o) => o.question_id === q.id)
          const raw = given[q.id] ?? {}
          const optionIds =
            q.kind === 'short' ? [] : [...new Set(raw.optionIds ?? [])].filter((id) => own.some((o) => o.id === id))
          const text = q.kind === 'short' ? (raw.text ?? '').slice(0, LIMITS.answer) : null
          const correct = isAnswerCorrect(
            {
              kind: q.kind,
              correctOptionIds: own.filter((o) => o.correct).map((o) => o.id),
              acceptedAnswers: q.accepted_answers,
            },
            { optionIds, text },
          )
          return {
            question_id: q.id,
            chosen_option_ids: optionIds,
            text_answer: text === null || text.trim() === '' ? null : text,
            correct,
          }
        })
        const right = answers.filter((a) => a.correct).length
        const percent = scorePercent(right, questions.length)
        const passed = isPassed(percent, settings.pass_percent)
        const closed = await repo.closeAttempt(tx.db, attempt.id, {
          percent,
          correct: right,
          total: questions.length,
          passed,
          now: tx.now,
        })
        if (!closed) throw new AttemptClosedError()
        await repo.insertAnswers(tx.db, attempt.id, answers)
        await deps.audit.record(tx, {
          action: 'quiz.attempt_submitted',
          subjectType: 'user',
          subjectId: enrolment.user_id,
          targetType: 'quiz_attempt',
          targetId: attempt.id,
          data: { lessonId, score: percent, passed: passed ? 1 : 0 },
        })
        if (passed) {
          await progressDeps.onEvent(tx, {
            type: 'quiz_passed',
            userId: enrolment.user_id,
            courseId: course.id,
            lessonId,
            scorePercent: percent,
            at: tx.now,
          })
          await recordLessonDone(tx, progressDeps, enrolment, lessonId)
        }
        const stored = {
          ...attempt,
          submitted_at: tx.now,
          score_percent: percent,
          correct_count: right,
          question_count: questions.length,
          passed,
        }
        return feedback(tx, course.languages, lessonId, stored, settings.pass_percent)
      })
    },

    async result(ctx, slug, lessonId, attemptId) {
      const { course, enrolment, settings } = await context(ctx, slug, lessonId, false)
      const attempt = (await repo.attempts(ctx.db, enrolment.id, lessonId)).find((a) => a.id === attemptId)
      if (!attempt || attempt.submitted_at === null) throw new LessonNotFoundError()
      return feedback(ctx, course.languages, lessonId, attempt, settings.pass_percent)
    },

    async results(ctx, courseId) {
      const course = await findCourseById(ctx.db, courseId)
      if (!course) throw new CourseNotFoundError()
      const instructorUserIds = await courses.instructorUserIds(ctx.db, courseId)
      if (!canSeeLearners(ctx.actor, { createdBy: course.created_by, instructorUserIds }))
        throw new CourseNotFoundError()
      const quizLessons = (await repo.courseLessons(ctx.db, courseId)).filter((l) => l.kind === 'quiz')
      const totals = await repo.attemptTotals(
        ctx.db,
        quizLessons.map((l) => l.id),
      )
      const titles = await lessonTitles(ctx.db, courseId)
      const titleOf = (id: string) => {
        const rows = titles.filter((r) => r.id === id && r.locale !== null)
        const l = chooseLocale(
          ctx.locale,
          course.languages,
          rows.map((r) => r.locale!),
        )
        return rows.find((r) => r.locale === l)?.title ?? ''
      }
      const out: QuizResultsView['quizzes'] = []
      for (const l of quizLessons) {
        const { questions } = await repo.quizQuestions(ctx.db, l.id)
        if (questions.length === 0) continue
        const counts = await repo.questionResults(
          ctx.db,
          questions.map((q) => q.id),
        )
        const t = totals.find((x) => x.lesson_id === l.id)
        out.push({
          lessonId: l.id,
          title: titleOf(l.id),
          attempts: Number(t?.attempts ?? 0),
          passed: Number(t?.passed ?? 0),
          learners: Number(t?.learners ?? 0),
          questions: questions.map((q) => {
            const c = counts.find((x) => x.question_id === q.id)
            return {
              id: q.id,
              prompt: textIn(q.prompt, ctx.locale, course.languages),
              answers: Number(c?.answers ?? 0),
              correct: Number(c?.correct ?? 0),
            }
          }),
        })
      }
      return { quizzes: out }
    },
  }
}
