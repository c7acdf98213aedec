/**
 * The learner's side of a course (T-3.1.1, T-4.5): enrol in a free published
 * course, open its lessons (the course remembers the last one), mark text
 * and video lessons done, see progress, and "My learning". Writes read like
 * a checklist — authorise, open the transaction, lock the enrolment, do,
 * audit (ids only), tell the listener.
 */
import { randomUUID } from 'node:crypto'
import type { AuditLog } from '../../platform/audit/index'
import { inTransaction, type Ctx, type Locale } from '../../platform/context'
import { courseTexts, findCourseBySlug } from './catalogue.repository'
import { chooseLocale, outline } from './catalogue.service'
import type { CourseRow } from './courses.repository'
import { ignoreLearningEvents, type LearningEventListener } from './learning.events'
import {
  CourseNotFoundError,
  EnrolmentClosedError,
  LessonNotFoundError,
  NotEnrolledError,
  QuizLessonError,
} from './learning.errors'
import { isLearner } from './learning.policies'
import type { EnrolmentStatus, LessonKind } from './learning.tables'
import { progressOf, recordLessonDone, type Progress, type ProgressDeps } from './progress'
import * as repo from './progress.repository'

export interface LearnerServiceDeps {
  audit: Pick<AuditLog, 'record'>
  /** Told of lesson, quiz and course completions inside the transaction; default: nobody listens. */
  onEvent?: LearningEventListener
}

export interface EnrolmentSummary {
  id: string
  status: EnrolmentStatus
  enrolledAt: Date
  completedAt: Date | null
  progress: Progress
  /** The lesson "continue" opens: the last one opened, else the first not done. */
  continueLessonId: string | null
}

export interface OutlineLesson {
  id: string
  title: string
  kind: LessonKind
  required: boolean
  done: boolean
}

export interface LessonPage {
  course: { id: string; slug: string; title: string; locale: Locale }
  enrolment: EnrolmentSummary
  modules: { id: string; title: string; lessons: OutlineLesson[] }[]
  lesson: OutlineLesson & {
    moduleTitle: string
    bodyMarkdown: string
    videoUrl: string | null
    locale: Locale
    /** Files the authors attached to the lesson (downloaded at /media/files/<id>). */
    attachments: { id: string; fileName: string; byteSize: number }[]
  }
  prev: { id: string; title: string } | null
  next: { id: string; title: string } | null
}

export interface MyLearningEntry extends EnrolmentSummary {
  courseId: string
  slug: string
  title: string
  locale: Locale
}

/** Where a list of "My learning" is: its page (1-based), how many pages and entries it has. */
export interface ListPage {
  page: number
  pageCount: number
  total: number
}

export interface MyLearning {
  /** The page asked for of the current courses (the last one when asked beyond it). */
  current: MyLearningEntry[]
  completed: MyLearningEntry[]
  pages: { current: ListPage; completed: ListPage }
}

/** The page of each list of "My learning" to show (1-based; default 1). */
export interface MyLearningPages {
  current?: number
  completed?: number
}

export interface LearnerService {
  /** Enrols the signed-in learner in a free published course; enrolling again changes nothing. */
  enrol(ctx: Ctx, slug: string): Promise<{ enrolmentId: string; created: boolean }>
  /** The learner's enrolment in the course, or null. */
  enrolment(ctx: Ctx, courseId: string): Promise<EnrolmentSummary | null>
  /** A lesson for its enrolled learner; remembers it as the course's last lesson. */
  lesson(ctx: Ctx, slug: string, lessonId: string): Promise<LessonPage>
  /** The lesson "continue" opens for this course. */
  resume(ctx: Ctx, slug: string): Promise<string>
  /** Marks a text or video lesson done (a quiz is done by passing it; one without questions yet, by hand). */
  markDone(ctx: Ctx, slug: string, lessonId: string): Promise<{ courseCompleted: boolean }>
  /** The learner's current and completed courses, a page of each. */
  myLearning(ctx: Ctx, pages?: MyLearningPages): Promise<MyLearning>
}

/** How many enrolments each list of "My learning" shows a page. */
export const MY_LEARNING_PAGE_SIZE = 20

