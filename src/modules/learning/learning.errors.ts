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
  | 'learning.enrolment_closed'
  | 'learning.not_enrolled'
  | 'learning.lesson_not_found'
  | 'learning.quiz_invalid'
  | 'learning.quiz_lesson'
  | 'learning.attempts_exhausted'
  | 'learning.attempt_closed'
  | 'learning.quiz_changed'

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

/** The course takes no enrolment now: a draft, archived, or paid (payments do not exist yet). */
export class EnrolmentClosedError extends LearningError {
  override name = 'EnrolmentClosedError'
  constructor() {
    super('learning.enrolment_closed', 'This course takes no enrolment now', 409)
  }
}

/** Lessons open only for the course's enrolled learners; others are told to enrol (403). */
export class NotEnrolledError extends LearningError {
  override name = 'NotEnrolledError'
  constructor() {
    super('learning.not_enrolled', 'Not enrolled in this course', 403)
  }
}

/** No such lesson in this course (or attempt of this learner). */
export class LessonNotFoundError extends LearningError {
  override name = 'LessonNotFoundError'
  constructor() {
    super('learning.lesson_not_found', 'No such lesson in this course', 404)
  }
}

/** A quiz as authored breaks a rule; `problems` lists every one found. */
export class QuizInvalidError extends LearningError {
  override name = 'QuizInvalidError'
  constructor(readonly problems: readonly Problem[]) {
    super('learning.quiz_invalid', `Invalid quiz: ${problems.map((p) => `${p.field} ${p.problem}`).join(', ')}`, 400, {
      count: problems.length,
    })
  }
}

/** A quiz lesson is done by passing it, not by "mark as done". */
export class QuizLessonError extends LearningError {
  override name = 'QuizLessonError'
  constructor() {
    super('learning.quiz_lesson', 'A quiz is done by passing it', 409)
  }
}

/** Every attempt the quiz allows has been used. */
export class AttemptsExhaustedError extends LearningError {
  override name = 'AttemptsExhaustedError'
  constructor() {
    super('learning.attempts_exhausted', 'No attempts left for this quiz', 409)
  }
}

/** The attempt was already submitted (a second submit, or a double click). */
export class AttemptClosedError extends LearningError {
  override name = 'AttemptClosedError'
  constructor() {
    super('learning.attempt_closed', 'This attempt was already submitted', 409)
  }
}

/** The quiz was edited after the attempt began; the attempt is dropped and does not count. */
export class QuizChangedError extends LearningError {
  override name = 'QuizChangedError'
  constructor() {
    super('learning.quiz_changed', 'The quiz changed since this attempt began', 409)
  }
}
