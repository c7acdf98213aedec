/**
 * What learning tells the rest of the platform, without depending on it: an
 * injected listener is called inside the transaction that made the change
 * (`ctx.db` is that transaction), so whatever the listener writes — a badge,
 * a certificate — commits or rolls back with the progress itself.
 *
 * - `lesson_completed`: a lesson became done for the first time (a quiz lesson
 *   when first passed).
 * - `quiz_passed`: every passing submission (a learner may pass again with a
 *   better score); listeners must be idempotent.
 * - `course_completed`: once per enrolment, when the last required lesson is done.
 */
import type { Ctx } from '../../platform/context'

export type LearningEvent =
  | { type: 'lesson_completed'; userId: string; courseId: string; lessonId: string; at: Date }
  | { type: 'quiz_passed'; userId: string; courseId: string; lessonId: string; scorePercent: number; at: Date }
  | { type: 'course_completed'; userId: string; courseId: string; enrolmentId: string; at: Date }

export type LearningEventListener = (ctx: Ctx, event: LearningEvent) => Promise<void>

/** The default listener: nothing listens yet. */
export const ignoreLearningEvents: LearningEventListener = async () => {}
