/**
 * SQL that reads the catalogue: filtered, searched and paged course lists,
 * one course by slug, its texts, outline and instructors. Explicit columns;
 * lesson bodies are never read here.
 */
import { sql, type SelectQueryBuilder } from 'kysely'
import type { Locale } from '../../platform/context'
import type { Db } from '../../platform/db/database'
import type { CourseLevel, CourseStatus, LearningTables, LessonKind } from './learning.tables'
import { COURSE_COLUMNS, type CourseRow } from './courses.repository'

const tables = (db: Db) => db.withTables<LearningTables>()

/** Trigram score from which a course counts as a typo match of the query. */
export const TRIGRAM_THRESHOLD = 0.5

/** How the query text matched: full text (lexemes), pg_trgm, or the application's own trigrams. */
export type Match =
  | { kind: 'none' }
  | { kind: 'fulltext'; tsquery: string }
  | { kind: 'pg_trgm'; text: string }
  | { kind: 'trigrams'; trigrams: string[] }

export interface CatalogueFilter {
  statuses: readonly CourseStatus[]
  language?: Locale
  price?: 'free' | 'paid'
  level?: CourseLevel
  match: Match
}

/** Whether the pg_trgm extension is installed in this database. */
export async function hasPgTrgm(db: Db): Promise<boolean> {
  const r = await sql<{
    found: boolean
  }>`select exists (select 1 from pg_extension where extname = 'pg_trgm') as found`.execute(db)
  return r.rows[0]?.found === true
}

/** Per course: the best score of any of its translations that matches. */
function matches(db: Db, match: Exclude<Match, { kind: 'none' }>) {
  const t = tables(db).selectFrom('course_translations')
  switch (match.kind) {
    case 'fulltext': {
      const q = sql`${match.tsquery}::tsquery`
      return t
        .select(['course_id', sql<number>`max(ts_rank(search_vector, ${q}))`.as('score')])
        .where(sql<boolean>`search_vector @@ ${q}`)
        .groupBy('course_id')
    }
    case 'pg_trgm': {
      const score = sql<number>`word_similarity(${match.text}, search_text)`
      return t
        .select(['course_id', sql<number>`max(${score})`.as('score')])
        .where(score, '>=', TRIGRAM_THRESHOLD)
        .groupBy('course_id')
    }
    case 'trigrams': {
      const q = sql`${match.trigrams}::text[]`
      const score = sql<number>`cardinality(array(select unnest(search_trigrams) intersect select unnest(${q})))::float8 / ${match.trigrams.length}`
      return t
        .select(['course_id', sql<number>`max(${score})`.as('score')])
        .where(sql<boolean>`search_trigrams && ${q}`)
        .where(score, '>=', TRIGRAM_THRESHOLD)
        .groupBy('course_id')
    }
  }
}

type CourseQuery = SelectQueryBuilder<
  LearningTables & { m: { course_id: string; score: number } },
  'courses' | 'm',
  object
>

function filtered(db: Db, filter: CatalogueFilter): CourseQuery {
  let q = tables(db).selectFrom('courses') as unknown as CourseQuery
  if (filter.match.kind !== 'none') {
    q = q.innerJoin(matches(db, filter.match).as('m'), 'm.course_id', 'courses.id') as unknown as CourseQuery
  }
  q = q.where('courses.status', 'in', filter.statuses)
  if (filter.language) q = q.where(sql<boolean>`courses.languages @> array[${filter.language}]::text[]`)
  if (filter.price === 'free') q = q.where('courses.price_kzt', 'is', null)
  if (filter.price === 'paid') q = q.where('courses.price_kzt', 'is not', null)
  if (filter.level) q = q.where('courses.level', '=', filter.level)
  return q
}

/** How many courses pass the filter. */
export async function countCourses(db: Db, filter: CatalogueFilter): Promise<number> {
  const row = await filtered(db, filter)
    .select(sql<string>`count(*)`.as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** One page of courses: best match first when searching, else newest first; slug breaks ties, so pages are stable. */
export async function listCourses(
  db: Db,
  filter: CatalogueFilter,
  page: { limit: number; offset: number },
): Promise<CourseRow[]> {
  let q = filtered(db, filter).select(COURSE_COLUMNS.map((c) => `courses.${c}` as const))
  if (filter.match.kind !== 'none') q = q.orderBy('m.score', 'desc')
  return q
    .orderBy(sql`courses.published_at desc nulls last`)
    .orderBy('courses.slug')
    .limit(page.limit)
    .offset(page.offset)
    .execute() as Promise<CourseRow[]>
}

export interface CourseTextRow {
  course_id: string
  locale: Locale
  title: string
  summary: string
}

/** Titles and summaries of the given courses, in every language they have. */
export async function courseTexts(db: Db, courseIds: readonly string[]): Promise<CourseTextRow[]> {
  if (courseIds.length === 0) return []
  return tables(db)
    .selectFrom('course_translations')
    .select(['course_id', 'locale', 'title', 'summary'])
    .where('course_id', 'in', courseIds)
    .execute()
}

/** The course with this slug, whatever its state. */
export async function findCourseBySlug(db: Db, slug: string): Promise<CourseRow | undefined> {
  return tables(db).selectFrom('courses').select(COURSE_COLUMNS).where('slug', '=', slug).executeTakeFirst()
}

/** The course with this id, whatever its state. */
export async function findCourseById(db: Db, id: string): Promise<CourseRow | undefined> {
  return tables(db).selectFrom('courses').select(COURSE_COLUMNS).where('id', '=', id).executeTakeFirst()
}

export interface ModuleTitleRow {
  id: string
  position: number
  locale: Locale | null
  title: string | null
}

/** The course's modules in order, with their title in every language (null when a module has none). */
export async function moduleTitles(db: Db, courseId: string): Promise<ModuleTitleRow[]> {
  return tables(db)
    .selectFrom('course_modules as m')
    .leftJoin('course_module_translations as t', 't.module_id', 'm.id')
    .select(['m.id', 'm.position', 't.locale', 't.title'])
    .where('m.course_id', '=', courseId)
    .orderBy('m.position')
    .execute()
}

export interface LessonTitleRow {
  id: string
  module_id: string
  position: number
  kind: LessonKind
  required: boolean
  duration_minutes: number | null
  video_url: string | null
  locale: Locale | null
  title: string | null
  has_body: boolean | null
}

/** The course's lessons in order within their modules, with their title in every language. */
export async function lessonTitles(db: Db, courseId: string): Promise<LessonTitleRow[]> {
  return tables(db)
    .selectFrom('lessons as l')
    .innerJoin('course_modules as m', 'm.id', 'l.module_id')
    .leftJoin('lesson_translations as t', 't.lesson_id', 'l.id')
    .select([
      'l.id',
      'l.module_id',
      'l.position',
      'l.kind',
      'l.required',
      'l.duration_minutes',
      'l.video_url',
      't.locale',
      't.title',
      sql<boolean | null>`t.body_markdown <> ''`.as('has_body'),
    ])
    .where('m.course_id', '=', courseId)
    .orderBy('m.position')
    .orderBy('l.position')
    .execute()
}

export interface InstructorRow {
  user_id: string | null
  display_name: string
}

/** The instructors a course page names, in order. */
export async function courseInstructors(db: Db, courseId: string): Promise<InstructorRow[]> {
  return tables(db)
    .selectFrom('course_instructors')
    .select(['user_id', 'display_name'])
    .where('course_id', '=', courseId)
    .orderBy('position')
    .execute()
}
