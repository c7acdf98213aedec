/**
 * Authoring: create and edit courses with their texts, add modules and
 * lessons, reorder them, name instructors, publish and archive. Each write
 * reads like a checklist — validate, open the transaction, authorise, do,
 * record the audit event in the same transaction.
 */
import { randomUUID } from 'node:crypto'
import type { AuditLog } from '../../platform/audit/index'
import { inTransaction, type Ctx, type Locale } from '../../platform/context'
import { lessonTitles, moduleTitles } from './catalogue.repository'
import * as repo from './courses.repository'
import {
  courseProblems,
  coverPathProblems,
  lessonProblems,
  LIMITS,
  moduleProblems,
  pickTexts,
  type CourseInput,
  type LessonInput,
  type ModuleInput,
} from './courses.validation'
import {
  CourseInvalidError,
  CourseNotFoundError,
  NotAllowedError,
  NotPublishableError,
  OrderInvalidError,
  SlugTakenError,
  type Problem,
} from './learning.errors'
import { canCreateCourse, canEditCourse, canMarkDemo } from './learning.policies'
import { DeleteNotAllowedError } from './authoring.errors'
import type { CourseStatus } from './learning.tables'

export interface CourseServiceDeps {
  audit: AuditLog
}

export interface InstructorInput {
  /** The instructor's account, or null for a named guest. */
  userId: string | null
  displayName: string
}

export interface CourseService {
  /** Creates a draft course; `demo` is for the system's seed only. */
  create(ctx: Ctx, input: CourseInput, options?: { demo?: boolean }): Promise<{ id: string; slug: string }>
  /** Replaces a course's fields and texts; the slug is frozen once the course has been published. */
  update(ctx: Ctx, courseId: string, input: CourseInput): Promise<void>
  /** Publishes a course that has what learners need (texts, modules, lessons in every declared language). */
  publish(ctx: Ctx, courseId: string): Promise<void>
  /** Takes a course out of the catalogue; its page stays for the learners who took it. */
  archive(ctx: Ctx, courseId: string): Promise<void>
  addModule(ctx: Ctx, courseId: string, input: ModuleInput): Promise<{ id: string }>
  addLesson(ctx: Ctx, moduleId: string, input: LessonInput): Promise<{ id: string }>
  /** Sets the module order; `moduleIds` must name every module of the course once. */
  reorderModules(ctx: Ctx, courseId: string, moduleIds: readonly string[]): Promise<void>
  /** Sets the lesson order within a module; `lessonIds` must name every lesson of it once. */
  reorderLessons(ctx: Ctx, moduleId: string, lessonIds: readonly string[]): Promise<void>
  /** Replaces the instructors the course page names, in order. */
  setInstructors(ctx: Ctx, courseId: string, instructors: readonly InstructorInput[]): Promise<void>
  /** Replaces a module's titles. */
  updateModule(ctx: Ctx, moduleId: string, input: ModuleInput): Promise<void>
  /** Replaces a lesson's kind, video, flags and texts; a published course must stay publishable. */
  updateLesson(ctx: Ctx, lessonId: string, input: LessonInput): Promise<void>
  /** Deletes a module and its lessons — only while the course is a draft (learners' progress is never lost). */
  deleteModule(ctx: Ctx, moduleId: string): Promise<void>
  /** Deletes a lesson — only while the course is a draft. */
  deleteLesson(ctx: Ctx, lessonId: string): Promise<void>
  /** Sets or clears the cover picture (a path under the media store, e.g. `covers/<id>.webp`). */
  setCover(ctx: Ctx, courseId: string, path: string | null): Promise<void>
}

function isUniqueViolation(err: unknown, constraint: string): boolean {
  const e = err as { code?: string; constraint?: string; message?: string }
  return e?.code === '23505' && (e.constraint === constraint || (e.message ?? '').includes(constraint))
}

