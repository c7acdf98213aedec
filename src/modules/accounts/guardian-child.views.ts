/**
 * The guardian's page of one child (`/account/children/:id`, issue 3 "the
 * guardian can see and act for the child's account"): the policy to accept
 * for the child while the link waits for consent; the child's data masked
 * as on the child's own account page, with pending identifiers and
 * correction requests; the child's optional purposes with on/off switches
 * (each a ledger entry with its receipt, given by the guardian); ending the
 * link. Every string in kk, ru and en.
 */
import type { Locale } from '../../platform/context'
import type { MessageValues } from '../../platform/i18n/i18n'
import { html, type SafeHtml } from '../../platform/views/html'
import { csrfField, formError, statusMessage } from './forms'
import { policySection, type ShownPolicy } from './registration.views'

type T = (key: string, values?: MessageValues) => string

const dateOf = (locale: Locale, d: Date) =>
  new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'Asia/Almaty' }).format(d)

/** Notices after an action on the child's page. */
export const CHILD_NOTICES = ['saved', 'email_pending', 'phone_pending', 'requested', 'purpose'] as const
export type ChildNotice = (typeof CHILD_NOTICES)[number]

/** The child's data as the guardian sees it: identifiers and the IIN already masked. */
export interface ChildDetails {
  fields: Partial<Record<'surname' | 'givenName' | 'patronymic' | 'userName' | 'iin' | 'gender' | 'birthDate', string>>
  maskedEmail?: string
  emailVerified: boolean
  maskedPhone?: string
  phoneVerified: boolean
}

/** A consent purpose of the profile and the child's state. */
export interface ChildPurpose {
  purpose: string
  on: boolean
  /** The profile's default, while no decision was made. */
  default: boolean | null
  /** The receipt of the newest decision, when the guardian made it (a receipt opens for whoever gave it). */
  receiptId?: string
}

export interface ChildPage {
  linkId: string
  name: string | null
  consented: boolean
  consentedAt: Date | null
  consentId: string | null
  csrf: string
  notice?: ChildNotice
  /** While the link waits for consent: the policy to accept for the child. */
  policy?: ShownPolicy
  policyProblem?: boolean
  purposeProblem?: string
  details: ChildDetails
  pending: SafeHtml
  requests: SafeHtml
  /** Consent purposes (switchable) and the essential ones (always on), by id. */
  purposes: readonly ChildPurpose[]
  essential: readonly string[]
}

function detailsList(t: T, locale: Locale, d: ChildDetails): SafeHtml {
  const row = (label: string, value: SafeHtml | string) => html`<div><dt>${label}</dt><dd>${value}</dd></div>`
  const badge = (verified: boolean) =>
    verified
      ? html` <span class="badge badge-ok">${t('accounts.profile.verified')}</span>`
      : html` <span class="badge">${t('accounts.profile.unverified')}</span>`
  const notGiven = html`<span class="muted">${t('accounts.profile.notGiven')}</span>`
  const f = d.fields
  const birth = f.birthDate
    ? new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(
        new Date(`${f.birthDate}T00:00:00Z`),
      )
    : undefined
  const optional: [string, SafeHtml | string | undefined][] = [
    ['surname', f.surname],
    ['givenName', f.givenName],
    ['patronymic', f.patronymic],
    ['userName', f.userName],
    ['iin', f.iin && html`<span class="mono">${f.iin}</span>`],
    ['gender', f.gender && t(`accounts.register.gender.${f.gender}`)],
    ['birthDate', birth],
  ]
  return html`<dl class="details card">
${optional.map(([name, value]) => (value ? row(t(`accounts.register.fields.${name}.label`), value) : ''))}
${row(t('accounts.profile.email'), d.maskedEmail ? html`<span class="mono">${d.maskedEmail}</span>${badge(d.emailVerified)}` : notGiven)}
${row(t('accounts.profile.phone'), d.maskedPhone ? html`<span class="mono">${d.maskedPhone}</span>${badge(d.phoneVerified)}` : notGiven)}
</dl>`
}

