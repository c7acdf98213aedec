/**
 * The public catalogue: published courses, searched (full text over the
 * application's Kazakh/Russian lexemes, then trigrams for typos), filtered
 * (language, price, level) and paged; and one course's page with its outline
 * and instructors. Texts come in the reader's language when the course has
 * it, else in the course's first language (and say which).
 */
import type { Ctx, Locale } from '../../platform/context'
import * as repo from './catalogue.repository'
import { instructorUserIds } from './courses.repository'
import { CourseNotFoundError } from './learning.errors'
import { canPreviewCourse } from './learning.policies'
import type { CourseLevel, CourseStatus, LessonKind } from './learning.tables'
import { searchText, toTsQuery, trigrams } from './search-text'

export const PAGE_SIZE = 12
/** Longest query the search box accepts. */
export const MAX_QUERY = 200

export interface CatalogueQuery {
  q?: string
  language?: Locale
  price?: 'free' | 'paid'
  level?: CourseLevel
  /** 1-based. */
  page?: number
}

/** What a catalogue card shows. `locale` is the language of `title` and `summary`. */
export interface CourseCard {
  id: string
  slug: string
  locale: Locale
  title: string
  summary: string
  languages: Locale[]
  level: CourseLevel
  durationHours: number
  priceKzt: number | null
  demo: boolean
}

export interface CataloguePage {
  items: CourseCard[]
  total: number
  page: number
  pageCount: number
  /** `typo` when nothing matched exactly and the list shows courses with similar words. */
  matchedBy: 'all' | 'fulltext' | 'typo'
}

export interface CourseOutline {
  modules: {
    id: string
    title: string
    lessons: { id: string; title: string; kind: LessonKind; required: boolean; durationMinutes: number | null }[]
  }[]
}

export interface CourseDetail extends CourseCard, CourseOutline {
  status: CourseStatus
  publishedAt: Date | null
  /** The cover picture's path in the media store (`covers/<id>.webp`), if the course has one. */
  coverImagePath: string | null
  instructors: { displayName: string }[]
  lessonCount: number
}

export interface CatalogueService {
  /** A page of published courses for the query. */
  browse(ctx: Ctx, query: CatalogueQuery): Promise<CataloguePage>
  /** A course's page; drafts only for those who may edit them. */
  course(ctx: Ctx, slug: string): Promise<CourseDetail>
}

export interface CatalogueServiceDeps {
  /**
   * Typo matching: `auto` uses pg_trgm when the database has it, else the
   * application's trigrams. One service serves one database.
   */
  trigrams?: 'auto' | 'pg_trgm' | 'own'
}

/** The reader's language if the course has it, else the course's first language that has a text. */
export function chooseLocale(wanted: Locale, languages: readonly Locale[], available: readonly Locale[]): Locale {
  if (available.includes(wanted)) return wanted
  return languages.find((l) => available.includes(l)) ?? available[0] ?? wanted
}

function pick<T extends { locale: Locale | null }>(
  rows: T[],
  wanted: Locale,
  languages: readonly Locale[],
): T | undefined {
  const locale = chooseLocale(
    wanted,
    languages,
    rows.flatMap((r) => (r.locale ? [r.locale] : [])),
  )
  return rows.find((r) => r.locale === locale)
}

function toCard(
  row: repo.CourseTextRow[],
  course: Awaited<ReturnType<typeof repo.listCourses>>[number],
  wanted: Locale,
): CourseCard {
  const text = pick(row, wanted, course.languages)
  return {
    id: course.id,
    slug: course.slug,
    locale: text?.locale ?? course.languages[0] ?? wanted,
    title: text?.title ?? course.slug,
    summary: text?.summary ?? '',
    languages: course.languages,
    level: course.level,
    durationHours: course.duration_hours,
    priceKzt: course.price_kzt,
    demo: course.demo,
  }
}

