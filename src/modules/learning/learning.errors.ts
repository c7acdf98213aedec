/**
 * Domain errors of the learning module. Each has a stable `code`, the HTTP
 * status it maps to, and `messageKey`, its localized message
 * (`learning.errors.<name>` in locales/*.json). Params never carry personal data.
 */
import { DomainError } from '../../platform/errors'

export type LearningErrorCode =
  | 'learning.course_not_found'
  | 'learning.course_invalid'
  | 'learning.slug_taken'
  | 'learning.not_allowed'
  | 'learning.not_publishable'
  | 'learning.order_invalid'

/** What is wrong with one field of an authoring input: `field` names it (`texts.ru.title`), `problem` is a stable word. */
export interface Problem {
  field: string
  problem: string
}

export class LearningError extends DomainError {
  override name = 'LearningError'
  declare readonly code: LearningErrorCode
  constructor(code: LearningErrorCode, message: string, status = 400, params: Record<string, string | number> = {}) {
    super(code, message, status, params)
  }

  /** The locale key of the message shown to people. */
  override get messageKey(): string {
    return `learning.errors.${this.code.slice('learning.'.length)}`
  }
}

/** No such course, or one the requester may not see (a draft is not found for the public). */
export class CourseNotFoundError extends LearningError {
  override name = 'CourseNotFoundError'
  constructor() {
    super('learning.course_not_found', 'No such course', 404)
  }
}

/** The course, module or lesson input breaks a rule; `problems` lists every one found. */
export class CourseInvalidError extends LearningError {
  override name = 'CourseInvalidError'
  constructor(readonly problems: readonly Problem[]) {
    super(
      'learning.course_invalid',
      `Invalid input: ${problems.map((p) => `${p.field} ${p.problem}`).join(', ')}`,
      400,
      {
        count: problems.length,
      },
    )
  }
}

/** Another course already has this slug. */
export class SlugTakenError extends LearningError {
  override name = 'SlugTakenError'
  constructor() {
    super('learning.slug_taken', 'Another course already uses this address', 409)
  }
}

/** The actor may not change this course. */
export class NotAllowedError extends LearningError {
  override name = 'NotAllowedError'
  constructor() {
    super('learning.not_allowed', 'Not allowed to change this course', 403)
  }
}

/** The course lacks what a published course needs; `problems` says what. */
export class NotPublishableError extends LearningError {
  override name = 'NotPublishableError'
  constructor(readonly problems: readonly Problem[]) {
    super(
      'learning.not_publishable',
      `Course cannot be published: ${problems.map((p) => `${p.field} ${p.problem}`).join(', ')}`,
      409,
      { count: problems.length },
    )
  }
}

/** A new order must name exactly the current modules or lessons, each once. */
export class OrderInvalidError extends LearningError {
  override name = 'OrderInvalidError'
  constructor() {
    super('learning.order_invalid', 'The new order must list every item exactly once', 400)
  }
}
