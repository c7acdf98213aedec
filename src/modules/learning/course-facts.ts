/** What other modules (achievements: certificates, badges) may read about a course, by id. */
import type { Locale } from '../../platform/context'
import type { Db } from '../../platform/db/database'
import { courseTexts, findCourseById } from './catalogue.repository'

export interface CourseFacts {
  id: string
  slug: string
  languages: Locale[]
  durationHours: number
  titles: Partial<Record<Locale, string>>
}

/** The course's id, slug, languages, hours and title in each of its languages; undefined when unknown. */
export async function courseFacts(db: Db, courseId: string): Promise<CourseFacts | undefined> {
  const course = await findCourseById(db, courseId)
  if (!course) return undefined
  const titles: Partial<Record<Locale, string>> = {}
  for (const t of await courseTexts(db, [course.id])) titles[t.locale] = t.title
  return { id: course.id, slug: course.slug, languages: course.languages, durationHours: course.duration_hours, titles }
}
