/**
 * `/account` (the person's profile, identifiers masked), `/account/sessions`
 * ("your sessions": B-2.2 login history, end any session) and the same list
 * as JSON at `/api/v1/account/sessions`. Every route: authenticate
 * (requireUser), validate, authorise (policies.ts), act, present.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import type { HttpApp } from '../../platform/http/http-app'
import type { I18n } from '../../platform/i18n/i18n'
import type { Views } from '../../platform/views/layout'
import type { SafeHtml } from '../../platform/views/html'
import { renderPending, renderRequests } from './account-edit.views'
import type { CorrectionsService } from './corrections.service'
import { accountPage } from './forms'
import type { VerificationService } from './verification.service'
import { renderProfile, renderSessions, type SessionsNotice } from './account.views'
import type { AccountsService } from './accounts.service'
import { clearSessionCookie, requireUser } from './authentication'
import { maskEmail } from './emails'
import { maskIin } from './iin'
import { maskPhone } from './phones'
import { canRevokeSession, canViewAccount, canViewSessions } from './policies'
import { LOGIN_HISTORY_DAYS, type SessionsService, type SessionView } from './sessions.service'

export interface AccountPagesDeps {
  views: Views
  i18n: I18n
  accounts: Pick<AccountsService, 'findById' | 'getEmail' | 'getPhone' | 'getProfileFields'>
  sessions: Pick<SessionsService, 'list' | 'owner' | 'revoke' | 'revokeOthers'>
  verification: Pick<VerificationService, 'pendingIdentifiers'>
  corrections: Pick<CorrectionsService, 'listOwn'>
  secureCookies: boolean
  /** Extra profile parts from other account features (the avatar), rendered for the signed-in owner. */
  avatarSection?: (req: FastifyRequest, csrf: string) => Promise<SafeHtml>
  /** The second factor's state, shown to staff. */
  secondFactorSection?: (req: FastifyRequest) => Promise<SafeHtml>
}

const SessionParams = Type.Object({ id: Type.String({ maxLength: 64 }) })
const PROFILE_NOTICES = ['saved', 'email_pending', 'requested', 'avatar_saved', 'avatar_removed'] as const
const ProfileQuery = Type.Object({
  done: Type.Optional(Type.Union(PROFILE_NOTICES.map((n) => Type.Literal(n)))),
})
const SessionsQuery = Type.Object({
  done: Type.Optional(Type.Union([Type.Literal('revoked'), Type.Literal('revoked_others')])),
})

const SessionJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  current: Type.Boolean(),
  state: Type.String({
    description:
      'active, expired, signed_out, revoked, revoked_others, replaced, password_reset or second_factor_reset',
  }),
  createdAt: Type.String({ format: 'date-time', description: 'When the person signed in' }),
  lastSeenAt: Type.String({ format: 'date-time' }),
  endedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  browser: Type.Union([Type.String(), Type.Null()]),
  os: Type.Union([Type.String(), Type.Null()]),
  device: Type.String(),
  maskedIp: Type.String({ description: 'The sign-in IP, partly hidden' }),
})
const SessionsJson = Type.Object({ sessions: Type.Array(SessionJson) })

/** The JSON presentation of a session (the same fields the page shows). */
export function toSessionJson(s: SessionView) {
  return {
    id: s.id,
    current: s.current,
    state: s.state,
    createdAt: s.createdAt.toISOString(),
    lastSeenAt: s.lastSeenAt.toISOString(),
    endedAt: s.endedAt ? s.endedAt.toISOString() : null,
    browser: s.browser,
    os: s.os,
    device: s.device,
    maskedIp: s.maskedIp,
  }
}

const sendPage = (reply: FastifyReply, body: string) =>
  reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body)

const signedIn = { preHandler: requireUser }

