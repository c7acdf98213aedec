/**
 * Pages of minors and guardians: "ask your parent or guardian" (with the
 * invitation form), "consent personally" at 18, the guardian's link page and
 * `/account/children`. Every string in kk, ru and en.
 */
import type { Locale } from '../../platform/context'
import type { MessageValues } from '../../platform/i18n/i18n'
import { html, type SafeHtml } from '../../platform/views/html'
import { csrfField, field, formError, statusMessage } from './forms'
import type { GuardianLinkRow } from './guardians.repository'
import type { Restriction } from './minors'
import { policySection, type ShownPolicy } from './registration.views'

type T = (key: string, values?: MessageValues) => string

const dateOf = (locale: Locale, d: Date) =>
  new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'Asia/Almaty' }).format(d)

export interface AskGuardianForm {
  csrf: string
  restriction: Restriction | undefined
  invitations: readonly GuardianLinkRow[]
  email?: string
  emailError?: string
  sent?: boolean
  /** For `personal_consent_due`: the policy to accept. */
  policy?: ShownPolicy
  policyProblem?: boolean
}

/** `/account/guardian`: what the restricted person must do next. */
export function renderAskGuardian(t: T, locale: Locale, form: AskGuardianForm): SafeHtml {
  if (form.restriction === 'personal_consent_due' && form.policy)
    return html`<section class="narrow wide-form" aria-labelledby="guardian-title">
<h1 id="guardian-title">${t('accounts.guardian.adult.title')}</h1>
<p class="lead-text">${t('accounts.guardian.adult.lead')}</p>
<form class="form card-form" method="post" action="/account/consent">
${csrfField(form.csrf)}
${policySection(t, locale, form.policy, form.policyProblem ? { code: 'accounts.policy_not_accepted' } : undefined)}
<button class="button button-primary button-block" type="submit">${t('accounts.guardian.adult.submit')}</button>
</form>
</section>`
  if (form.restriction !== 'awaiting_guardian')
    return html`<section class="narrow" aria-labelledby="guardian-title">
<h1 id="guardian-title">${t('accounts.guardian.done.title')}</h1>
<p class="lead-text">${t('accounts.guardian.done.lead')}</p>
<p><a class="button" href="/account">${t('accounts.guardian.toAccount')}</a></p>
</section>`
  const pending = form.invitations.filter((l) => l.status === 'invited')
  const linked = form.invitations.filter((l) => l.status === 'linked')
  return html`<section class="narrow" aria-labelledby="guardian-title">
<h1 id="guardian-title">${t('accounts.guardian.ask.title')}</h1>
<p class="lead-text">${t('accounts.guardian.ask.lead')}</p>
${form.sent ? statusMessage(t('accounts.guardian.ask.sent')) : ''}
${form.emailError ? formError('invite-errors', t('accounts.register.formErrorTitle'), form.emailError) : ''}
${linked.length > 0 ? html`<p class="notice" role="status">${t('accounts.guardian.ask.linked')}</p>` : ''}
${pending.length > 0 ? html`<p class="field-hint">${t('accounts.guardian.ask.pending', { date: dateOf(locale, pending[0]!.invited_at) })}</p>` : ''}
<form class="form card-form" method="post" action="/account/guardian/invite" novalidate>
${csrfField(form.csrf)}
${field({
  id: 'guardianEmail',
  name: 'email',
  type: 'email',
  label: t('accounts.guardian.ask.email'),
  hint: t('accounts.guardian.ask.emailHint'),
  autocomplete: 'off',
  inputmode: 'email',
  maxlength: 254,
  verbatim: true,
  value: form.email ?? '',
  required: true,
  error: form.emailError,
})}
<button class="button button-primary button-block" type="submit">${t('accounts.guardian.ask.submit')}</button>
</form>
<p class="form-note">${t('accounts.guardian.ask.meanwhile')} <a href="/account">${t('accounts.guardian.toAccount')}</a></p>
</section>`
}

/** `/guardian/accept`: the invitation link opened by the guardian. */
export function renderAcceptInvitation(
  t: T,
  input: { csrf: string; token: string; signedIn: boolean; next: string },
): SafeHtml {
  return html`<section class="narrow" aria-labelledby="accept-title">
<h1 id="accept-title">${t('accounts.guardian.accept.title')}</h1>
<p class="lead-text">${t('accounts.guardian.accept.lead')}</p>
${
  input.signedIn
    ? html`<form class="form card-form" method="post" action="/guardian/accept">
${csrfField(input.csrf)}
<input type="hidden" name="token" value="${input.token}">
<button class="button button-primary button-block" type="submit">${t('accounts.guardian.accept.submit')}</button>
</form>`
    : html`<p>${t('accounts.guardian.accept.signInFirst')}</p>
<p><a class="button button-primary" href="/login?next=${encodeURIComponent(input.next)}">${t('accounts.guardian.accept.signIn')}</a>
<a class="button" href="/register?next=${encodeURIComponent(input.next)}">${t('accounts.guardian.accept.register')}</a></p>
<p class="field-hint">${t('accounts.guardian.accept.afterRegisterBack')}</p>`
}
</section>`
}

export interface ChildView {
  link: GuardianLinkRow
  name: string | null
  /** The guardian may open the child's page and act for them (a live link to a child still under 18). */
  actionable?: boolean
}

/** `/account/children`: the guardian's linked children, their status and the consents given for them. */
export function renderChildren(
  t: T,
  locale: Locale,
  input: { children: readonly ChildView[]; csrf: string; done?: string },
): SafeHtml {
  return html`<section class="narrow" aria-labelledby="children-title">
<h1 id="children-title">${t('accounts.guardian.children.title')}</h1>
${input.done ? statusMessage(t(`accounts.guardian.children.done.${input.done}`)) : ''}
${
  input.children.length === 0
    ? html`<p class="empty">${t('accounts.guardian.children.empty')}</p>`
    : html`<ul class="guardian-children">${input.children.map(
        ({ link, name, actionable }) => html`<li class="card">
<h2>${actionable ? html`<a href="/account/children/${link.id}">${name ?? t('accounts.guardian.children.noName')}</a>` : (name ?? t('accounts.guardian.children.noName'))}</h2>
<p>${t(`accounts.guardian.children.status.${link.status}`)}${link.linked_at ? html` · ${t('accounts.guardian.children.linkedOn', { date: dateOf(locale, link.linked_at) })}` : ''}</p>
${
  link.consent_id
    ? html`<p>${t('accounts.guardian.children.consentOn', { date: dateOf(locale, link.consented_at!) })} — <a href="/privacy/consents/${link.consent_id}/receipt">${t('accounts.guardian.children.receipt')}</a></p>
${actionable ? html`<p><a class="button button-primary" href="/account/children/${link.id}">${t('accounts.guardian.children.open')}</a></p>` : ''}`
    : actionable
      ? html`<p><a class="button button-primary" href="/account/children/${link.id}">${t('accounts.guardian.children.review')}</a></p>`
      : ''
}
<form method="post" action="/account/children/${link.id}/revoke">
${csrfField(input.csrf)}
<button class="button button-danger" type="submit">${t('accounts.guardian.children.revoke')}</button>
</form>
</li>`,
      )}</ul>`
}
</section>`
}