function purposesSection(t: T, page: ChildPage): SafeHtml {
  const base = `/account/children/${page.linkId}`
  if (!page.consented)
    return html`<section class="account-section" aria-labelledby="child-purposes-title">
<h2 id="child-purposes-title">${t('accounts.guardian.child.purposes')}</h2>
<p class="muted">${t('accounts.guardian.child.purposesAfterConsent')}</p>
</section>`
  const items = page.purposes.map((p) => {
    const name = t(`privacy.purposes.${p.purpose}`)
    const action = p.on ? t('accounts.guardian.child.turnOff') : t('accounts.guardian.child.turnOn')
    const since = p.receiptId
      ? html`<a href="/privacy/consents/${p.receiptId}/receipt">${t('accounts.guardian.children.receipt')}</a>`
      : p.default === null
        ? ''
        : html`<span class="muted">${p.default ? t('accounts.guardian.child.defaultOn') : t('accounts.guardian.child.defaultOff')}</span>`
    return html`<li class="child-purpose card" id="purpose-${p.purpose}">
<p class="child-purpose-head"><span class="child-purpose-name">${name}</span> <span class="badge${p.on ? ' badge-ok' : ''}">${p.on ? t('accounts.guardian.child.on') : t('accounts.guardian.child.off')}</span></p>
<form class="child-purpose-form" method="post" action="${base}/purposes">
${csrfField(page.csrf)}
<input type="hidden" name="purpose" value="${p.purpose}">
<input type="hidden" name="on" value="${p.on ? '0' : '1'}">
<button class="button button-secondary" type="submit" aria-label="${`${action}: ${name}`}">${action}</button>
${since}
</form>
</li>`
  })
  return html`<section class="account-section" aria-labelledby="child-purposes-title">
<h2 id="child-purposes-title">${t('accounts.guardian.child.purposes')}</h2>
<p>${t('accounts.guardian.child.purposesLead')}</p>
${page.purposeProblem ? formError('purpose-error', t('accounts.verify.errorTitle'), page.purposeProblem) : ''}
${items.length > 0 ? html`<ul class="child-purposes">${items}</ul>` : html`<p class="muted">${t('accounts.guardian.child.noPurposes')}</p>`}
${page.essential.length > 0 ? html`<p class="form-note">${t('accounts.guardian.child.essential')}: ${page.essential.map((p) => t(`privacy.purposes.${p}`)).join('; ')}</p>` : ''}
</section>`
}

/** `/account/children/:id`. While the link waits for consent, the consent form comes first. */
export function renderChildPage(t: T, locale: Locale, page: ChildPage): SafeHtml {
  const base = `/account/children/${page.linkId}`
  const name = page.name ?? t('accounts.guardian.children.noName')
  const head =
    !page.consented && page.policy
      ? html`<h1 id="child-title">${t('accounts.guardian.consent.title', { name })}</h1>
<p class="lead-text">${t('accounts.guardian.consent.lead')}</p>
<form class="form card-form" method="post" action="${base}/consent">
${csrfField(page.csrf)}
${policySection(t, locale, page.policy, page.policyProblem ? { code: 'accounts.policy_not_accepted' } : undefined)}
<button class="button button-primary button-block" type="submit">${t('accounts.guardian.consent.submit')}</button>
</form>`
      : html`<h1 id="child-title">${name}</h1>
<p class="lead-text">${t('accounts.guardian.child.lead')}</p>
${page.notice ? statusMessage(t(`accounts.guardian.child.done.${page.notice}`)) : ''}
${page.consentId && page.consentedAt ? html`<p>${t('accounts.guardian.children.consentOn', { date: dateOf(locale, page.consentedAt) })} — <a href="/privacy/consents/${page.consentId}/receipt">${t('accounts.guardian.children.receipt')}</a></p>` : ''}`
  return html`<section class="narrow wide-form guardian-child" aria-labelledby="child-title">
<p class="back-link"><a href="/account/children">${t('accounts.guardian.child.back')}</a></p>
${head}
<section class="account-section" aria-labelledby="child-data-title">
<h2 id="child-data-title">${t('accounts.guardian.child.data')}</h2>
${page.pending}
${detailsList(t, locale, page.details)}
<p class="form-note">${t('accounts.profile.maskedNote')}</p>
<p><a class="button button-secondary" href="${base}/edit">${t('accounts.guardian.child.correct')}</a></p>
</section>
${page.requests}
${purposesSection(t, page)}
<section class="account-section" aria-labelledby="child-end-title">
<h2 id="child-end-title">${t('accounts.guardian.child.end')}</h2>
<p>${t('accounts.guardian.child.endLead')}</p>
<form method="post" action="${base}/revoke">
${csrfField(page.csrf)}
<button class="button button-danger" type="submit">${t('accounts.guardian.children.revoke')}</button>
</form>
</section>
</section>`
}
