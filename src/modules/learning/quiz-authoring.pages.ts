/**
 * The quiz editor's pages (issue 5, "Instructors and admins"; T-3.1.1),
 * beside the authoring pages under /teach/courses/:courseId/lessons/:lessonId/quiz.
 * Every route: a signed-in person (requireUser), then the course loaded
 * through the authoring service, which answers "not found" to anyone who may
 * not change it (B-3.4: learners, the DPO, other instructors get the 404 of a
 * course that does not exist), then the lesson, which must be a quiz lesson
 * of that course. Changes go through the quiz authoring service, whose
 * problems (the quiz service's rules) come back on the form with the input
 * kept, in the author's language. The quiz service audits `quiz.set` with
 * ids and counts only.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { requireUser } from '../accounts/index'
import type { Locale } from '../../platform/context'
import type { HttpApp } from '../../platform/http/http-app'
import type { I18n } from '../../platform/i18n/i18n'
import { assetUrl } from '../../platform/views/assets'
import { html, type SafeHtml } from '../../platform/views/html'
import type { Views } from '../../platform/views/layout'
import { readOrder, type FormBody } from './authoring.presenter'
import { isUuid, type AuthoringService } from './authoring.service'
import { renderConfirm, TEACH_HOME, type ViewKit } from './authoring.views'
import { CourseNotFoundError, LessonNotFoundError, QuizInvalidError } from './learning.errors'
import {
  fieldProblems,
  kindOf,
  promptOf,
  questionFormOf,
  questionInputOf,
  readQuestionForm,
  readSettingsForm,
  settingsFormOf,
  settingsInputOf,
  type FieldProblem,
  type QuestionForm,
  type SettingsForm,
} from './quiz-authoring.presenter'
import { createQuizAuthoringService, type EditableQuestion, type EditableQuiz } from './quiz-authoring.service'
import { questionUrl, quizUrl, renderQuestionForm, renderQuizEditor } from './quiz-authoring.views'
import type { QuizService } from './quizzes.service'

export interface QuizAuthoringPagesDeps {
  authoring: AuthoringService
  quizzes: Pick<QuizService, 'setQuiz'>
  views: Views
  i18n: I18n
}

const QUIZ = `${TEACH_HOME}/:courseId/lessons/:lessonId/quiz`

/** Every route the quiz editor registers (the authorization matrix reads this list). */
export const QUIZ_AUTHORING_ROUTES = [
  { method: 'GET', url: `${TEACH_HOME}/:courseId/lessons/:lessonId/quiz` },
  { method: 'POST', url: `${TEACH_HOME}/:courseId/lessons/:lessonId/quiz/settings` },
  { method: 'GET', url: `${TEACH_HOME}/:courseId/lessons/:lessonId/quiz/questions/new` },
  { method: 'POST', url: `${TEACH_HOME}/:courseId/lessons/:lessonId/quiz/questions` },
  { method: 'POST', url: `${TEACH_HOME}/:courseId/lessons/:lessonId/quiz/questions/order` },
  { method: 'GET', url: `${TEACH_HOME}/:courseId/lessons/:lessonId/quiz/questions/:questionId` },
  { method: 'POST', url: `${TEACH_HOME}/:courseId/lessons/:lessonId/quiz/questions/:questionId` },
  { method: 'GET', url: `${TEACH_HOME}/:courseId/lessons/:lessonId/quiz/questions/:questionId/delete` },
  { method: 'POST', url: `${TEACH_HOME}/:courseId/lessons/:lessonId/quiz/questions/:questionId/delete` },
] as const

const Id = Type.String({ maxLength: 64 })
const LessonParams = Type.Object({ courseId: Id, lessonId: Id })
const QuestionParams = Type.Object({ courseId: Id, lessonId: Id, questionId: Id })
const EditorQuery = Type.Object({
  done: Type.Optional(Type.String({ maxLength: 40 })),
  moved: Type.Optional(Type.String({ maxLength: 40 })),
})
const NewQuery = Type.Object({ kind: Type.Optional(Type.String({ maxLength: 20 })) })
const ANCHOR = /^question-[0-9a-f-]{36}$/

function styles(main: SafeHtml): SafeHtml {
  return html`<link rel="stylesheet" href="${assetUrl('accounts.css')}"><link rel="stylesheet" href="${assetUrl('learning.css')}"><link rel="stylesheet" href="${assetUrl('authoring.css')}">${main}<script src="${assetUrl('authoring.js')}" defer></script>`
}

