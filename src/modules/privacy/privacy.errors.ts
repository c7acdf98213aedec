/**
 * Domain errors of the privacy module. Each has a stable `code`, the HTTP
 * status it maps to, and `messageKey`, the localized message
 * (`privacy.errors.<name>` in locales/*.json). Params never carry personal data.
 */
import { DomainError } from '../../platform/errors'

export type PrivacyErrorCode =
  | 'privacy.policy_not_found'
  | 'privacy.policy_text_mismatch'
  | 'privacy.consent_invalid'
  | 'privacy.consent_not_found'
  | 'privacy.draft_not_found'
  | 'privacy.draft_invalid'
  | 'privacy.effective_date_invalid'
  | 'privacy.notice_too_short'
  | 'privacy.purpose_invalid'
  | 'privacy.password_incorrect'
  | 'privacy.withdrawal_refused'
  | 'privacy.already_withdrawn'
  | 'privacy.complaint_invalid'
  | 'privacy.account_not_open'
  | 'privacy.note_required'

export class PrivacyError extends DomainError {
  override name = 'PrivacyError'
  declare readonly code: PrivacyErrorCode
  constructor(
    code: PrivacyErrorCode,
    message: string,
    /** HTTP status for the error mapper. */
    status: number = 400,
    /** Values for the localized message; never personal data. */
    params: Record<string, string | number> = {},
  ) {
    super(code, message, status, params)
  }

  /** The locale key of the message shown to people. */
  override get messageKey(): string {
    return `privacy.errors.${this.code.slice('privacy.'.length)}`
  }
}

/** No published text of that policy version in that language. */
export class PolicyNotFoundError extends PrivacyError {
  override name = 'PolicyNotFoundError'
  constructor() {
    super('privacy.policy_not_found', 'No published policy text for this version and language', 404)
  }
}

/** T-1.2, law Art. 8(4): the text the person saw is not the stored text of that version: nothing is recorded. */
export class PolicyTextMismatchError extends PrivacyError {
  override name = 'PolicyTextMismatchError'
  constructor() {
    super(
      'privacy.policy_text_mismatch',
      'The policy text shown is not the published text of this version: reload the page and read it again',
      409,
    )
  }
}

/** A consent decision with a malformed field (the message names the field, never its value). */
export class InvalidConsentError extends PrivacyError {
  override name = 'InvalidConsentError'
  constructor(field: string) {
    super('privacy.consent_invalid', `The consent decision has an invalid ${field}`, 400, { field })
  }
}

/** No consent record with this id. */
export class ConsentNotFoundError extends PrivacyError {
  override name = 'ConsentNotFoundError'
  constructor() {
    super('privacy.consent_not_found', 'No such consent record', 404)
  }
}

/** No draft version to edit or publish. */
export class DraftNotFoundError extends PrivacyError {
  override name = 'DraftNotFoundError'
  constructor() {
    super('privacy.draft_not_found', 'There is no draft policy version', 404)
  }
}

/** A draft text is empty or too long in one language (the message names the language, not the text). */
export class DraftInvalidError extends PrivacyError {
  override name = 'DraftInvalidError'
  constructor(readonly locale: string) {
    super('privacy.draft_invalid', `The draft text in ${locale} is empty or longer than 200000 characters`, 400, {
      locale,
    })
  }
}

/** The effective date is not a date, or lies before the day of publication. */
export class EffectiveDateInvalidError extends PrivacyError {
  override name = 'EffectiveDateInvalidError'
  constructor() {
    super('privacy.effective_date_invalid', 'The effective date must be a calendar date not before today', 400)
  }
}

/**
 * T-6.4: the new version must be published at least `days` calendar days (Asia/Almaty) before it takes
 * effect; `earliest` is the first effective date allowed today.
 */
export class NoticeTooShortError extends PrivacyError {
  override name = 'NoticeTooShortError'
  constructor(days: number, earliest: string) {
    super(
      'privacy.notice_too_short',
      `The effective date must be at least ${days} days after publication: ${earliest} or later`,
      409,
      { days, earliest },
    )
  }
}

/** The purpose is not an optional purpose of the operator's profile (essential purposes cannot be turned off). */
export class PurposeInvalidError extends PrivacyError {
  override name = 'PurposeInvalidError'
  constructor(purpose: string) {
    super('privacy.purpose_invalid', 'This purpose is not one you can turn on or off', 400, {
      purpose: purpose.slice(0, 40),
    })
  }
}

/** The password typed to confirm a withdrawal is not the account's password. */
export class PasswordIncorrectError extends PrivacyError {
  override name = 'PasswordIncorrectError'
  constructor() {
    super('privacy.password_incorrect', 'The password is not correct', 403)
  }
}

/** Law Art. 8(2): a withdrawal refused because of the law or an unfulfilled obligation; `reasons` are message keys. */
export class WithdrawalRefusedError extends PrivacyError {
  override name = 'WithdrawalRefusedError'
  constructor(readonly reasons: readonly string[]) {
    super('privacy.withdrawal_refused', 'The consent cannot be withdrawn now', 409)
  }
}

/** Consent is already withdrawn. */
export class AlreadyWithdrawnError extends PrivacyError {
  override name = 'AlreadyWithdrawnError'
  constructor() {
    super('privacy.already_withdrawn', 'Consent has already been withdrawn', 409)
  }
}

/** A complaint's text is empty or too long. */
export class ComplaintInvalidError extends PrivacyError {
  override name = 'ComplaintInvalidError'
  constructor() {
    super('privacy.complaint_invalid', 'Describe the complaint in 10 to 5000 characters', 400)
  }
}

/** The account to close is not active (already closed or blocked): nothing is recorded. */
export class AccountNotOpenError extends PrivacyError {
  override name = 'AccountNotOpenError'
  constructor() {
    super('privacy.account_not_open', 'The account is not open', 409)
  }
}

/** A refusal of a data change request needs its reason (T-5.2.2); at most 1000 characters. */
export class NoteRequiredError extends PrivacyError {
  override name = 'NoteRequiredError'
  constructor() {
    super('privacy.note_required', 'State the reason for the refusal in 1 to 1000 characters', 400)
  }
}
