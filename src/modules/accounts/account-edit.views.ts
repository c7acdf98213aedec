/**
 * HTML of "correct your data" (T-5.2.2): the fields the owner changes
 * directly, a new e-mail address or phone number (verified before it counts),
 * and the request to the DPO for the IIN and legal names. Also the parts of
 * the profile page that show pending identifiers and the person's requests.
 */
import type { Locale } from '../../platform/context'
import type { I18n, MessageValues } from '../../platform/i18n/i18n'
import { html, type SafeHtml } from '../../platform/views/html'
import type { FieldProblem } from './accounts.errors'
import { formatDateTime } from './account.views'
import type { OwnChangeRequest } from './corrections.service'
import { csrfField, field } from './forms'
import type { AskedField } from './registration-fields'
import { problemMessage, profileField } from './registration.views'

type T = (key: string, values?: MessageValues) => string

export interface EditForm {
  direct: readonly AskedField[]
  verified: readonly AskedField[]
  byRequest: readonly AskedField[]
  /** Current (or just typed) values of the direct fields; typed e-mail/phone on error. */
  values: Partial<Record<string, string>>
  problems?: Readonly<Record<string, FieldProblem>>
  /** The masked current e-mail address and phone number. */
  maskedEmail?: string
  maskedPhone?: string
  /** The correction request form's typed values and problems. */
  request?: { field?: string; value?: string; reason?: string; problems?: Readonly<Record<string, FieldProblem>> }
  csrf: string
  /**
   * A guardian correcting a child's data: where the forms post and lead back to, and the heading and
   * notes that speak of the child (default: the owner's own `/account/edit`).
   */
  forChild?: {
    edit: string
    request: string
    back: string
    backLabel: string
    title: string
    lead: string
    verifyNote: string
    requestTitle: string
    requestLead: string
  }
}

function errorSummary(
  t: T,
  id: string,
  problems: Readonly<Record<string, FieldProblem>>,
  labels: Record<string, string>,
) {
  return html`<div class="form-error" id="${id}" role="alert" tabindex="-1">
<p class="form-error-title">${t('accounts.register.errorTitle', { count: Object.keys(problems).length })}</p>
<ul>${Object.entries(problems).map(([name, p]) => html`<li><a href="#${name === 'gender' ? 'gender-error' : name}">${labels[name] ?? name}: ${problemMessage(t, p)}</a></li>`)}</ul>
</div>`
}

function identifierField(t: T, kind: 'email' | 'phone', form: EditForm): SafeHtml {
  const problem = form.problems?.[kind]
  const current = kind === 'email' ? form.maskedEmail : form.maskedPhone
  return field({
    id: kind,
    name: kind,
    type: kind === 'email' ? 'email' : 'tel',
    inputmode: kind === 'email' ? 'email' : 'tel',
    autocomplete: kind === 'email' ? 'email' : 'tel',
    maxlength: kind === 'email' ? 254 : 30,
    verbatim: kind === 'email',
    label: t(`accounts.edit.new.${kind}`),
    hint: current ? t(`accounts.edit.newHint.${kind}`, { current }) : t(`accounts.edit.newHintNone.${kind}`),
    value: form.values[kind] ?? '',
    error: problem ? problemMessage(t, problem) : undefined,
  })
}

function requestForm(t: T, form: EditForm): SafeHtml {
  const r = form.request ?? {}
  const problems = r.problems ?? {}
  const selected = r.field ?? form.byRequest[0]?.name
  const reasonProblem = problems.reason
  return html`<section class="account-section" aria-labelledby="request-title">
<h2 id="request-title">${form.forChild?.requestTitle ?? t('accounts.edit.request.title')}</h2>
<p>${form.forChild?.requestLead ?? t('accounts.edit.request.lead')}</p>
${Object.keys(problems).length > 0 ? errorSummary(t, 'request-errors', problems, { value: t('accounts.edit.request.value'), reason: t('accounts.edit.request.reason'), field: t('accounts.edit.request.field') }) : ''}
<form class="form card-form" method="post" action="${form.forChild?.request ?? '/account/change-requests'}" novalidate>
${csrfField(form.csrf)}
<div class="field">
<label class="field-label" for="request-field">${t('accounts.edit.request.field')}</label>
<select class="input" id="request-field" name="field">${form.byRequest.map((f) => html`<option value="${f.name}"${f.name === selected ? html` selected` : ''}>${t(`accounts.register.fields.${f.name}.label`)}</option>`)}</select>
</div>
${field({ id: 'value', name: 'value', label: t('accounts.edit.request.value'), hint: t('accounts.edit.request.valueHint'), value: r.value ?? '', maxlength: 100, required: true, error: problems.value ? problemMessage(t, problems.value) : undefined })}
<div class="field${reasonProblem ? ' field-invalid' : ''}">
<label class="field-label" for="reason">${t('accounts.edit.request.reason')}</label>
<p class="field-hint" id="reason-hint">${t('accounts.edit.request.reasonHint')}</p>
${reasonProblem ? html`<p class="field-error" id="reason-error">${problemMessage(t, reasonProblem)}</p>` : ''}
<textarea class="input" id="reason" name="reason" rows="3" maxlength="1000" aria-describedby="reason-hint${reasonProblem ? ' reason-error' : ''}"${reasonProblem ? html` aria-invalid="true"` : ''}>${r.reason ?? ''}</textarea>
</div>
<button class="button button-secondary button-block" type="submit">${t('accounts.edit.request.submit')}</button>
</form>
</section>`
}

