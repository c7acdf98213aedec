/**
 * HTML of the achievements pages: the public certificate check (form, result,
 * not found) and the admin page of a certificate with its revoke form. Every
 * string in kk, ru and en; escaped by the `html` tag; styled by
 * public/achievements.css.
 */
import type { FastifyRequest } from 'fastify'
import type { Locale } from '../../platform/context'
import type { I18n } from '../../platform/i18n/i18n'
import { assetUrl } from '../../platform/views/assets'
import { html, type SafeHtml } from '../../platform/views/html'
import type { PageInput, Views } from '../../platform/views/layout'
import type { LearnerAchievementsView } from './achievements.ports'
import type { CertificateFacts, CertificateStaffView } from './achievements.service'

type T = (key: string, values?: Record<string, string | number>) => string

export const translator =
  (i18n: I18n, locale: Locale): T =>
  (key, values) =>
    i18n.t(locale, `achievements.${key}`, values)

/** A page of the module: the layout plus public/achievements.css. */
export function achievementsPage(views: Views, req: FastifyRequest, input: PageInput): string {
  const styles = html`<link rel="stylesheet" href="${assetUrl('achievements.css')}">`
  return views.page(req, { ...input, main: html`${styles}${input.main}` })
}

const date = (locale: Locale, at: Date) =>
  new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'Asia/Almaty' }).format(at)

const time = (at: Date) => at.toISOString()

/** The code form (GET /verify?code=…), keeping what was typed and saying what is wrong with it. */
export function renderVerifyForm(t: T, input: { value?: string; invalid?: boolean; compact?: boolean }): SafeHtml {
  const describedBy = input.invalid ? 'code-hint code-error' : 'code-hint'
  return html`<form class="verify-form${input.compact ? ' verify-form-compact' : ''}" method="get" action="/verify" role="search" aria-label="${t('verify.title')}">
<div class="ach-field${input.invalid ? ' ach-field-invalid' : ''}">
<label class="ach-label" for="code">${t('verify.label')}</label>
<p class="ach-hint" id="code-hint">${t('verify.hint')}</p>
${input.invalid ? html`<p class="ach-error" id="code-error"><span class="visually-hidden">! </span>${t('verify.invalid')}</p>` : ''}
<div class="verify-row">
<input class="ach-input" id="code" name="code" type="text" value="${input.value ?? ''}" maxlength="40" autocomplete="off" spellcheck="false" autocapitalize="characters" aria-describedby="${describedBy}"${input.invalid ? html` aria-invalid="true"` : ''} required>
<button class="button button-primary" type="submit">${t('verify.submit')}</button>
</div>
</div>
</form>`
}

/** GET /verify: what the page is for, and the form. */
export function renderVerifyStart(t: T, input: { value?: string; invalid?: boolean }): SafeHtml {
  return html`<section class="verify" aria-labelledby="verify-title">
<p class="eyebrow">${t('verify.eyebrow')}</p>
<h1 id="verify-title">${t('verify.title')}</h1>
<p class="ach-lead">${t('verify.lead')}</p>
${renderVerifyForm(t, input)}
<p class="ach-note">${t('verify.note')}</p>
</section>`
}

/** The facts the certificate shows, as a description list. */
function factList(t: T, locale: Locale, facts: CertificateFacts, extra: SafeHtml | string = ''): SafeHtml {
  const titles = facts.languages
    .map((l) => ({ l, title: facts.courseTitles[l] }))
    .filter((x): x is { l: Locale; title: string } => Boolean(x.title))
  const operator = facts.operatorNames[locale] ?? facts.operatorNames[facts.languages[0] ?? 'kk'] ?? ''
  return html`<dl class="certificate-facts">
<div><dt>${t('verify.holder')}</dt><dd class="certificate-holder">${facts.holderName ?? html`<span class="ach-muted">${t('verify.erasedName')}</span>`}</dd></div>
<div><dt>${t('verify.course')}</dt><dd>${titles.map(({ l, title }) => html`<span class="certificate-title" lang="${l}">${title}</span>`)}</dd></div>
<div><dt>${t('verify.hours')}</dt><dd>${t('pdf.hours', { hours: facts.durationHours })}</dd></div>
<div><dt>${t('verify.completed')}</dt><dd><time datetime="${time(facts.completedAt)}">${date(locale, facts.completedAt)}</time></dd></div>
<div><dt>${t('verify.issued')}</dt><dd><time datetime="${time(facts.issuedAt)}">${date(locale, facts.issuedAt)}</time></dd></div>
${facts.revokedAt ? html`<div><dt>${t('verify.revokedOn')}</dt><dd><time datetime="${time(facts.revokedAt)}">${date(locale, facts.revokedAt)}</time></dd></div>` : ''}
<div><dt>${t('verify.operator')}</dt><dd>${operator}</dd></div>
<div><dt>${t('verify.code')}</dt><dd><code class="certificate-code">${facts.code}</code></dd></div>
${extra}
</dl>`
}

