/**
 * Accessible form pieces for the accounts pages: a label for every input,
 * hints and errors tied to their input with `aria-describedby`, errors
 * flagged with `aria-invalid`, and the CSRF token as a hidden `_csrf` field
 * (the platform checks it on every POST). Escaped by the `html` tag.
 */
import type { FastifyRequest } from 'fastify'
import { assetUrl } from '../../platform/views/assets'
import { html, type SafeHtml } from '../../platform/views/html'
import type { PageInput, Views } from '../../platform/views/layout'

export interface FieldInput {
  id: string
  name: string
  label: string
  type?: 'text' | 'email' | 'password' | 'tel' | 'date'
  value?: string
  autocomplete?: string
  inputmode?: 'email' | 'tel' | 'text' | 'numeric'
  hint?: string
  /** The field's own error, shown under the label. */
  error?: string
  /** Ids of other elements that describe the field (e.g. a form-level error it is part of). */
  describedBy?: string[]
  /** Marks the field invalid without an error of its own (the form-level error covers it). */
  invalid?: boolean
  required?: boolean
  maxlength?: number
  /** For identifiers and codes: no spellcheck, no auto-capitalisation. */
  verbatim?: boolean
}

const attr = (name: string, value: string | number | undefined) =>
  value === undefined ? '' : html` ${name}="${String(value)}"`

/** A labelled input with its hint and error. */
export function field(f: FieldInput): SafeHtml {
  const hintId = f.hint ? `${f.id}-hint` : undefined
  const errorId = f.error ? `${f.id}-error` : undefined
  const describedBy = [hintId, errorId, ...(f.describedBy ?? [])].filter(Boolean).join(' ')
  const invalid = Boolean(f.error) || f.invalid === true
  return html`<div class="field${f.error ? ' field-invalid' : ''}">
<label class="field-label" for="${f.id}">${f.label}</label>
${f.hint ? html`<p class="field-hint" id="${hintId}">${f.hint}</p>` : ''}
${f.error ? html`<p class="field-error" id="${errorId}"><span class="visually-hidden">! </span>${f.error}</p>` : ''}
<input class="input" id="${f.id}" name="${f.name}" type="${f.type ?? 'text'}"${attr('value', f.value)}${attr('autocomplete', f.autocomplete)}${attr('inputmode', f.inputmode)}${attr('maxlength', f.maxlength)}${describedBy ? attr('aria-describedby', describedBy) : ''}${invalid ? html` aria-invalid="true"` : ''}${f.required ? html` required` : ''}${f.verbatim ? html` spellcheck="false" autocapitalize="none"` : ''}>
</div>`
}

/** The hidden CSRF field every form posts. */
export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}">`
}

/** A form-level message announced to screen readers (`role="alert"`) with an id fields can point at. */
export function formError(id: string, title: string, message: string): SafeHtml {
  return html`<div class="form-error" id="${id}" role="alert" tabindex="-1"><p class="form-error-title">${title}</p><p>${message}</p></div>`
}

/** A polite status message, e.g. after an action succeeded. */
export function statusMessage(message: string): SafeHtml {
  return html`<p class="notice notice-success" role="status">${message}</p>`
}

/** A one-button form that posts to `action` (e.g. sign out, end a session). */
export function actionButton(input: {
  action: string
  csrf: string
  label: string
  variant?: 'primary' | 'secondary' | 'danger'
  /** A fuller accessible name when the visible label is short and repeated ("End session"). */
  ariaLabel?: string
}): SafeHtml {
  return html`<form class="inline-form" method="post" action="${input.action}">${csrfField(input.csrf)}<button class="button button-${input.variant ?? 'secondary'}" type="submit"${attr('aria-label', input.ariaLabel)}>${input.label}</button></form>`
}

/** A page of the accounts module: the layout with the module's stylesheet (public/accounts.css). */
export function accountPage(views: Views, req: FastifyRequest, input: PageInput): string {
  const styles = html`<link rel="stylesheet" href="${assetUrl('accounts.css')}">`
  return views.page(req, { ...input, main: html`${styles}${input.main}` })
}
