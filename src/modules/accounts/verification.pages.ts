/**
 * Confirming one's identifiers. `/account/verify` (signed in): the state of
 * the e-mail address and phone, the SMS code form, and "send again".
 * `/account/verify-email?token=…` (the link in the e-mail, signed in or not)
 * asks for one click before it uses the link: mail scanners that fetch links
 * must not spend it.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import type { HttpApp } from '../../platform/http/http-app'
import type { I18n, MessageValues } from '../../platform/i18n/i18n'
import { html, type SafeHtml } from '../../platform/views/html'
import type { Views } from '../../platform/views/layout'
import {
  CodeRejectedError,
  EmailTakenError,
  LinkInvalidError,
  PhoneTakenError,
  TooManyRequestsError,
} from './accounts.errors'
import type { AccountsService } from './accounts.service'
import { requireUser } from './authentication'
import { maskEmail } from './emails'
import { accountPage, actionButton, csrfField, field, formError, statusMessage } from './forms'
import { maskPhone } from './phones'
import { continueTo, withNext } from './sign-in.pages'
import type { VerificationService } from './verification.service'

export interface VerificationPagesDeps {
  views: Views
  i18n: I18n
  accounts: Pick<AccountsService, 'findById' | 'getEmail' | 'getPhone'>
  verification: VerificationService
}

const DONE = ['registered', 'email', 'phone', 'code_sent', 'link_sent'] as const
const VerifyQuery = Type.Object({
  done: Type.Optional(Type.Union(DONE.map((d) => Type.Literal(d)))),
  next: Type.Optional(Type.String({ maxLength: 2048 })),
})
/** A page to come back to once the contacts are confirmed (e.g. a guardian's invitation, issue 3). */
const NextQuery = Type.Object({ next: Type.Optional(Type.String({ maxLength: 2048 })) })
const CodeBody = Type.Object({
  code: Type.Optional(Type.String({ maxLength: 32 })),
  next: Type.Optional(Type.String({ maxLength: 2048 })),
  _csrf: Type.Optional(Type.String()),
})
const TokenQuery = Type.Object({ token: Type.Optional(Type.String({ maxLength: 128 })) })
const TokenBody = Type.Object({
  token: Type.Optional(Type.String({ maxLength: 128 })),
  _csrf: Type.Optional(Type.String()),
})

type T = (key: string, values?: MessageValues) => string

interface VerifyState {
  done?: (typeof DONE)[number]
  /** Where the person was going (kept through registration): offered as "continue". */
  next?: string
  codeError?: CodeRejectedError
  formError?: TooManyRequestsError | LinkInvalidError | PhoneTakenError
}

const send = (reply: FastifyReply, status: number, body: string) =>
  reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body)

function identifierRow(t: T, label: string, masked: string | undefined, verified: boolean, action: SafeHtml): SafeHtml {
  if (masked === undefined) return html``
  const badge = verified
    ? html`<span class="badge badge-ok">${t('accounts.profile.verified')}</span>`
    : html`<span class="badge">${t('accounts.profile.unverified')}</span>`
  return html`<div><dt>${label}</dt><dd><span class="mono">${masked}</span> ${badge}${verified ? '' : html`<div class="row-action">${action}</div>`}</dd></div>`
}

