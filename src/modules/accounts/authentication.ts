/**
 * Who is asking: the `oqu_session` cookie, resolved on every request into
 * `req.ctx.actor` and `req.accountSession`, and `requireUser` for routes
 * that need a signed-in person. The cookie holds the random token only;
 * HttpOnly, SameSite=Lax, Path=/, Secure whenever the public URL is https.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { HttpApp } from '../../platform/http/http-app'
import { AppError } from '../../platform/http/errors'
import { safeLocalPath } from '../../platform/i18n/language-route'
import { GuardianRequiredError } from './accounts.errors'
import type { CurrentSession, SessionsService, StartedSession } from './sessions.service'

export const SESSION_COOKIE = 'oqu_session'
/** The page a half-signed-in staff session is sent to (it sends on to enrolment when there is no factor yet). */
export const SECOND_FACTOR_PATH = '/login/second-factor'

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in session of this request, or null for an anonymous visitor. */
    accountSession: CurrentSession | null
    /**
     * A staff session half signed in: the password was right, the second
     * factor is still due. It is not a signed-in session: no actor, and only
     * the second-factor pages (and sign-out) accept it.
     */
    pendingSession: CurrentSession | null
  }
}

export interface AuthenticationDeps {
  sessions: Pick<SessionsService, 'resolve'>
  /** Send the cookie with `Secure` (true when the public URL is https). */
  secureCookies: boolean
}

// Static files, probes and metrics never need to know who is asking.
const SKIPPED = /^\/(?:assets\/|healthz$|readyz$|metrics$)/

const cookieOptions = (secure: boolean) => ({ path: '/', httpOnly: true, sameSite: 'lax' as const, secure })

/**
 * Sets the session cookie, kept by the browser until the session's absolute
 * end. Max-Age (relative) rather than Expires (a date): the browser's clock
 * need not agree with the server's.
 */
export function setSessionCookie(reply: FastifyReply, session: StartedSession, now: Date, secure: boolean): void {
  const maxAge = Math.max(0, Math.floor((session.absoluteExpiresAt.getTime() - now.getTime()) / 1000))
  reply.setCookie(SESSION_COOKIE, session.token, { ...cookieOptions(secure), maxAge })
}

/** Removes the session cookie. */
export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(SESSION_COOKIE, cookieOptions(secure))
}

/**
 * Resolves the session cookie on every request (after the request context
 * is built): sets `req.ctx.actor` to the signed-in user and drops a cookie
 * whose session has ended.
 */
export function registerAuthentication(app: HttpApp, deps: AuthenticationDeps): void {
  app.decorateRequest('accountSession', null)
  app.decorateRequest('pendingSession', null)
  app.addHook('onRequest', async (req, reply) => {
    req.accountSession = null
    req.pendingSession = null
    const token = req.cookies?.[SESSION_COOKIE]
    if (!token || SKIPPED.test(req.url)) return
    const session = await deps.sessions.resolve(req.ctx, token)
    if (!session) {
      clearSessionCookie(reply, deps.secureCookies)
      return
    }
    // Pages of a signed-in person must not be kept by shared caches.
    reply.header('cache-control', 'no-store')
    if (session.secondFactor === 'pending') {
      req.pendingSession = session
      return
    }
    req.accountSession = session
    req.ctx.actor = {
      kind: 'user',
      id: session.userId,
      roles: session.roles,
      ...(session.restricted ? { restricted: session.restricted } : {}),
    }
    if (session.restricted && !isEssential(req.method, req.url)) {
      // A minor awaiting a guardian (or a new adult whose own consent is due) does nothing beyond the essentials.
      if (req.method === 'GET' || req.method === 'HEAD') return reply.redirect(GUARDIAN_PATH, 303)
      throw new GuardianRequiredError(session.restricted)
    }
  })
}

/** Where a restricted person is sent: "ask your parent or guardian" (or "consent personally" at 18). */
export const GUARDIAN_PATH = '/account/guardian'

// What a restricted account may still post: its own account, sessions and verification, sign-in and out,
// the guardian invitation and personal consent, and the rights that reduce processing (withdrawal, complaints).
const ESSENTIAL_POSTS =
  /^\/(?:logout|login(?:\/[\w-]+)*|register|password\/[\w-]+|account\/(?:guardian(?:\/[\w-]+)?|consent|edit|avatar\/delete|verify-email|verify\/phone|sessions(?:\/[\w-]+)*)|privacy\/(?:withdraw|unsubscribe|complaints|close))$/
// Pages that process beyond the essentials: learning, teaching, staff desks, and the JSON API besides one's account.
const PROCESSING_PAGES = /^\/(?:learn|teach|dpo)(?:\/|$)|^\/api\/(?!v1\/account\/)/

/** May a restricted person make this request? Reading public and own-account pages, and a short list of posts. */
export function isEssential(method: string, url: string): boolean {
  const path = url.split('?')[0] ?? ''
  if (method === 'GET' || method === 'HEAD') return !PROCESSING_PAGES.test(path)
  return ESSENTIAL_POSTS.test(path)
}

/** The URL of the sign-in page that comes back to `next` afterwards. */
export function signInUrl(next: string | undefined): string {
  const target = safeLocalPath(next)
  return target === '/' ? '/login' : `/login?next=${encodeURIComponent(target)}`
}

/**
 * preHandler for routes that need a signed-in person: pages send an
 * anonymous visitor to the sign-in page (coming back afterwards), the JSON
 * API answers 401.
 */
export async function requireUser(req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  if (req.accountSession && req.ctx.actor?.kind === 'user') return undefined
  if (req.url.startsWith('/api/')) throw new AppError('unauthenticated')
  // Half signed in: the second factor first, and nothing else.
  if (req.pendingSession) return reply.redirect(SECOND_FACTOR_PATH, 303)
  // Only a page can be come back to; a form post (its session ended meanwhile) starts again from /account.
  const next = req.method === 'GET' || req.method === 'HEAD' ? req.url : '/account'
  return reply.redirect(signInUrl(next), 303)
}