/** GET /account: the person's own profile, identifiers masked. */
function registerProfilePage(app: HttpApp, deps: AccountPagesDeps): void {
  const { views, i18n, accounts, verification, corrections } = deps
  app.get('/account', { ...signedIn, schema: { hide: true, querystring: ProfileQuery } }, async (req, reply) => {
    const actor = req.ctx.actor!
    if (!canViewAccount(actor, actor.id)) return reply.callNotFound()
    const account = await accounts.findById(req.ctx, actor.id)
    if (!account) return reply.callNotFound()
    const [email, phone, fields, pending, requests] = await Promise.all([
      accounts.getEmail(req.ctx, actor.id),
      accounts.getPhone(req.ctx, actor.id),
      accounts.getProfileFields(req.ctx, actor.id),
      verification.pendingIdentifiers(req.ctx, actor.id),
      corrections.listOwn(req.ctx, actor.id),
    ])
    const t = (key: string) => i18n.t(req.ctx.locale, key)
    const csrf = reply.generateCsrf()
    const profile = {
      fields: { ...fields, iin: fields.iin === undefined ? undefined : maskIin(fields.iin) },
      maskedEmail: email === undefined ? undefined : maskEmail(email),
      emailVerified: account.emailVerifiedAt !== null,
      maskedPhone: phone === undefined ? undefined : maskPhone(phone),
      phoneVerified: account.phoneVerifiedAt !== null,
      roles: account.roles,
      createdAt: account.createdAt,
      notice: req.query.done ? t(`accounts.profile.done.${req.query.done}`) : undefined,
      pending: renderPending((key, values) => i18n.t(req.ctx.locale, key, values), req.ctx.locale, {
        email: pending.email && { masked: maskEmail(pending.email.value), expiresAt: pending.email.expiresAt },
        phone: pending.phone && { masked: maskPhone(pending.phone.value), expiresAt: pending.phone.expiresAt },
      }),
      requests: renderRequests((key, values) => i18n.t(req.ctx.locale, key, values), req.ctx.locale, requests),
      avatar: deps.avatarSection ? await deps.avatarSection(req, csrf) : undefined,
      security: deps.secondFactorSection ? await deps.secondFactorSection(req) : undefined,
    }
    const main = renderProfile(i18n, req.ctx.locale, profile, csrf)
    return sendPage(reply, accountPage(views, req, { title: i18n.t(req.ctx.locale, 'accounts.profile.title'), main }))
  })
}

/** POST routes that end sessions: one (any of the person's own), or all but the current one. */
function registerRevokeRoutes(app: HttpApp, deps: AccountPagesDeps): void {
  const { sessions, secureCookies } = deps
  app.post(
    '/account/sessions/:id/revoke',
    { ...signedIn, schema: { hide: true, params: SessionParams } },
    async (req, reply) => {
      const actor = req.ctx.actor!
      const session = await sessions.owner(req.ctx, req.params.id)
      // Someone else's session is answered like one that does not exist.
      if (!session || !canRevokeSession(actor, session)) return reply.callNotFound()
      await sessions.revoke(req.ctx, { userId: session.userId, sessionId: session.id, reason: 'revoked' })
      reply.header('cache-control', 'no-store')
      if (session.id === req.accountSession?.id) {
        clearSessionCookie(reply, secureCookies)
        return reply.redirect('/', 303)
      }
      return reply.redirect('/account/sessions?done=revoked', 303)
    },
  )

  app.post('/account/sessions/revoke-others', { ...signedIn, schema: { hide: true } }, async (req, reply) => {
    const actor = req.ctx.actor!
    const current = req.accountSession!
    if (!canRevokeSession(actor, current)) return reply.callNotFound()
    await sessions.revokeOthers(req.ctx, { userId: actor.id, keepSessionId: current.id })
    return reply.header('cache-control', 'no-store').redirect('/account/sessions?done=revoked_others', 303)
  })
}

/** GET /account/sessions (page) and GET /api/v1/account/sessions (JSON): one read path, one permission. */
function registerSessionLists(app: HttpApp, deps: AccountPagesDeps): void {
  const { views, i18n, sessions } = deps
  app.get(
    '/account/sessions',
    { ...signedIn, schema: { hide: true, querystring: SessionsQuery } },
    async (req, reply) => {
      const actor = req.ctx.actor!
      if (!canViewSessions(actor, actor.id)) return reply.callNotFound()
      const list = await sessions.list(req.ctx, { userId: actor.id, currentSessionId: req.accountSession?.id })
      const notice: SessionsNotice = req.query.done
      const csrf = reply.generateCsrf()
      const main = renderSessions(i18n, req.ctx.locale, {
        sessions: list,
        csrf,
        notice,
        historyDays: LOGIN_HISTORY_DAYS,
      })
      return sendPage(
        reply,
        accountPage(views, req, { title: i18n.t(req.ctx.locale, 'accounts.sessions.title'), main }),
      )
    },
  )

  const api = {
    tags: ['accounts'],
    summary: 'Your sessions and login history (B-2.2)',
    response: { 200: SessionsJson },
  }
  app.get('/api/v1/account/sessions', { ...signedIn, schema: api }, async (req, reply) => {
    const actor = req.ctx.actor!
    if (!canViewSessions(actor, actor.id)) return reply.callNotFound()
    const list = await sessions.list(req.ctx, { userId: actor.id, currentSessionId: req.accountSession?.id })
    reply.header('cache-control', 'no-store')
    return { sessions: list.map(toSessionJson) }
  })
}

/** Registers the account pages and the sessions API; every route requires a signed-in person. */
export function registerAccountPages(app: HttpApp, deps: AccountPagesDeps): void {
  registerProfilePage(app, deps)
  registerSessionLists(app, deps)
  registerRevokeRoutes(app, deps)
}
