/**
 * Pages of achievements (T-4.5.2):
 *   GET  /verify                          public: what to type, the form (GET ?code= goes to the result)
 *   GET  /verify/:code                    public: valid or revoked with what the certificate shows; 404 otherwise
 *   GET  /learn/achievements              the signed-in learner's own badges and certificates (paged)
 *   GET  /learn/certificates/:code.pdf    the certificate PDF, for its holder or an admin; 404 for anyone else
 *   GET  /admin/certificates/:code        admin: the certificate, the holder's id, revocation (audited access)
 *   POST /admin/certificates/:code/revoke admin: revoke with a reason and a confirmation (CSRF-checked)
 * Every route: authenticate where needed, authorise (achievements.policies), act through the service, present.
 * Unknown, malformed and not-yours look alike: one 404, no hint which it was.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { requireUser } from '../accounts/index'
import type { HttpApp } from '../../platform/http/http-app'
import type { I18n } from '../../platform/i18n/i18n'
import type { Views } from '../../platform/views/layout'
import { CertificateNotFoundError, RevocationReasonRequiredError } from './achievements.errors'
import { canManageCertificates, canReadAchievements } from './achievements.policies'
import type { Achievements } from './achievements.service'
import {
  achievementsPage,
  renderAdminCertificate,
  renderCertificateCheck,
  renderCertificateNotFound,
  renderMyAchievements,
  renderVerifyStart,
  translator,
  type RevokeFormState,
} from './achievements.views'
import { renderCertificatePdf } from './certificate.pdf'
import { normaliseCertificateCode } from './certificate-codes'

export interface AchievementsPagesDeps {
  achievements: Achievements
  views: Views
  i18n: I18n
}

const CodeParams = Type.Object({ code: Type.String({ maxLength: 64 }) })
const VerifyQuery = Type.Object({ code: Type.Optional(Type.String({ maxLength: 200 })) })
const RevokeBody = Type.Object({
  reason: Type.Optional(Type.String({ maxLength: 2000 })),
  confirm: Type.Optional(Type.String({ maxLength: 10 })),
  _csrf: Type.Optional(Type.String()),
})

function send(reply: FastifyReply, status: number, body: string) {
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body)
}

/** Public pages that name a person: not kept by caches, not indexed by search engines. */
const publicPersonal = (reply: FastifyReply) =>
  reply.header('x-robots-tag', 'noindex, nofollow').header('referrer-policy', 'no-referrer')

