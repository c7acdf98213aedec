/**
 * The second factor at sign-in (staff roles): `GET/POST /login/second-factor`
 * (enter the authenticator's code or a recovery code) and
 * `GET/POST /login/second-factor/enrol` (set up the authenticator; staff
 * without one are sent here first and can do nothing else). Only a
 * half-signed-in session reaches them; success replaces its token with a
 * signed-in one.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import QRCode from 'qrcode'
import { Type } from 'typebox'
import type { HttpApp } from '../../platform/http/http-app'
import type { I18n } from '../../platform/i18n/i18n'
import type { Views } from '../../platform/views/layout'
import { SecondFactorEnrolledError, SecondFactorRejectedError, SignInLockedError } from './accounts.errors'
import { SECOND_FACTOR_PATH, setSessionCookie } from './authentication'
import { accountPage } from './forms'
import type { SecondFactorService } from './second-factor.service'
import { renderCodePage, renderEnrolPage, renderRecoveryCodes, type CodeFormState } from './second-factor.views'
import { afterSignIn } from './sign-in.pages'

export const ENROL_PATH = '/login/second-factor/enrol'

export interface SecondFactorPagesDeps {
  views: Views
  i18n: I18n
  secondFactor: SecondFactorService
  secureCookies: boolean
}

const NextQuery = Type.Object({ next: Type.Optional(Type.String({ maxLength: 2048 })) })
const CodeBody = Type.Object({
  code: Type.Optional(Type.String({ maxLength: 64 })),
  next: Type.Optional(Type.String({ maxLength: 2048 })),
  _csrf: Type.Optional(Type.String({ maxLength: 512 })),
})

const withNext = (path: string, next: string) => `${path}?next=${encodeURIComponent(next)}`

function send(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body)
}

/** Registers the second-factor pages. */
export function registerSecondFactorPages(app: HttpApp, deps: SecondFactorPagesDeps): void {
  const { views, i18n, secondFactor, secureCookies } = deps
  const t = (req: FastifyRequest, key: string, values?: Record<string, string | number>) =>
    i18n.t(req.ctx.locale, key, values)
  const page = (req: FastifyRequest, titleKey: string, main: Parameters<typeof accountPage>[2]['main']) =>
    accountPage(views, req, { title: t(req, titleKey), main })

  /** Anyone but a half-signed-in session goes where they belong: on, or to sign in. */
  function elsewhere(req: FastifyRequest, reply: FastifyReply, next: string | undefined): FastifyReply | undefined {
    if (req.pendingSession) return undefined
    return reply.redirect(req.accountSession ? afterSignIn(next) : '/login', 303)
  }

  const failureText = (req: FastifyRequest, err: SecondFactorRejectedError | SignInLockedError) =>
    t(req, `errors.${err.code}`, err.params)

  async function enrolPage(req: FastifyRequest, reply: FastifyReply, status: number, state: CodeFormState) {
    const enrol = await secondFactor.beginEnrolment(req.ctx, req.pendingSession!.userId)
    const qrSvg = await QRCode.toString(enrol.uri, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' })
    const main = renderEnrolPage(i18n, req.ctx.locale, { ...enrol, qrSvg }, state, reply.generateCsrf())
    return send(reply, status, page(req, 'accounts.secondFactor.enrol.title', main))
  }

  app.get(SECOND_FACTOR_PATH, { schema: { hide: true, querystring: NextQuery } }, async (req, reply) => {
    const away = elsewhere(req, reply, req.query.next)
    if (away) return away
    const next = afterSignIn(req.query.next)
    const status = await secondFactor.status(req.ctx, req.pendingSession!.userId)
    if (!status.enrolled) return reply.redirect(withNext(ENROL_PATH, next), 303)
    const main = renderCodePage(i18n, req.ctx.locale, { next }, reply.generateCsrf())
    return send(reply, 200, page(req, 'accounts.secondFactor.title', main))
  })

  app.post(SECOND_FACTOR_PATH, { schema: { hide: true, body: CodeBody } }, async (req, reply) => {
    const away = elsewhere(req, reply, req.body.next)
    if (away) return away
    const next = afterSignIn(req.body.next)
    const code = (req.body.code ?? '').trim()
    const render = (status: number, state: CodeFormState) =>
      send(
        reply,
        status,
        page(req, 'accounts.secondFactor.title', renderCodePage(i18n, req.ctx.locale, state, reply.generateCsrf())),
      )
    if (code === '') return render(400, { next, missing: true })
    try {
      const done = await secondFactor.verify(req.ctx, req.pendingSession!, code)
      setSessionCookie(reply, done.session, req.ctx.now, secureCookies)
      return reply.header('cache-control', 'no-store').redirect(next, 303)
    } catch (err) {
      if (!(err instanceof SecondFactorRejectedError || err instanceof SignInLockedError)) throw err
      return render(err.status, { next, error: failureText(req, err) })
    }
  })

  app.get(ENROL_PATH, { schema: { hide: true, querystring: NextQuery } }, async (req, reply) => {
    const away = elsewhere(req, reply, req.query.next)
    if (away) return away
    const next = afterSignIn(req.query.next)
    try {
      return await enrolPage(req, reply, 200, { next })
    } catch (err) {
      if (err instanceof SecondFactorEnrolledError) return reply.redirect(withNext(SECOND_FACTOR_PATH, next), 303)
      throw err
    }
  })

  app.post(ENROL_PATH, { schema: { hide: true, body: CodeBody } }, async (req, reply) => {
    const away = elsewhere(req, reply, req.body.next)
    if (away) return away
    const next = afterSignIn(req.body.next)
    const code = (req.body.code ?? '').trim()
    try {
      if (code === '') return await enrolPage(req, reply, 400, { next, missing: true })
      const done = await secondFactor.confirmEnrolment(req.ctx, req.pendingSession!, code)
      setSessionCookie(reply, done.session, req.ctx.now, secureCookies)
      const main = renderRecoveryCodes(i18n, req.ctx.locale, done.recoveryCodes, next)
      return send(reply, 200, page(req, 'accounts.secondFactor.recovery.title', main))
    } catch (err) {
      if (err instanceof SecondFactorEnrolledError) return reply.redirect(withNext(SECOND_FACTOR_PATH, next), 303)
      if (!(err instanceof SecondFactorRejectedError || err instanceof SignInLockedError)) throw err
      return enrolPage(req, reply, err.status, { next, error: failureText(req, err) })
    }
  })
}
