/**
 * The instructor's pages (B-3.4 need-to-know):
 *   GET /teach          the courses the instructor created or teaches
 *   GET /teach/:slug    that course's learners (names, progress) and quiz results per question
 * Someone else's course answers 404; learners and anonymous visitors get nothing.
 */
import { Type } from 'typebox'
import { requireUser } from '../accounts/index'
import type { HttpApp } from '../../platform/http/http-app'
import type { I18n } from '../../platform/i18n/i18n'
import { html } from '../../platform/views/html'
import { assetUrl } from '../../platform/views/assets'
import type { Views } from '../../platform/views/layout'
import type { QuizService } from './quizzes.service'
import type { TeachService } from './teach.service'
import { renderLearners, renderTaught } from './teach.views'

export interface TeachPagesDeps {
  teach: TeachService
  quizzes: QuizService
  views: Views
  i18n: I18n
}

const Params = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 100 }) })
const Query = Type.Object({ page: Type.Optional(Type.String({ maxLength: 8 })) })

export function registerTeachPages(app: HttpApp, deps: TeachPagesDeps): void {
  const { teach, quizzes, views, i18n } = deps
  const page = (title: string, main: ReturnType<typeof html>) => ({
    title,
    main: html`<link rel="stylesheet" href="${assetUrl('learning.css')}">${main}`,
  })

  app.get('/teach', { preHandler: requireUser, schema: { hide: true } }, async (req, reply) => {
    const courses = await teach.courses(req.ctx)
    const main = renderTaught(i18n, req.ctx.locale, courses)
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(views.page(req, page(i18n.t(req.ctx.locale, 'learning.teach.title'), main)))
  })

  app.get(
    '/teach/:slug',
    { preHandler: requireUser, schema: { hide: true, params: Params, querystring: Query } },
    async (req, reply) => {
      const n = Number.parseInt(req.query.page ?? '1', 10)
      const view = await teach.learners(req.ctx, req.params.slug, Number.isFinite(n) ? n : 1)
      const results = await quizzes.results(req.ctx, view.course.id)
      const main = renderLearners(i18n, req.ctx.locale, view, results)
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(views.page(req, page(view.course.title, main)))
    },
  )
}