/** GET /verify/<code> for a certificate that exists: valid or revoked, and what it shows. */
export function renderCertificateCheck(t: T, locale: Locale, facts: CertificateFacts): SafeHtml {
  const revoked = facts.revokedAt !== null
  const operator = facts.operatorNames[locale] ?? facts.operatorNames[facts.languages[0] ?? 'kk'] ?? ''
  const status = revoked
    ? html`<div class="verify-status verify-status-revoked" role="status"><h1 id="verify-title">${t('verify.revokedTitle')}</h1><p>${t('verify.revokedText', { date: date(locale, facts.revokedAt!) })}</p></div>`
    : html`<div class="verify-status verify-status-valid" role="status"><h1 id="verify-title">${t('verify.validTitle')}</h1><p>${t('verify.validText', { operator })}</p></div>`
  return html`<section class="verify" aria-labelledby="verify-title">
<p class="eyebrow">${t('verify.eyebrow')}</p>
${status}
${facts.holderName === null ? html`<p class="ach-notice">${t('verify.erased')}</p>` : ''}
${factList(t, locale, facts)}
<p class="ach-note">${t('verify.note')}</p>
<h2 class="verify-again">${t('verify.another')}</h2>
${renderVerifyForm(t, { compact: true })}
</section>`
}

/** The 404 page of the check: one message for unknown and malformed codes alike. */
export function renderCertificateNotFound(t: T): SafeHtml {
  return html`<section class="verify" aria-labelledby="verify-title">
<p class="eyebrow">${t('verify.eyebrow')}</p>
<div class="verify-status verify-status-unknown"><h1 id="verify-title">${t('verify.notFoundTitle')}</h1><p>${t('verify.notFoundText')}</p></div>
<h2 class="verify-again">${t('verify.another')}</h2>
${renderVerifyForm(t, { compact: true })}
</section>`
}

export interface RevokeFormState {
  reason?: string
  reasonError?: string
  confirmError?: string
  done?: boolean
}

/** GET /admin/certificates/<code>: the staff view and, while valid, the revoke form. */
export function renderAdminCertificate(
  t: T,
  locale: Locale,
  view: CertificateStaffView,
  csrf: string,
  state: RevokeFormState = {},
): SafeHtml {
  const hasErrors = Boolean(state.reasonError || state.confirmError)
  const extra = html`<div><dt>${t('admin.holderId')}</dt><dd><code>${view.learnerId ?? t('admin.holderErased')}</code></dd></div>
<div><dt>${t('admin.status')}</dt><dd>${view.revokedAt ? t('admin.revoked') : t('admin.valid')}</dd></div>
${view.revokedAt && view.revocationReason ? html`<div><dt>${t('admin.reason')}</dt><dd>${view.revocationReason}</dd></div>` : ''}`
  const action = `/admin/certificates/${view.code}/revoke`
  const form = view.revokedAt
    ? ''
    : html`<form class="ach-card revoke-form" method="post" action="${action}" novalidate aria-labelledby="revoke-title">
<h2 id="revoke-title">${t('admin.revokeTitle')}</h2>
<p>${t('admin.revokeLead')}</p>
${hasErrors ? html`<div class="ach-form-error" role="alert" id="revoke-errors"><p class="ach-form-error-title">${t('admin.errorTitle')}</p></div>` : ''}
<input type="hidden" name="_csrf" value="${csrf}">
<div class="ach-field${state.reasonError ? ' ach-field-invalid' : ''}">
<label class="ach-label" for="reason">${t('admin.reasonLabel')}</label>
<p class="ach-hint" id="reason-hint">${t('admin.reasonHint')}</p>
${state.reasonError ? html`<p class="ach-error" id="reason-error"><span class="visually-hidden">! </span>${state.reasonError}</p>` : ''}
<textarea class="ach-input" id="reason" name="reason" rows="3" maxlength="500" required aria-describedby="reason-hint${state.reasonError ? ' reason-error' : ''}"${state.reasonError ? html` aria-invalid="true"` : ''}>${state.reason ?? ''}</textarea>
</div>
<div class="ach-field${state.confirmError ? ' ach-field-invalid' : ''}">
${state.confirmError ? html`<p class="ach-error" id="confirm-error"><span class="visually-hidden">! </span>${state.confirmError}</p>` : ''}
<label class="ach-check"><input type="checkbox" name="confirm" value="yes" required${state.confirmError ? html` aria-invalid="true" aria-describedby="confirm-error"` : ''}> ${t('admin.confirm')}</label>
</div>
<button class="button button-danger" type="submit">${t('admin.submit')}</button>
</form>`
  return html`<section class="verify" aria-labelledby="admin-title">
<p class="eyebrow">${t('admin.eyebrow')}</p>
<h1 id="admin-title">${t('admin.title', { code: view.code })}</h1>
${state.done ? html`<p class="ach-notice ach-notice-success" role="status">${t('admin.done')}</p>` : ''}
<p class="ach-note">${t('admin.staffNote')}</p>
${factList(t, locale, view, extra)}
<p><a href="/verify/${view.code}">${t('admin.publicPage')}</a></p>
${form}
</section>`
}

