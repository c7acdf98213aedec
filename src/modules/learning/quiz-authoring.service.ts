/**
 * The quiz editor's service (issue 5, "Instructors and admins"; T-3.1.1):
 * reads a quiz lesson's quiz with every text in every language, and changes
 * it one step at a time — settings, add, edit, delete, reorder a question.
 * Each step reads the quiz under the course's lock, makes the whole new quiz
 * and saves it with `QuizService.setQuiz` in the same transaction, so the
 * quiz service's rules (QuizInvalidError with every problem) and its
 * behaviour after an edit (version bumped, open attempts dropped, past
 * scores and a passed quiz kept; unchanged questions keep their ids) hold
 * here without being written twice. Only the course's authors and admins
 * reach a quiz; anyone else is told the course does not exist.
 */
import { inTransaction, type Ctx } from '../../platform/context'
import { findCourseById } from './catalogue.repository'
import * as courses from './courses.repository'
import { CourseNotFoundError, LessonNotFoundError, OrderInvalidError } from './learning.errors'
import { canEditCourse } from './learning.policies'
import type { QuestionKind, Texts } from './learning.tables'
import * as repo from './progress.repository'
import { storedQuestions } from './quiz-identity'
import type { QuestionInput, QuizInput, QuizService } from './quizzes.service'

export interface EditableQuestion {
  id: string
  kind: QuestionKind
  prompt: Texts
  explanation: Texts
  options: { id: string; label: Texts; correct: boolean }[]
  acceptedAnswers: string[]
}

export interface QuizSettingsInput {
  /** 0–100 (the quiz service's rule). */
  passPercent: number
  /** null = unlimited. */
  maxAttempts: number | null
  shuffleOptions: boolean
}

export interface EditableQuiz extends QuizSettingsInput {
  lessonId: string
  /** False until the first question is saved; the settings are then the defaults. */
  saved: boolean
  version: number
  questions: EditableQuestion[]
}

/** The settings a quiz starts with when its first question is added. */
export const QUIZ_DEFAULTS: QuizSettingsInput = { passPercent: 70, maxAttempts: null, shuffleOptions: false }

export interface QuizAuthoringService {
  /** The quiz of a quiz lesson for its editor (empty until the first question). */
  quiz(ctx: Ctx, lessonId: string): Promise<EditableQuiz>
  saveSettings(ctx: Ctx, lessonId: string, settings: QuizSettingsInput): Promise<void>
  /** Adds a question at the end; returns its id. */
  addQuestion(ctx: Ctx, lessonId: string, question: QuestionInput): Promise<{ id: string }>
  /** Replaces a question in its place; returns its id (a changed question is a new question). */
  updateQuestion(ctx: Ctx, lessonId: string, questionId: string, question: QuestionInput): Promise<{ id: string }>
  deleteQuestion(ctx: Ctx, lessonId: string, questionId: string): Promise<void>
  /** `order` names every question of the quiz exactly once. */
  reorderQuestions(ctx: Ctx, lessonId: string, order: readonly string[]): Promise<void>
}

export interface QuizAuthoringDeps {
  quizzes: Pick<QuizService, 'setQuiz'>
}

const toInput = (q: EditableQuestion): QuestionInput => ({
  kind: q.kind,
  prompt: q.prompt,
  ...(Object.values(q.explanation).some((v) => v) ? { explanation: q.explanation } : {}),
  options: q.kind === 'short' ? [] : q.options.map((o) => ({ label: o.label, correct: o.correct })),
  acceptedAnswers: q.acceptedAnswers,
})

/** The quiz lesson, if the actor may change its course; anyone else is told it does not exist. */
async function authorised(ctx: Ctx, lessonId: string, lock: boolean): Promise<void> {
  const lesson = await repo.lessonCourse(ctx.db, lessonId)
  if (!lesson || lesson.kind !== 'quiz') throw new LessonNotFoundError()
  const course = lock
    ? await courses.lockCourse(ctx.db, lesson.course_id)
    : await findCourseById(ctx.db, lesson.course_id)
  if (!course) throw new CourseNotFoundError()
  const instructorUserIds = await courses.instructorUserIds(ctx.db, course.id)
  if (!canEditCourse(ctx.actor, { createdBy: course.created_by, instructorUserIds })) throw new CourseNotFoundError()
}