/** Registers the verification pages. */
export function registerVerificationPages(app: HttpApp, deps: VerificationPagesDeps): void {
  const { views, i18n, accounts, verification } = deps
  const signedIn = { preHandler: requireUser }

  async function renderVerify(req: FastifyRequest, reply: FastifyReply, status: number, state: VerifyState) {
    const t: T = (key, values) => i18n.t(req.ctx.locale, key, values)
    const userId = req.ctx.actor!.id
    const [account, email, phone, pending] = await Promise.all([
      accounts.findById(req.ctx, userId),
      accounts.getEmail(req.ctx, userId),
      accounts.getPhone(req.ctx, userId),
      verification.pendingIdentifiers(req.ctx, userId),
    ])
    const csrf = reply.generateCsrf()
    // A new number waiting for its code (T-5.2.2) is confirmed here too.
    const phoneOpen = pending.phone !== undefined || (phone !== undefined && !account?.phoneVerifiedAt)
    const next = continueTo(state.next)
    const resend = (kind: 'email' | 'phone') =>
      actionButton({
        action: withNext(`/account/verify/${kind}/resend`, next),
        csrf,
        label: t(`accounts.verify.resend.${kind}`),
      })
    const codeError = state.codeError ? t(`errors.${state.codeError.code}`, state.codeError.params) : undefined
    const main = html`<section class="narrow" aria-labelledby="verify-title">
<h1 id="verify-title">${t('accounts.verify.title')}</h1>
<p class="lead-text">${t('accounts.verify.lead')}</p>
${state.done ? statusMessage(t(`accounts.verify.done.${state.done}`)) : ''}
${next ? html`<p class="notice verify-next">${t('accounts.verify.nextLead')} <a class="button button-primary" href="${next}">${t('accounts.verify.next')}</a></p>` : ''}
${state.formError ? formError('verify-error', t('accounts.verify.errorTitle'), t(`errors.${state.formError.code}`, state.formError.params)) : ''}
<dl class="details card">
${identifierRow(t, t('accounts.profile.email'), email && maskEmail(email), Boolean(account?.emailVerifiedAt), resend('email'))}
${identifierRow(t, t('accounts.profile.phone'), phone && maskPhone(phone), Boolean(account?.phoneVerifiedAt), resend('phone'))}
</dl>
${
  phoneOpen
    ? html`<form class="form card-form" method="post" action="/account/verify/phone" novalidate>
${csrfField(csrf)}
${next ? html`<input type="hidden" name="next" value="${next}">` : ''}
<h2 class="form-title">${t('accounts.verify.codeTitle')}</h2>
${field({ id: 'code', name: 'code', label: t('accounts.verify.code.label'), hint: t('accounts.verify.code.hint'), inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 12, required: true, verbatim: true, error: codeError })}
<button class="button button-primary button-block" type="submit">${t('accounts.verify.code.submit')}</button>
</form>`
    : ''
}
<p><a href="/account">${t('accounts.verify.toAccount')}</a></p>
</section>`
    return send(reply, status, accountPage(views, req, { title: t('accounts.verify.title'), main }))
  }

  app.get('/account/verify', { ...signedIn, schema: { hide: true, querystring: VerifyQuery } }, async (req, reply) =>
    renderVerify(req, reply, 200, { done: req.query.done, next: req.query.next }),
  )

  app.post('/account/verify/phone', { ...signedIn, schema: { hide: true, body: CodeBody } }, async (req, reply) => {
    const next = req.body.next
    try {
      await verification.confirmPhone(req.ctx, req.ctx.actor!.id, req.body.code ?? '')
      return reply.redirect(withNext('/account/verify?done=phone', next), 303)
    } catch (err) {
      if (err instanceof CodeRejectedError) return renderVerify(req, reply, 400, { codeError: err, next })
      if (err instanceof LinkInvalidError || err instanceof PhoneTakenError)
        return renderVerify(req, reply, err.status, { formError: err, next })
      throw err
    }
  })

  for (const kind of ['email', 'phone'] as const) {
    app.post(
      `/account/verify/${kind}/resend`,
      { ...signedIn, schema: { hide: true, querystring: NextQuery } },
      async (req, reply) => {
        const next = req.query.next
        try {
          const userId = req.ctx.actor!.id
          await (kind === 'email'
            ? verification.resendEmailLink(req.ctx, userId)
            : verification.resendPhoneCode(req.ctx, userId))
          const done = kind === 'email' ? 'link_sent' : 'code_sent'
          return reply.redirect(withNext(`/account/verify?done=${done}`, next), 303)
        } catch (err) {
          if (err instanceof TooManyRequestsError) return renderVerify(req, reply, 429, { formError: err, next })
          throw err
        }
      },
    )
  }

  registerEmailLinkPages(app, deps)
}

/** The page the e-mail's link opens, and the click that uses the link. */
function registerEmailLinkPages(app: HttpApp, deps: VerificationPagesDeps): void {
  const { views, i18n, verification } = deps
  const page = (req: FastifyRequest, body: (t: T) => SafeHtml) => {
    const t: T = (key, values) => i18n.t(req.ctx.locale, key, values)
    return accountPage(views, req, {
      title: t('accounts.verifyEmail.title'),
      main: html`<section class="narrow" aria-labelledby="verify-email-title"><h1 id="verify-email-title">${t('accounts.verifyEmail.title')}</h1>${body(t)}</section>`,
    })
  }

  app.get('/account/verify-email', { schema: { hide: true, querystring: TokenQuery } }, async (req, reply) => {
    const csrf = reply.generateCsrf()
    return send(
      reply,
      200,
      page(
        req,
        (t) => html`<p class="lead-text">${t('accounts.verifyEmail.lead')}</p>
<form class="form" method="post" action="/account/verify-email">${csrfField(csrf)}<input type="hidden" name="token" value="${req.query.token ?? ''}"><button class="button button-primary" type="submit">${t('accounts.verifyEmail.submit')}</button></form>`,
      ),
    )
  })

  app.post('/account/verify-email', { schema: { hide: true, body: TokenBody } }, async (req, reply) => {
    try {
      await verification.confirmEmail(req.ctx, req.body.token ?? '')
      const next = req.accountSession ? '/account' : '/login'
      return send(
        reply,
        200,
        page(
          req,
          (t) =>
            html`${statusMessage(t('accounts.verifyEmail.done'))}<p><a class="button button-primary" href="${next}">${t(req.accountSession ? 'accounts.verify.toAccount' : 'accounts.signIn.submit')}</a></p>`,
        ),
      )
    } catch (err) {
      // A new address another account confirmed first is refused like a spent link, with its own message.
      if (!(err instanceof LinkInvalidError || err instanceof EmailTakenError)) throw err
      return send(
        reply,
        400,
        page(
          req,
          (t) =>
            html`${formError('verify-email-error', t('accounts.verify.errorTitle'), t(`errors.${err.code}`))}<p><a href="/account/verify">${t('accounts.verifyEmail.askAgain')}</a></p>`,
        ),
      )
    }
  })
}
