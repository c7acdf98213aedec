/**
 * Domain errors of the accounts module. Each has a stable `code` (the key of
 * its localized message, `errors.<code>`) and the HTTP status it maps to.
 * Messages and params never carry the e-mail address or the password.
 */
import { DomainError } from '../../platform/errors'

export type AccountsErrorCode =
  | 'accounts.email_invalid'
  | 'accounts.email_taken'
  | 'accounts.password_too_short'
  | 'accounts.password_too_long'
  | 'accounts.password_repetitive'
  | 'accounts.role_invalid'
  | 'accounts.iin_format'
  | 'accounts.iin_checksum'
  | 'accounts.phone_invalid'
  | 'accounts.phone_not_kz'
  | 'accounts.phone_not_mobile'
  | 'accounts.phone_taken'
  | 'accounts.sign_in_failed'
  | 'accounts.sign_in_locked'
  | 'accounts.link_invalid'
  | 'accounts.code_wrong'
  | 'accounts.code_expired'
  | 'accounts.iin_taken'
  | 'accounts.registration_invalid'
  | 'accounts.too_many_requests'
  | 'accounts.field_required'
  | 'accounts.name_invalid'
  | 'accounts.user_name_invalid'
  | 'accounts.gender_invalid'
  | 'accounts.birth_date_invalid'
  | 'accounts.policy_not_accepted'
  | 'accounts.second_factor_wrong'
  | 'accounts.second_factor_enrolled'
  | 'accounts.change_same'
  | 'accounts.reason_too_long'
  | 'accounts.request_decided'
  | 'accounts.not_allowed'
  | 'accounts.avatar_missing'
  | 'accounts.avatar_too_large'
  | 'accounts.avatar_type'
  | 'accounts.avatar_corrupt'
  | 'accounts.guardian_required'
  | 'accounts.personal_consent_required'
  | 'accounts.iin_birth_date_confirm'
  | 'accounts.guardian_self'
  | 'accounts.account_closed'

export class AccountsError extends DomainError {
  override name = 'AccountsError'
  declare readonly code: AccountsErrorCode
  constructor(
    code: AccountsErrorCode,
    message: string,
    /** HTTP status for the error mapper. */
    status: number = 400,
    /** Values for the localized message; never personal data. */
    params: Record<string, string | number> = {},
  ) {
    super(code, message, status, params)
  }
}

/** The e-mail address is not of a usable shape (the message does not repeat it). */
export class InvalidEmailError extends AccountsError {
  override name = 'InvalidEmailError'
  constructor() {
    super('accounts.email_invalid', 'The e-mail address is not valid')
  }
}

/** Another account already uses this e-mail address (found through its blind index). */
export class EmailTakenError extends AccountsError {
  override name = 'EmailTakenError'
  constructor() {
    super('accounts.email_taken', 'An account with this e-mail address already exists', 409)
  }
}

export type PasswordProblem = 'too_short' | 'too_long' | 'repetitive'

/** The password breaks the password policy (see passwords.ts). */
export class WeakPasswordError extends AccountsError {
  override name = 'WeakPasswordError'
  constructor(
    readonly problem: PasswordProblem,
    limits: { min: number; max: number },
  ) {
    const text: Record<PasswordProblem, string> = {
      too_short: `The password must have at least ${limits.min} characters`,
      too_long: `The password must have at most ${limits.max} characters`,
      repetitive: 'The password must not be one character repeated',
    }
    super(`accounts.password_${problem}`, text[problem], 400, { min: limits.min, max: limits.max })
  }
}

/** A role outside the platform's list of roles. */
export class InvalidRoleError extends AccountsError {
  override name = 'InvalidRoleError'
  constructor(role: string) {
    super('accounts.role_invalid', `Unknown role "${role.slice(0, 40)}"`)
  }
}

export type IinProblem = 'format' | 'checksum'

/** Not an IIN: not twelve digits, or a wrong check digit (the message never repeats the number). */
export class InvalidIinError extends AccountsError {
  override name = 'InvalidIinError'
  constructor(readonly problem: IinProblem) {
    const text: Record<IinProblem, string> = {
      format: 'An IIN is twelve digits',
      checksum: 'The IIN has a wrong check digit',
    }
    super(`accounts.iin_${problem}`, text[problem])
  }
}

export type PhoneProblem = 'invalid' | 'not_kz' | 'not_mobile'

/** A phone number we cannot use: not a number, not Kazakh (e.g. Russian +7 9…), or not a mobile. */
export class InvalidPhoneError extends AccountsError {
  override name = 'InvalidPhoneError'
  constructor(readonly problem: PhoneProblem) {
    const text: Record<PhoneProblem, string> = {
      invalid: 'The phone number is not valid',
      not_kz: 'The phone number is not a Kazakhstan number',
      not_mobile: 'The phone number is not a mobile number',
    }
    super(`accounts.phone_${problem}`, text[problem])
  }
}

/** Another account already uses this phone number (found through its blind index). */
export class PhoneTakenError extends AccountsError {
  override name = 'PhoneTakenError'
  constructor() {
    super('accounts.phone_taken', 'An account with this phone number already exists', 409)
  }
}

/**
 * Sign-in failed. One error for an unknown account, a wrong password and a
 * blocked account alike: the answer never reveals whether an account exists.
 */
