/**
 * Domain errors of achievements: stable `code`, HTTP status, and the message
 * key `achievements.errors.<name>` in locales/*.json. Params never carry
 * personal data (no names, no reasons).
 */
import { DomainError } from '../../platform/errors'

export type AchievementsErrorCode =
  | 'achievements.certificate_not_found'
  | 'achievements.reason_required'
  | 'achievements.already_revoked'
  | 'achievements.not_allowed'
  | 'achievements.learner_unnamed'

export class AchievementsError extends DomainError {
  override name = 'AchievementsError'
  declare readonly code: AchievementsErrorCode
  constructor(
    code: AchievementsErrorCode,
    message: string,
    status = 400,
    params: Record<string, string | number> = {},
  ) {
    super(code, message, status, params)
  }

  override get messageKey(): string {
    return `achievements.errors.${this.code.slice('achievements.'.length)}`
  }
}

/** No certificate with this code, or one the requester may not see: both look the same. */
export class CertificateNotFoundError extends AchievementsError {
  override name = 'CertificateNotFoundError'
  constructor() {
    super('achievements.certificate_not_found', 'No such certificate', 404)
  }
}

/** A revocation needs a reason (kept for staff, never shown publicly). */
export class RevocationReasonRequiredError extends AchievementsError {
  override name = 'RevocationReasonRequiredError'
  constructor(readonly problem: 'missing' | 'too_long') {
    super('achievements.reason_required', `Revocation reason ${problem}`, 400, { max: REASON_MAX_LENGTH })
  }
}

/** The certificate is revoked already (the first revocation stands). */
export class AlreadyRevokedError extends AchievementsError {
  override name = 'AlreadyRevokedError'
  constructor() {
    super('achievements.already_revoked', 'The certificate is already revoked', 409)
  }
}

/** The actor may not do this (revoke, read another learner's achievements). */
export class AchievementsNotAllowedError extends AchievementsError {
  override name = 'AchievementsNotAllowedError'
  constructor() {
    super('achievements.not_allowed', 'Not allowed', 403)
  }
}

/** The learner's account holds no name to print (the certificate cannot be issued without one). */
export class LearnerUnnamedError extends AchievementsError {
  override name = 'LearnerUnnamedError'
  constructor() {
    super('achievements.learner_unnamed', 'The learner has no name to print on the certificate', 409)
  }
}

export const REASON_MAX_LENGTH = 500
