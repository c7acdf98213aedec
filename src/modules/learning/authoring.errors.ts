/**
 * Errors of the authoring pages. They extend the platform's DomainError with
 * `learning.*` codes; their messages live under `learning.authoring.errors.*`
 * (kept apart from `learning.errors.*`, so the module's slices merge cleanly).
 */
import { DomainError } from '../../platform/errors'

abstract class AuthoringError extends DomainError {
  override get messageKey(): string {
    return `learning.authoring.errors.${this.code.slice('learning.'.length)}`
  }
}

/**
 * Modules and lessons are removed only while the course is a draft: once
 * published, learners may have progress in them (T-4.5.1, learning history is
 * kept), so they are edited, not deleted.
 */
export class DeleteNotAllowedError extends AuthoringError {
  override name = 'DeleteNotAllowedError'
  constructor() {
    super('learning.delete_not_allowed', 'Only a draft course’s modules and lessons can be deleted', 409)
  }
}

/** An uploaded file is not of an accepted type, is too large, or cannot be read. */
export class FileRejectedError extends AuthoringError {
  override name = 'FileRejectedError'
  constructor(readonly reason: 'type' | 'size' | 'unreadable' | 'missing' | 'count') {
    super('learning.file_rejected', `File rejected: ${reason}`, reason === 'size' ? 413 : 400, { reason })
  }
}