/** Registers the quiz editor's pages. */
export function registerQuizAuthoringPages(app: HttpApp, deps: QuizAuthoringPagesDeps): void {
  const { authoring, views, i18n } = deps
  const quizzes = createQuizAuthoringService({ quizzes: deps.quizzes })
  const signedIn = { preHandler: requireUser }

  const kit = (req: FastifyRequest, reply: FastifyReply): ViewKit => {
    const locale: Locale = req.ctx.locale
    return {
      t: (key, values) => i18n.t(locale, key, values),
      has: (key) => i18n.has(locale, key),
      locale,
      csrf: reply.generateCsrf(),
    }
  }
  const send = (req: FastifyRequest, reply: FastifyReply, title: string, main: SafeHtml, status = 200) =>
    reply
      .status(status)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(views.page(req, { title, main: styles(main) }))
  const back = (reply: FastifyReply, url: string) => reply.header('cache-control', 'no-store').redirect(url, 303)

  /** The course (404 for anyone who may not change it) and its quiz lesson (404 for another lesson). */
  async function load(req: FastifyRequest, courseId: string, lessonId: string) {
    const course = await authoring.course(req.ctx, courseId)
    const lesson = course.modules.flatMap((m) => m.lessons).find((l) => l.id === lessonId)
    if (!lesson || lesson.kind !== 'quiz') throw new CourseNotFoundError()
    return { course, lesson, quiz: await quizzes.quiz(req.ctx, lesson.id) }
  }
  const questionOf = (quiz: EditableQuiz, questionId: string): EditableQuestion => {
    const q = quiz.questions.find((x) => x.id === questionId)
    if (!q) throw new LessonNotFoundError()
    return q
  }
  type Loaded = Awaited<ReturnType<typeof load>>

  const editor = (
    req: FastifyRequest,
    reply: FastifyReply,
    at: Loaded,
    extra: { settings?: SettingsForm; problems?: FieldProblem[]; done?: string; moved?: string },
    status = 200,
  ) => {
    const k = kit(req, reply)
    const view = {
      ...at,
      ...extra,
      settings: extra.settings ?? settingsFormOf(at.quiz),
      problems: extra.problems ?? [],
    }
    return send(req, reply, k.t('learning.quizAuthoring.title'), renderQuizEditor(k, view), status)
  }
  const questionPage = (
    req: FastifyRequest,
    reply: FastifyReply,
    at: Loaded,
    form: QuestionForm,
    question: EditableQuestion | undefined,
    problems: FieldProblem[],
    status = 200,
  ) => {
    const k = kit(req, reply)
    const title = k.t(question ? 'learning.quizAuthoring.form.editTitle' : 'learning.quizAuthoring.form.newTitle', {
      number: question ? at.quiz.questions.indexOf(question) + 1 : at.quiz.questions.length + 1,
    })
    return send(req, reply, title, renderQuestionForm(k, { ...at, question, form, problems }), status)
  }

  app.get(
    QUIZ,
    { ...signedIn, schema: { hide: true, params: LessonParams, querystring: EditorQuery } },
    async (req, reply) => {
      const at = await load(req, req.params.courseId, req.params.lessonId)
      const moved = req.query.moved && isUuid(req.query.moved) ? req.query.moved : undefined
      return editor(req, reply, at, { done: req.query.done, moved })
    },
  )

  app.post(`${QUIZ}/settings`, { ...signedIn, schema: { hide: true, params: LessonParams } }, async (req, reply) => {
    const at = await load(req, req.params.courseId, req.params.lessonId)
    const settings = readSettingsForm(req.body as FormBody)
    try {
      await quizzes.saveSettings(req.ctx, at.lesson.id, settingsInputOf(settings))
      return back(reply, `${quizUrl(at.course.id, at.lesson.id)}?done=quiz_settings_saved#settings`)
    } catch (err) {
      if (!(err instanceof QuizInvalidError)) throw err
      return editor(req, reply, at, { settings, problems: fieldProblems(err.problems) }, 400)
    }
  })

  // ——— Questions ———

  app.get(
    `${QUIZ}/questions/new`,
    { ...signedIn, schema: { hide: true, params: LessonParams, querystring: NewQuery } },
    async (req, reply) => {
      const at = await load(req, req.params.courseId, req.params.lessonId)
      return questionPage(req, reply, at, questionFormOf(kindOf(req.query.kind)), undefined, [])
    },
  )

  /** Saves a question form (new, or `question`), or shows it again with more option rows or with its problems. */
  async function saveQuestion(
    req: FastifyRequest,
    reply: FastifyReply,
    at: Loaded,
    question: EditableQuestion | undefined,
  ) {
    const { course } = at
    const body = req.body as FormBody
    const form = readQuestionForm(body, body.action === 'more')
    if (body.action === 'more') return questionPage(req, reply, at, form, question, [])
    const { input, rows } = questionInputOf(form, course.languages)
    const index = question ? at.quiz.questions.indexOf(question) : at.quiz.questions.length
    try {
      const { id } = question
        ? await quizzes.updateQuestion(req.ctx, at.lesson.id, question.id, input)
        : await quizzes.addQuestion(req.ctx, at.lesson.id, input)
      const done = question ? 'quiz_question_saved' : 'quiz_question_added'
      return back(reply, `${quizUrl(course.id, at.lesson.id)}?done=${done}#question-${id}`)
    } catch (err) {
      if (!(err instanceof QuizInvalidError)) throw err
      return questionPage(req, reply, at, form, question, fieldProblems(err.problems, { index, rows }), 400)
    }
  }

  app.post(`${QUIZ}/questions`, { ...signedIn, schema: { hide: true, params: LessonParams } }, async (req, reply) => {
    const at = await load(req, req.params.courseId, req.params.lessonId)
    return saveQuestion(req, reply, at, undefined)
  })

  /** The reorder endpoint of the move buttons (a form post) and of the script (JSON answer). */
  app.post(
    `${QUIZ}/questions/order`,
    { ...signedIn, schema: { hide: true, params: LessonParams } },
    async (req, reply) => {
      const at = await load(req, req.params.courseId, req.params.lessonId)
      const body = req.body as FormBody
      await quizzes.reorderQuestions(req.ctx, at.lesson.id, readOrder(body))
      if ((req.headers.accept ?? '').includes('application/json'))
        return reply.header('cache-control', 'no-store').send({ ok: true })
      const movedId = typeof body.moved === 'string' && isUuid(body.moved) ? body.moved : undefined
      const anchor = typeof body.anchor === 'string' && ANCHOR.test(body.anchor) ? `#${body.anchor}` : '#questions'
      return back(reply, `${quizUrl(at.course.id, at.lesson.id)}${movedId ? `?moved=${movedId}` : ''}${anchor}`)
    },
  )

  app.get(
    `${QUIZ}/questions/:questionId`,
    { ...signedIn, schema: { hide: true, params: QuestionParams } },
    async (req, reply) => {
      const at = await load(req, req.params.courseId, req.params.lessonId)
      const question = questionOf(at.quiz, req.params.questionId)
      return questionPage(req, reply, at, questionFormOf(question.kind, question), question, [])
    },
  )

  app.post(
    `${QUIZ}/questions/:questionId`,
    { ...signedIn, schema: { hide: true, params: QuestionParams } },
    async (req, reply) => {
      const at = await load(req, req.params.courseId, req.params.lessonId)
      const question = questionOf(at.quiz, req.params.questionId)
      return saveQuestion(req, reply, at, question)
    },
  )

  app.get(
    `${QUIZ}/questions/:questionId/delete`,
    { ...signedIn, schema: { hide: true, params: QuestionParams } },
    async (req, reply) => {
      const { course, lesson, quiz } = await load(req, req.params.courseId, req.params.lessonId)
      const question = questionOf(quiz, req.params.questionId)
      const k = kit(req, reply)
      const heading = k.t('learning.quizAuthoring.delete.title')
      const url = questionUrl(course.id, lesson.id, question.id)
      return send(
        req,
        reply,
        heading,
        renderConfirm(k, {
          course,
          heading,
          text: k.t('learning.quizAuthoring.delete.text', { prompt: promptOf(question, course.languages, k.locale) }),
          action: `${url}/delete`,
          button: k.t('learning.authoring.outline.delete'),
          back: `${quizUrl(course.id, lesson.id)}#question-${question.id}`,
        }),
      )
    },
  )

  app.post(
    `${QUIZ}/questions/:questionId/delete`,
    { ...signedIn, schema: { hide: true, params: QuestionParams } },
    async (req, reply) => {
      const at = await load(req, req.params.courseId, req.params.lessonId)
      const question = questionOf(at.quiz, req.params.questionId)
      try {
        await quizzes.deleteQuestion(req.ctx, at.lesson.id, question.id)
        return back(reply, `${quizUrl(at.course.id, at.lesson.id)}?done=quiz_question_deleted#questions`)
      } catch (err) {
        // The last question: a quiz needs one (the quiz service's rule); the editor says so.
        if (!(err instanceof QuizInvalidError)) throw err
        return editor(req, reply, at, { problems: fieldProblems(err.problems) }, 409)
      }
    },
  )
}
