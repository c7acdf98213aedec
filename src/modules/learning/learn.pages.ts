/**
 * The learner's pages, for signed-in people only (anonymous visitors are sent
 * to sign in and come back):
 *   POST /courses/:slug/enrol                                   enrol (free published courses)
 *   GET  /learn                                                 My learning (?page= current, ?completedPage= completed)
 *   GET  /learn/:slug                                           continue where you stopped
 *   GET  /learn/:slug/lessons/:lessonId                         lesson player (quiz: summary or open attempt)
 *   POST /learn/:slug/lessons/:lessonId/done                    mark a text or video lesson done
 *   POST /learn/:slug/lessons/:lessonId/attempts                start (or resume) a quiz attempt
 *   POST /learn/:slug/lessons/:lessonId/attempts/:attemptId     submit it
 *   GET  /learn/:slug/lessons/:lessonId/attempts/:attemptId     its feedback
 *   POST /learn/search-history/clear                            clear the search history
 * Every route: authorise (requireUser, then the services check enrolment and
 * ownership), call a service, present; writes answer 303 to a page.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { requireUser } from '../accounts/index'
import type { HttpApp } from '../../platform/http/http-app'
import type { I18n } from '../../platform/i18n/i18n'
import { html, type SafeHtml } from '../../platform/views/html'
import { assetUrl } from '../../platform/views/assets'
import type { Views } from '../../platform/views/layout'
import type { LearnerAchievementsSource } from './learning.achievements'
import type { LearnerService } from './learner.service'
import { attemptUrl, lessonUrl, renderLesson, renderMyLearning, type QuizPanel } from './learn.views'
import type { QuizService, SubmittedAnswers } from './quizzes.service'
import type { SearchHistory } from './search-history.service'

export interface LearnPagesDeps {
  learner: LearnerService
  quizzes: QuizService
  searchHistory: SearchHistory
  views: Views
  i18n: I18n
  /** The achievements module's view of the learner; absent → empty sections. */
  achievements?: LearnerAchievementsSource
}

const Uuid = Type.String({ pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' })
const Slug = Type.String({ minLength: 1, maxLength: 100 })
const SlugParams = Type.Object({ slug: Slug })
const LessonParams = Type.Object({ slug: Slug, lessonId: Uuid })
const AttemptParams = Type.Object({ slug: Slug, lessonId: Uuid, attemptId: Uuid })
const Flash = Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) })
const LearnQuery = Type.Object({
  done: Type.Optional(Type.String({ maxLength: 20 })),
  page: Type.Optional(Type.String({ maxLength: 16 })),
  completedPage: Type.Optional(Type.String({ maxLength: 16 })),
})
/** A page number as asked (`?page=3`); anything else is the first page. */
const pageNumber = (value: string | undefined) => (/^\d{1,5}$/.test(value ?? '') ? Number(value) : 1)

function send(req: FastifyRequest, reply: FastifyReply, views: Views, title: string, main: SafeHtml) {
  return reply
    .type('text/html; charset=utf-8')
    .header('content-language', req.ctx.locale)
    .header('cache-control', 'no-store')
    .send(views.page(req, { title, main: html`<link rel="stylesheet" href="${assetUrl('learning.css')}">${main}` }))
}

/** Form answers `a_<questionId>` (one value, or several for checkboxes) → the quiz service's shape. */
export function answersFromForm(body: Record<string, unknown>): SubmittedAnswers {
  const out: SubmittedAnswers = {}
  for (const [key, value] of Object.entries(body)) {
    if (!key.startsWith('a_')) continue
    const id = key.slice(2)
    const values = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string')
    out[id] = { optionIds: values, text: values[0] ?? null }
  }
  return out
}

