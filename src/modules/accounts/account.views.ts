/**
 * HTML of the account pages: the profile (identifiers masked) and "your
 * sessions" (B-2.2 login history: device, browser/OS, masked IP, time of
 * each sign-in), with a form to end any of them. Pure functions of what the
 * services returned; the pages file does the routing and permissions.
 */
import type { Locale, Role } from '../../platform/context'
import type { I18n, MessageValues } from '../../platform/i18n/i18n'
import { html, type SafeHtml } from '../../platform/views/html'
import { actionButton, statusMessage } from './forms'
import type { SessionView } from './sessions.service'

type T = (key: string, values?: MessageValues) => string

/** Dates as people in Kazakhstan read them, in the page's language. */
export function formatDateTime(locale: Locale, date: Date): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Almaty' }).format(
    date,
  )
}

const time = (locale: Locale, date: Date) =>
  html`<time datetime="${date.toISOString()}">${formatDateTime(locale, date)}</time>`

/** The sub-navigation of the account pages, with the current one marked. */
export function accountNav(t: T, current: 'profile' | 'edit' | 'sessions', csrf: string): SafeHtml {
  const link = (href: string, key: 'profile' | 'edit' | 'sessions') =>
    html`<li><a href="${href}"${current === key ? html` aria-current="page"` : ''}>${t(`accounts.nav.${key}`)}</a></li>`
  return html`<nav class="account-nav" aria-label="${t('accounts.nav.label')}"><ul>${link('/account', 'profile')}${link('/account/edit', 'edit')}${link('/account/sessions', 'sessions')}</ul>${actionButton({ action: '/logout', csrf, label: t('accounts.nav.signOut') })}</nav>`
}

export interface ProfileView {
  /** Names and other registration fields as the owner sees them (the IIN already masked). */
  fields: Partial<Record<'surname' | 'givenName' | 'patronymic' | 'userName' | 'iin' | 'gender' | 'birthDate', string>>
  maskedEmail: string | undefined
  emailVerified: boolean
  maskedPhone: string | undefined
  phoneVerified: boolean
  roles: readonly Role[]
  createdAt: Date
  /** A status message after an action (saved, pending verification, request filed). */
  notice?: string
  /** Pending identifiers, the avatar, and the person's correction requests, rendered by their views. */
  pending?: SafeHtml
  avatar?: SafeHtml
  requests?: SafeHtml
  /** Staff: the second factor's state and recovery codes left. */
  security?: SafeHtml
}

function verification(t: T, verified: boolean): SafeHtml {
  return verified
    ? html` <span class="badge badge-ok">${t('accounts.profile.verified')}</span>`
    : html` <span class="badge">${t('accounts.profile.unverified')}</span>`
}

/** The profile page's main content. */
export function renderProfile(i18n: I18n, locale: Locale, profile: ProfileView, csrf: string): SafeHtml {
  const t: T = (key, values) => i18n.t(locale, key, values)
  const row = (label: string, value: SafeHtml | string) => html`<div><dt>${label}</dt><dd>${value}</dd></div>`
  const notGiven = html`<span class="muted">${t('accounts.profile.notGiven')}</span>`
  const email = profile.maskedEmail
    ? html`<span class="mono">${profile.maskedEmail}</span>${verification(t, profile.emailVerified)}`
    : notGiven
  const phone = profile.maskedPhone
    ? html`<span class="mono">${profile.maskedPhone}</span>${verification(t, profile.phoneVerified)}`
    : notGiven
  const roles = profile.roles.map((r) => t(`accounts.roles.${r}`)).join(', ') || t('accounts.profile.noRoles')
  const f = profile.fields
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
  const unverified = (profile.maskedEmail && !profile.emailVerified) || (profile.maskedPhone && !profile.phoneVerified)
  return html`${accountNav(t, 'profile', csrf)}
<section class="account-section" aria-labelledby="profile-title">
<h1 id="profile-title">${t('accounts.profile.title')}</h1>
<p class="lead-text">${t('accounts.profile.lead')}</p>
${profile.notice ? statusMessage(profile.notice) : ''}
${profile.pending ?? ''}
${profile.avatar ?? ''}
<dl class="details card">
${optional.map(([name, value]) => (value ? row(t(`accounts.register.fields.${name}.label`), value) : ''))}
${row(t('accounts.profile.email'), email)}
${row(t('accounts.profile.phone'), phone)}
${row(t('accounts.profile.roles'), roles)}
${row(t('accounts.profile.createdAt'), time(locale, profile.createdAt))}
</dl>
${unverified ? html`<p><a class="button button-primary" href="/account/verify">${t('accounts.profile.verifyLink')}</a></p>` : ''}
${profile.security ?? ''}
<p><a class="button button-secondary" href="/account/edit">${t('accounts.profile.editLink')}</a></p>
<p class="form-note">${t('accounts.profile.maskedNote')}</p>
<p><a href="/account/sessions">${t('accounts.profile.sessionsLink')}</a></p>
</section>
${profile.requests ?? ''}`
}

