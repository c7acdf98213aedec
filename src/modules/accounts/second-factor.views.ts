/**
 * HTML of the second-factor pages: the code page, the enrolment page (QR
 * code as inline SVG — no script, no external image, nothing the CSP
 * forbids — plus the secret and the otpauth URI as text for typing by hand)
 * and the recovery codes shown once. Pure functions of their input.
 */
import type { Locale } from '../../platform/context'
import type { I18n, MessageValues } from '../../platform/i18n/i18n'
import { html, raw, type SafeHtml } from '../../platform/views/html'
import { csrfField, field, formError } from './forms'
import { groupSecret } from './totp'

type T = (key: string, values?: MessageValues) => string

export interface CodeFormState {
  next: string
  /** The localized failure message (wrong code, lockout). */
  error?: string
  missing?: boolean
}

function codeField(t: T, state: CodeFormState, hintKey: string): SafeHtml {
  return field({
    id: 'code',
    name: 'code',
    label: t('accounts.secondFactor.code.label'),
    hint: t(hintKey),
    autocomplete: 'one-time-code',
    inputmode: 'text',
    maxlength: 32,
    required: true,
    verbatim: true,
    error: state.missing ? t('accounts.secondFactor.code.missing') : undefined,
    describedBy: state.error ? ['second-factor-error'] : [],
    invalid: Boolean(state.error),
  })
}

/** The code page of a half-signed-in staff session. */
export function renderCodePage(i18n: I18n, locale: Locale, state: CodeFormState, csrf: string): SafeHtml {
  const t: T = (key, values) => i18n.t(locale, key, values)
  return html`<section class="narrow" aria-labelledby="second-factor-title">
<h1 id="second-factor-title">${t('accounts.secondFactor.title')}</h1>
<p class="lead-text">${t('accounts.secondFactor.lead')}</p>
${state.error ? formError('second-factor-error', t('accounts.secondFactor.errorTitle'), state.error) : ''}
<form class="form card-form" method="post" action="/login/second-factor" novalidate>
${csrfField(csrf)}
<input type="hidden" name="next" value="${state.next}">
${codeField(t, state, 'accounts.secondFactor.code.hint')}
<button class="button button-primary button-block" type="submit">${t('accounts.secondFactor.submit')}</button>
</form>
<p class="form-note">${t('accounts.secondFactor.lost')}</p>
<p class="form-links"><a href="/logout">${t('accounts.secondFactor.cancel')}</a></p>
</section>`
}

export interface EnrolView {
  secret: string
  uri: string
  /** The QR code as SVG markup made by the `qrcode` package from the URI (trusted: no input of the person's). */
  qrSvg: string
}

/** The enrolment page: scan or type the secret, then confirm with the first code. */
export function renderEnrolPage(
  i18n: I18n,
  locale: Locale,
  enrol: EnrolView,
  state: CodeFormState,
  csrf: string,
): SafeHtml {
  const t: T = (key, values) => i18n.t(locale, key, values)
  return html`<section class="narrow" aria-labelledby="enrol-title">
<h1 id="enrol-title">${t('accounts.secondFactor.enrol.title')}</h1>
<p class="lead-text">${t('accounts.secondFactor.enrol.lead')}</p>
${state.error ? formError('second-factor-error', t('accounts.secondFactor.errorTitle'), state.error) : ''}
<ol class="steps">
<li><p>${t('accounts.secondFactor.enrol.stepApp')}</p></li>
<li><p>${t('accounts.secondFactor.enrol.stepScan')}</p>
<figure class="qr-code card"><div class="qr-image" role="img" aria-label="${t('accounts.secondFactor.enrol.qrLabel')}">${raw(enrol.qrSvg)}</div>
<figcaption>${t('accounts.secondFactor.enrol.orType')}<br><code class="secret mono" id="totp-secret">${groupSecret(enrol.secret)}</code></figcaption></figure>
<details class="otpauth"><summary>${t('accounts.secondFactor.enrol.uriSummary')}</summary><p class="mono break">${enrol.uri}</p></details></li>
<li><p>${t('accounts.secondFactor.enrol.stepCode')}</p>
<form class="form card-form" method="post" action="/login/second-factor/enrol" novalidate>
${csrfField(csrf)}
<input type="hidden" name="next" value="${state.next}">
${codeField(t, state, 'accounts.secondFactor.enrol.codeHint')}
<button class="button button-primary button-block" type="submit">${t('accounts.secondFactor.enrol.submit')}</button>
</form></li>
</ol>
<p class="form-links"><a href="/logout">${t('accounts.secondFactor.cancel')}</a></p>
</section>`
}

/** The recovery codes, shown once right after enrolment. */
export function renderRecoveryCodes(i18n: I18n, locale: Locale, codes: readonly string[], next: string): SafeHtml {
  const t: T = (key, values) => i18n.t(locale, key, values)
  return html`<section class="narrow" aria-labelledby="recovery-title">
<h1 id="recovery-title">${t('accounts.secondFactor.recovery.title')}</h1>
<p class="notice notice-success" role="status">${t('accounts.secondFactor.recovery.done')}</p>
<p class="lead-text">${t('accounts.secondFactor.recovery.lead', { count: codes.length })}</p>
<ul class="recovery-codes card" aria-label="${t('accounts.secondFactor.recovery.listLabel')}">${codes.map((c) => html`<li class="mono">${c}</li>`)}</ul>
<p class="form-note">${t('accounts.secondFactor.recovery.once')}</p>
<p><a class="button button-primary" href="${next}">${t('accounts.secondFactor.recovery.continue')}</a></p>
</section>`
}

/** A staff member's second factor on their profile: on, and how many recovery codes are left. */
export function renderSecondFactorStatus(t: T, status: { enrolled: boolean; recoveryCodesLeft: number }): SafeHtml {
  if (!status.enrolled) return html``
  const few = status.recoveryCodesLeft <= 3
  return html`<p class="notice${few ? '' : ' notice-success'}">${t('accounts.secondFactor.status.on', { count: status.recoveryCodesLeft })}${few ? html` ${t('accounts.secondFactor.status.few')}` : ''}</p>`
}
