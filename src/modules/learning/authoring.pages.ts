/**
 * Authoring pages for instructors and admins (issue 5, "Instructors and
 * admins"; T-3.1.1) under /teach/courses. Every route: a signed-in person
 * (requireUser), then the course loaded through the authoring service, which
 * answers "not found" to anyone who may not change it (learners, other
 * instructors) — so another author's course is indistinguishable from none.
 * Forms post with the CSRF token; a refused form comes back with the input
 * kept and every problem named in the author's language.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { requireUser } from '../accounts/index'
import type { Locale } from '../../platform/context'
import type { HttpApp } from '../../platform/http/http-app'
import type { I18n } from '../../platform/i18n/i18n'
import { assetUrl } from '../../platform/views/assets'
import { html, type SafeHtml } from '../../platform/views/html'
import type { Views } from '../../platform/views/layout'
import { FileRejectedError } from './authoring.errors'
import type { MediaService, UploadedFile } from './authoring.media'
import {
  courseFormOf,
  courseInputOf,
  lessonFormOf,
  lessonInputOf,
  moduleFormOf,
  moduleInputOf,
  newCourseForm,
  readCourseForm,
  readLessonForm,
  readModuleForm,
  readOrder,
  courseTitle,
  lessonTitle,
  moduleTitle,
  type FormBody,
} from './authoring.presenter'
import { isUuid, type AuthoringService, type EditableCourse } from './authoring.service'
import {
  editorUrl,
  renderConfirm,
  renderCourseForm,
  renderCourseList,
  renderCoverForm,
  renderEditor,
  renderInstructorsForm,
  renderLessonForm,
  renderModuleForm,
  TEACH_HOME,
  type InstructorRowForm,
  type ViewKit,
} from './authoring.views'
import type { CourseService, InstructorInput } from './courses.service'
import {
  CourseInvalidError,
  CourseNotFoundError,
  NotPublishableError,
  SlugTakenError,
  type Problem,
} from './learning.errors'

export interface AuthoringPagesDeps {
  courses: CourseService
  authoring: AuthoringService
  media: MediaService
  views: Views
  i18n: I18n
}

/** Every route the authoring pages register, with who may use it (the authorization matrix reads this list). */
export const AUTHORING_ROUTES = [
  { method: 'GET', url: '/teach/courses' },
  { method: 'GET', url: '/teach/courses/new' },
  { method: 'POST', url: '/teach/courses' },
  { method: 'GET', url: '/teach/courses/:courseId' },
  { method: 'GET', url: '/teach/courses/:courseId/details' },
  { method: 'POST', url: '/teach/courses/:courseId/details' },
  { method: 'POST', url: '/teach/courses/:courseId/publish' },
  { method: 'GET', url: '/teach/courses/:courseId/archive' },
  { method: 'POST', url: '/teach/courses/:courseId/archive' },
  { method: 'GET', url: '/teach/courses/:courseId/instructors' },
  { method: 'POST', url: '/teach/courses/:courseId/instructors' },
  { method: 'POST', url: '/teach/courses/:courseId/modules' },
  { method: 'POST', url: '/teach/courses/:courseId/modules/order' },
  { method: 'GET', url: '/teach/courses/:courseId/modules/:moduleId' },
  { method: 'POST', url: '/teach/courses/:courseId/modules/:moduleId' },
  { method: 'GET', url: '/teach/courses/:courseId/modules/:moduleId/delete' },
  { method: 'POST', url: '/teach/courses/:courseId/modules/:moduleId/delete' },
  { method: 'POST', url: '/teach/courses/:courseId/modules/:moduleId/lessons/order' },
  { method: 'GET', url: '/teach/courses/:courseId/modules/:moduleId/lessons/new' },
  { method: 'POST', url: '/teach/courses/:courseId/modules/:moduleId/lessons' },
  { method: 'GET', url: '/teach/courses/:courseId/lessons/:lessonId' },
  { method: 'POST', url: '/teach/courses/:courseId/lessons/:lessonId' },
  { method: 'GET', url: '/teach/courses/:courseId/lessons/:lessonId/delete' },
  { method: 'POST', url: '/teach/courses/:courseId/lessons/:lessonId/delete' },
  { method: 'GET', url: '/teach/courses/:courseId/cover' },
  { method: 'POST', url: '/teach/courses/:courseId/cover' },
  { method: 'POST', url: '/teach/courses/:courseId/cover/remove' },
  { method: 'POST', url: '/teach/courses/:courseId/lessons/:lessonId/attachments' },
  { method: 'POST', url: '/teach/courses/:courseId/attachments/:fileId/delete' },
] as const