export async function outline(ctx: Ctx, courseId: string, languages: readonly Locale[]): Promise<CourseOutline> {
  const [modules, lessons] = [await repo.moduleTitles(ctx.db, courseId), await repo.lessonTitles(ctx.db, courseId)]
  const moduleIds = [...new Set(modules.map((m) => m.id))]
  return {
    modules: moduleIds.map((id) => {
      const lessonIds = [...new Set(lessons.filter((l) => l.module_id === id).map((l) => l.id))]
      return {
        id,
        title:
          pick(
            modules.filter((m) => m.id === id),
            ctx.locale,
            languages,
          )?.title ?? '',
        lessons: lessonIds.map((lessonId) => {
          const rows = lessons.filter((l) => l.id === lessonId)
          const first = rows[0]!
          return {
            id: lessonId,
            title: pick(rows, ctx.locale, languages)?.title ?? '',
            kind: first.kind,
            required: first.required,
            durationMinutes: first.duration_minutes,
          }
        }),
      }
    }),
  }
}

/** Builds the catalogue service. */
export function createCatalogueService(deps: CatalogueServiceDeps = {}): CatalogueService {
  let pgTrgm: Promise<boolean> | undefined

  async function typoMatch(ctx: Ctx, q: string): Promise<repo.Match> {
    const mode = deps.trigrams ?? 'auto'
    if (mode === 'auto') pgTrgm ??= repo.hasPgTrgm(ctx.db).catch(() => false)
    const usePgTrgm = mode === 'pg_trgm' || (mode === 'auto' && (await pgTrgm!))
    return usePgTrgm ? { kind: 'pg_trgm', text: searchText(q) } : { kind: 'trigrams', trigrams: trigrams(q) }
  }

  async function run(ctx: Ctx, filter: repo.CatalogueFilter, page: number) {
    const total = await repo.countCourses(ctx.db, filter)
    const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE))
    if (total === 0 || page > pageCount) return { total, pageCount, courses: [] }
    const courses = await repo.listCourses(ctx.db, filter, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE })
    return { total, pageCount, courses }
  }

  return {
    async browse(ctx, query) {
      const page = Math.max(1, Math.floor(query.page ?? 1))
      const q = (query.q ?? '').trim().slice(0, MAX_QUERY)
      const base = {
        statuses: ['published'] as const,
        language: query.language,
        price: query.price,
        level: query.level,
      }
      let matchedBy: CataloguePage['matchedBy'] = 'all'
      let result
      if (q === '') result = await run(ctx, { ...base, match: { kind: 'none' } }, page)
      else {
        const tsquery = toTsQuery(q)
        matchedBy = 'fulltext'
        result = tsquery ? await run(ctx, { ...base, match: { kind: 'fulltext', tsquery } }, page) : undefined
        if (!result || result.total === 0) {
          matchedBy = 'typo'
          result = await run(ctx, { ...base, match: await typoMatch(ctx, q) }, page)
        }
      }
      const texts = await repo.courseTexts(
        ctx.db,
        result.courses.map((c) => c.id),
      )
      const items = result.courses.map((c) =>
        toCard(
          texts.filter((t) => t.course_id === c.id),
          c,
          ctx.locale,
        ),
      )
      return { items, total: result.total, page, pageCount: result.pageCount, matchedBy }
    },

    async course(ctx, slug) {
      const course = await repo.findCourseBySlug(ctx.db, slug)
      if (!course) throw new CourseNotFoundError()
      if (course.status === 'draft') {
        const facts = { createdBy: course.created_by, instructorUserIds: await instructorUserIds(ctx.db, course.id) }
        if (!canPreviewCourse(ctx.actor, facts)) throw new CourseNotFoundError()
      }
      const texts = await repo.courseTexts(ctx.db, [course.id])
      const card = toCard(texts, course, ctx.locale)
      const { modules } = await outline(ctx, course.id, course.languages)
      const instructors = await repo.courseInstructors(ctx.db, course.id)
      return {
        ...card,
        status: course.status,
        publishedAt: course.published_at,
        coverImagePath: course.cover_image_path,
        modules,
        instructors: instructors.map((i) => ({ displayName: i.display_name })),
        lessonCount: modules.reduce((n, m) => n + m.lessons.length, 0),
      }
    },
  }
}
