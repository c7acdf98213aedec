/**
 * `/password/forgot` (ask for a link: the same answer whether or not an
 * account has the address) and `/password/reset?token=…` (choose a new
 * password with the link; then sign in again everywhere).
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import type { HttpApp } from '../../platform/http/http-app'
import type { I18n, MessageValues } from '../../platform/i18n/i18n'
import { html, type SafeHtml } from '../../platform/views/html'
import type { Views } from '../../platform/views/layout'
import {
  AccountsError,
  InvalidEmailError,
  LinkInvalidError,
  TooManyRequestsError,
  WeakPasswordError,
} from './accounts.errors'
import { accountPage, csrfField, field, formError, statusMessage } from './forms'
import type { PasswordResetService } from './password-reset.service'

export interface PasswordResetPagesDeps {
  views: Views
  i18n: I18n
  passwordReset: PasswordResetService
}

const ForgotBody = Type.Object({
  email: Type.Optional(Type.String({ maxLength: 320 })),
  _csrf: Type.Optional(Type.String()),
})
const TokenQuery = Type.Object({ token: Type.Optional(Type.String({ maxLength: 128 })) })
const ResetBody = Type.Object({
  token: Type.Optional(Type.String({ maxLength: 128 })),
  password: Type.Optional(Type.String({ maxLength: 4096 })),
  _csrf: Type.Optional(Type.String()),
})

type T = (key: string, values?: MessageValues) => string

const send = (reply: FastifyReply, status: number, body: string) =>
  reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body)

const message = (t: T, err: AccountsError) => t(`errors.${err.code}`, err.params)

/** Registers the password-reset pages. */
export function registerPasswordResetPages(app: HttpApp, deps: PasswordResetPagesDeps): void {
  const { views, i18n, passwordReset } = deps
  const page = (req: FastifyRequest, titleKey: string, body: (t: T) => SafeHtml) => {
    const t: T = (key, values) => i18n.t(req.ctx.locale, key, values)
    const main = html`<section class="narrow" aria-labelledby="password-title"><h1 id="password-title">${t(titleKey)}</h1>${body(t)}</section>`
    return accountPage(views, req, { title: t(titleKey), main })
  }

  const forgotForm = (req: FastifyRequest, reply: FastifyReply, state: { email?: string; error?: AccountsError }) => {
    const csrf = reply.generateCsrf()
    const fieldError = state.error instanceof InvalidEmailError ? state.error : undefined
    const formLevel = state.error && !fieldError ? state.error : undefined
    return page(
      req,
      'accounts.forgot.title',
      (t) => html`<p class="lead-text">${t('accounts.forgot.lead')}</p>
${formLevel ? formError('forgot-error', t('accounts.verify.errorTitle'), message(t, formLevel)) : ''}
<form class="form card-form" method="post" action="/password/forgot" novalidate>${csrfField(csrf)}
${field({ id: 'email', name: 'email', type: 'email', label: t('accounts.profile.email'), autocomplete: 'email', inputmode: 'email', maxlength: 254, required: true, verbatim: true, value: state.email ?? '', error: fieldError && message(t, fieldError) })}
<button class="button button-primary button-block" type="submit">${t('accounts.forgot.submit')}</button>
</form>
<p class="form-note"><a href="/login">${t('accounts.forgot.back')}</a></p>`,
    )
  }

  app.get('/password/forgot', { schema: { hide: true } }, async (req, reply) =>
    send(reply, 200, forgotForm(req, reply, {})),
  )

  app.post('/password/forgot', { schema: { hide: true, body: ForgotBody } }, async (req, reply) => {
    const email = req.body.email ?? ''
    try {
      await passwordReset.requestReset(req.ctx, email)
    } catch (err) {
      if (err instanceof InvalidEmailError) return send(reply, 400, forgotForm(req, reply, { email, error: err }))
      if (err instanceof TooManyRequestsError) return send(reply, 429, forgotForm(req, reply, { email, error: err }))
      throw err
    }
    return send(
      reply,
      200,
      page(
        req,
        'accounts.forgot.title',
        (t) =>
          html`${statusMessage(t('accounts.forgot.sent'))}<p class="form-note">${t('accounts.forgot.sentNote')}</p><p><a href="/login">${t('accounts.forgot.back')}</a></p>`,
      ),
    )
  })

  const resetForm = (req: FastifyRequest, reply: FastifyReply, token: string, error?: WeakPasswordError) => {
    const csrf = reply.generateCsrf()
    return page(
      req,
      'accounts.reset.title',
      (t) => html`<p class="lead-text">${t('accounts.reset.lead')}</p>
<form class="form card-form" method="post" action="/password/reset" novalidate>${csrfField(csrf)}<input type="hidden" name="token" value="${token}">
${field({ id: 'password', name: 'password', type: 'password', label: t('accounts.reset.password'), hint: t('accounts.register.password.hint', { min: 12 }), autocomplete: 'new-password', required: true, error: error && message(t, error) })}
<button class="button button-primary button-block" type="submit">${t('accounts.reset.submit')}</button>
</form>`,
    )
  }

  const invalidLink = (req: FastifyRequest, err: LinkInvalidError) =>
    page(
      req,
      'accounts.reset.title',
      (t) =>
        html`${formError('reset-error', t('accounts.verify.errorTitle'), message(t, err))}<p><a class="button button-primary" href="/password/forgot">${t('accounts.reset.askAgain')}</a></p>`,
    )

  app.get('/password/reset', { schema: { hide: true, querystring: TokenQuery } }, async (req, reply) => {
    const token = req.query.token ?? ''
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return send(reply, 400, invalidLink(req, new LinkInvalidError()))
    return send(reply, 200, resetForm(req, reply, token))
  })

  app.post('/password/reset', { schema: { hide: true, body: ResetBody } }, async (req, reply) => {
    const token = req.body.token ?? ''
    try {
      await passwordReset.resetPassword(req.ctx, { secret: token, password: req.body.password ?? '' })
      return reply.header('cache-control', 'no-store').redirect('/login?done=password_reset', 303)
    } catch (err) {
      if (err instanceof WeakPasswordError) return send(reply, 400, resetForm(req, reply, token, err))
      if (err instanceof LinkInvalidError) return send(reply, 400, invalidLink(req, err))
      throw err
    }
  })
}
