/**
 * HTML of the registration page: the profile's fields (labelled, hints and
 * errors tied with aria-describedby), the password, the privacy policy text
 * in the page's language shown before the account exists, and the
 * acceptance checkbox. An error summary links to each problem.
 */
import type { Locale } from '../../platform/context'
import type { I18n, MessageValues } from '../../platform/i18n/i18n'
import { html, type SafeHtml } from '../../platform/views/html'
import type { FieldProblem } from './accounts.errors'
import { csrfField, field, formError, type FieldInput } from './forms'
import { iinHints } from './iin'
import { GENDERS, type AskedField, type FormField } from './registration-fields'

type T = (key: string, values?: MessageValues) => string

/** The policy text as shown: what the acceptance will cite. */
export interface ShownPolicy {
  versionId: string
  number: number
  effectiveAt: Date
  locale: Locale
  sha256: string
  html: SafeHtml
}

export interface RegistrationForm {
  asked: readonly AskedField[]
  policy: ShownPolicy
  csrf: string
  values?: Partial<Record<string, string>>
  problems?: Readonly<Record<string, FieldProblem>>
  /** A form-level message (e.g. the policy changed meanwhile). */
  formMessage?: string
  /** A page to come back to after registering and verifying (e.g. a guardian's invitation). */
  next?: string
}

const INPUTS: Record<Exclude<FormField, 'gender'>, Partial<FieldInput>> = {
  surname: { autocomplete: 'family-name', maxlength: 100 },
  givenName: { autocomplete: 'given-name', maxlength: 100 },
  patronymic: { autocomplete: 'additional-name', maxlength: 100 },
  userName: { autocomplete: 'nickname', maxlength: 32, verbatim: true },
  phone: { type: 'tel', autocomplete: 'tel', inputmode: 'tel', maxlength: 30 },
  email: { type: 'email', autocomplete: 'email', inputmode: 'email', maxlength: 254, verbatim: true },
  iin: { inputmode: 'numeric', autocomplete: 'off', maxlength: 14, verbatim: true },
  birthDate: { type: 'date', autocomplete: 'bday' },
}

/**
 * "Your IIN suggests you were born on … — is that right?" (the IIN's date is
 * a hint only): asked when the hint makes the person under 18, and kept on
 * the form once answered.
 */
function iinBirthDateQuestion(t: T, form: Pick<RegistrationForm, 'values' | 'problems'>): SafeHtml | '' {
  const answer = form.values?.iinBirthDate
  const problem = form.problems?.iinBirthDate
  if (!problem && !answer) return ''
  let hinted: string | undefined
  try {
    hinted = iinHints(form.values?.iin ?? '').birthDate
  } catch {
    return ''
  }
  if (!hinted) return ''
  const option = (value: string, label: string) =>
    html`<div class="choice"><input type="radio" id="iinBirthDate-${value}" name="iinBirthDate" value="${value}"${answer === value ? html` checked` : ''}${problem ? html` aria-describedby="iinBirthDate-error"` : ''}><label for="iinBirthDate-${value}">${label}</label></div>`
  return html`<fieldset class="field" id="iinBirthDate">
<legend>${t('accounts.register.fields.iinBirthDate.label')}</legend>
<p class="field-hint">${t('accounts.register.iinBirthDate.hint')}</p>
${problem ? html`<p class="field-error" id="iinBirthDate-error">${problemMessage(t, problem)}</p>` : ''}
${option('confirmed', t('accounts.register.iinBirthDate.confirmed', { date: hinted }))}
${option('not_mine', t('accounts.register.iinBirthDate.notMine'))}
</fieldset>`
}

/** The message of a field problem, in the page's language. */
export function problemMessage(t: T, problem: FieldProblem): string {
  return t(`errors.${problem.code}`, problem.params)
}

function labelOf(t: T, name: string, required: boolean): string {
  const label = t(`accounts.register.fields.${name}.label`)
  return required ? label : `${label} ${t('accounts.register.optional')}`
}

function genderField(t: T, f: AskedField, value: string | undefined, problem: FieldProblem | undefined): SafeHtml {
  const errorId = problem ? 'gender-error' : undefined
  const options = [...(f.required ? [] : ['']), ...GENDERS].map((g) => {
    const id = `gender-${g || 'none'}`
    const checked = (value ?? '') === g ? html` checked` : ''
    return html`<div class="choice"><input type="radio" id="${id}" name="gender" value="${g}"${checked}><label for="${id}">${t(`accounts.register.gender.${g || 'none'}`)}</label></div>`
  })
  return html`<fieldset class="field${problem ? ' field-invalid' : ''}"${errorId ? html` aria-describedby="${errorId}"` : ''}>
<legend class="field-label">${labelOf(t, 'gender', f.required)}</legend>
${problem ? html`<p class="field-error" id="${errorId}">${problemMessage(t, problem)}</p>` : ''}
<div class="choices">${options}</div>
</fieldset>`
}

