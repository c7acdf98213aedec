/**
 * SQL that writes courses, their texts, modules, lessons and instructors,
 * with explicit column lists. Every function takes the Db (or the open
 * transaction); the service decides who may call them.
 */
import { sql } from 'kysely'
import type { Locale } from '../../platform/context'
import type { Db } from '../../platform/db/database'
import type { CourseLevel, CourseStatus, LearningTables, LessonKind } from './learning.tables'
import { lexemes, searchText, trigrams } from './search-text'

const tables = (db: Db) => db.withTables<LearningTables>()

export interface CourseRow {
  id: string
  slug: string
  languages: Locale[]
  level: CourseLevel
  duration_hours: number
  price_kzt: number | null
  status: CourseStatus
  cover_image_path: string | null
  demo: boolean
  published_at: Date | null
  created_at: Date
  updated_at: Date
  created_by: string | null
}

export const COURSE_COLUMNS = [
  'id',
  'slug',
  'languages',
  'level',
  'duration_hours',
  'price_kzt',
  'status',
  'cover_image_path',
  'demo',
  'published_at',
  'created_at',
  'updated_at',
  'created_by',
] as const

export type CourseFields = Pick<
  CourseRow,
  'slug' | 'languages' | 'level' | 'duration_hours' | 'price_kzt' | 'cover_image_path'
>

/** Inserts a draft course. */
export async function insertCourse(
  db: Db,
  row: CourseFields & { id: string; demo: boolean; createdBy: string | null; now: Date },
): Promise<void> {
  const { id, demo, createdBy, now, ...fields } = row
  await tables(db)
    .insertInto('courses')
    .values({
      id,
      ...fields,
      status: 'draft',
      demo,
      published_at: null,
      created_at: now,
      updated_at: now,
      created_by: createdBy,
    })
    .execute()
}

/** Updates a course's fields (not its status). */
export async function updateCourse(db: Db, id: string, fields: CourseFields, now: Date): Promise<void> {
  await tables(db)
    .updateTable('courses')
    .set({ ...fields, updated_at: now })
    .where('id', '=', id)
    .execute()
}

/** Changes the publication state; the first publication keeps its time. */
export async function setCourseStatus(db: Db, id: string, status: CourseStatus, now: Date): Promise<void> {
  await tables(db)
    .updateTable('courses')
    .set({
      status,
      updated_at: now,
      published_at: status === 'published' ? sql<Date>`coalesce(published_at, ${now})` : sql<Date>`published_at`,
    })
    .where('id', '=', id)
    .execute()
}

/** The course with this id, locked for the rest of the transaction. */
export async function lockCourse(db: Db, id: string): Promise<CourseRow | undefined> {
  return tables(db).selectFrom('courses').select(COURSE_COLUMNS).where('id', '=', id).forUpdate().executeTakeFirst()
}

/** Whether another course already uses the slug. */
export async function slugTaken(db: Db, slug: string, exceptId?: string): Promise<boolean> {
  let q = tables(db).selectFrom('courses').select('id').where('slug', '=', slug)
  if (exceptId) q = q.where('id', '<>', exceptId)
  return (await q.executeTakeFirst()) !== undefined
}

/** Writes a course's title and summary in one language with its search columns, and drops languages no longer given. */
export async function replaceCourseTexts(
  db: Db,
  courseId: string,
  texts: ReadonlyMap<Locale, { title: string; summary: string }>,
): Promise<void> {
  await tables(db)
    .deleteFrom('course_translations')
    .where('course_id', '=', courseId)
    .where('locale', 'not in', [...texts.keys()])
    .execute()
  for (const [locale, { title, summary }] of texts) {
    const values = {
      title,
      summary,
      search_text: searchText(`${title} ${summary}`),
      search_trigrams: trigrams(`${title} ${summary}`),
      search_vector: sql<string>`setweight(array_to_tsvector(${lexemes(title)}::text[]), 'A')
        || setweight(array_to_tsvector(${lexemes(summary)}::text[]), 'B')`,
    }
    await tables(db)
      .insertInto('course_translations')
      .values({ course_id: courseId, locale, ...values })
      .onConflict((oc) => oc.columns(['course_id', 'locale']).doUpdateSet(values))
      .execute()
  }
}

/** Ids of the course's modules in order. */
export async function moduleIds(db: Db, courseId: string): Promise<string[]> {
  const rows = await tables(db)
    .selectFrom('course_modules')
    .select('id')
    .where('course_id', '=', courseId)
    .orderBy('position')
    .execute()
  return rows.map((r) => r.id)
}

/** The course a module belongs to. */
export async function moduleCourse(db: Db, moduleId: string): Promise<string | undefined> {
  const row = await tables(db)
    .selectFrom('course_modules')
    .select('course_id')
    .where('id', '=', moduleId)
    .executeTakeFirst()
  return row?.course_id
}

/** Adds a module at the end of the course. */
export async function insertModule(
  db: Db,
  row: { id: string; courseId: string; titles: ReadonlyMap<Locale, string> },
): Promise<void> {
  const next = await tables(db)
    .selectFrom('course_modules')
    .select(sql<number>`coalesce(max(position) + 1, 0)::int`.as('position'))
    .where('course_id', '=', row.courseId)
    .executeTakeFirstOrThrow()
  await tables(db)
    .insertInto('course_modules')
    .values({ id: row.id, course_id: row.courseId, position: next.position })
    .execute()
  await tables(db)
    .insertInto('course_module_translations')
    .values([...row.titles].map(([locale, title]) => ({ module_id: row.id, locale, title })))
    .execute()
}