/** The page to show of a list of `total` entries: the one asked for, within 1 … the last page. */
function listPage(asked: number | undefined, total: number): ListPage {
  const pageCount = Math.max(1, Math.ceil(total / MY_LEARNING_PAGE_SIZE))
  const page = Math.min(pageCount, Math.max(1, Number.isInteger(asked) ? asked! : 1))
  return { page, pageCount, total }
}

function learnerId(ctx: Ctx): string {
  if (!isLearner(ctx.actor)) throw new NotEnrolledError()
  return ctx.actor.id
}

function summary(row: repo.EnrolmentRow, lessons: repo.CourseLessonRow[], doneIds: string[]): EnrolmentSummary {
  const done = new Set(doneIds)
  const firstOpen = lessons.find((l) => !done.has(l.id))?.id ?? lessons[0]?.id ?? null
  return {
    id: row.id,
    status: row.status,
    enrolledAt: row.enrolled_at,
    completedAt: row.completed_at,
    progress: progressOf(lessons, doneIds),
    continueLessonId: row.last_lesson_id ?? firstOpen,
  }
}

async function courseTitle(ctx: Ctx, course: { id: string; languages: Locale[]; slug: string }) {
  const texts = await courseTexts(ctx.db, [course.id])
  const locale = chooseLocale(
    ctx.locale,
    course.languages,
    texts.map((t) => t.locale),
  )
  return { locale, title: texts.find((t) => t.locale === locale)?.title ?? course.slug }
}

