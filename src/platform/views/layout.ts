/**
 * The server-rendered page layout shared by every page: skip link, header
 * with the platform name and language switcher, main landmark, footer.
 * Works without JavaScript; all styling is in /assets/app.css (strict CSP:
 * no inline styles or scripts).
 */
import type { FastifyRequest } from 'fastify'
import { LOCALES, type Locale } from '../context'
import { LANGUAGE_NAMES, type I18n } from '../i18n/i18n'
import { languageSwitchUrl } from '../i18n/language-route'
import { assetUrl } from './assets'
import { html, type SafeHtml } from './html'

export interface PageInput {
  /** The page's own title; the document title adds the platform name. */
  title: string
  main: SafeHtml
  /** Meta description; defaults to the platform's description. */
  description?: string
  /**
   * `contained` (default) puts `main` in a centred, padded column;
   * `full` lets the page lay out full-width sections itself.
   */
  width?: 'contained' | 'full'
}

export interface ErrorPageInput {
  status: number
  code: string
  message: string
  requestId: string
}

export interface Views {
  /** Renders a full HTML document for the request's locale. */
  page(req: FastifyRequest, input: PageInput): string
  /** Renders the error page (status, localized message, request id to quote to support). */
  errorPage(req: FastifyRequest, error: ErrorPageInput): string
}

/** The platform's mark: an open book under a rising sun (decorative). */
export const LOGO_SVG = html`<svg class="brand-mark" viewBox="0 0 32 32" width="32" height="32" aria-hidden="true" focusable="false"><rect width="32" height="32" rx="8" fill="#0b3a57"/><circle cx="16" cy="13" r="5" fill="#f5c542"/><path d="M5 17.5c4-1.6 7.7-1.2 11 1.2 3.3-2.4 7-2.8 11-1.2V26c-4-1.6-7.7-1.2-11 1.2-3.3-2.4-7-2.8-11-1.2z" fill="#fff"/><path d="M16 18.7v8.5" stroke="#0b3a57" stroke-width="1.4"/></svg>`

export function localeOf(req: FastifyRequest): Locale {
  return req.ctx?.locale ?? 'kk'
}

function languageSwitcher(locale: Locale, currentUrl: string, label: string): SafeHtml {
  const items = LOCALES.map(
    (l) =>
      html`<li><a href="${languageSwitchUrl(l, currentUrl)}" hreflang="${l}" lang="${l}"${l === locale ? html` aria-current="true"` : ''}>${LANGUAGE_NAMES[l]}</a></li>`,
  )
  return html`<nav class="lang-switch" aria-label="${label}"><ul>${items}</ul></nav>`
}

/** Site navigation: the catalogue, and sign-in or the person's learning and account. */
function siteNav(req: FastifyRequest, t: (key: string) => string): SafeHtml {
  const path = (req.url ?? '/').split('?')[0] ?? '/'
  const link = (href: string, key: string) =>
    html`<li><a href="${href}"${path === href || path.startsWith(`${href}/`) ? html` aria-current="page"` : ''}>${t(key)}</a></li>`
  const roles = req.ctx?.actor?.kind === 'user' ? req.ctx.actor.roles : []
  // Instructors and admins author courses (/teach/courses); the route itself checks the role again.
  const teaching = roles.some((r) => r === 'instructor' || r === 'admin')
    ? [link('/teach/courses', 'layout.nav.teach')]
    : []
  const personal =
    req.ctx?.actor?.kind === 'user'
      ? [link('/learn', 'layout.nav.learn'), ...teaching, link('/account', 'layout.nav.account')]
      : [link('/login', 'layout.nav.login'), link('/register', 'layout.nav.register')]
  return html`<nav class="site-nav" aria-label="${t('layout.nav.label')}"><ul>${link('/courses', 'layout.nav.courses')}${personal}</ul></nav>`
}

export interface ViewsDeps {
  i18n: I18n
  /**
   * A notice shown above the main content of every page for this request, e.g. a new privacy policy
   * version the person has not accepted yet (a module computes it in a hook; the layout only places it).
   */
  banner?: (req: FastifyRequest) => SafeHtml | undefined
}

export function createViews(deps: ViewsDeps): Views {
  const { i18n } = deps
  const stylesheet = assetUrl('app.css')
  const icon = assetUrl('icon.svg')

  function page(req: FastifyRequest, input: PageInput): string {
    const locale = localeOf(req)
    const t = (key: string) => i18n.t(locale, key)
    const main = input.width === 'full' ? input.main : html`<div class="container page">${input.main}</div>`
    return html`<!doctype html>
<html lang="${locale}" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${input.title} · ${t('app.name')}</title>
<meta name="description" content="${input.description ?? t('layout.description')}">
<meta name="theme-color" content="#0b3a57">
<link rel="icon" href="${icon}" type="image/svg+xml">
<link rel="stylesheet" href="${stylesheet}">
</head>
<body>
<a class="skip-link" href="#main">${t('layout.skip')}</a>
<header class="site-header">
<div class="container header-inner">
<a class="brand" href="/" aria-label="${t('layout.brandLabel')}">${LOGO_SVG}<span class="brand-name">${t('app.name')}</span></a>
${siteNav(req, t)}
${languageSwitcher(locale, req.url, t('layout.languages'))}
</div>
</header>
${deps.banner?.(req) ?? ''}
<main id="main" tabindex="-1">
${main}
</main>
<footer class="site-footer">
<div class="container footer-inner">
<p class="footer-brand">${LOGO_SVG}<span><strong>${t('app.name')}</strong> — ${t('app.tagline')}</span></p>
<p class="footer-law">${t('layout.footer.law')}</p>
<p class="footer-meta">${t('layout.footer.openSource')}</p>
</div>
</footer>
</body>
</html>
`.value
  }

  function errorPage(req: FastifyRequest, error: ErrorPageInput): string {
    const locale = localeOf(req)
    const t = (key: string, values?: Record<string, string | number>) => i18n.t(locale, key, values)
    const hint =
      error.status === 404
        ? t('errorPage.hint.notFound')
        : error.status >= 500
          ? t('errorPage.hint.server')
          : t('errorPage.hint.other')
    const title = error.message.replace(/[.。]$/u, '')
    return page(req, {
      title,
      main: html`<section class="error-page" aria-labelledby="error-title">
<p class="error-status" aria-hidden="true">${String(error.status)}</p>
<p class="eyebrow">${t('errorPage.status', { status: error.status })}</p>
<h1 id="error-title">${title}</h1>
<p class="error-hint">${hint}</p>
<dl class="error-id"><dt>${t('errorPage.requestId')}</dt><dd><code>${error.requestId}</code></dd></dl>
<p><a class="button button-primary" href="/">${t('errorPage.home')}</a></p>
</section>`,
    })
  }

  return { page, errorPage }
}
