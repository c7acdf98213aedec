/**
 * The fields a registration form may ask for (the operator profile decides
 * which: T-3.2), each checked and normalised: names in any script, a user
 * name, the e-mail address, a Kazakh mobile number, the IIN (strict
 * checksum), gender and birth date. Every problem is reported per field, so
 * the form can show each next to its input; nothing here repeats a value in
 * an error.
 */
import { AccountsError, type FieldProblem } from './accounts.errors'
import { normaliseEmail } from './emails'
import { normaliseIin } from './iin'
import { normalisePhone } from './phones'

/** The field names an operator profile can list (privacy's RegistrationFieldName, without the avatar upload). */
export const FORM_FIELDS = [
  'surname',
  'givenName',
  'patronymic',
  'userName',
  'phone',
  'email',
  'iin',
  'gender',
  'birthDate',
] as const
export type FormField = (typeof FORM_FIELDS)[number]

export const GENDERS = ['female', 'male'] as const
export type Gender = (typeof GENDERS)[number]

/** What the form asks: a field and whether it is required. */
export interface AskedField {
  name: FormField
  required: boolean
}

/** Clean values, each present only when asked and given. */
export type RegistrationValues = Partial<Record<FormField, string>>

const NAME = /^[\p{L}\p{M}](?:[\p{L}\p{M}'’ .-]*[\p{L}\p{M}.])?$/u
const USER_NAME = /^[\p{L}\p{N}][\p{L}\p{N}._-]{2,31}$/u
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

const problem = (code: string, params?: FieldProblem['params']): FieldProblem => (params ? { code, params } : { code })

function cleanText(raw: string): string {
  return raw.normalize('NFC').trim().replace(/\s+/g, ' ')
}

function checkName(raw: string): string {
  const name = cleanText(raw)
  if ([...name].length > 100 || !NAME.test(name)) throw new AccountsError('accounts.name_invalid', 'Not a name')
  return name
}

function checkUserName(raw: string): string {
  const name = raw.normalize('NFC').trim()
  if (!USER_NAME.test(name)) throw new AccountsError('accounts.user_name_invalid', 'Not a user name')
  return name
}

function checkGender(raw: string): string {
  if (!(GENDERS as readonly string[]).includes(raw)) throw new AccountsError('accounts.gender_invalid', 'Not a gender')
  return raw
}

/** A real calendar date from 1900-01-01 up to today (Almaty), as YYYY-MM-DD. */
export function checkBirthDate(raw: string, now: Date): string {
  const m = ISO_DATE.exec(raw.trim())
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined
  const today = new Date(now.getTime() + 5 * 3_600_000).toISOString().slice(0, 10)
  const iso = date && !Number.isNaN(date.getTime()) ? date.toISOString().slice(0, 10) : undefined
  if (!iso || iso !== raw.trim() || iso < '1900-01-01' || iso > today)
    throw new AccountsError('accounts.birth_date_invalid', 'Not a possible birth date')
  return iso
}

const CHECKS: Record<FormField, (raw: string, now: Date) => string> = {
  surname: checkName,
  givenName: checkName,
  patronymic: checkName,
  userName: checkUserName,
  phone: normalisePhone,
  email: normaliseEmail,
  iin: normaliseIin,
  gender: checkGender,
  birthDate: checkBirthDate,
}

/** Checks and normalises one field's value; throws the field's AccountsError (e.g. InvalidIinError). */
export function checkField(name: FormField, raw: string, now: Date): string {
  return CHECKS[name](raw, now)
}

/** Checks every asked field; returns the clean values and one problem per bad or missing field. */
export function checkRegistrationFields(
  asked: readonly AskedField[],
  raw: Partial<Record<string, string>>,
  now: Date,
): { values: RegistrationValues; problems: Record<string, FieldProblem> } {
  const values: RegistrationValues = {}
  const problems: Record<string, FieldProblem> = {}
  for (const { name, required } of asked) {
    const given = raw[name]?.trim() ?? ''
    if (given === '') {
      if (required) problems[name] = problem('accounts.field_required')
      continue
    }
    try {
      values[name] = CHECKS[name](given, now)
    } catch (err) {
      if (!(err instanceof AccountsError)) throw err
      problems[name] = problem(err.code, Object.keys(err.params).length ? err.params : undefined)
    }
  }
  return { values, problems }
}

/** Age in whole years on `now` (Almaty date) for a YYYY-MM-DD birth date. */
export function ageOn(birthDate: string, now: Date): number {
  const today = new Date(now.getTime() + 5 * 3_600_000).toISOString().slice(0, 10)
  const years = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4))
  return today.slice(5) < birthDate.slice(5) ? years - 1 : years
}
