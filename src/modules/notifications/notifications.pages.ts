/**
 * The developer outbox: `GET /dev/outbox` lists the messages Oqu queued,
 * newest first, decrypted; `GET /dev/outbox/:id` shows one with its links
 * clickable. Registered only when `config.devOutbox` is on, never in
 * production (the routes then do not exist: 404). Pages show personal data
 * in clear, so they are never cached or indexed.
 */
import type { FastifyReply } from 'fastify'
import { Type } from 'typebox'
import type { Config } from '../../config'
import type { Locale } from '../../platform/context'
import { AppError } from '../../platform/http/errors'
import type { HttpApp } from '../../platform/http/http-app'
import { LANGUAGE_NAMES, type I18n, type MessageValues } from '../../platform/i18n/i18n'
import { html, type SafeHtml } from '../../platform/views/html'
import type { Views } from '../../platform/views/layout'
import type { OutboxMessage } from './notifications.outbox'
import type { Notifications } from './notifications.service'
import { linkify } from './notifications.templates'

export interface DevOutboxDeps {
  notifications: Pick<Notifications, 'outbox'>
  views: Views
  i18n: I18n
  config: Pick<Config, 'devOutbox' | 'env'>
}

export const OUTBOX_PAGE_SIZE = 20
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const PREFIX = 'notifications.outbox'

type T = (key: string, values?: MessageValues) => string

function formatTime(locale: Locale, at: Date, style: 'short' | 'long'): SafeHtml {
  const options: Intl.DateTimeFormatOptions =
    style === 'long'
      ? { dateStyle: 'medium', timeStyle: 'medium' }
      : { day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }
  const text = new Intl.DateTimeFormat(locale, { ...options, timeZone: 'Asia/Almaty' }).format(at)
  return html`<time datetime="${at.toISOString()}">${text}</time>`
}

function warning(t: T): SafeHtml {
  return html`<div class="dev-warning" role="note"><p><strong>⚠ ${t(`${PREFIX}.warning`)}</strong></p></div>`
}

function statusText(t: T, m: OutboxMessage): string {
  const status = t(`${PREFIX}.status.${m.status}`)
  if (m.provider === null) return status
  const provider =
    m.provider === 'outbox' || m.provider === 'smtp' ? t(`${PREFIX}.providers.${m.provider}`) : m.provider
  return `${status} (${provider})`
}

function messageLink(t: T, m: OutboxMessage): SafeHtml {
  if (m.unreadable) return html`<a href="/dev/outbox/${m.id}">${t(`${PREFIX}.unreadable.${m.unreadable}`)}</a>`
  return html`<a href="/dev/outbox/${m.id}" lang="${m.locale}">${m.subject ?? m.text ?? ''}</a>`
}

/** One message as a list entry: a list wraps on any screen, where a five-column table would not. */
function entry(t: T, locale: Locale, m: OutboxMessage): SafeHtml {
  const facts = [
    formatTime(locale, m.createdAt, 'short'),
    t(`${PREFIX}.channel.${m.channel}`),
    m.to ?? '—',
    statusText(t, m),
  ]
  const line = facts.map((f, i) => html`${i > 0 ? ' · ' : ''}${f}`)
  return html`<li><p>${messageLink(t, m)}</p><p><small>${line}</small></p></li>`
}

function pagination(t: T, page: number, pages: number): SafeHtml {
  const newer =
    page > 1
      ? html`<li><a rel="prev" href="/dev/outbox?page=${page - 1}">${t(`${PREFIX}.pagination.newer`)}</a></li>`
      : ''
  const older =
    page < pages
      ? html`<li><a rel="next" href="/dev/outbox?page=${page + 1}">${t(`${PREFIX}.pagination.older`)}</a></li>`
      : ''
  return html`<nav class="pagination" aria-label="${t(`${PREFIX}.pagination.label`)}"><ul>${newer}<li aria-current="page">${t(`${PREFIX}.pagination.page`, { page, pages })}</li>${older}</ul></nav>`
}

function listPage(t: T, locale: Locale, items: OutboxMessage[], total: number, page: number): SafeHtml {
  const head = html`<h1>${t(`${PREFIX}.title`)}</h1>${warning(t)}<p class="section-lead">${t(`${PREFIX}.lead`)}</p>`
  if (total === 0) return html`${head}<p>${t(`${PREFIX}.empty`)}</p>`
  const pages = Math.max(1, Math.ceil(total / OUTBOX_PAGE_SIZE))
  const from = (page - 1) * OUTBOX_PAGE_SIZE + 1
  const caption = t(`${PREFIX}.caption`, { from: Math.min(from, total), to: from + items.length - 1, total })
  return html`${head}<h2 id="outbox-caption">${caption}</h2>
<ol class="outbox-list" start="${from}" aria-labelledby="outbox-caption">${items.map((m) => entry(t, locale, m))}</ol>
${pagination(t, page, pages)}`
}