export function createLearnerService(deps: LearnerServiceDeps): LearnerService {
  const progressDeps: ProgressDeps = { audit: deps.audit, onEvent: deps.onEvent ?? ignoreLearningEvents }

  async function course(ctx: Ctx, slug: string): Promise<CourseRow> {
    const row = await findCourseBySlug(ctx.db, slug)
    if (!row) throw new CourseNotFoundError()
    return row
  }

  /** The learner's enrolment in the course; a course they are not in is 403 (a draft one 404). */
  async function enrolled(ctx: Ctx, slug: string, lock = false) {
    const userId = learnerId(ctx)
    const c = await course(ctx, slug)
    const e = lock ? await repo.lockEnrolment(ctx.db, userId, c.id) : await repo.findEnrolment(ctx.db, userId, c.id)
    if (!e) {
      if (c.status === 'draft') throw new CourseNotFoundError()
      throw new NotEnrolledError()
    }
    return { course: c, enrolment: e }
  }

  return {
    async enrol(ctx, slug) {
      const userId = learnerId(ctx)
      return inTransaction(ctx, async (tx) => {
        const c = await course(tx, slug)
        const existing = await repo.findEnrolment(tx.db, userId, c.id)
        if (existing) return { enrolmentId: existing.id, created: false }
        if (c.status === 'draft') throw new CourseNotFoundError()
        // Paid courses wait for the payments module: no enrolment, no pretend purchase.
        if (c.status !== 'published' || c.price_kzt !== null) throw new EnrolmentClosedError()
        const id = randomUUID()
        const created = await repo.insertEnrolment(tx.db, { id, userId, courseId: c.id, now: tx.now })
        if (!created) {
          const again = await repo.findEnrolment(tx.db, userId, c.id)
          return { enrolmentId: again!.id, created: false }
        }
        await deps.audit.record(tx, {
          action: 'enrolment.created',
          subjectType: 'user',
          subjectId: userId,
          targetType: 'enrolment',
          targetId: id,
          data: { courseId: c.id },
        })
        return { enrolmentId: id, created: true }
      })
    },

    async enrolment(ctx, courseId) {
      if (!isLearner(ctx.actor)) return null
      const e = await repo.findEnrolment(ctx.db, ctx.actor.id, courseId)
      if (!e) return null
      return summary(e, await repo.courseLessons(ctx.db, courseId), await repo.doneLessonIds(ctx.db, e.id))
    },

    async lesson(ctx, slug, lessonId) {
      const { course: c, enrolment: e } = await enrolled(ctx, slug)
      const { modules } = await outline(ctx, c.id, c.languages)
      const lessons = await repo.courseLessons(ctx.db, c.id)
      if (!lessons.some((l) => l.id === lessonId)) throw new LessonNotFoundError()
      await repo.setLastLesson(ctx.db, e.id, lessonId, ctx.now)
      const doneIds = await repo.doneLessonIds(ctx.db, e.id)
      const done = new Set(doneIds)
      const withDone = modules.map((m) => ({
        id: m.id,
        title: m.title,
        lessons: m.lessons.map((l) => ({
          id: l.id,
          title: l.title,
          kind: l.kind,
          required: l.required,
          done: done.has(l.id),
        })),
      }))
      const flat = withDone.flatMap((m) => m.lessons.map((l) => ({ ...l, moduleTitle: m.title })))
      const at = flat.findIndex((l) => l.id === lessonId)
      const current = flat[at]!
      const bodies = await repo.lessonBodies(ctx.db, lessonId)
      const locale = chooseLocale(
        ctx.locale,
        c.languages,
        bodies.map((b) => b.locale),
      )
      const link = (l: (typeof flat)[number] | undefined) => (l ? { id: l.id, title: l.title } : null)
      return {
        course: { id: c.id, slug: c.slug, ...(await courseTitle(ctx, c)) },
        enrolment: summary({ ...e, last_lesson_id: lessonId }, lessons, doneIds),
        modules: withDone,
        lesson: {
          ...current,
          bodyMarkdown: bodies.find((b) => b.locale === locale)?.body_markdown ?? '',
          videoUrl: lessons.find((l) => l.id === lessonId)?.video_url ?? null,
          locale,
          attachments: (await repo.lessonAttachments(ctx.db, lessonId)).map((a) => ({
            id: a.id,
            fileName: a.file_name ?? 'file',
            byteSize: a.byte_size,
          })),
        },
        prev: link(flat[at - 1]),
        next: link(flat[at + 1]),
      }
    },

    async resume(ctx, slug) {
      const { course: c, enrolment: e } = await enrolled(ctx, slug)
      const s = summary(e, await repo.courseLessons(ctx.db, c.id), await repo.doneLessonIds(ctx.db, e.id))
      if (!s.continueLessonId) throw new LessonNotFoundError()
      return s.continueLessonId
    },

    async markDone(ctx, slug, lessonId) {
      return inTransaction(ctx, async (tx) => {
        const { course: c, enrolment: e } = await enrolled(tx, slug, true)
        const lesson = await repo.lessonCourse(tx.db, lessonId)
        if (!lesson || lesson.course_id !== c.id) throw new LessonNotFoundError()
        // A quiz is done by passing it; a quiz lesson whose questions are not written yet is read like a text.
        if (lesson.kind === 'quiz' && (await repo.quizSettings(tx.db, lessonId))) throw new QuizLessonError()
        const { courseCompleted } = await recordLessonDone(tx, progressDeps, e, lessonId)
        return { courseCompleted }
      })
    },

    async myLearning(ctx, asked = {}) {
      const userId = learnerId(ctx)
      const counts = await repo.enrolmentCounts(ctx.db, userId)
      const pages = {
        current: listPage(asked.current, counts.active),
        completed: listPage(asked.completed, counts.completed),
      }
      const pageOf = (status: 'active' | 'completed', p: ListPage) =>
        p.total === 0
          ? Promise.resolve([])
          : repo.enrolmentsOfUser(ctx.db, userId, status, {
              limit: MY_LEARNING_PAGE_SIZE,
              offset: (p.page - 1) * MY_LEARNING_PAGE_SIZE,
            })
      const rows = [...(await pageOf('active', pages.current)), ...(await pageOf('completed', pages.completed))]
      const lessons = await repo.lessonsOfCourses(
        ctx.db,
        rows.map((r) => r.course_id),
      )
      const done = await repo.doneCounts(
        ctx.db,
        rows.map((r) => r.id),
      )
      const texts = await courseTexts(
        ctx.db,
        rows.map((r) => r.course_id),
      )
      const entries = rows.map((r): MyLearningEntry => {
        const own = texts.filter((t) => t.course_id === r.course_id)
        const locale = chooseLocale(
          ctx.locale,
          r.languages,
          own.map((t) => t.locale),
        )
        return {
          ...summary(
            r,
            lessons.filter((l) => l.course_id === r.course_id),
            done.get(r.id) ?? [],
          ),
          courseId: r.course_id,
          slug: r.slug,
          title: own.find((t) => t.locale === locale)?.title ?? r.slug,
          locale,
        }
      })
      return {
        current: entries.filter((e) => e.status === 'active'),
        completed: entries.filter((e) => e.status === 'completed'),
        pages,
      }
    },
  }
}
