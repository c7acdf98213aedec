/**
 * The demo catalogue of embedded mode: a few teacher-development courses in
 * Kazakh and Russian, with real lesson texts and a final quiz (digital
 * literacy), marked `demo` (the pages show a "Demo" badge). Only the
 * composition root calls this, and only when `config.demo` is on — never in
 * production. With a demo instructor account, that account is linked as the
 * first named instructor of every demo course (it then sees their learners).
 */
import { sql } from 'kysely'
import { inTransaction, type Ctx } from '../../platform/context'
import { courseInstructors, findCourseBySlug } from './catalogue.repository'
import type { CourseService } from './courses.service'
import { courseLessons, quizSettings } from './progress.repository'
import type { QuizService } from './quizzes.service'
import { assessmentMethods } from './demo/assessment'
import type { DemoCourse } from './demo/demo-course'
import { digitalLiteracy } from './demo/digital-literacy'
import { functionalLiteracy } from './demo/functional-literacy'
import { inclusiveEducation } from './demo/inclusive-education'
import { lessonStudy } from './demo/lesson-study'

/** The demo courses, newest first in the catalogue. */
export const DEMO_COURSES: readonly DemoCourse[] = [
  digitalLiteracy,
  inclusiveEducation,
  assessmentMethods,
  lessonStudy,
  functionalLiteracy,
]

export interface DemoSeedOptions {
  /** Sets the demo quizzes' questions. */
  quizzes?: QuizService
  /** The demo instructor's account, linked as each demo course's first instructor. */
  instructorUserId?: string
}

async function seedCourse(ctx: Ctx, courses: CourseService, demo: DemoCourse): Promise<string> {
  const { id } = await courses.create(ctx, demo.course, { demo: true })
  for (const m of demo.modules) {
    const { id: moduleId } = await courses.addModule(ctx, id, { titles: m.titles })
    for (const { quiz: _quiz, ...lesson } of m.lessons) await courses.addLesson(ctx, moduleId, lesson)
  }
  await courses.publish(ctx, id)
  return id
}

/** Gives the demo course its quizzes (where a quiz lesson has none yet) and its instructors. */
async function completeCourse(
  ctx: Ctx,
  courses: CourseService,
  demo: DemoCourse,
  courseId: string,
  options: DemoSeedOptions,
): Promise<void> {
  if (options.quizzes) {
    const quizLessons = (await courseLessons(ctx.db, courseId)).filter((l) => l.kind === 'quiz')
    const quizzes = demo.modules.flatMap((m) => m.lessons).filter((l) => l.kind === 'quiz')
    for (const [i, lesson] of quizLessons.entries()) {
      const quiz = quizzes[i]?.quiz
      if (quiz && !(await quizSettings(ctx.db, lesson.id))) await options.quizzes.setQuiz(ctx, lesson.id, quiz)
    }
  }
  const wanted = demo.instructors.map((displayName, i) => ({
    userId: i === 0 ? (options.instructorUserId ?? null) : null,
    displayName,
  }))
  const current = await courseInstructors(ctx.db, courseId)
  const same =
    current.length === wanted.length &&
    current.every((c, i) => c.display_name === wanted[i]!.displayName && c.user_id === wanted[i]!.userId)
  // Written only when different, so a restart leaves no audit entry behind.
  if (!same) await courses.setInstructors(ctx, courseId, wanted)
}

/**
 * Creates and publishes each demo course that is not there yet (by slug), in
 * one transaction under an advisory lock, so two processes starting together
 * seed once. Safe to re-run; returns the slugs it created.
 */
export async function seedDemoContent(
  ctx: Ctx,
  courses: CourseService,
  options: DemoSeedOptions = {},
): Promise<{ created: string[] }> {
  return inTransaction(ctx, async (tx) => {
    await sql`select pg_advisory_xact_lock(hashtext('oqu.learning.demo_content'))`.execute(tx.db)
    const created: string[] = []
    for (const [i, demo] of DEMO_COURSES.entries()) {
      const existing = await findCourseBySlug(tx.db, demo.course.slug)
      // One second apart, so the catalogue lists them in the order above.
      const id =
        existing?.id ?? (await seedCourse({ ...tx, now: new Date(tx.now.getTime() - i * 1000) }, courses, demo))
      if (!existing) created.push(demo.course.slug)
      // Demo courses only: a real course that took a demo slug is left alone.
      if (!existing || existing.demo) await completeCourse(tx, courses, demo, id, options)
    }
    return { created }
  })
}
