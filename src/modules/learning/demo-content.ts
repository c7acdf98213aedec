/**
 * The demo catalogue of embedded mode: a few teacher-development courses in
 * Kazakh and Russian, with real lesson texts and a quiz placeholder, marked
 * `demo` (the pages show a "Demo" badge). Only the composition root calls
 * this, and only when `config.demo` is on — never in production.
 */
import { sql } from 'kysely'
import { inTransaction, type Ctx } from '../../platform/context'
import { findCourseBySlug } from './catalogue.repository'
import type { CourseService } from './courses.service'
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

async function seedCourse(ctx: Ctx, courses: CourseService, demo: DemoCourse): Promise<void> {
  const { id } = await courses.create(ctx, demo.course, { demo: true })
  for (const m of demo.modules) {
    const { id: moduleId } = await courses.addModule(ctx, id, { titles: m.titles })
    for (const lesson of m.lessons) await courses.addLesson(ctx, moduleId, lesson)
  }
  await courses.setInstructors(
    ctx,
    id,
    demo.instructors.map((displayName) => ({ userId: null, displayName })),
  )
  await courses.publish(ctx, id)
}

/**
 * Creates and publishes each demo course that is not there yet (by slug), in
 * one transaction under an advisory lock, so two processes starting together
 * seed once. Safe to re-run; returns the slugs it created.
 */
export async function seedDemoContent(ctx: Ctx, courses: CourseService): Promise<{ created: string[] }> {
  return inTransaction(ctx, async (tx) => {
    await sql`select pg_advisory_xact_lock(hashtext('oqu.learning.demo_content'))`.execute(tx.db)
    const created: string[] = []
    for (const [i, demo] of DEMO_COURSES.entries()) {
      if (await findCourseBySlug(tx.db, demo.course.slug)) continue
      // One second apart, so the catalogue lists them in the order above.
      await seedCourse({ ...tx, now: new Date(tx.now.getTime() - i * 1000) }, courses, demo)
      created.push(demo.course.slug)
    }
    return { created }
  })
}
