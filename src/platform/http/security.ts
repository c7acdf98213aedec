/**
 * Protection measures at the HTTP edge (T-4.4, B-3.2, B-3.3): security
 * headers with a strict Content-Security-Policy, HSTS, CSRF tokens for every
 * state-changing request, and rate limiting.
 */
import cookie from '@fastify/cookie'
import csrf from '@fastify/csrf-protection'
import formbody from '@fastify/formbody'
import helmet from '@fastify/helmet'
import rateLimit from '@fastify/rate-limit'
import type { HttpApp } from './http-app'

export interface SecurityOptions {
  cookieSecret: string
  rateLimitPerMinute: number
  /** Send cookies with `Secure` (false only for plain-HTTP development). */
  secureCookies: boolean
}

export const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  // Lesson videos: only these players may be framed (src/modules/learning, learn.views.ts videoEmbed).
  frameSrc: ['https://www.youtube-nocookie.com', 'https://player.vimeo.com'],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  upgradeInsecureRequests: [] as string[],
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

export async function registerSecurity(app: HttpApp, opts: SecurityOptions): Promise<void> {
  const directives = opts.secureCookies ? CSP_DIRECTIVES : { ...CSP_DIRECTIVES, upgradeInsecureRequests: null }
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives },
    hsts: { maxAge: 31_536_000, includeSubDomains: true },
    referrerPolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
  })
  await app.register(cookie, { secret: opts.cookieSecret })
  await app.register(formbody, { bodyLimit: 1_048_576 })
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: 'oqu_csrf',
    cookieOpts: { httpOnly: true, sameSite: 'lax', secure: opts.secureCookies, path: '/', signed: true },
    getToken: (req) => {
      const body = req.body as Record<string, unknown> | undefined
      const fromBody = body && typeof body._csrf === 'string' ? body._csrf : undefined
      return fromBody ?? (req.headers['x-csrf-token'] as string | undefined)
    },
  })
  // Every state-changing request needs the token: forms send it as `_csrf`,
  // scripts as the `x-csrf-token` header.
  app.addHook('preHandler', (req, reply, done) => {
    if (SAFE_METHODS.has(req.method) || req.routeOptions.config?.csrf === false) return done()
    app.csrfProtection(req, reply, done)
  })
  await app.register(rateLimit, {
    max: opts.rateLimitPerMinute,
    timeWindow: '1 minute',
    allowList: (req) => req.url === '/healthz' || req.url === '/readyz' || req.url === '/metrics',
  })
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set false on routes that must accept cross-site posts (e.g. payment callbacks verified by signature). */
    csrf?: boolean
  }
}