/** The message text as it reads: paragraphs, line breaks, links clickable (wraps on a phone, unlike <pre>). */
function paragraphs(text: string): SafeHtml {
  const blocks = text.split(/\n{2,}/).filter((b) => b.trim() !== '')
  return html`${blocks.map((b) => html`<p>${b.split('\n').map((line, i) => html`${i > 0 ? html`<br>` : ''}${linkify(line)}`)}</p>`)}`
}

function detailPage(t: T, locale: Locale, m: OutboxMessage): SafeHtml {
  const none = t(`${PREFIX}.detail.none`)
  const field = (label: string, value: SafeHtml | string | number | null) =>
    html`<dt>${label}</dt><dd>${value === null || value === '' ? none : value}</dd>`
  const title = m.subject ?? t(`${PREFIX}.detail.title`)
  const body = m.unreadable
    ? html`<p>${t(`${PREFIX}.unreadable.${m.unreadable}`)}</p>`
    : html`<div class="outbox-text" lang="${m.locale}">${paragraphs(m.text ?? '')}</div>`
  return html`<p><a href="/dev/outbox">← ${t(`${PREFIX}.detail.back`)}</a></p>
<h1${m.subject === null ? '' : html` lang="${m.locale}"`}>${title}</h1>
${warning(t)}
<dl class="outbox-meta">
${field(t(`${PREFIX}.columns.to`), m.to)}
${field(t(`${PREFIX}.columns.channel`), t(`${PREFIX}.channel.${m.channel}`))}
${field(t(`${PREFIX}.detail.template`), html`<code>${m.template}</code>`)}
${field(t(`${PREFIX}.detail.locale`), html`<span lang="${m.locale}">${LANGUAGE_NAMES[m.locale]}</span>`)}
${field(t(`${PREFIX}.columns.status`), statusText(t, m))}
${field(t(`${PREFIX}.detail.providerMessageId`), m.providerMessageId === null ? null : html`<code>${m.providerMessageId}</code>`)}
${field(t(`${PREFIX}.detail.attempts`), m.attempts)}
${field(t(`${PREFIX}.columns.created`), formatTime(locale, m.createdAt, 'long'))}
${field(t(`${PREFIX}.detail.sentAt`), m.sentAt === null ? null : formatTime(locale, m.sentAt, 'long'))}
${field(t(`${PREFIX}.detail.lastError`), m.lastError)}
${field(t(`${PREFIX}.detail.subjectId`), html`<code>${m.subjectId}</code>`)}
</dl>
<h2>${t(`${PREFIX}.detail.text`)}</h2>
${body}`
}

/** Decrypted personal data: never cached, indexed or leaked through Referer. */
function htmlHeaders(reply: FastifyReply, locale: Locale): void {
  reply
    .type('text/html; charset=utf-8')
    .header('content-language', locale)
    .header('cache-control', 'no-store')
    .header('x-robots-tag', 'noindex, nofollow')
    .header('referrer-policy', 'no-referrer')
    .header('vary', 'Accept-Language, Cookie')
}

/** Registers the developer outbox pages when enabled (never in production). */
export function registerDevOutboxPages(app: HttpApp, deps: DevOutboxDeps): void {
  const { notifications, views, i18n, config } = deps
  if (!config.devOutbox || config.env === 'production') return

  app.get(
    '/dev/outbox',
    {
      schema: {
        hide: true,
        querystring: Type.Object({ page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })) }),
      },
    },
    async (req, reply) => {
      const locale = req.ctx.locale
      const t: T = (key, values) => i18n.t(locale, key, values)
      const page = req.query.page ?? 1
      const { items, total } = await notifications.outbox.list(req.ctx, { page, pageSize: OUTBOX_PAGE_SIZE })
      htmlHeaders(reply, locale)
      return views.page(req, { title: t(`${PREFIX}.title`), main: listPage(t, locale, items, total, page) })
    },
  )

  app.get(
    '/dev/outbox/:id',
    { schema: { hide: true, params: Type.Object({ id: Type.String({ maxLength: 64 }) }) } },
    async (req, reply) => {
      const locale = req.ctx.locale
      const t: T = (key, values) => i18n.t(locale, key, values)
      const message = UUID.test(req.params.id) ? await notifications.outbox.get(req.ctx, req.params.id) : undefined
      if (!message) throw new AppError('not_found')
      htmlHeaders(reply, locale)
      return views.page(req, {
        title: message.subject ?? t(`${PREFIX}.detail.title`),
        main: detailPage(t, locale, message),
      })
    },
  )
}