async function read(ctx: Ctx, lessonId: string): Promise<EditableQuiz> {
  const settings = await repo.quizSettings(ctx.db, lessonId)
  const questions = settings ? storedQuestions(await repo.quizQuestions(ctx.db, lessonId)) : []
  return {
    lessonId,
    saved: settings !== undefined,
    passPercent: settings?.pass_percent ?? QUIZ_DEFAULTS.passPercent,
    maxAttempts: settings ? settings.max_attempts : QUIZ_DEFAULTS.maxAttempts,
    shuffleOptions: settings?.shuffle_options ?? QUIZ_DEFAULTS.shuffleOptions,
    version: settings?.version ?? 0,
    questions: questions.map((q) => ({
      id: q.id,
      kind: q.kind,
      prompt: q.prompt,
      explanation: q.explanation ?? {},
      options: q.options.map((o) => ({ ...o })),
      acceptedAnswers: [...q.acceptedAnswers],
    })),
  }
}

export function createQuizAuthoringService(deps: QuizAuthoringDeps): QuizAuthoringService {
  /** Reads the quiz under the course's lock, makes the new quiz with `change` and saves it in the same transaction. */
  function change<T>(
    ctx: Ctx,
    lessonId: string,
    make: (quiz: EditableQuiz) => { input: QuizInput; after: (saved: EditableQuiz) => T },
  ): Promise<T> {
    return inTransaction(ctx, async (tx) => {
      await authorised(tx, lessonId, true)
      const { input, after } = make(await read(tx, lessonId))
      await deps.quizzes.setQuiz(tx, lessonId, input)
      return after(await read(tx, lessonId))
    })
  }
  const settingsOf = (q: EditableQuiz): QuizSettingsInput => ({
    passPercent: q.passPercent,
    maxAttempts: q.maxAttempts,
    shuffleOptions: q.shuffleOptions,
  })
  const indexOf = (quiz: EditableQuiz, questionId: string) => {
    const at = quiz.questions.findIndex((q) => q.id === questionId)
    if (at < 0) throw new LessonNotFoundError()
    return at
  }

  return {
    async quiz(ctx, lessonId) {
      await authorised(ctx, lessonId, false)
      return read(ctx, lessonId)
    },

    async saveSettings(ctx, lessonId, settings) {
      await change(ctx, lessonId, (quiz) => ({
        input: { ...settings, questions: quiz.questions.map(toInput) },
        after: () => undefined,
      }))
    },

    async addQuestion(ctx, lessonId, question) {
      return change(ctx, lessonId, (quiz) => ({
        input: { ...settingsOf(quiz), questions: [...quiz.questions.map(toInput), question] },
        after: (saved) => ({ id: saved.questions[saved.questions.length - 1]!.id }),
      }))
    },

    async updateQuestion(ctx, lessonId, questionId, question) {
      return change(ctx, lessonId, (quiz) => {
        const at = indexOf(quiz, questionId)
        const questions = quiz.questions.map(toInput)
        questions[at] = question
        return { input: { ...settingsOf(quiz), questions }, after: (saved) => ({ id: saved.questions[at]!.id }) }
      })
    },

    async deleteQuestion(ctx, lessonId, questionId) {
      await change(ctx, lessonId, (quiz) => {
        const at = indexOf(quiz, questionId)
        const questions = quiz.questions.filter((_, i) => i !== at).map(toInput)
        return { input: { ...settingsOf(quiz), questions }, after: () => undefined }
      })
    },

    async reorderQuestions(ctx, lessonId, order) {
      await change(ctx, lessonId, (quiz) => {
        const ids = quiz.questions.map((q) => q.id)
        if (order.length !== ids.length || new Set(order).size !== ids.length || !order.every((id) => ids.includes(id)))
          throw new OrderInvalidError()
        const questions = order.map((id) => toInput(quiz.questions.find((q) => q.id === id)!))
        return { input: { ...settingsOf(quiz), questions }, after: () => undefined }
      })
    },
  }
}
