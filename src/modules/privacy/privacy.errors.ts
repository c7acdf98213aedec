/**
 * Domain errors of the privacy module. Each has a stable `code`, the HTTP
 * status it maps to, and `messageKey`, the localized message
 * (`privacy.errors.<name>` in locales/*.json). Params never carry personal data.
 */
import { DomainError } from '../../platform/errors'

export type PrivacyErrorCode =
  'privacy.policy_not_found' | 'privacy.policy_text_mismatch' | 'privacy.consent_invalid' | 'privacy.consent_not_found'

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