/** Ids of the module's lessons in order. */
export async function lessonIds(db: Db, moduleId: string): Promise<string[]> {
  const rows = await tables(db)
    .selectFrom('lessons')
    .select('id')
    .where('module_id', '=', moduleId)
    .orderBy('position')
    .execute()
  return rows.map((r) => r.id)
}

export interface LessonFields {
  kind: LessonKind
  videoUrl: string | null
  required: boolean
  durationMinutes: number | null
  texts: ReadonlyMap<Locale, { title: string; bodyMarkdown: string }>
}

/** Adds a lesson at the end of the module. */
export async function insertLesson(db: Db, row: LessonFields & { id: string; moduleId: string }): Promise<void> {
  const next = await tables(db)
    .selectFrom('lessons')
    .select(sql<number>`coalesce(max(position) + 1, 0)::int`.as('position'))
    .where('module_id', '=', row.moduleId)
    .executeTakeFirstOrThrow()
  await tables(db)
    .insertInto('lessons')
    .values({
      id: row.id,
      module_id: row.moduleId,
      position: next.position,
      kind: row.kind,
      video_url: row.videoUrl,
      required: row.required,
      duration_minutes: row.durationMinutes,
    })
    .execute()
  await tables(db)
    .insertInto('lesson_translations')
    .values(
      [...row.texts].map(([locale, t]) => ({
        lesson_id: row.id,
        locale,
        title: t.title,
        body_markdown: t.bodyMarkdown,
      })),
    )
    .execute()
}

/** Sets positions 0…n-1 in the given order (the unique constraints are checked at commit). */
export async function setPositions(db: Db, table: 'course_modules' | 'lessons', ids: readonly string[]): Promise<void> {
  for (const [position, id] of ids.entries()) {
    await tables(db).updateTable(table).set({ position }).where('id', '=', id).execute()
  }
}

/** Replaces the instructors named on a course. */
export async function replaceInstructors(
  db: Db,
  courseId: string,
  instructors: readonly { id: string; userId: string | null; displayName: string }[],
): Promise<void> {
  await tables(db).deleteFrom('course_instructors').where('course_id', '=', courseId).execute()
  if (instructors.length === 0) return
  await tables(db)
    .insertInto('course_instructors')
    .values(
      instructors.map((i, position) => ({
        id: i.id,
        course_id: courseId,
        user_id: i.userId,
        display_name: i.displayName,
        position,
      })),
    )
    .execute()
}

/** Account ids of the course's instructors (for permission checks). */
export async function instructorUserIds(db: Db, courseId: string): Promise<string[]> {
  const rows = await tables(db)
    .selectFrom('course_instructors')
    .select('user_id')
    .where('course_id', '=', courseId)
    .where('user_id', 'is not', null)
    .execute()
  return rows.flatMap((r) => (r.user_id ? [r.user_id] : []))
}

// ——— Editing and removing modules and lessons (authoring pages) ———

/** Replaces a module's titles (one per declared language). */
export async function replaceModuleTitles(
  db: Db,
  moduleId: string,
  titles: ReadonlyMap<Locale, string>,
): Promise<void> {
  await tables(db).deleteFrom('course_module_translations').where('module_id', '=', moduleId).execute()
  await tables(db)
    .insertInto('course_module_translations')
    .values([...titles].map(([locale, title]) => ({ module_id: moduleId, locale, title })))
    .execute()
}

/** The module and course a lesson belongs to. */
export async function lessonPlace(
  db: Db,
  lessonId: string,
): Promise<{ moduleId: string; courseId: string } | undefined> {
  const row = await tables(db)
    .selectFrom('lessons as l')
    .innerJoin('course_modules as m', 'm.id', 'l.module_id')
    .select(['l.module_id', 'm.course_id'])
    .where('l.id', '=', lessonId)
    .executeTakeFirst()
  return row ? { moduleId: row.module_id, courseId: row.course_id } : undefined
}

/** Replaces a lesson's fields and texts (its place stays). */
export async function updateLesson(db: Db, lessonId: string, row: LessonFields): Promise<void> {
  await tables(db)
    .updateTable('lessons')
    .set({
      kind: row.kind,
      video_url: row.videoUrl,
      required: row.required,
      duration_minutes: row.durationMinutes,
    })
    .where('id', '=', lessonId)
    .execute()
  await tables(db).deleteFrom('lesson_translations').where('lesson_id', '=', lessonId).execute()
  await tables(db)
    .insertInto('lesson_translations')
    .values(
      [...row.texts].map(([locale, t]) => ({
        lesson_id: lessonId,
        locale,
        title: t.title,
        body_markdown: t.bodyMarkdown,
      })),
    )
    .execute()
}

/** Deletes a module with its lessons and texts (cascades). */
export async function deleteModule(db: Db, moduleId: string): Promise<void> {
  await tables(db).deleteFrom('course_modules').where('id', '=', moduleId).execute()
}

/** Deletes a lesson with its texts (cascades). */
export async function deleteLesson(db: Db, lessonId: string): Promise<void> {
  await tables(db).deleteFrom('lessons').where('id', '=', lessonId).execute()
}

/** Sets (or clears) a course's cover picture path. */
export async function setCoverPath(db: Db, courseId: string, path: string | null, now: Date): Promise<void> {
  await tables(db)
    .updateTable('courses')
    .set({ cover_image_path: path, updated_at: now })
    .where('id', '=', courseId)
    .execute()
}
