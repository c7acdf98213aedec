/**
 * Progress rules shared by lessons and quizzes: what "done" means for an
 * enrolment, the percentage, and completion — once, in the caller's
 * transaction, with the learning events told to the injected listener there.
 */
import type { AuditLog } from '../../platform/audit/index'
import type { Ctx } from '../../platform/context'
import type { LearningEventListener } from './learning.events'
import * as repo from './progress.repository'

export interface ProgressDeps {
  audit: Pick<AuditLog, 'record'>
  onEvent: LearningEventListener
}

/** The lessons completion needs: the required ones (every lesson when none is marked required). */
export function requiredLessons<T extends { required: boolean }>(lessons: readonly T[]): T[] {
  const required = lessons.filter((l) => l.required)
  return required.length > 0 ? required : [...lessons]
}

export interface Progress {
  done: number
  required: number
  /** Whole percent of required lessons done. */
  percent: number
}

export function progressOf(
  lessons: readonly { id: string; required: boolean }[],
  doneIds: readonly string[],
): Progress {
  const required = requiredLessons(lessons)
  const done = new Set(doneIds)
  const n = required.filter((l) => done.has(l.id)).length
  return {
    done: n,
    required: required.length,
    percent: required.length === 0 ? 0 : Math.floor((100 * n) / required.length),
  }
}

/**
 * Records the lesson as done for the (locked) enrolment; when that completes
 * every required lesson, completes the enrolment. Returns whether each happened now.
 */
export async function recordLessonDone(
  ctx: Ctx,
  deps: ProgressDeps,
  enrolment: repo.EnrolmentRow,
  lessonId: string,
): Promise<{ lessonDone: boolean; courseCompleted: boolean }> {
  const lessonDone = await repo.insertProgress(ctx.db, enrolment.id, lessonId, ctx.now)
  if (!lessonDone) return { lessonDone, courseCompleted: false }
  const base = { userId: enrolment.user_id, courseId: enrolment.course_id, at: ctx.now }
  await deps.audit.record(ctx, {
    action: 'enrolment.lesson_done',
    subjectType: 'user',
    subjectId: enrolment.user_id,
    targetType: 'enrolment',
    targetId: enrolment.id,
    data: { lessonId },
  })
  await deps.onEvent(ctx, { type: 'lesson_completed', ...base, lessonId })
  if (enrolment.status !== 'active') return { lessonDone, courseCompleted: false }
  const lessons = await repo.courseLessons(ctx.db, enrolment.course_id)
  const progress = progressOf(lessons, await repo.doneLessonIds(ctx.db, enrolment.id))
  if (progress.done < progress.required) return { lessonDone, courseCompleted: false }
  const courseCompleted = await repo.completeEnrolment(ctx.db, enrolment.id, ctx.now)
  if (courseCompleted) {
    await deps.audit.record(ctx, {
      action: 'enrolment.completed',
      subjectType: 'user',
      subjectId: enrolment.user_id,
      targetType: 'enrolment',
      targetId: enrolment.id,
      data: { courseId: enrolment.course_id },
    })
    await deps.onEvent(ctx, { type: 'course_completed', ...base, enrolmentId: enrolment.id })
  }
  return { lessonDone, courseCompleted }
}