export function registerAchievementsPages(app: HttpApp, deps: AchievementsPagesDeps): void {
  const { achievements, views, i18n } = deps
  const page = (req: FastifyRequest, title: string, main: Parameters<Views['page']>[1]['main']) =>
    achievementsPage(views, req, { title, main })

  function notFound(req: FastifyRequest, reply: FastifyReply) {
    const t = translator(i18n, req.ctx.locale)
    publicPersonal(reply)
    return send(reply, 404, page(req, t('verify.notFoundTitle'), renderCertificateNotFound(t)))
  }

  app.get('/verify', { schema: { hide: true, querystring: VerifyQuery } }, async (req, reply) => {
    const t = translator(i18n, req.ctx.locale)
    const typed = req.query.code
    if (typed !== undefined) {
      const code = normaliseCertificateCode(typed)
      if (code) return reply.redirect(`/verify/${code}`, 303)
      const main = renderVerifyStart(t, { value: typed.slice(0, 40), invalid: true })
      return send(reply, 400, page(req, `${t('verify.errorTitle')} · ${t('verify.title')}`, main))
    }
    return send(reply, 200, page(req, t('verify.title'), renderVerifyStart(t, {})))
  })

  app.get('/verify/:code', { schema: { hide: true, params: CodeParams } }, async (req, reply) => {
    const code = normaliseCertificateCode(req.params.code)
    if (!code) return notFound(req, reply)
    if (code !== req.params.code) return reply.redirect(`/verify/${code}`, 301)
    const facts = await achievements.verify(req.ctx.db, code)
    if (!facts) return notFound(req, reply)
    const t = translator(i18n, req.ctx.locale)
    const title = facts.revokedAt ? t('verify.revokedTitle') : t('verify.validTitle')
    publicPersonal(reply)
    return send(reply, 200, page(req, title, renderCertificateCheck(t, req.ctx.locale, facts)))
  })

  const MineQuery = Type.Object({ page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })) })
  app.get(
    '/learn/achievements',
    { preHandler: requireUser, schema: { hide: true, querystring: MineQuery } },
    async (req, reply) => {
      const actor = req.ctx.actor!
      if (!canReadAchievements(actor, actor.id)) return reply.callNotFound()
      const t = translator(i18n, req.ctx.locale)
      const view = await achievements.forLearner(req.ctx, actor.id, req.ctx.locale)
      const main = renderMyAchievements(t, req.ctx.locale, view, req.query.page ?? 1)
      return send(reply, 200, page(req, t('mine.title'), main))
    },
  )

  const PdfParams = Type.Object({ file: Type.String({ maxLength: 80 }) })
  app.get(
    '/learn/certificates/:file',
    { preHandler: requireUser, schema: { hide: true, params: PdfParams } },
    async (req, reply) => {
      const match = /^(.+)\.pdf$/.exec(req.params.file)
      const code = match ? normaliseCertificateCode(match[1]!) : undefined
      if (!code) return reply.callNotFound()
      let facts
      try {
        facts = await achievements.document(req.ctx, code)
      } catch (err) {
        if (err instanceof CertificateNotFoundError) return reply.callNotFound()
        throw err
      }
      const pdf = await renderCertificatePdf(facts, i18n)
      return reply
        .type('application/pdf')
        .header('cache-control', 'private, no-store')
        .header('content-disposition', `attachment; filename="certificate-${code}.pdf"`)
        .send(Buffer.from(pdf))
    },
  )

  async function adminPage(
    req: FastifyRequest,
    reply: FastifyReply,
    code: string,
    status: number,
    state: RevokeFormState,
  ) {
    const t = translator(i18n, req.ctx.locale)
    const view = await achievements.staffView(req.ctx, code)
    const main = renderAdminCertificate(t, req.ctx.locale, view, reply.generateCsrf(), state)
    return send(reply, status, page(req, t('admin.title', { code: view.code }), main))
  }

  const AdminQuery = Type.Object({ done: Type.Optional(Type.Literal('revoked')) })
  app.get(
    '/admin/certificates/:code',
    { preHandler: requireUser, schema: { hide: true, params: CodeParams, querystring: AdminQuery } },
    async (req, reply) => {
      const code = normaliseCertificateCode(req.params.code)
      if (!code || !canManageCertificates(req.ctx.actor)) return reply.callNotFound()
      try {
        return await adminPage(req, reply, code, 200, { done: req.query.done === 'revoked' })
      } catch (err) {
        if (err instanceof CertificateNotFoundError) return reply.callNotFound()
        throw err
      }
    },
  )

  app.post(
    '/admin/certificates/:code/revoke',
    { preHandler: requireUser, schema: { hide: true, params: CodeParams, body: RevokeBody } },
    async (req, reply) => {
      const code = normaliseCertificateCode(req.params.code)
      if (!code || !canManageCertificates(req.ctx.actor)) return reply.callNotFound()
      const t = translator(i18n, req.ctx.locale)
      const reason = req.body.reason ?? ''
      const state: RevokeFormState = { reason }
      if (req.body.confirm !== 'yes') state.confirmError = t('admin.confirmRequired')
      if (!reason.trim()) state.reasonError = t('errors.reason_required', { max: 500 })
      try {
        if (state.confirmError || state.reasonError) return await adminPage(req, reply, code, 400, state)
        await achievements.revoke(req.ctx, code, reason)
      } catch (err) {
        if (err instanceof CertificateNotFoundError) return reply.callNotFound()
        if (err instanceof RevocationReasonRequiredError) {
          return adminPage(req, reply, code, 400, { ...state, reasonError: t('errors.reason_required', { max: 500 }) })
        }
        throw err
      }
      return reply.header('cache-control', 'no-store').redirect(`/admin/certificates/${code}?done=revoked`, 303)
    },
  )
}
