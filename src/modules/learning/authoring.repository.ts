/**
 * Reads for the authoring pages: the courses an author may change (all for
 * an admin), and one course with every text in every language, as an
 * editor needs it. Writes stay in courses.repository.ts.
 */
import { sql } from 'kysely'
import type { Locale } from '../../platform/context'
import type { Db } from '../../platform/db/database'
import { COURSE_COLUMNS, type CourseRow } from './courses.repository'
import type { LearningTables, LessonKind } from './learning.tables'

const tables = (db: Db) => db.withTables<LearningTables>()

/** Whose courses: every course (admins), or those a person created or is named an instructor of. */
export type AuthorScope = { kind: 'all' } | { kind: 'author'; userId: string }

function scoped(db: Db, scope: AuthorScope) {
  const q = tables(db).selectFrom('courses')
  if (scope.kind === 'all') return q
  return q.where((eb) =>
    eb.or([
      eb('courses.created_by', '=', scope.userId),
      eb.exists(
        eb
          .selectFrom('course_instructors as i')
          .select(sql<number>`1`.as('one'))
          .whereRef('i.course_id', '=', 'courses.id')
          .where('i.user_id', '=', scope.userId),
      ),
    ]),
  )
}

/** How many courses the scope holds. */
export async function countAuthored(db: Db, scope: AuthorScope): Promise<number> {
  const row = await scoped(db, scope)
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** A page of the scope's courses, most recently changed first. */
export async function listAuthored(
  db: Db,
  scope: AuthorScope,
  page: { limit: number; offset: number },
): Promise<CourseRow[]> {
  return scoped(db, scope)
    .select(COURSE_COLUMNS.map((c) => `courses.${c}` as const))
    .orderBy('courses.updated_at', 'desc')
    .orderBy('courses.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute()
}

export interface LessonTextRow {
  id: string
  module_id: string
  kind: LessonKind
  video_url: string | null
  required: boolean
  duration_minutes: number | null
  locale: Locale | null
  title: string | null
  body_markdown: string | null
}

/** The course's lessons in order, with title and body in every language they have. */
export async function lessonTexts(db: Db, courseId: string): Promise<LessonTextRow[]> {
  return tables(db)
    .selectFrom('lessons as l')
    .innerJoin('course_modules as m', 'm.id', 'l.module_id')
    .leftJoin('lesson_translations as t', 't.lesson_id', 'l.id')
    .select([
      'l.id',
      'l.module_id',
      'l.kind',
      'l.video_url',
      'l.required',
      'l.duration_minutes',
      't.locale',
      't.title',
      't.body_markdown',
    ])
    .where('m.course_id', '=', courseId)
    .orderBy('m.position')
    .orderBy('l.position')
    .execute()
}

/** The instructors named on a course, in order, with their account link. */
export async function instructors(
  db: Db,
  courseId: string,
): Promise<{ user_id: string | null; display_name: string }[]> {
  return tables(db)
    .selectFrom('course_instructors')
    .select(['user_id', 'display_name'])
    .where('course_id', '=', courseId)
    .orderBy('position')
    .execute()
}
