/**
 * Message templates: which channels each may use, which parameters it takes,
 * and how it renders. Texts live in the locale files: an e-mail template has
 * `notifications.<template>.subject` and `.body`, an SMS template `.sms`.
 * The HTML part of an e-mail is derived from its plain text.
 */
import type { Locale } from '../../platform/context'
import type { I18n } from '../../platform/i18n/i18n'
import { html, raw, type SafeHtml } from '../../platform/views/html'
import { NotificationsError } from './notifications.errors'
import type { Channel } from './notifications.tables'

/** `link`: an absolute http(s) URL; `code`: 4–12 letters or digits. */
export type ParamKind = 'link' | 'code'

export interface TemplateSpec {
  channels: readonly Channel[]
  params: Readonly<Record<string, ParamKind>>
}

/** Every template. Add one here and its texts in all three locale files. */
export const NOTIFICATION_TEMPLATES = {
  'accounts.verify_email': { channels: ['email'], params: { link: 'link' } },
  'accounts.verify_phone': { channels: ['sms'], params: { code: 'code' } },
  'accounts.password_reset': { channels: ['email'], params: { link: 'link' } },
  'accounts.guardian_invite': { channels: ['email'], params: { link: 'link' } },
  'accounts.adult_consent': { channels: ['email'], params: { link: 'link' } },
  'privacy.policy_changed': { channels: ['email'], params: { link: 'link' } },
  'privacy.course_announcement': { channels: ['email'], params: { link: 'link', unsubscribe: 'link' } },
  'privacy.change_request_decided': { channels: ['email'], params: { link: 'link' } },
} as const satisfies Record<string, TemplateSpec>

export type NotificationTemplate = keyof typeof NOTIFICATION_TEMPLATES
export type TemplateParams = Record<string, string>

export interface RenderedMessage {
  /** E-mail subject line; null for SMS. */
  subject: string | null
  text: string
}

const PARAM_RULES: Record<ParamKind, (v: string) => boolean> = {
  link: (v) => v.length <= 2000 && /^https?:\/\/[^\s<>"]+$/.test(v),
  code: (v) => /^[0-9A-Za-z]{4,12}$/.test(v),
}

/** The template's spec; throws NotificationsError for an unknown template or a channel it does not use. */
export function templateSpec(template: string, channel: Channel): TemplateSpec {
  const spec = (NOTIFICATION_TEMPLATES as Record<string, TemplateSpec>)[template]
  if (!spec) throw new NotificationsError('notifications.template_unknown', `Unknown template ${template}`)
  if (!spec.channels.includes(channel)) {
    throw new NotificationsError('notifications.channel_unsupported', `Template ${template} is not sent by ${channel}`)
  }
  return spec
}

/** Throws NotificationsError unless `params` has exactly the template's parameters, each well-formed. */
export function checkParams(template: string, spec: TemplateSpec, params: TemplateParams): void {
  const expected = Object.keys(spec.params).sort()
  const given = Object.keys(params).sort()
  if (expected.join() !== given.join()) {
    throw new NotificationsError(
      'notifications.param_invalid',
      `Template ${template} takes {${expected.join(', ')}}, got {${given.join(', ')}}`,
    )
  }
  for (const [name, kind] of Object.entries(spec.params)) {
    const value = params[name]
    if (typeof value !== 'string' || !PARAM_RULES[kind](value)) {
      throw new NotificationsError('notifications.param_invalid', `Template ${template}: {${name}} is not a ${kind}`)
    }
  }
}

/** Renders a template's texts in `locale`. */
export function renderMessage(
  i18n: I18n,
  template: string,
  channel: Channel,
  locale: Locale,
  params: TemplateParams,
): RenderedMessage {
  const key = `notifications.${template}`
  if (channel === 'sms') return { subject: null, text: i18n.t(locale, `${key}.sms`, params) }
  return { subject: i18n.t(locale, `${key}.subject`, params), text: i18n.t(locale, `${key}.body`, params) }
}

const URL_PATTERN = /https?:\/\/[^\s<>"]+/g

/** Escapes `text` and turns its http(s) URLs into links (with an inline `style` for e-mail clients, when given). */
export function linkify(text: string, style?: string): SafeHtml {
  const parts: (SafeHtml | string)[] = []
  let last = 0
  for (const match of text.matchAll(URL_PATTERN)) {
    parts.push(text.slice(last, match.index))
    const styleAttr = style === undefined ? '' : html` style="${style}"`
    parts.push(html`<a href="${match[0]}"${styleAttr}>${match[0]}</a>`)
    last = match.index + match[0].length
  }
  parts.push(text.slice(last))
  return html`${parts}`
}

function paragraph(text: string): SafeHtml {
  if (/^https?:\/\/\S+$/.test(text)) {
    // A link on its own line becomes a button; the address stays visible for mail clients that hide buttons.
    return html`<p style="margin:24px 0"><a href="${text}" style="display:inline-block;padding:12px 20px;border-radius:8px;background:#0b3a57;color:#ffffff;text-decoration:none;font-weight:600">${text}</a></p>`
  }
  const lines = text.split('\n').map((line) => linkify(line, 'color:#0b3a57'))
  return html`<p style="margin:0 0 16px">${lines.map((l, i) => (i === 0 ? l : html`<br>${l}`))}</p>`
}

/** The HTML part of an e-mail: the plain text's paragraphs, links made clickable, no images or tracking. */
export function emailHtml(message: { subject: string; text: string }, locale: Locale): string {
  const paragraphs = message.text
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter(Boolean)
  const style = raw(
    'margin:0;padding:24px;background:#f6f7f9;color:#1c2530;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5',
  )
  return html`<!doctype html>
<html lang="${locale}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${message.subject}</title></head>
<body style="${style}">
<div style="max-width:560px;margin:0 auto;padding:24px;background:#ffffff;border-radius:12px">
${paragraphs.map(paragraph)}
</div>
</body>
</html>
`.value
}