export class SignInFailedError extends AccountsError {
  override name = 'SignInFailedError'
  constructor() {
    super('accounts.sign_in_failed', 'The e-mail address or phone number, or the password, is wrong', 401)
  }
}

/** Too many failed sign-ins with this identifier or from this IP: locked for `minutes` more. */
export class SignInLockedError extends AccountsError {
  override name = 'SignInLockedError'
  constructor(
    readonly lockedUntil: Date,
    now: Date,
  ) {
    const minutes = Math.max(1, Math.ceil((lockedUntil.getTime() - now.getTime()) / 60_000))
    super('accounts.sign_in_locked', `Too many failed sign-ins; try again in ${minutes} minutes`, 429, { minutes })
  }
}

/** A verification or reset link that is unknown, already used or expired (one answer for all three). */
export class LinkInvalidError extends AccountsError {
  override name = 'LinkInvalidError'
  constructor() {
    super('accounts.link_invalid', 'This link has expired or has already been used', 400)
  }
}

/** A verification code that is wrong (`remaining` tries left), or expired, used, or tried too often. */
export class CodeRejectedError extends AccountsError {
  override name = 'CodeRejectedError'
  constructor(
    readonly reason: 'wrong' | 'expired',
    remaining = 0,
  ) {
    super(
      reason === 'wrong' ? 'accounts.code_wrong' : 'accounts.code_expired',
      reason === 'wrong' ? 'The code is wrong' : 'The code has expired or was tried too often',
      400,
      reason === 'wrong' ? { remaining } : {},
    )
  }
}

/** Another account already holds this IIN (the message does not say whose, nor repeat the number). */
export class IinTakenError extends AccountsError {
  override name = 'IinTakenError'
  constructor() {
    super('accounts.iin_taken', 'This IIN cannot be used for a new account', 409)
  }
}

/** A problem with one registration field: its code (an `accounts.*` error code) and message params. */
export interface FieldProblem {
  code: string
  params?: Record<string, string | number>
}

/** Registration refused: one problem per field, shown next to each field. */
export class RegistrationInvalidError extends AccountsError {
  override name = 'RegistrationInvalidError'
  constructor(readonly fields: Readonly<Record<string, FieldProblem>>) {
    super('accounts.registration_invalid', `Registration has ${Object.keys(fields).length} invalid fields`, 400, {
      count: Object.keys(fields).length,
    })
  }
}

/** Too many messages asked for (codes, links) in a short time: try again in `minutes`. */
export class TooManyRequestsError extends AccountsError {
  override name = 'TooManyRequestsError'
  constructor(lockedUntil: Date, now: Date) {
    const minutes = Math.max(1, Math.ceil((lockedUntil.getTime() - now.getTime()) / 60_000))
    super('accounts.too_many_requests', `Too many requests; try again in ${minutes} minutes`, 429, { minutes })
  }
}

/**
 * A second-factor code that is wrong, outside the time window, or already
 * used (a replayed step), or a recovery code that is unknown or used. One
 * answer for all of them; each counts towards the lockout.
 */
export class SecondFactorRejectedError extends AccountsError {
  override name = 'SecondFactorRejectedError'
  constructor() {
    super('accounts.second_factor_wrong', 'The second-factor code is wrong or was already used', 401)
  }
}

/** The account already has a confirmed authenticator (enrolment happens once). */
export class SecondFactorEnrolledError extends AccountsError {
  override name = 'SecondFactorEnrolledError'
  constructor() {
    super('accounts.second_factor_enrolled', 'A second factor is already set up for this account', 409)
  }
}

/** A correction that changes nothing: the new value equals the current one. */
export class ChangeSameError extends AccountsError {
  override name = 'ChangeSameError'
  constructor() {
    super('accounts.change_same', 'The new value is the same as the current one')
  }
}

/** The actor may not do this (e.g. decide a data change request without the DPO role). */
export class NotAllowedError extends AccountsError {
  override name = 'NotAllowedError'
  constructor() {
    super('accounts.not_allowed', 'Not allowed', 403)
  }
}

/** A data change request that is unknown or already decided. */
export class RequestDecidedError extends AccountsError {
  override name = 'RequestDecidedError'
  constructor() {
    super('accounts.request_decided', 'The request is unknown or already decided', 409)
  }
}

export type AvatarProblem = 'missing' | 'too_large' | 'type' | 'corrupt'

/** An avatar upload refused: none sent, too large, not JPEG/PNG/WebP by its bytes, or not a readable image. */
export class AvatarRejectedError extends AccountsError {
  override name = 'AvatarRejectedError'
  constructor(
    readonly problem: AvatarProblem,
    params: Record<string, string | number> = {},
  ) {
    super(`accounts.avatar_${problem}`, `Avatar refused: ${problem}`, problem === 'too_large' ? 413 : 400, params)
  }
}

/**
 * The person may do nothing beyond the essentials yet (minors.ts): a minor
 * whose guardian has not consented, or a new adult who has not consented
 * personally (law Arts. 7–8).
 */
export class GuardianRequiredError extends AccountsError {
  override name = 'GuardianRequiredError'
  constructor(restriction: 'awaiting_guardian' | 'personal_consent_due') {
    super(
      restriction === 'awaiting_guardian' ? 'accounts.guardian_required' : 'accounts.personal_consent_required',
      'Restricted until consent',
      403,
    )
  }
}
