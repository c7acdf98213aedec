/**
 * The public catalogue pages, at stable URLs, in the reader's language:
 *   GET /courses           catalogue (?q= search, lang, price, level, page)
 *   GET /courses/:slug     course page (404 page for an unknown slug or a draft)
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { signInUrl } from '../accounts/index'
import type { HttpApp } from '../../platform/http/http-app'
import type { I18n } from '../../platform/i18n/i18n'
import { html, type SafeHtml } from '../../platform/views/html'
import { assetUrl } from '../../platform/views/assets'
import type { Views } from '../../platform/views/layout'
import { courseUrl, parseCatalogueQuery } from './catalogue.presenter'
import type { CatalogueService } from './catalogue.service'
import { renderCatalogue } from './catalogue.views'
import { renderCourse } from './course.views'
import type { LearnerService } from './learner.service'
import { lessonUrl, learnUrl } from './learn.views'
import type { SearchHistory } from './search-history.service'

export interface CataloguePagesDeps {
  catalogue: CatalogueService
  views: Views
  i18n: I18n
  /** When wired: the course page offers signed-in readers to enrol, or to continue. */
  learner?: LearnerService
  /** When wired: a signed-in learner's searches are kept if their consent allows (B-2.2). */
  searchHistory?: SearchHistory
}

const Query = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 500 })),
  lang: Type.Optional(Type.String({ maxLength: 16 })),
  price: Type.Optional(Type.String({ maxLength: 16 })),
  level: Type.Optional(Type.String({ maxLength: 32 })),
  page: Type.Optional(Type.String({ maxLength: 16 })),
})

const Params = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 100 }) })

/**
 * The module's stylesheet. Linked from the page body until the layout can
 * take extra stylesheets in <head> (a `<link rel="stylesheet">` is allowed in
 * the body and keeps to the strict CSP: it is a same-origin file).
 */
function withStyles(main: SafeHtml): SafeHtml {
  return html`<link rel="stylesheet" href="${assetUrl('learning.css')}">${main}`
}

function send(req: FastifyRequest, reply: FastifyReply, views: Views, title: string, main: SafeHtml) {
  return (
    reply
      .type('text/html; charset=utf-8')
      .header('content-language', req.ctx.locale)
      // The same URL serves three languages, and a signed-in reader sees another enrol box.
      .header('vary', 'Accept-Language, Cookie')
      .send(views.page(req, { title, main: withStyles(main) }))
  )
}

/** Registers the catalogue and course pages. */
export function registerCataloguePages(app: HttpApp, deps: CataloguePagesDeps): void {
  const { catalogue, views, i18n } = deps

  app.get('/courses', { schema: { hide: true, querystring: Query } }, async (req, reply) => {
    const locale = req.ctx.locale
    const query = parseCatalogueQuery(req.query)
    const result = await catalogue.browse(req.ctx, query)
    if (query.q && query.page === 1 && deps.searchHistory) await deps.searchHistory.record(req.ctx, query.q)
    const base = i18n.t(locale, 'learning.catalogue.title')
    const title =
      query.page > 1 ? i18n.t(locale, 'learning.catalogue.pageTitle', { title: base, page: query.page }) : base
    return send(req, reply, views, title, renderCatalogue(i18n, locale, query, result))
  })

  app.get('/courses/:slug', { schema: { hide: true, params: Params } }, async (req, reply) => {
    const course = await catalogue.course(req.ctx, req.params.slug)
    const signedIn = req.ctx.actor?.kind === 'user'
    const e = signedIn && deps.learner ? await deps.learner.enrolment(req.ctx, course.id) : null
    const reader = {
      signedIn,
      signInUrl: signInUrl(courseUrl(course.slug)),
      enrolment: e && {
        status: e.status,
        percent: e.progress.percent,
        continueUrl: e.continueLessonId ? lessonUrl(course.slug, e.continueLessonId) : learnUrl(course.slug),
      },
      ...(signedIn && deps.learner ? { csrf: reply.generateCsrf() } : {}),
    }
    return send(req, reply, views, course.title, renderCourse(i18n, req.ctx.locale, course, reader))
  })
}