/** `Chrome 126 · Android 14`, or the localized "unknown" words. */
function deviceName(t: T, s: SessionView): string {
  return `${s.browser ?? t('accounts.sessions.unknownBrowser')} · ${s.os ?? t('accounts.sessions.unknownOs')}`
}

function sessionCard(t: T, locale: Locale, s: SessionView, csrf: string): SafeHtml {
  const name = deviceName(t, s)
  const label = s.current ? t('accounts.sessions.revokeCurrent') : t('accounts.sessions.revoke')
  const ariaLabel = `${label}: ${name}, ${t('accounts.sessions.signedIn')} ${formatDateTime(locale, s.createdAt)}`
  return html`<li class="session card${s.current ? ' session-current' : ''}">
<div class="session-head"><h3 class="session-name">${name}</h3>${s.current ? html`<span class="badge badge-ok">${t('accounts.sessions.current')}</span>` : ''}</div>
<dl class="session-facts">
<div><dt>${t('accounts.sessions.device')}</dt><dd>${t(`accounts.sessions.devices.${s.device}`)}</dd></div>
<div><dt>${t('accounts.sessions.signedIn')}</dt><dd>${time(locale, s.createdAt)}</dd></div>
<div><dt>${t('accounts.sessions.lastSeen')}</dt><dd>${time(locale, s.lastSeenAt)}</dd></div>
<div><dt>${t('accounts.sessions.ip')}</dt><dd class="mono">${s.maskedIp}</dd></div>
</dl>
${actionButton({ action: `/account/sessions/${s.id}/revoke`, csrf, label, ariaLabel, variant: s.current ? 'secondary' : 'danger' })}
</li>`
}

function historyRow(t: T, locale: Locale, s: SessionView): SafeHtml {
  return html`<li class="history-item">
<p class="history-name">${deviceName(t, s)} <span class="muted">(${t(`accounts.sessions.devices.${s.device}`)})</span></p>
<p class="history-facts">${t('accounts.sessions.signedIn')} ${time(locale, s.createdAt)} · <span class="mono">${s.maskedIp}</span></p>
<p class="history-facts">${t(`accounts.sessions.states.${s.state}`)}${s.endedAt ? html` · ${time(locale, s.endedAt)}` : ''}</p>
</li>`
}

export type SessionsNotice = 'revoked' | 'revoked_others' | undefined

/** The sessions page's main content: open sessions (each can be ended) and the login history. */
export function renderSessions(
  i18n: I18n,
  locale: Locale,
  input: { sessions: SessionView[]; csrf: string; notice: SessionsNotice; historyDays: number },
): SafeHtml {
  const t: T = (key, values) => i18n.t(locale, key, values)
  const open = input.sessions.filter((s) => s.state === 'active')
  const ended = input.sessions.filter((s) => s.state !== 'active')
  const others = open.filter((s) => !s.current).length
  return html`${accountNav(t, 'sessions', input.csrf)}
<section class="account-section" aria-labelledby="sessions-title">
<h1 id="sessions-title">${t('accounts.sessions.title')}</h1>
<p class="lead-text">${t('accounts.sessions.lead', { days: input.historyDays })}</p>
${input.notice ? statusMessage(t(`accounts.sessions.notices.${input.notice}`)) : ''}
<h2 id="open-title">${t('accounts.sessions.openTitle')}</h2>
<ul class="sessions" aria-labelledby="open-title">${open.map((s) => sessionCard(t, locale, s, input.csrf))}</ul>
${others > 0 ? html`<div class="actions-row">${actionButton({ action: '/account/sessions/revoke-others', csrf: input.csrf, label: t('accounts.sessions.revokeOthers'), variant: 'danger' })}</div>` : ''}
<p class="form-note">${t('accounts.sessions.advice')}</p>
<h2 id="history-title">${t('accounts.sessions.historyTitle')}</h2>
${ended.length > 0 ? html`<ul class="history" aria-labelledby="history-title">${ended.map((s) => historyRow(t, locale, s))}</ul>` : html`<p class="muted">${t('accounts.sessions.historyEmpty')}</p>`}
</section>`
}