const ListQuery = Type.Object({ page: Type.Optional(Type.String({ maxLength: 16 })) })
const EditorQuery = Type.Object({
  done: Type.Optional(Type.String({ maxLength: 40 })),
  moved: Type.Optional(Type.String({ maxLength: 40 })),
})
const CourseParams = Type.Object({ courseId: Type.String({ maxLength: 64 }) })
const ModuleParams = Type.Object({ courseId: Type.String({ maxLength: 64 }), moduleId: Type.String({ maxLength: 64 }) })
const LessonParams = Type.Object({ courseId: Type.String({ maxLength: 64 }), lessonId: Type.String({ maxLength: 64 }) })
const FileParams = Type.Object({ courseId: Type.String({ maxLength: 64 }), fileId: Type.String({ maxLength: 64 }) })
const DoneQuery = Type.Object({ done: Type.Optional(Type.String({ maxLength: 40 })) })

const MAX_INSTRUCTORS = 8
const ANCHOR = /^(module|lesson)-[0-9a-f-]{36}$/

function styles(main: SafeHtml): SafeHtml {
  // The generic form pieces (.field, .input, .form-error …) are in accounts.css; the course pieces in learning.css.
  return html`<link rel="stylesheet" href="${assetUrl('accounts.css')}"><link rel="stylesheet" href="${assetUrl('learning.css')}"><link rel="stylesheet" href="${assetUrl('authoring.css')}">${main}<script src="${assetUrl('authoring.js')}" defer></script>`
}