function fields(input: CourseInput): repo.CourseFields {
  return {
    slug: input.slug,
    languages: [...input.languages],
    level: input.level,
    duration_hours: input.durationHours,
    // 0 is how a form says "free"; the table keeps free as null.
    price_kzt: input.priceKzt === 0 ? null : input.priceKzt,
    cover_image_path: input.coverImagePath || null,
  }
}

function requireValid(problems: Problem[]): void {
  if (problems.length > 0) throw new CourseInvalidError(problems)
}

/** What a course lacks before it can be published. */
export async function publishProblems(ctx: Ctx, course: repo.CourseRow): Promise<Problem[]> {
  const problems: Problem[] = []
  const modules = await moduleTitles(ctx.db, course.id)
  const lessons = await lessonTitles(ctx.db, course.id)
  const moduleIds = [...new Set(modules.map((m) => m.id))]
  if (moduleIds.length === 0) problems.push({ field: 'modules', problem: 'required' })
  const has = (rows: { id: string; locale: Locale | null }[], id: string, l: Locale) =>
    rows.some((r) => r.id === id && r.locale === l)
  for (const [i, id] of moduleIds.entries()) {
    if (!lessons.some((l) => l.module_id === id)) problems.push({ field: `modules.${i}.lessons`, problem: 'required' })
    for (const l of course.languages)
      if (!has(modules, id, l)) problems.push({ field: `modules.${i}.titles.${l}`, problem: 'required' })
  }
  for (const id of new Set(lessons.map((l) => l.id))) {
    const rows = lessons.filter((r) => r.id === id)
    for (const l of course.languages) {
      const row = rows.find((r) => r.locale === l)
      if (!row) problems.push({ field: `lessons.${id}.texts.${l}`, problem: 'required' })
      else if (row.kind === 'text' && !row.has_body)
        problems.push({ field: `lessons.${id}.texts.${l}.bodyMarkdown`, problem: 'required' })
    }
  }
  return problems
}

