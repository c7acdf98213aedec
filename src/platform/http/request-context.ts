/**
 * Builds the Ctx every request carries: actor, request id, IP, user agent,
 * locale, `now` from the injected clock, and the database handle.
 */
import type { HttpApp } from './http-app'
import type { Clock } from '../clock'
import type { Ctx } from '../context'
import type { Db } from '../db/database'
import { LOCALE_COOKIE, resolveLocale } from '../i18n/i18n'

declare module 'fastify' {
  interface FastifyRequest {
    ctx: Ctx
  }
}

export function registerRequestContext(app: HttpApp, deps: { db: Db; clock: Clock }): void {
  app.decorateRequest('ctx', null as unknown as Ctx)
  app.addHook('onRequest', (req, _reply, done) => {
    req.ctx = {
      actor: null,
      requestId: String(req.id),
      ip: req.ip ?? null,
      userAgent: req.headers['user-agent']?.slice(0, 512) ?? null,
      locale: resolveLocale(req.cookies?.[LOCALE_COOKIE], req.headers['accept-language']),
      now: deps.clock.now(),
      db: deps.db,
    }
    done()
  })
}