/** One profile field (input or gender radios) with its label, hint, value and problem. */
export function profileField(t: T, f: AskedField, form: Pick<RegistrationForm, 'values' | 'problems'>): SafeHtml {
  const problem = form.problems?.[f.name]
  const value = form.values?.[f.name]
  if (f.name === 'gender') return genderField(t, f, value, problem)
  const hintKey = `accounts.register.fields.${f.name}.hint`
  return field({
    id: f.name,
    name: f.name,
    label: labelOf(t, f.name, f.required),
    ...INPUTS[f.name],
    hint: t(hintKey) === hintKey ? undefined : t(hintKey),
    value: value ?? '',
    required: f.required,
    error: problem ? problemMessage(t, problem) : undefined,
  })
}

function errorSummary(t: T, problems: Readonly<Record<string, FieldProblem>>): SafeHtml {
  const target = (name: string) =>
    name === 'gender' ? 'gender-error' : name === 'iinBirthDate' ? 'iinBirthDate-confirmed' : name
  return html`<div class="form-error" id="register-errors" role="alert" tabindex="-1">
<p class="form-error-title">${t('accounts.register.errorTitle', { count: Object.keys(problems).length })}</p>
<ul>${Object.entries(problems).map(([name, p]) => html`<li><a href="#${target(name)}">${t(`accounts.register.fields.${name}.label`)}: ${problemMessage(t, p)}</a></li>`)}</ul>
</div>`
}

export function policySection(t: T, locale: Locale, policy: ShownPolicy, problem: FieldProblem | undefined): SafeHtml {
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'Asia/Almaty' }).format(
    policy.effectiveAt,
  )
  return html`<section class="policy">
<h2 id="policy-title">${t('accounts.register.policyTitle')}</h2>
<p class="field-hint">${t('accounts.register.policyLead', { number: policy.number, date })}</p>
<div class="policy-text" tabindex="0" role="region" aria-labelledby="policy-title">${policy.html}</div>
<input type="hidden" name="policyVersionId" value="${policy.versionId}">
<input type="hidden" name="policyLocale" value="${policy.locale}">
<input type="hidden" name="policySha256" value="${policy.sha256}">
<div class="field check${problem ? ' field-invalid' : ''}">
${problem ? html`<p class="field-error" id="acceptPolicy-error">${problemMessage(t, problem)}</p>` : ''}
<div class="choice"><input type="checkbox" id="acceptPolicy" name="acceptPolicy" value="yes" required${problem ? html` aria-invalid="true" aria-describedby="acceptPolicy-error"` : ''}><label for="acceptPolicy">${t('accounts.register.accept')}</label></div>
</div>
</section>`
}

/** The registration page's main content. */
export function renderRegistration(i18n: I18n, locale: Locale, form: RegistrationForm): SafeHtml {
  const t: T = (key, values) => i18n.t(locale, key, values)
  const problems = form.problems ?? {}
  const passwordProblem = problems.password
  return html`<section class="narrow wide-form" aria-labelledby="register-title">
<h1 id="register-title">${t('accounts.register.title')}</h1>
<p class="lead-text">${t('accounts.register.lead')}</p>
${form.formMessage ? formError('register-message', t('accounts.register.formErrorTitle'), form.formMessage) : ''}
${Object.keys(problems).length > 0 ? errorSummary(t, problems) : ''}
<form class="form card-form" method="post" action="/register" novalidate>
${csrfField(form.csrf)}
${form.next ? html`<input type="hidden" name="next" value="${form.next}">` : ''}
<p class="form-note form-note-top">${t('accounts.register.why')}</p>
${form.asked.map((f) => profileField(t, f, form))}
${iinBirthDateQuestion(t, form)}
${field({
  id: 'password',
  name: 'password',
  type: 'password',
  label: t('accounts.register.password.label'),
  hint: t('accounts.register.password.hint', { min: 12 }),
  autocomplete: 'new-password',
  required: true,
  error: passwordProblem ? problemMessage(t, passwordProblem) : undefined,
})}
${policySection(t, locale, form.policy, problems.acceptPolicy)}
<button class="button button-primary button-block" type="submit">${t('accounts.register.submit')}</button>
</form>
<p class="form-note">${t('accounts.register.haveAccount')} <a href="${form.next ? `/login?next=${encodeURIComponent(form.next)}` : '/login'}">${t('accounts.register.signIn')}</a></p>
</section>`
}
