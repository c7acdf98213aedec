/**
 * `/login` and `/logout`: server-rendered forms in kk, ru and en. A failed
 * sign-in shows one message whatever went wrong; a successful one sets a
 * fresh session cookie and goes back to a local `next` page only.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import type { HttpApp } from '../../platform/http/http-app'
import type { I18n } from '../../platform/i18n/i18n'
import { safeLocalPath } from '../../platform/i18n/language-route'
import { html } from '../../platform/views/html'
import type { Views } from '../../platform/views/layout'
import { SignInFailedError, SignInLockedError } from './accounts.errors'
import { AccountClosedError } from './account-closure.service'
import { clearSessionCookie, SECOND_FACTOR_PATH, setSessionCookie } from './authentication'
import { accountPage, actionButton, csrfField, field, formError, statusMessage } from './forms'
import type { SignInService } from './sign-in.service'

export interface SignInPagesDeps {
  views: Views
  i18n: I18n
  signIn: SignInService
  secureCookies: boolean
}

const SignInBody = Type.Object({
  identifier: Type.Optional(Type.String({ maxLength: 320 })),
  password: Type.Optional(Type.String({ maxLength: 4096 })),
  next: Type.Optional(Type.String({ maxLength: 2048 })),
  _csrf: Type.Optional(Type.String({ maxLength: 512 })),
})
const NextQuery = Type.Object({
  next: Type.Optional(Type.String({ maxLength: 2048 })),
  done: Type.Optional(Type.Literal('password_reset')),
})

/** Where to go after signing in: a local page, never the sign-in or sign-out pages themselves. */
export function afterSignIn(next: string | undefined): string {
  if (next === undefined || next === '') return '/account'
  const target = safeLocalPath(next)
  return target === '/' || /^\/(?:login|logout)(?:[/?#]|$)/.test(target) ? '/account' : target
}

/**
 * A page to come back to after registering or signing in (e.g. a guardian's invitation, issue 3), or
 * undefined when there is none besides the account page: carried as `next` from the sign-in page to
 * registration and on to verification.
 */
export function continueTo(next: string | undefined): string | undefined {
  const target = afterSignIn(next)
  return target === '/account' || /^\/register(?:[/?#]|$)/.test(target) ? undefined : target
}

/** `path` with `next=…` added to its query when there is a page to come back to. */
export function withNext(path: string, next: string | undefined): string {
  const target = continueTo(next)
  if (target === undefined) return path
  return `${path}${path.includes('?') ? '&' : '?'}next=${encodeURIComponent(target)}`
}

interface FormState {
  identifier?: string
  next?: string
  missingIdentifier?: boolean
  missingPassword?: boolean
  /** The form-level error: the generic sign-in failure or the lockout. */
  failure?: SignInFailedError | SignInLockedError | AccountClosedError
  /** What just happened elsewhere (the password was reset). */
  done?: 'password_reset'
}

type T = (key: string, values?: Record<string, string | number>) => string

/** The two fields; with a form-level failure both are marked invalid and point at its message. */
function signInFields(t: T, state: FormState, errorId: string) {
  const describedBy = state.failure ? [errorId] : []
  const invalid = Boolean(state.failure)
  return html`${field({
    id: 'identifier',
    name: 'identifier',
    label: t('accounts.signIn.identifier.label'),
    hint: t('accounts.signIn.identifier.hint'),
    value: state.identifier ?? '',
    autocomplete: 'username',
    maxlength: 320,
    required: true,
    verbatim: true,
    error: state.missingIdentifier ? t('accounts.signIn.missingIdentifier') : undefined,
    describedBy,
    invalid,
  })}
${field({
  id: 'password',
  name: 'password',
  type: 'password',
  label: t('accounts.signIn.password.label'),
  autocomplete: 'current-password',
  required: true,
  error: state.missingPassword ? t('accounts.signIn.missingPassword') : undefined,
  describedBy,
  invalid,
})}`
}

/** Renders the sign-in page with what was typed (never the password) and its errors. */
function renderSignIn(deps: SignInPagesDeps, req: FastifyRequest, reply: FastifyReply, state: FormState): string {
  const t: T = (key, values) => deps.i18n.t(req.ctx.locale, key, values)
  const failure = state.failure
  const errorId = 'sign-in-error'
  const main = html`<section class="narrow" aria-labelledby="sign-in-title">
<h1 id="sign-in-title">${t('accounts.signIn.title')}</h1>
<p class="lead-text">${t('accounts.signIn.lead')}</p>
${state.done ? statusMessage(t(`accounts.signIn.done.${state.done}`)) : ''}
${failure ? formError(errorId, t('accounts.signIn.errorTitle'), t(`errors.${failure.code}`, failure.params)) : ''}
<form class="form card-form" method="post" action="/login" novalidate>
${csrfField(reply.generateCsrf())}
<input type="hidden" name="next" value="${afterSignIn(state.next)}">
${signInFields(t, state, errorId)}
<button class="button button-primary button-block" type="submit">${t('accounts.signIn.submit')}</button>
<p class="form-links"><a href="/password/forgot">${t('accounts.signIn.forgot')}</a></p>
</form>
<p class="form-links">${t('accounts.signIn.noAccount')} <a href="${withNext('/register', state.next)}">${t('accounts.signIn.register')}</a></p>
<p class="form-note">${t('accounts.signIn.notice')}</p>
</section>`
  return accountPage(deps.views, req, { title: t('accounts.signIn.title'), main })
}

function htmlReply(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body)
}

/** Registers GET/POST /login and GET/POST /logout. */
export function registerSignInPages(app: HttpApp, deps: SignInPagesDeps): void {
  const { signIn, secureCookies } = deps

  app.get('/login', { schema: { hide: true, querystring: NextQuery } }, async (req, reply) => {
    if (req.accountSession) return reply.redirect(afterSignIn(req.query.next), 303)
    return htmlReply(reply, 200, renderSignIn(deps, req, reply, { next: req.query.next, done: req.query.done }))
  })

  app.post('/login', { schema: { hide: true, body: SignInBody } }, async (req, reply) => {
    const { identifier = '', password = '', next } = req.body
    const missingIdentifier = identifier.trim() === ''
    const missingPassword = password === ''
    if (missingIdentifier || missingPassword) {
      const state = { identifier, next, missingIdentifier, missingPassword }
      return htmlReply(reply, 400, renderSignIn(deps, req, reply, state))
    }
    try {
      const replacing = req.accountSession ?? req.pendingSession
      const started = await signIn.signIn(req.ctx, { identifier, password, replacing })
      setSessionCookie(reply, started, req.ctx.now, secureCookies)
      // Staff: half signed in until the second factor (or its enrolment) is done.
      const target =
        started.secondFactor === 'pending'
          ? `${SECOND_FACTOR_PATH}?next=${encodeURIComponent(afterSignIn(next))}`
          : afterSignIn(next)
      return reply.header('cache-control', 'no-store').redirect(target, 303)
    } catch (err) {
      const known = err instanceof SignInFailedError || err instanceof SignInLockedError
      if (!(known || err instanceof AccountClosedError)) throw err
      return htmlReply(reply, err.status, renderSignIn(deps, req, reply, { identifier, next, failure: err }))
    }
  })

  // A bookmarked /logout asks first: a GET never changes anything.
  app.get('/logout', { schema: { hide: true } }, async (req, reply) => {
    if (!req.accountSession && !req.pendingSession) return reply.redirect('/', 303)
    const t = (key: string) => deps.i18n.t(req.ctx.locale, key)
    const main = html`<section class="narrow" aria-labelledby="sign-out-title">
<h1 id="sign-out-title">${t('accounts.signOut.title')}</h1>
<p class="lead-text">${t('accounts.signOut.lead')}</p>
<div class="actions-row">${actionButton({ action: '/logout', csrf: reply.generateCsrf(), label: t('accounts.signOut.submit'), variant: 'primary' })}<a class="button button-secondary" href="/account">${t('accounts.signOut.cancel')}</a></div>
</section>`
    return htmlReply(reply, 200, accountPage(deps.views, req, { title: t('accounts.signOut.title'), main }))
  })

  app.post('/logout', { schema: { hide: true } }, async (req, reply) => {
    const session = req.accountSession ?? req.pendingSession
    if (session) await signIn.signOut(req.ctx, session)
    clearSessionCookie(reply, secureCookies)
    return reply.header('cache-control', 'no-store').redirect('/', 303)
  })
}