export function registerLearnPages(app: HttpApp, deps: LearnPagesDeps): void {
  const { learner, quizzes, searchHistory, views, i18n } = deps
  const auth = { preHandler: requireUser }

  app.post('/courses/:slug/enrol', { ...auth, schema: { hide: true, params: SlugParams } }, async (req, reply) => {
    await learner.enrol(req.ctx, req.params.slug)
    return reply.redirect(`/learn/${encodeURIComponent(req.params.slug)}`, 303)
  })

  app.get('/learn', { ...auth, schema: { hide: true, querystring: LearnQuery } }, async (req, reply) => {
    const ctx = req.ctx
    const my = await learner.myLearning(ctx, {
      current: pageNumber(req.query.page),
      completed: pageNumber(req.query.completedPage),
    })
    const achievements = deps.achievements ? await deps.achievements(ctx, ctx.actor!.id, ctx.locale) : null
    const history = {
      enabled: await searchHistory.enabled(ctx),
      queries: await searchHistory.list(ctx),
      csrf: reply.generateCsrf(),
      cleared: req.query.done === 'cleared',
    }
    const main = renderMyLearning(i18n, ctx.locale, my, achievements, history)
    return send(req, reply, views, i18n.t(ctx.locale, 'learning.learn.title'), main)
  })

  app.post('/learn/search-history/clear', auth, async (req, reply) => {
    await searchHistory.clear(req.ctx)
    return reply.redirect('/learn?done=cleared#history-title', 303)
  })

  app.get('/learn/:slug', { ...auth, schema: { hide: true, params: SlugParams } }, async (req, reply) => {
    const lessonId = await learner.resume(req.ctx, req.params.slug)
    return reply.redirect(lessonUrl(req.params.slug, lessonId), 303)
  })

  async function lessonPage(
    req: FastifyRequest,
    reply: FastifyReply,
    slug: string,
    lessonId: string,
    result: QuizPanel['result'],
    flash: 'done' | 'completed' | null,
  ) {
    const page = await learner.lesson(req.ctx, slug, lessonId)
    let quiz: QuizPanel | null = null
    if (page.lesson.kind === 'quiz') {
      // One read of the quiz for the standing and the open attempt (a shown result needs no attempt form).
      const { summary, open } = await quizzes.panel(req.ctx, slug, lessonId, { open: !result })
      quiz = { summary, open, result }
    }
    const main = renderLesson(i18n, req.ctx.locale, page, reply.generateCsrf(), quiz, flash)
    const title = `${page.lesson.title} · ${page.course.title}`
    return send(req, reply, views, title, main)
  }

  app.get(
    '/learn/:slug/lessons/:lessonId',
    { ...auth, schema: { hide: true, params: LessonParams, querystring: Flash } },
    async (req, reply) =>
      lessonPage(req, reply, req.params.slug, req.params.lessonId, null, req.query.done === '1' ? 'done' : null),
  )

  app.post(
    '/learn/:slug/lessons/:lessonId/done',
    { ...auth, schema: { hide: true, params: LessonParams } },
    async (req, reply) => {
      const { slug, lessonId } = req.params
      await learner.markDone(req.ctx, slug, lessonId)
      const page = await learner.lesson(req.ctx, slug, lessonId)
      // On to the next lesson; the last one stays and says the course is complete.
      const target = page.next ? lessonUrl(slug, page.next.id) : `${lessonUrl(slug, lessonId)}?done=1`
      return reply.redirect(target, 303)
    },
  )

  app.post(
    '/learn/:slug/lessons/:lessonId/attempts',
    { ...auth, schema: { hide: true, params: LessonParams } },
    async (req, reply) => {
      const { slug, lessonId } = req.params
      await quizzes.start(req.ctx, slug, lessonId)
      return reply.redirect(`${lessonUrl(slug, lessonId)}#lesson-title`, 303)
    },
  )

  app.post(
    '/learn/:slug/lessons/:lessonId/attempts/:attemptId',
    { ...auth, schema: { hide: true, params: AttemptParams } },
    async (req, reply) => {
      const { slug, lessonId, attemptId } = req.params
      await quizzes.submit(
        req.ctx,
        slug,
        lessonId,
        attemptId,
        answersFromForm((req.body ?? {}) as Record<string, unknown>),
      )
      return reply.redirect(attemptUrl(slug, lessonId, attemptId), 303)
    },
  )

  app.get(
    '/learn/:slug/lessons/:lessonId/attempts/:attemptId',
    { ...auth, schema: { hide: true, params: AttemptParams } },
    async (req, reply) => {
      const { slug, lessonId, attemptId } = req.params
      const result = await quizzes.result(req.ctx, slug, lessonId, attemptId)
      return lessonPage(req, reply, slug, lessonId, result, null)
    },
  )
}