/** Registers the authoring pages. */
export async function registerAuthoringPages(app: HttpApp, deps: AuthoringPagesDeps): Promise<void> {
  const { courses, authoring, media, views, i18n } = deps
  const signedIn = { preHandler: requireUser }

  const kit = (req: FastifyRequest, reply: FastifyReply): ViewKit => {
    const locale: Locale = req.ctx.locale
    return {
      t: (key, values) => i18n.t(locale, key, values),
      has: (key) => i18n.has(locale, key),
      locale,
      csrf: reply.generateCsrf(),
    }
  }
  const send = (req: FastifyRequest, reply: FastifyReply, title: string, main: SafeHtml, status = 200) =>
    reply
      .status(status)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(views.page(req, { title, main: styles(main) }))

  /** The course for its editor, or a 404 for anyone who may not change it. */
  const load = (req: FastifyRequest, courseId: string) => authoring.course(req.ctx, courseId)
  const moduleOf = (course: EditableCourse, moduleId: string) => {
    const module = course.modules.find((m) => m.id === moduleId)
    if (!module) throw new CourseNotFoundError()
    return module
  }
  const lessonOf = (course: EditableCourse, lessonId: string) => {
    for (const module of course.modules) {
      const lesson = module.lessons.find((l) => l.id === lessonId)
      if (lesson) return { module, lesson }
    }
    throw new CourseNotFoundError()
  }
  const coverUrl = (course: EditableCourse) =>
    course.coverImagePath ? media.coverUrl(course.coverImagePath) : undefined
  const back = (reply: FastifyReply, url: string) => reply.header('cache-control', 'no-store').redirect(url, 303)

  // ——— My courses, new course ———

  app.get(TEACH_HOME, { ...signedIn, schema: { hide: true, querystring: ListQuery } }, async (req, reply) => {
    const page = /^\d{1,5}$/.test(req.query.page ?? '') ? Math.max(1, Number(req.query.page)) : 1
    const list = await authoring.list(req.ctx, page)
    if (!list) throw new CourseNotFoundError()
    const k = kit(req, reply)
    const admin = req.ctx.actor?.roles.includes('admin') ?? false
    return send(
      req,
      reply,
      k.t(admin ? 'learning.authoring.list.titleAdmin' : 'learning.authoring.list.title'),
      renderCourseList(k, list, admin),
    )
  })

  app.get(`${TEACH_HOME}/new`, { ...signedIn, schema: { hide: true } }, async (req, reply) => {
    if (!(await authoring.list(req.ctx, 1))) throw new CourseNotFoundError()
    const k = kit(req, reply)
    const view = { form: newCourseForm(req.ctx.locale), problems: [] }
    return send(req, reply, k.t('learning.authoring.course.newTitle'), renderCourseForm(k, view))
  })

  app.post(TEACH_HOME, { ...signedIn, schema: { hide: true } }, async (req, reply) => {
    if (!(await authoring.list(req.ctx, 1))) throw new CourseNotFoundError()
    const form = readCourseForm(req.body as FormBody)
    const { input, problems } = courseInputOf(form)
    try {
      if (problems.length) throw new CourseInvalidError(problems)
      const { id } = await courses.create(req.ctx, input)
      return back(reply, `${editorUrl(id)}?done=created`)
    } catch (err) {
      const refused = formProblems(err, problems)
      const k = kit(req, reply)
      return send(
        req,
        reply,
        k.t('learning.authoring.course.newTitle'),
        renderCourseForm(k, { form, problems: refused }),
        400,
      )
    }
  })

  // ——— The editor and the course's details ———

  app.get(
    `${TEACH_HOME}/:courseId`,
    { ...signedIn, schema: { hide: true, params: CourseParams, querystring: EditorQuery } },
    async (req, reply) => {
      const course = await load(req, req.params.courseId)
      const k = kit(req, reply)
      const attachments = await media.attachments(req.ctx, course.id)
      const view = { course, done: req.query.done, moved: req.query.moved, coverUrl: coverUrl(course), attachments }
      return send(req, reply, courseTitle(course, k.locale), renderEditor(k, view))
    },
  )

  app.get(
    `${TEACH_HOME}/:courseId/details`,
    { ...signedIn, schema: { hide: true, params: CourseParams } },
    async (req, reply) => {
      const course = await load(req, req.params.courseId)
      const k = kit(req, reply)
      return send(
        req,
        reply,
        k.t('learning.authoring.course.editTitle'),
        renderCourseForm(k, { form: courseFormOf(course), problems: [], course }),
      )
    },
  )

  app.post(
    `${TEACH_HOME}/:courseId/details`,
    { ...signedIn, schema: { hide: true, params: CourseParams } },
    async (req, reply) => {
      const course = await load(req, req.params.courseId)
      const form = readCourseForm(req.body as FormBody)
      if (course.publishedAt) form.slug = course.slug
      const { input, problems } = courseInputOf(form)
      try {
        if (problems.length) throw new CourseInvalidError(problems)
        await courses.update(req.ctx, course.id, { ...input, coverImagePath: course.coverImagePath })
        return back(reply, `${editorUrl(course.id)}?done=saved`)
      } catch (err) {
        const refused = formProblems(err, problems)
        const k = kit(req, reply)
        return send(
          req,
          reply,
          k.t('learning.authoring.course.editTitle'),
          renderCourseForm(k, { form, problems: refused, course }),
          400,
        )
      }
    },
  )

  // ——— Publication ———

  app.post(
    `${TEACH_HOME}/:courseId/publish`,
    { ...signedIn, schema: { hide: true, params: CourseParams } },
    async (req, reply) => {
      const course = await load(req, req.params.courseId)
      try {
        await courses.publish(req.ctx, course.id)
        return back(reply, `${editorUrl(course.id)}?done=published`)
      } catch (err) {
        if (!(err instanceof NotPublishableError)) throw err
        const k = kit(req, reply)
        const view = {
          course: { ...course, problems: [...err.problems] },
          publishRefused: true,
          coverUrl: coverUrl(course),
        }
        return send(req, reply, courseTitle(course, k.locale), renderEditor(k, view), 409)
      }
    },
  )

  app.get(
    `${TEACH_HOME}/:courseId/archive`,
    { ...signedIn, schema: { hide: true, params: CourseParams } },
    async (req, reply) => {
      const course = await load(req, req.params.courseId)
      const k = kit(req, reply)
      const heading = k.t('learning.authoring.publish.archiveTitle')
      return send(
        req,
        reply,
        heading,
        renderConfirm(k, {
          course,
          heading,
          text: k.t('learning.authoring.publish.archiveText'),
          action: `${editorUrl(course.id)}/archive`,
          button: k.t('learning.authoring.publish.archive'),
          back: `${editorUrl(course.id)}#publication`,
        }),
      )
    },
  )

  app.post(
    `${TEACH_HOME}/:courseId/archive`,
    { ...signedIn, schema: { hide: true, params: CourseParams } },
    async (req, reply) => {
      const course = await load(req, req.params.courseId)
      await courses.archive(req.ctx, course.id)
      return back(reply, `${editorUrl(course.id)}?done=archived`)
    },
  )

  // ——— Instructors ———

  const linkOptions = (k: ViewKit, course: EditableCourse, actorId: string) => {
    const options = course.instructors.flatMap((i, n) =>
      i.userId && i.userId !== actorId
        ? [{ value: `keep:${n}`, label: k.t('learning.authoring.instructors.keep', { name: i.displayName }) }]
        : [],
    )
    return [{ value: 'self', label: k.t('learning.authoring.instructors.self') }, ...options]
  }
  const rowsOf = (course: EditableCourse, actorId: string): InstructorRowForm[] =>
    [
      ...course.instructors.map((i, n) => ({
        name: i.displayName,
        link: i.userId === null ? '' : i.userId === actorId ? 'self' : `keep:${n}`,
      })),
      { name: '', link: '' },
      { name: '', link: '' },
    ].slice(0, MAX_INSTRUCTORS)

  app.get(
    `${TEACH_HOME}/:courseId/instructors`,
    { ...signedIn, schema: { hide: true, params: CourseParams } },
    async (req, reply) => {
      const course = await load(req, req.params.courseId)
      const k = kit(req, reply)
      const actorId = req.ctx.actor!.id
      return send(
        req,
        reply,
        k.t('learning.authoring.instructors.edit'),
        renderInstructorsForm(k, course, rowsOf(course, actorId), [], linkOptions(k, course, actorId)),
      )
    },
  )

  app.post(
    `${TEACH_HOME}/:courseId/instructors`,
    { ...signedIn, schema: { hide: true, params: CourseParams } },
    async (req, reply) => {
      const course = await load(req, req.params.courseId)
      const actorId = req.ctx.actor!.id
      const body = req.body as FormBody
      const rows: InstructorRowForm[] = []
      for (let i = 0; i < MAX_INSTRUCTORS; i++) {
        const name = typeof body[`name_${i}`] === 'string' ? (body[`name_${i}`] as string).slice(0, 500) : ''
        const link = typeof body[`link_${i}`] === 'string' ? (body[`link_${i}`] as string) : ''
        rows.push({ name, link })
      }
      const kept = rows.filter((r) => r.name.trim() !== '' || r.link !== '')
      // Links: only the author's own account, or links the course already had (no one is linked by guessing an id).
      const input: InstructorInput[] = kept.map((r) => {
        const m = /^keep:(\d+)$/.exec(r.link)
        const userId = r.link === 'self' ? actorId : m ? (course.instructors[Number(m[1])]?.userId ?? null) : null
        return { userId, displayName: r.name }
      })
      try {
        await courses.setInstructors(req.ctx, course.id, input)
        return back(reply, `${editorUrl(course.id)}?done=instructors_saved#instructors`)
      } catch (err) {
        if (!(err instanceof CourseInvalidError)) throw err
        const k = kit(req, reply)
        const shown = [...kept, { name: '', link: '' }].slice(0, MAX_INSTRUCTORS)
        return send(
          req,
          reply,
          k.t('learning.authoring.instructors.edit'),
          renderInstructorsForm(k, course, shown, err.problems, linkOptions(k, course, actorId)),
          400,
        )
      }
    },
  )

  // ——— Modules ———

  app.post(
    `${TEACH_HOME}/:courseId/modules`,
    { ...signedIn, schema: { hide: true, params: CourseParams } },
    async (req, reply) => {
      const course = await load(req, req.params.courseId)
      const form = readModuleForm(req.body as FormBody)
      try {
        const { id } = await courses.addModule(req.ctx, course.id, moduleInputOf(form))
        return back(reply, `${editorUrl(course.id)}?done=module_added#module-${id}`)
      } catch (err) {
        if (!(err instanceof CourseInvalidError)) throw err
        const k = kit(req, reply)
        const view = { course, moduleForm: { form, problems: err.problems }, coverUrl: coverUrl(course) }
        return send(req, reply, courseTitle(course, k.locale), renderEditor(k, view), 400)
      }
    },
  )

  /** The reorder endpoint of the move buttons (a form post) and of drag and drop (a script's post, JSON answer). */
  const afterMove = (req: FastifyRequest, reply: FastifyReply, courseId: string) => {
    const body = req.body as FormBody
    if ((req.headers.accept ?? '').includes('application/json'))
      return reply.header('cache-control', 'no-store').send({ ok: true })
    const movedId = typeof body.moved === 'string' && isUuid(body.moved) ? body.moved : undefined
    const anchor = typeof body.anchor === 'string' && ANCHOR.test(body.anchor) ? `#${body.anchor}` : '#programme'
    return back(reply, `${editorUrl(courseId)}${movedId ? `?moved=${movedId}` : ''}${anchor}`)
  }

  app.post(
    `${TEACH_HOME}/:courseId/modules/order`,
    { ...signedIn, schema: { hide: true, params: CourseParams } },
    async (req, reply) => {
      const course = await load(req, req.params.courseId)
      await courses.reorderModules(req.ctx, course.id, readOrder(req.body as FormBody))
      return afterMove(req, reply, course.id)
    },
  )

  app.get(
    `${TEACH_HOME}/:courseId/modules/:moduleId`,
    { ...signedIn, schema: { hide: true, params: ModuleParams } },
    async (req, reply) => {
      const course = await load(req, req.params.courseId)
      const module = moduleOf(course, req.params.moduleId)
      const k = kit(req, reply)
      return send(
        req,
        reply,
        k.t('learning.authoring.module.editTitle'),
        renderModuleForm(k, course, module, moduleFormOf(module), []),
      )
    },
  )

  app.post(
    `${TEACH_HOME}/:courseId/modules/:moduleId`,
    { ...signedIn, schema: { hide: true, params: ModuleParams } },
    async (req, reply) => {
      const course = await load(req, req.params.courseId)
      const module = moduleOf(course, req.params.moduleId)
      const form = readModuleForm(req.body as FormBody)
      try {
        await courses.updateModule(req.ctx, module.id, moduleInputOf(form))
        return back(reply, `${editorUrl(course.id)}?done=module_saved#module-${module.id}`)
      } catch (err) {
        if (!(err instanceof CourseInvalidError)) throw err
        const k = kit(req, reply)
        return send(
          req,
          reply,
          k.t('learning.authoring.module.editTitle'),
          renderModuleForm(k, course, module, form, err.problems),
          400,
        )
      }
    },
  )

  app.get(
    `${TEACH_HOME}/:courseId/modules/:moduleId/delete`,
    { ...signedIn, schema: { hide: true, params: ModuleParams } },
    async (req, reply) => {
      const course = await load(req, req.params.courseId)
      const module = moduleOf(course, req.params.moduleId)
      const k = kit(req, reply)
      const heading = k.t('learning.authoring.module.deleteTitle')
      const draft = course.status === 'draft'
      return send(
        req,
        reply,
        heading,
        renderConfirm(k, {
          course,
          heading,
          text: k.t(draft ? 'learning.authoring.module.deleteText' : 'learning.authoring.errors.delete_not_allowed', {
            title: moduleTitle(module, course.languages, k.locale),
            count: module.lessons.length,
          }),
          action: `${editorUrl(course.id)}/modules/${module.id}/delete`,
          button: k.t('learning.authoring.outline.delete'),
          back: `${editorUrl(course.id)}#module-${module.id}`,
        }),
        draft ? 200 : 409,
      )
    },
  )

  app.post(
    `${TEACH_HOME}/:courseId/modules/:moduleId/delete`,
    { ...signedIn, schema: { hide: true, params: ModuleParams } },
    async (req, reply) => {
      const course = await load(req, req.params.courseId)
      const module = moduleOf(course, req.params.moduleId)
      await courses.deleteModule(req.ctx, module.id)
      return back(reply, `${editorUrl(course.id)}?done=module_deleted#programme`)
    },
  )

  // ——— Lessons ———

  app.post(
    `${TEACH_HOME}/:courseId/modules/:moduleId/lessons/order`,
    { ...signedIn, schema: { hide: true, params: ModuleParams } },
    async (req, reply) => {
      const course = await load(req, req.params.courseId)
      const module = moduleOf(course, req.params.moduleId)
      await courses.reorderLessons(req.ctx, module.id, readOrder(req.body as FormBody))
      return afterMove(req, reply, course.id)
    },
  )

  app.get(
    `${TEACH_HOME}/:courseId/modules/:moduleId/lessons/new`,
    { ...signedIn, schema: { hide: true, params: ModuleParams } },
    async (req, reply) => {
      const course = await load(req, req.params.courseId)
      const module = moduleOf(course, req.params.moduleId)
      const k = kit(req, reply)
      return send(
        req,
        reply,
        k.t('learning.authoring.lesson.newTitle'),
        renderLessonForm(k, { course, moduleId: module.id, form: lessonFormOf(), problems: [] }),
      )
    },
  )

  app.post(
    `${TEACH_HOME}/:courseId/modules/:moduleId/lessons`,
    { ...signedIn, schema: { hide: true, params: ModuleParams } },
    async (req, reply) => {
      const course = await load(req, req.params.courseId)
      const module = moduleOf(course, req.params.moduleId)
      const body = req.body as FormBody
      const form = readLessonForm(body)
      const k = kit(req, reply)
      if (body.action === 'preview')
        return send(
          req,
          reply,
          k.t('learning.authoring.lesson.newTitle'),
          renderLessonForm(k, { course, moduleId: module.id, form, problems: [], preview: true }),
        )
      try {
        const { id } = await courses.addLesson(req.ctx, module.id, lessonInputOf(form))
        return back(reply, `${editorUrl(course.id)}?done=lesson_added#lesson-${id}`)
      } catch (err) {
        if (!(err instanceof CourseInvalidError)) throw err
        return send(
          req,
          reply,
          k.t('learning.authoring.lesson.newTitle'),
          renderLessonForm(k, { course, moduleId: module.id, form, problems: err.problems }),
          400,
        )
      }
    },
  )

  app.get(
    `${TEACH_HOME}/:courseId/lessons/:lessonId`,
    { ...signedIn, schema: { hide: true, params: LessonParams, querystring: DoneQuery } },
    async (req, reply) => {
      const course = await load(req, req.params.courseId)
      const { module, lesson } = lessonOf(course, req.params.lessonId)
      const k = kit(req, reply)
      const attachments = await media.attachments(req.ctx, course.id)
      const form = lessonFormOf(lesson)
      const view = { course, moduleId: module.id, lesson, form, problems: [], attachments, done: req.query.done }
      return send(req, reply, k.t('learning.authoring.lesson.editTitle'), renderLessonForm(k, view))
    },
  )

  app.post(
    `${TEACH_HOME}/:courseId/lessons/:lessonId`,
    { ...signedIn, schema: { hide: true, params: LessonParams } },
    async (req, reply) => {
      const course = await load(req, req.params.courseId)
      const { module, lesson } = lessonOf(course, req.params.lessonId)
      const body = req.body as FormBody
      const form = readLessonForm(body)
      const k = kit(req, reply)
      const view = {
        course,
        moduleId: module.id,
        lesson,
        form,
        attachments: await media.attachments(req.ctx, course.id),
      }
      if (body.action === 'preview')
        return send(
          req,
          reply,
          k.t('learning.authoring.lesson.editTitle'),
          renderLessonForm(k, { ...view, problems: [], preview: true }),
        )
      try {
        await courses.updateLesson(req.ctx, lesson.id, lessonInputOf(form))
        return back(reply, `${editorUrl(course.id)}?done=lesson_saved#lesson-${lesson.id}`)
      } catch (err) {
        if (err instanceof NotPublishableError)
          return send(
            req,
            reply,
            k.t('learning.authoring.lesson.editTitle'),
            renderLessonForm(k, { ...view, problems: [{ field: 'kind', problem: 'unpublishable' }] }),
            409,
          )
        if (!(err instanceof CourseInvalidError)) throw err
        return send(
          req,
          reply,
          k.t('learning.authoring.lesson.editTitle'),
          renderLessonForm(k, { ...view, problems: err.problems }),
          400,
        )
      }
    },
  )

  app.get(
    `${TEACH_HOME}/:courseId/lessons/:lessonId/delete`,
    { ...signedIn, schema: { hide: true, params: LessonParams } },
    async (req, reply) => {
      const course = await load(req, req.params.courseId)
      const { lesson } = lessonOf(course, req.params.lessonId)
      const k = kit(req, reply)
      const heading = k.t('learning.authoring.lesson.deleteTitle')
      const draft = course.status === 'draft'
      return send(
        req,
        reply,
        heading,
        renderConfirm(k, {
          course,
          heading,
          text: k.t(draft ? 'learning.authoring.lesson.deleteText' : 'learning.authoring.errors.delete_not_allowed', {
            title: lessonTitle(lesson, course.languages, k.locale),
          }),
          action: `${editorUrl(course.id)}/lessons/${lesson.id}/delete`,
          button: k.t('learning.authoring.outline.delete'),
          back: `${editorUrl(course.id)}#lesson-${lesson.id}`,
        }),
        draft ? 200 : 409,
      )
    },
  )

  app.post(
    `${TEACH_HOME}/:courseId/lessons/:lessonId/delete`,
    { ...signedIn, schema: { hide: true, params: LessonParams } },
    async (req, reply) => {
      const course = await load(req, req.params.courseId)
      const { module, lesson } = lessonOf(course, req.params.lessonId)
      await courses.deleteLesson(req.ctx, lesson.id)
      return back(reply, `${editorUrl(course.id)}?done=lesson_deleted#module-${module.id}`)
    },
  )

  // ——— Cover picture ———

  app.get(
    `${TEACH_HOME}/:courseId/cover`,
    { ...signedIn, schema: { hide: true, params: CourseParams } },
    async (req, reply) => {
      const course = await load(req, req.params.courseId)
      const k = kit(req, reply)
      return send(req, reply, k.t('learning.authoring.cover.title'), renderCoverForm(k, course, coverUrl(course)))
    },
  )

  app.post(
    `${TEACH_HOME}/:courseId/cover/remove`,
    { ...signedIn, schema: { hide: true, params: CourseParams } },
    async (req, reply) => {
      const course = await load(req, req.params.courseId)
      await media.removeCover(req.ctx, course.id)
      return back(reply, `${editorUrl(course.id)}?done=cover_removed#cover`)
    },
  )

  // Multipart bodies are accepted by this route only (its own plugin scope); files are read into memory within the limit.
  await app.register(async (plugin) => {
    const scope = plugin.withTypeProvider<TypeBoxTypeProvider>()
    await media.registerMultipart(scope)
    scope.post(
      `${TEACH_HOME}/:courseId/cover`,
      { ...signedIn, schema: { hide: true, params: CourseParams } },
      async (req, reply) => {
        const course = await load(req, req.params.courseId)
        const file = uploaded((req.body ?? {}) as Record<string, unknown>, 'cover')
        try {
          await media.setCover(req.ctx, course.id, file?.bytes ?? null)
          return back(reply, `${editorUrl(course.id)}?done=cover_saved#cover`)
        } catch (err) {
          if (!(err instanceof FileRejectedError)) throw err
          const k = kit(req, reply)
          const error = k.t(`learning.authoring.cover.rejected.${err.reason}`)
          return send(
            req,
            reply,
            k.t('learning.authoring.cover.title'),
            renderCoverForm(k, course, coverUrl(course), error),
            err.status,
          )
        }
      },
    )

    scope.post(
      `${TEACH_HOME}/:courseId/lessons/:lessonId/attachments`,
      { ...signedIn, schema: { hide: true, params: LessonParams } },
      async (req, reply) => {
        const course = await load(req, req.params.courseId)
        const { module, lesson } = lessonOf(course, req.params.lessonId)
        const file = uploaded((req.body ?? {}) as Record<string, unknown>, 'file')
        try {
          await media.addAttachment(req.ctx, course.id, lesson.id, file)
          return back(reply, `${editorUrl(course.id)}/lessons/${lesson.id}?done=attachment_added#attachments`)
        } catch (err) {
          if (!(err instanceof FileRejectedError)) throw err
          const k = kit(req, reply)
          const view = {
            course,
            moduleId: module.id,
            lesson,
            form: lessonFormOf(lesson),
            problems: [],
            attachments: await media.attachments(req.ctx, course.id),
            attachmentError: k.t(`learning.authoring.attachments.rejected.${err.reason}`),
          }
          return send(req, reply, k.t('learning.authoring.lesson.editTitle'), renderLessonForm(k, view), err.status)
        }
      },
    )
  })

  app.post(
    `${TEACH_HOME}/:courseId/attachments/:fileId/delete`,
    { ...signedIn, schema: { hide: true, params: FileParams } },
    async (req, reply) => {
      const course = await load(req, req.params.courseId)
      const file = (await media.attachments(req.ctx, course.id)).find((a) => a.id === req.params.fileId)
      if (!file) throw new CourseNotFoundError()
      await media.removeAttachment(req.ctx, course.id, file.id)
      return back(reply, `${editorUrl(course.id)}/lessons/${file.lessonId}?done=attachment_removed#attachments`)
    },
  )

  media.registerServing(app)
}

/** The file a multipart form sent in `field` (see MediaService.registerMultipart), if any. */
function uploaded(body: Record<string, unknown>, field: string): UploadedFile | null {
  const v = body[field] as UploadedFile | undefined
  return v && v.bytes instanceof Uint8Array ? v : null
}

/** The problems to show again with a refused course form. */
function formProblems(err: unknown, own: readonly Problem[]): Problem[] {
  if (err instanceof CourseInvalidError) {
    const seen = new Set(own.map((p) => p.field))
    return [...own, ...err.problems.filter((p) => !seen.has(p.field))]
  }
  if (err instanceof SlugTakenError) return [{ field: 'slug', problem: 'taken' }]
  if (err instanceof NotPublishableError) return [{ field: 'languages', problem: 'incomplete' }]
  throw err
}
