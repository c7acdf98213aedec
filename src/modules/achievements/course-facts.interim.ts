/**
 * INTERIM: course facts read straight from learning's tables, until the
 * learning module exports its own `courseFacts` (then the lead wires that
 * and deletes this file). Read-only; the types come from learning's index.
 */
import type { Locale } from '../../platform/context'
import type { LearningTables } from '../learning/index'
import type { CourseFactsSource } from './achievements.ports'

export const interimCourseFacts: CourseFactsSource = async (db, courseId) => {
  const tables = db.withTables<LearningTables>()
  const course = await tables
    .selectFrom('courses')
    .select(['id', 'slug', 'languages', 'duration_hours'])
    .where('id', '=', courseId)
    .executeTakeFirst()
  if (!course) return undefined
  const texts = await tables
    .selectFrom('course_translations')
    .select(['locale', 'title'])
    .where('course_id', '=', courseId)
    .execute()
  const titles: Partial<Record<Locale, string>> = {}
  for (const t of texts) titles[t.locale] = t.title
  return { id: course.id, slug: course.slug, languages: course.languages, durationHours: course.duration_hours, titles }
}