/** Certificates shown per page of "My achievements". */
export const CERTIFICATES_PER_PAGE = 20

/**
 * A learner's badges and certificates (the `forLearner` view), with empty
 * states; `page` pages the certificates. Reusable by "My learning": its
 * headings are h2, under the embedding page's h1.
 */
export function renderLearnerAchievements(
  t: T,
  locale: Locale,
  view: LearnerAchievementsView,
  page = 1,
  pageUrl: (page: number) => string = (n) => `/learn/achievements?page=${String(n)}`,
): SafeHtml {
  const pages = Math.max(1, Math.ceil(view.certificates.length / CERTIFICATES_PER_PAGE))
  const current = Math.min(Math.max(1, page), pages)
  const shown = view.certificates.slice((current - 1) * CERTIFICATES_PER_PAGE, current * CERTIFICATES_PER_PAGE)
  const badges = view.badges.length
    ? html`<ul class="badge-list">${view.badges.map(
        (b) =>
          html`<li class="badge-item badge-${b.code}"><span class="badge-mark" aria-hidden="true"></span><span class="badge-text"><strong>${b.title}</strong><span>${b.description}</span><span class="ach-muted">${t('mine.awarded', { date: date(locale, b.awardedAt) })}</span></span></li>`,
      )}</ul>`
    : html`<p class="ach-empty">${t('mine.noBadges')}</p>`
  const certificates = shown.length
    ? html`<ul class="certificate-list">${shown.map(
        (c) => html`<li class="certificate-item${c.revoked ? ' certificate-item-revoked' : ''}">
<p class="certificate-item-title">${c.courseTitle}</p>
<p class="ach-muted">${t('mine.issued', { date: date(locale, c.issuedAt) })} · <span class="certificate-state">${c.revoked ? t('mine.revoked') : t('mine.valid')}</span> · <code>${c.code}</code></p>
<p class="certificate-actions"><a class="button button-primary" href="${c.pdfUrl}" download>${t('mine.download')}<span class="visually-hidden"> — ${c.courseTitle}</span></a> <a href="/verify/${c.code}">${t('mine.verify')}<span class="visually-hidden"> — ${c.courseTitle}</span></a></p>
</li>`,
      )}</ul>`
    : html`<p class="ach-empty">${t('mine.noCertificates')}</p>`
  const pager =
    pages > 1
      ? html`<nav class="ach-pager" aria-label="${t('mine.pages')}">${current > 1 ? html`<a rel="prev" href="${pageUrl(current - 1)}">${t('mine.prev')}</a>` : ''}<span>${t('mine.pageStatus', { page: current, pages })}</span>${current < pages ? html`<a rel="next" href="${pageUrl(current + 1)}">${t('mine.next')}</a>` : ''}</nav>`
      : ''
  return html`<section class="learner-achievements" aria-labelledby="badges-title">
<h2 id="badges-title">${t('mine.badges')}</h2>
${badges}
</section>
<section class="learner-achievements" aria-labelledby="certificates-title">
<h2 id="certificates-title">${t('mine.certificates')}</h2>
${certificates}
${pager}
</section>`
}

/** GET /learn/achievements: the page around the learner's achievements. */
export function renderMyAchievements(t: T, locale: Locale, view: LearnerAchievementsView, page: number): SafeHtml {
  return html`<div class="my-achievements">
<p class="eyebrow">${t('mine.eyebrow')}</p>
<h1>${t('mine.title')}</h1>
<p class="ach-lead">${t('mine.lead')}</p>
${renderLearnerAchievements(t, locale, view, page)}
</div>`
}
