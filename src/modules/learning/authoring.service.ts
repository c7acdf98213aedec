/**
 * What the authoring pages read: the courses an author may change, and one
 * course as its editor shows it — every text in every declared language,
 * the programme, the instructors, and what it still lacks to be published.
 * Someone who may not change a course is told it does not exist.
 */
import type { Ctx, Locale } from '../../platform/context'
import * as authored from './authoring.repository'
import { courseTexts, findCourseById, moduleTitles } from './catalogue.repository'
import { instructorUserIds } from './courses.repository'
import { publishProblems } from './courses.service'
import { CourseNotFoundError, type Problem } from './learning.errors'
import { canCreateCourse, canEditCourse } from './learning.policies'
import type { CourseLevel, CourseStatus, LessonKind } from './learning.tables'

export const AUTHORING_PAGE_SIZE = 20

/** A row of "my courses". `title` is in the reader's language when the course has it, else its first. */
export interface AuthoredCourse {
  id: string
  slug: string
  title: string
  locale: Locale
  languages: Locale[]
  status: CourseStatus
  demo: boolean
  updatedAt: Date
}

export interface AuthoredPage {
  items: AuthoredCourse[]
  total: number
  page: number
  pageCount: number
}

export interface EditableLesson {
  id: string
  kind: LessonKind
  videoUrl: string | null
  required: boolean
  durationMinutes: number | null
  texts: Partial<Record<Locale, { title: string; bodyMarkdown: string }>>
}

export interface EditableModule {
  id: string
  titles: Partial<Record<Locale, string>>
  lessons: EditableLesson[]
}

/** A course as its editor sees it. */
export interface EditableCourse {
  id: string
  slug: string
  status: CourseStatus
  languages: Locale[]
  level: CourseLevel
  durationHours: number
  priceKzt: number | null
  coverImagePath: string | null
  demo: boolean
  publishedAt: Date | null
  texts: Partial<Record<Locale, { title: string; summary: string }>>
  modules: EditableModule[]
  instructors: { userId: string | null; displayName: string }[]
  /** What the course lacks before it can be published (empty once it is publishable). */
  problems: Problem[]
}

export interface AuthoringService {
  /** The actor's courses (all for an admin); null when the actor may not author at all. */
  list(ctx: Ctx, page: number): Promise<AuthoredPage | null>
  /** One course for its editor; `CourseNotFoundError` for anyone who may not change it. */
  course(ctx: Ctx, courseId: string): Promise<EditableCourse>
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Whether a string is a UUID (route ids are checked before they reach the database). */
export function isUuid(value: string): boolean {
  return UUID.test(value)
}

/** The title in the reader's language, else in the course's first language that has one. */
export function titleFor<T>(
  texts: Partial<Record<Locale, T>>,
  languages: readonly Locale[],
  locale: Locale,
  pick: (t: T) => string,
): { text: string; locale: Locale } | undefined {
  for (const l of [locale, ...languages]) {
    const t = texts[l]
    if (t && pick(t)) return { text: pick(t), locale: l }
  }
  return undefined
}

export function createAuthoringService(): AuthoringService {
  return {
    async list(ctx, page) {
      const actor = ctx.actor
      if (actor?.kind !== 'user' || !canCreateCourse(actor)) return null
      const scope: authored.AuthorScope = actor.roles.includes('admin')
        ? { kind: 'all' }
        : { kind: 'author', userId: actor.id }
      const total = await authored.countAuthored(ctx.db, scope)
      const pageCount = Math.max(1, Math.ceil(total / AUTHORING_PAGE_SIZE))
      const rows =
        total === 0 || page > pageCount
          ? []
          : await authored.listAuthored(ctx.db, scope, {
              limit: AUTHORING_PAGE_SIZE,
              offset: (page - 1) * AUTHORING_PAGE_SIZE,
            })
      const texts = await courseTexts(
        ctx.db,
        rows.map((r) => r.id),
      )
      const items = rows.map((r) => {
        const own: Partial<Record<Locale, { title: string }>> = {}
        for (const t of texts) if (t.course_id === r.id) own[t.locale] = t
        const title = titleFor(own, r.languages, ctx.locale, (t) => t.title)
        return {
          id: r.id,
          slug: r.slug,
          title: title?.text ?? r.slug,
          locale: title?.locale ?? ctx.locale,
          languages: r.languages,
          status: r.status,
          demo: r.demo,
          updatedAt: r.updated_at,
        }
      })
      return { items, total, page, pageCount }
    },

    async course(ctx, courseId) {
      if (!isUuid(courseId)) throw new CourseNotFoundError()
      const course = await findCourseById(ctx.db, courseId)
      if (!course) throw new CourseNotFoundError()
      const facts = { createdBy: course.created_by, instructorUserIds: await instructorUserIds(ctx.db, courseId) }
      if (!canEditCourse(ctx.actor, facts)) throw new CourseNotFoundError()
      const texts: EditableCourse['texts'] = {}
      for (const t of await courseTexts(ctx.db, [courseId])) texts[t.locale] = { title: t.title, summary: t.summary }
      const modules: EditableModule[] = []
      for (const row of await moduleTitles(ctx.db, courseId)) {
        let m = modules.find((x) => x.id === row.id)
        if (!m) modules.push((m = { id: row.id, titles: {}, lessons: [] }))
        if (row.locale && row.title !== null) m.titles[row.locale] = row.title
      }
      for (const row of await authored.lessonTexts(ctx.db, courseId)) {
        const m = modules.find((x) => x.id === row.module_id)!
        let l = m.lessons.find((x) => x.id === row.id)
        if (!l)
          m.lessons.push(
            (l = {
              id: row.id,
              kind: row.kind,
              videoUrl: row.video_url,
              required: row.required,
              durationMinutes: row.duration_minutes,
              texts: {},
            }),
          )
        if (row.locale) l.texts[row.locale] = { title: row.title ?? '', bodyMarkdown: row.body_markdown ?? '' }
      }
      const people = await authored.instructors(ctx.db, courseId)
      return {
        id: course.id,
        slug: course.slug,
        status: course.status,
        languages: course.languages,
        level: course.level,
        durationHours: course.duration_hours,
        priceKzt: course.price_kzt,
        coverImagePath: course.cover_image_path,
        demo: course.demo,
        publishedAt: course.published_at,
        texts,
        modules,
        instructors: people.map((p) => ({ userId: p.user_id, displayName: p.display_name })),
        problems: course.status === 'draft' ? await publishProblems(ctx, course) : [],
      }
    },
  }
}
