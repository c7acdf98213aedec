/**
 * The language switcher: GET /lang/:locale?next=/path remembers the choice in
 * the `oqu_locale` cookie and sends the user back to the page they were on.
 * Pages keep the same paths in every language; only the cookie changes.
 */
import { Type } from 'typebox'
import type { HttpApp } from '../http/http-app'
import { LOCALE_COOKIE, isLocale } from './i18n'

export const LOCALE_COOKIE_MAX_AGE_SECONDS = 365 * 24 * 60 * 60

/**
 * Returns `next` when it is a path on this site, otherwise `/`.
 * Guards the open redirect: `//host`, `/\host`, schemes and control
 * characters (which browsers strip, turning `/\t/host` into `//host`) are refused.
 */
export function safeLocalPath(next: unknown): string {
  if (typeof next !== 'string' || next.length === 0 || next.length > 2048) return '/'
  if (!next.startsWith('/') || next.startsWith('//')) return '/'
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f\u007f]/.test(next)) return '/'
  try {
    // Header values must be ASCII: percent-encode anything else (e.g. Cyrillic in a decoded path).
    return next.replace(/[^\x21-\x7e]/gu, (c) => encodeURIComponent(c))
  } catch {
    return '/'
  }
}

/** The URL of the switcher link that changes to `locale` and comes back to `currentUrl`. */
export function languageSwitchUrl(locale: string, currentUrl: string): string {
  return `/lang/${locale}?next=${encodeURIComponent(safeLocalPath(currentUrl))}`
}

export function registerLanguageRoute(app: HttpApp, opts: { secureCookies: boolean }): void {
  app.get(
    '/lang/:locale',
    {
      schema: {
        hide: true,
        params: Type.Object({ locale: Type.String({ maxLength: 16 }) }),
        querystring: Type.Object({ next: Type.Optional(Type.String({ maxLength: 2048 })) }),
      },
    },
    async (req, reply) => {
      const { locale } = req.params
      if (!isLocale(locale)) return reply.callNotFound()
      reply.setCookie(LOCALE_COOKIE, locale, {
        path: '/',
        maxAge: LOCALE_COOKIE_MAX_AGE_SECONDS,
        sameSite: 'lax',
        httpOnly: true,
        secure: opts.secureCookies,
      })
      reply.header('cache-control', 'no-store')
      return reply.redirect(safeLocalPath(req.query.next), 303)
    },
  )
}