/** The edit page's main content. */
export function renderEdit(i18n: I18n, locale: Locale, form: EditForm, nav: SafeHtml): SafeHtml {
  const t: T = (key, values) => i18n.t(locale, key, values)
  const problems = form.problems ?? {}
  const labels = Object.fromEntries(
    [...form.direct, ...form.verified].map((f) => [
      f.name,
      f.name === 'email' || f.name === 'phone'
        ? t(`accounts.edit.new.${f.name}`)
        : t(`accounts.register.fields.${f.name}.label`),
    ]),
  )
  const hasDirect = form.direct.length + form.verified.length > 0
  return html`${nav}
<section class="account-section" aria-labelledby="edit-title">
<h1 id="edit-title">${form.forChild?.title ?? t('accounts.edit.title')}</h1>
<p class="lead-text">${form.forChild?.lead ?? t('accounts.edit.lead')}</p>
${Object.keys(problems).length > 0 ? errorSummary(t, 'edit-errors', problems, labels) : ''}
${
  hasDirect
    ? html`<form class="form card-form" method="post" action="${form.forChild?.edit ?? '/account/edit'}" novalidate>
${csrfField(form.csrf)}
${form.direct.map((f) => profileField(t, f, { values: form.values, problems }))}
${form.verified.map((f) => identifierField(t, f.name as 'email' | 'phone', form))}
<p class="form-note">${form.forChild?.verifyNote ?? t('accounts.edit.verifyNote')}</p>
<button class="button button-primary button-block" type="submit">${t('accounts.edit.submit')}</button>
</form>`
    : ''
}
</section>
${form.byRequest.length > 0 ? requestForm(t, form) : ''}
<p><a href="${form.forChild?.back ?? '/account'}">${form.forChild?.backLabel ?? t('accounts.edit.back')}</a></p>`
}

/** Pending new identifiers on the profile page: what waits for its proof, and until when. */
export function renderPending(
  t: T,
  locale: Locale,
  pending: { email?: { masked: string; expiresAt: Date }; phone?: { masked: string; expiresAt: Date } },
  /** The way to confirm: the owner's verification page; none for a guardian (the child confirms). */
  confirm: SafeHtml = html`<p><a href="/account/verify">${t('accounts.edit.pending.verify')}</a></p>`,
): SafeHtml {
  const items = (['email', 'phone'] as const).flatMap((kind) => {
    const p = pending[kind]
    return p
      ? [
          html`<li>${t(`accounts.edit.pending.${kind}`, { value: p.masked, until: formatDateTime(locale, p.expiresAt) })}</li>`,
        ]
      : []
  })
  if (items.length === 0) return html``
  return html`<div class="notice notice-pending" role="status"><p>${t('accounts.edit.pending.title')}</p><ul>${items}</ul>${confirm}</div>`
}

/** The person's correction requests and their statuses. */
export function renderRequests(
  t: T,
  locale: Locale,
  requests: readonly OwnChangeRequest[],
  title = t('accounts.edit.requests.title'),
): SafeHtml {
  if (requests.length === 0) return html``
  return html`<section class="account-section" aria-labelledby="requests-title">
<h2 id="requests-title">${title}</h2>
<ul class="history">${requests.map(
    (r) => html`<li class="history-item">
<p class="history-name">${t(`accounts.register.fields.${r.field}.label`)}: <span class="mono">${r.shownValue}</span> <span class="badge${r.status === 'approved' ? ' badge-ok' : ''}">${t(`accounts.edit.requests.status.${r.status}`)}</span></p>
<p class="history-facts">${t('accounts.edit.requests.filed')} <time datetime="${r.createdAt.toISOString()}">${formatDateTime(locale, r.createdAt)}</time>${r.decidedAt ? html` · ${t('accounts.edit.requests.decided')} <time datetime="${r.decidedAt.toISOString()}">${formatDateTime(locale, r.decidedAt)}</time>` : ''}</p>
${r.note ? html`<p class="history-facts">${t('accounts.edit.requests.note')}: ${r.note}</p>` : ''}
</li>`,
  )}</ul>
</section>`
}