/** Builds the authoring service. */
export function createCourseService(deps: CourseServiceDeps): CourseService {
  const { audit } = deps

  /** Locks the course and checks the actor may change it. */
  async function editable(ctx: Ctx, courseId: string): Promise<repo.CourseRow> {
    const course = await repo.lockCourse(ctx.db, courseId)
    if (!course) throw new CourseNotFoundError()
    const instructorUserIds = await repo.instructorUserIds(ctx.db, courseId)
    if (!canEditCourse(ctx.actor, { createdBy: course.created_by, instructorUserIds })) throw new NotAllowedError()
    return course
  }

  async function record(ctx: Ctx, action: string, courseId: string, data?: Record<string, string | number>) {
    await audit.record(ctx, { action, targetType: 'course', targetId: courseId, ...(data ? { data } : {}) })
  }

  async function setStatus(ctx: Ctx, courseId: string, status: CourseStatus, action: string): Promise<void> {
    await inTransaction(ctx, async (tx) => {
      const course = await editable(tx, courseId)
      if (course.status === status) return
      if (status === 'published') {
        const problems = await publishProblems(tx, course)
        if (problems.length > 0) throw new NotPublishableError(problems)
      }
      await repo.setCourseStatus(tx.db, courseId, status, tx.now)
      await record(tx, action, courseId, { from: course.status })
    })
  }

  async function saveTexts(ctx: Ctx, courseId: string, input: CourseInput): Promise<void> {
    await repo.replaceCourseTexts(ctx.db, courseId, pickTexts(input.texts, input.languages))
  }

  return {
    async create(ctx, input, options = {}) {
      requireValid(courseProblems(input))
      if (!canCreateCourse(ctx.actor) || (options.demo && !canMarkDemo(ctx.actor))) throw new NotAllowedError()
      const id = randomUUID()
      try {
        await inTransaction(ctx, async (tx) => {
          if (await repo.slugTaken(tx.db, input.slug)) throw new SlugTakenError()
          const createdBy = tx.actor?.kind === 'user' ? tx.actor.id : null
          await repo.insertCourse(tx.db, { id, ...fields(input), demo: options.demo === true, createdBy, now: tx.now })
          await saveTexts(tx, id, input)
          await record(tx, 'course.created', id, { languages: input.languages.join(',') })
        })
      } catch (err) {
        if (isUniqueViolation(err, 'courses_slug_key')) throw new SlugTakenError()
        throw err
      }
      return { id, slug: input.slug }
    },

    async update(ctx, courseId, input) {
      requireValid(courseProblems(input))
      try {
        await inTransaction(ctx, async (tx) => {
          const course = await editable(tx, courseId)
          if (course.published_at !== null && course.slug !== input.slug)
            throw new CourseInvalidError([{ field: 'slug', problem: 'frozen' }])
          if (await repo.slugTaken(tx.db, input.slug, courseId)) throw new SlugTakenError()
          await repo.updateCourse(tx.db, courseId, fields(input), tx.now)
          await saveTexts(tx, courseId, input)
          // A published course must stay complete: a newly declared language needs its module and lesson texts first.
          if (course.status === 'published') {
            const problems = await publishProblems(tx, { ...course, languages: [...input.languages] })
            if (problems.length > 0) throw new NotPublishableError(problems)
          }
          await record(tx, 'course.updated', courseId)
        })
      } catch (err) {
        if (isUniqueViolation(err, 'courses_slug_key')) throw new SlugTakenError()
        throw err
      }
    },

    publish: (ctx, courseId) => setStatus(ctx, courseId, 'published', 'course.published'),
    archive: (ctx, courseId) => setStatus(ctx, courseId, 'archived', 'course.archived'),

    async addModule(ctx, courseId, input) {
      const id = randomUUID()
      await inTransaction(ctx, async (tx) => {
        const course = await editable(tx, courseId)
        requireValid(moduleProblems(input, course.languages))
        const titles = new Map<Locale, string>()
        for (const l of course.languages) titles.set(l, (input.titles[l] ?? '').trim())
        await repo.insertModule(tx.db, { id, courseId, titles })
        await record(tx, 'course.module_added', courseId, { moduleId: id })
      })
      return { id }
    },

    async addLesson(ctx, moduleId, input) {
      const id = randomUUID()
      await inTransaction(ctx, async (tx) => {
        const courseId = await repo.moduleCourse(tx.db, moduleId)
        if (!courseId) throw new CourseNotFoundError()
        const course = await editable(tx, courseId)
        requireValid(lessonProblems(input, course.languages))
        await repo.insertLesson(tx.db, {
          id,
          moduleId,
          kind: input.kind,
          videoUrl: input.videoUrl?.trim() || null,
          required: input.required ?? true,
          durationMinutes: input.durationMinutes ?? null,
          texts: pickTexts(input.texts, course.languages),
        })
        await record(tx, 'course.lesson_added', courseId, { moduleId, lessonId: id, kind: input.kind })
      })
      return { id }
    },

    async reorderModules(ctx, courseId, moduleIds) {
      await inTransaction(ctx, async (tx) => {
        await editable(tx, courseId)
        await reorder(tx, 'course_modules', await repo.moduleIds(tx.db, courseId), moduleIds)
        await record(tx, 'course.modules_reordered', courseId, { count: moduleIds.length })
      })
    },

    async reorderLessons(ctx, moduleId, lessonIds) {
      await inTransaction(ctx, async (tx) => {
        const courseId = await repo.moduleCourse(tx.db, moduleId)
        if (!courseId) throw new CourseNotFoundError()
        await editable(tx, courseId)
        await reorder(tx, 'lessons', await repo.lessonIds(tx.db, moduleId), lessonIds)
        await record(tx, 'course.lessons_reordered', courseId, { moduleId, count: lessonIds.length })
      })
    },

    async setInstructors(ctx, courseId, instructors) {
      const problems: Problem[] = []
      for (const [i, x] of instructors.entries()) {
        const name = x.displayName.trim()
        if (name === '' || name.length > LIMITS.instructorName)
          problems.push({ field: `instructors.${i}.displayName`, problem: name === '' ? 'required' : 'too_long' })
      }
      const userIds = instructors.flatMap((x) => (x.userId ? [x.userId] : []))
      if (new Set(userIds).size !== userIds.length) problems.push({ field: 'instructors', problem: 'duplicate' })
      requireValid(problems)
      await inTransaction(ctx, async (tx) => {
        await editable(tx, courseId)
        const rows = instructors.map((x) => ({ id: randomUUID(), userId: x.userId, displayName: x.displayName.trim() }))
        await repo.replaceInstructors(tx.db, courseId, rows)
        await record(tx, 'course.instructors_set', courseId, { count: rows.length })
      })
    },

    async updateModule(ctx, moduleId, input) {
      await inTransaction(ctx, async (tx) => {
        const courseId = await repo.moduleCourse(tx.db, moduleId)
        if (!courseId) throw new CourseNotFoundError()
        const course = await editable(tx, courseId)
        requireValid(moduleProblems(input, course.languages))
        const titles = new Map<Locale, string>()
        for (const l of course.languages) titles.set(l, (input.titles[l] ?? '').trim())
        await repo.replaceModuleTitles(tx.db, moduleId, titles)
        await record(tx, 'course.module_updated', courseId, { moduleId })
      })
    },

    async updateLesson(ctx, lessonId, input) {
      await inTransaction(ctx, async (tx) => {
        const place = await repo.lessonPlace(tx.db, lessonId)
        if (!place) throw new CourseNotFoundError()
        const course = await editable(tx, place.courseId)
        requireValid(lessonProblems(input, course.languages))
        await repo.updateLesson(tx.db, lessonId, {
          kind: input.kind,
          videoUrl: input.videoUrl?.trim() || null,
          required: input.required ?? true,
          durationMinutes: input.durationMinutes ?? null,
          texts: pickTexts(input.texts, course.languages),
        })
        if (course.status === 'published') {
          const problems = await publishProblems(tx, course)
          if (problems.length > 0) throw new NotPublishableError(problems)
        }
        await record(tx, 'course.lesson_updated', place.courseId, { moduleId: place.moduleId, lessonId })
      })
    },

    async deleteModule(ctx, moduleId) {
      await inTransaction(ctx, async (tx) => {
        const courseId = await repo.moduleCourse(tx.db, moduleId)
        if (!courseId) throw new CourseNotFoundError()
        const course = await editable(tx, courseId)
        if (course.status !== 'draft') throw new DeleteNotAllowedError()
        await repo.deleteModule(tx.db, moduleId)
        await repo.setPositions(tx.db, 'course_modules', await repo.moduleIds(tx.db, courseId))
        await record(tx, 'course.module_deleted', courseId, { moduleId })
      })
    },

    async deleteLesson(ctx, lessonId) {
      await inTransaction(ctx, async (tx) => {
        const place = await repo.lessonPlace(tx.db, lessonId)
        if (!place) throw new CourseNotFoundError()
        const course = await editable(tx, place.courseId)
        if (course.status !== 'draft') throw new DeleteNotAllowedError()
        await repo.deleteLesson(tx.db, lessonId)
        await repo.setPositions(tx.db, 'lessons', await repo.lessonIds(tx.db, place.moduleId))
        await record(tx, 'course.lesson_deleted', place.courseId, { moduleId: place.moduleId, lessonId })
      })
    },

    async setCover(ctx, courseId, path) {
      requireValid(path === null ? [] : coverPathProblems(path))
      await inTransaction(ctx, async (tx) => {
        await editable(tx, courseId)
        await repo.setCoverPath(tx.db, courseId, path, tx.now)
        await record(tx, path === null ? 'course.cover_removed' : 'course.cover_set', courseId)
      })
    },
  }
}

async function reorder(
  ctx: Ctx,
  table: 'course_modules' | 'lessons',
  current: readonly string[],
  wanted: readonly string[],
): Promise<void> {
  const same = wanted.length === current.length && new Set(wanted).size === wanted.length
  if (!same || !wanted.every((id) => current.includes(id))) throw new OrderInvalidError()
  await repo.setPositions(ctx.db, table, wanted)
}
