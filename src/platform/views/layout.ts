/**
 * The server-rendered page layout shared by every page: landmarks, skip
 * link, language switcher, and the operator's name. (Minimal; styled later.)
 */
import type { FastifyRequest } from 'fastify'
import type { Locale } from '../context'
import type { I18n } from '../i18n/i18n'
import { html, type SafeHtml } from './html'

export interface PageInput {
  title: string
  main: SafeHtml
}

export interface Views {
  /** Renders a full HTML document for the request's locale. */
  page(req: FastifyRequest, input: PageInput): string
}

export function createViews(deps: { i18n: I18n }): Views {
  const { i18n } = deps
  return {
    page(req, input) {
      const locale: Locale = req.ctx?.locale ?? 'kk'
      const t = (key: string) => i18n.t(locale, key)
      return html`<!doctype html>
<html lang="${locale}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${input.title} · ${t('app.name')}</title></head>
<body><a href="#main">${t('layout.skip')}</a>
<header><a href="/">${t('app.name')}</a></header>
<main id="main">${input.main}</main>
<footer>${t('app.tagline')}</footer></body></html>`.value
    },
  }
}
