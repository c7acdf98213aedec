/**
 * The instructor's view (B-3.4, need-to-know): the courses they created or
 * teach, and for each its learners' names and progress — never e-mail,
 * phone or IIN. Another instructor's course answers "not found". Names come
 * from an injected function (the accounts module's), so learning holds none.
 */
import type { Ctx, Locale } from '../../platform/context'
import { courseTexts, findCourseBySlug } from './catalogue.repository'
import { chooseLocale } from './catalogue.service'
import { instructorUserIds } from './courses.repository'
import { CourseNotFoundError, NotAllowedError } from './learning.errors'
import { canSeeLearners } from './learning.policies'
import type { CourseStatus, EnrolmentStatus } from './learning.tables'
import { progressOf, type Progress } from './progress'
import * as repo from './progress.repository'

/** The name an instructor sees for a learner; null when the account has none. */
export type LearnerName = (ctx: Ctx, userId: string) => Promise<string | null>

export interface TeachServiceDeps {
  learnerName?: LearnerName
}

export const LEARNERS_PAGE_SIZE = 50

export interface TaughtCourse {
  id: string
  slug: string
  title: string
  locale: Locale
  status: CourseStatus
  learners: number
}

export interface CourseLearners {
  course: { id: string; slug: string; title: string; locale: Locale }
  total: number
  page: number
  pageCount: number
  learners: {
    number: number
    name: string | null
    status: EnrolmentStatus
    enrolledAt: Date
    completedAt: Date | null
    progress: Progress
  }[]
}

export interface TeachService {
  /** Courses the signed-in instructor created or teaches (every course for an admin). */
  courses(ctx: Ctx): Promise<TaughtCourse[]>
  /** A page of the course's learners: names and progress only. */
  learners(ctx: Ctx, slug: string, page: number): Promise<CourseLearners>
}

const isStaffReader = (ctx: Ctx) =>
  ctx.actor?.kind === 'user' && (ctx.actor.roles.includes('instructor') || ctx.actor.roles.includes('admin'))

export function createTeachService(deps: TeachServiceDeps = {}): TeachService {
  const name: LearnerName = deps.learnerName ?? (async () => null)

  async function titled<T extends { id: string; slug: string; languages: Locale[] }>(ctx: Ctx, rows: T[]) {
    const texts = await courseTexts(
      ctx.db,
      rows.map((r) => r.id),
    )
    return rows.map((r) => {
      const own = texts.filter((t) => t.course_id === r.id)
      const locale = chooseLocale(
        ctx.locale,
        r.languages,
        own.map((t) => t.locale),
      )
      return { row: r, locale, title: own.find((t) => t.locale === locale)?.title ?? r.slug }
    })
  }

  return {
    async courses(ctx) {
      if (!isStaffReader(ctx)) throw new NotAllowedError()
      const rows = await repo.taughtCourses(ctx.db, ctx.actor!.id, ctx.actor!.roles.includes('admin'))
      return (await titled(ctx, rows)).map(({ row, locale, title }) => ({
        id: row.id,
        slug: row.slug,
        title,
        locale,
        status: row.status as CourseStatus,
        learners: Number(row.learners),
      }))
    },

    async learners(ctx, slug, page) {
      const course = await findCourseBySlug(ctx.db, slug)
      if (!course) throw new CourseNotFoundError()
      const facts = { createdBy: course.created_by, instructorUserIds: await instructorUserIds(ctx.db, course.id) }
      // Not theirs: answered as if the course had no such page (no hint that it has learners).
      if (!canSeeLearners(ctx.actor, facts)) throw new CourseNotFoundError()
      const total = await repo.countLearners(ctx.db, course.id)
      const pageCount = Math.max(1, Math.ceil(total / LEARNERS_PAGE_SIZE))
      const p = Math.min(Math.max(1, Math.floor(page)), pageCount)
      const rows = await repo.enrolmentsOfCourse(ctx.db, course.id, {
        limit: LEARNERS_PAGE_SIZE,
        offset: (p - 1) * LEARNERS_PAGE_SIZE,
      })
      const lessons = await repo.courseLessons(ctx.db, course.id)
      const done = await repo.doneCounts(
        ctx.db,
        rows.map((r) => r.id),
      )
      const { locale, title } = (await titled(ctx, [course]))[0]!
      const learners = []
      for (const [i, r] of rows.entries())
        learners.push({
          number: (p - 1) * LEARNERS_PAGE_SIZE + i + 1,
          name: await name(ctx, r.user_id),
          status: r.status,
          enrolledAt: r.enrolled_at,
          completedAt: r.completed_at,
          progress: progressOf(lessons, done.get(r.id) ?? []),
        })
      return { course: { id: course.id, slug: course.slug, title, locale }, total, page: p, pageCount, learners }
    },
  }
}
