// B-3.4 (need-to-know) for the authoring pages and the quiz editor, issue 5: every /teach route as an anonymous
// visitor, a learner, another instructor, the course's own instructor and an admin. Only the course's authors and admins reach a
// course; everyone else gets the same 404 as for a course that does not exist, and nothing changes.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import Fastify from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { createTestApp, type TestApp } from '../../../test/app'
import { pageDatabaseKinds } from '../../../test/database'
import { createAuditLog } from '../../platform/audit/index'
import { systemCtx, type Role } from '../../platform/context'
import { AUTHORING_ROUTES, registerAuthoringPages } from './authoring.pages'
import { createMediaService } from './authoring.media'
import { browserAs, type Browser } from './authoring.test-fixtures'
import { createCourseService } from './courses.service'
import { QUIZ_AUTHORING_ROUTES, registerQuizAuthoringPages } from './quiz-authoring.pages'
import { createQuizService } from './quizzes.service'
import { courseInput } from './test-fixtures'

type Route = (typeof AUTHORING_ROUTES)[number] | (typeof QUIZ_AUTHORING_ROUTES)[number]

/** Routes that remove or archive, run last so the other probes still find their question, module and lesson. */
const LAST = [
  '/questions/:questionId/delete',
  '/attachments/:fileId/delete',
  '/lessons/:lessonId/delete',
  '/modules/:moduleId/delete',
  '/archive',
]
const rank = (r: Route) => (r.method === 'POST' ? LAST.findIndex((s) => r.url.endsWith(s)) + 1 : 0)
const ordered = [...AUTHORING_ROUTES, ...QUIZ_AUTHORING_ROUTES].sort((a, b) => rank(a) - rank(b))

interface Fixture {
  courseId: string
  moduleId: string
  lessonId: string
  fileId: string
  quizLessonId: string
  questionId: string
  title: string
}

let t: TestApp

async function courseOf(ownerId: string): Promise<Fixture> {
  const courses = createCourseService({ audit: createAuditLog({ clock: t.clock }) })
  const ctx = {
    ...systemCtx(t.database.db, t.clock),
    actor: { kind: 'user' as const, id: ownerId, roles: ['instructor' as Role] },
  }
  const input = courseInput({ languages: ['kk'] })
  const { id } = await courses.create(ctx, input)
  const { id: moduleId } = await courses.addModule(ctx, id, { titles: { kk: 'Модуль' } })
  const { id: lessonId } = await courses.addLesson(ctx, moduleId, {
    kind: 'text',
    texts: { kk: { title: 'Сабақ', bodyMarkdown: 'Мәтін' } },
  })
  const media = createMediaService({ courses, audit: createAuditLog({ clock: t.clock }) })
  const pdf = { bytes: Buffer.from('%PDF-1.7\n%%EOF\n'), filename: 'plan.pdf' }
  const { id: fileId } = await media.addAttachment(ctx, id, lessonId, pdf)
  const { id: quizLessonId } = await courses.addLesson(ctx, moduleId, {
    kind: 'quiz',
    texts: { kk: { title: 'Тест', bodyMarkdown: '' } },
  })
  const quizzes = createQuizService({ audit: createAuditLog({ clock: t.clock }) })
  const option = (kk: string, correct: boolean) => ({ label: { kk }, correct })
  await quizzes.setQuiz(ctx, quizLessonId, {
    passPercent: 70,
    maxAttempts: null,
    shuffleOptions: false,
    questions: [{ kind: 'single', prompt: { kk: 'Сұрақ?' }, options: [option('Иә', true), option('Жоқ', false)] }],
  })
  const questionId = (
    await t.database.db
      .withTables<{ quiz_questions: { id: string; lesson_id: string } }>()
      .selectFrom('quiz_questions')
      .select('id')
      .where('lesson_id', '=', quizLessonId)
      .executeTakeFirstOrThrow()
  ).id
  return { courseId: id, moduleId, lessonId, fileId, quizLessonId, questionId, title: input.texts.kk!.title }
}

const urlOf = (r: Route, f: Fixture) =>
  r.url
    .replace(':courseId', f.courseId)
    .replace(':moduleId', f.moduleId)
    .replace(':lessonId', r.url.includes('/quiz') ? f.quizLessonId : f.lessonId)
    .replace(':fileId', f.fileId)
    .replace(':questionId', f.questionId)

async function call(b: Browser, r: Route, f: Fixture) {
  const url = urlOf(r, f)
  if (r.method === 'GET') return b.get(url)
  await b.get(b.id ? '/account' : '/login') // a form's CSRF token: a refusal is never the CSRF check's
  // Instructors: the prober keeps themselves linked (an author who unlinks themselves loses the course, rightly).
  const fields: Record<string, string> = url.endsWith('/order')
    ? { order: '' }
    : url.endsWith('/instructors')
      ? { name_0: 'Мен', link_0: 'self' }
      : {}
  return b.post(url, fields)
}

async function auditCount(courseId: string): Promise<number> {
  const row = await t.database.db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('target_id', '=', courseId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

for (const kind of pageDatabaseKinds())
  describe(`authoring authorization matrix [${kind}]`, () => {
    before(async () => {
      t = await createTestApp({ kind, env: { OQU_RATE_LIMIT: '100000' } })
    })
    after(async () => t?.close())

    it('lists every route the pages register, and the app serves each', async () => {
      const registered: string[] = []
      const bare = Fastify().withTypeProvider<TypeBoxTypeProvider>()
      bare.addHook('onRoute', (route) => {
        for (const method of [route.method].flat()) if (method !== 'HEAD') registered.push(`${method} ${route.url}`)
      })
      const media = { registerMultipart: async () => {}, registerServing: () => {} }
      await registerAuthoringPages(bare, { media, views: {}, i18n: {}, courses: {}, authoring: {} } as never)
      const listed = AUTHORING_ROUTES.map((r) => `${r.method} ${r.url}`)
      assert.deepEqual(registered.sort(), [...listed].sort())
      for (const r of AUTHORING_ROUTES) assert.ok(t.app.hasRoute({ method: r.method, url: r.url }), r.url)
      const quizRoutes: string[] = []
      const quizBare = Fastify().withTypeProvider<TypeBoxTypeProvider>()
      quizBare.addHook('onRoute', (route) => {
        for (const method of [route.method].flat()) if (method !== 'HEAD') quizRoutes.push(`${method} ${route.url}`)
      })
      registerQuizAuthoringPages(quizBare, { views: {}, i18n: {}, quizzes: {}, authoring: {} } as never)
      assert.deepEqual(quizRoutes.sort(), QUIZ_AUTHORING_ROUTES.map((r) => `${r.method} ${r.url}`).sort())
      for (const r of QUIZ_AUTHORING_ROUTES) assert.ok(t.app.hasRoute({ method: r.method, url: r.url }), r.url)
    })

    it('sends anonymous visitors to sign in, on every route', async () => {
      const owner = await browserAs(t, ['instructor'])
      const f = await courseOf(owner.id!)
      const anonymous = await browserAs(t, null)
      for (const r of ordered) {
        const res = await call(anonymous, r, f)
        assert.equal(res.statusCode, 303, `${r.method} ${r.url}`)
        assert.match(String(res.headers.location), /^\/login/)
      }
    })

    for (const role of ['learner', 'dpo'] as const)
      it(`answers a ${role} 404 on every route, and nothing changes`, async () => {
        const owner = await browserAs(t, ['instructor'])
        const f = await courseOf(owner.id!)
        const before = await auditCount(f.courseId)
        const someone = await browserAs(t, [role])
        for (const r of ordered) assert.equal((await call(someone, r, f)).statusCode, 404, `${r.method} ${r.url}`)
        assert.equal(await auditCount(f.courseId), before)
      })

    it('gives another instructor nothing of a course that is not theirs', async () => {
      const owner = await browserAs(t, ['instructor'])
      const f = await courseOf(owner.id!)
      const before = await auditCount(f.courseId)
      const other = await browserAs(t, ['instructor'])
      for (const r of ordered) {
        const res = await call(other, r, f)
        if (r.url.includes(':courseId')) assert.equal(res.statusCode, 404, `${r.method} ${r.url}`)
        else {
          assert.ok([200, 400].includes(res.statusCode), `${r.method} ${r.url}: ${res.statusCode}`)
          assert.ok(!res.body.includes(f.title) && !res.body.includes(f.courseId), `${r.url} mentions the course`)
        }
      }
      assert.equal(await auditCount(f.courseId), before)
      // A draft stays hidden from them on the public page too.
      const slug = (
        await t.database.db
          .withTables<{ courses: { id: string; slug: string } }>()
          .selectFrom('courses')
          .select('slug')
          .where('id', '=', f.courseId)
          .executeTakeFirstOrThrow()
      ).slug
      assert.equal((await other.get(`/courses/${slug}`)).statusCode, 404)
    })

    for (const who of ['owner', 'named instructor', 'admin'] as const)
      it(`lets the ${who} use every route of the course`, async () => {
        const owner = await browserAs(t, ['instructor'])
        const f = await courseOf(owner.id!)
        let me = owner
        if (who === 'admin') me = await browserAs(t, ['admin'])
        if (who === 'named instructor') {
          me = await browserAs(t, ['instructor'])
          const courses = createCourseService({ audit: createAuditLog({ clock: t.clock }) })
          await courses.setInstructors(systemCtx(t.database.db, t.clock), f.courseId, [
            { userId: me.id, displayName: 'Айгүл Серікқызы' },
          ])
        }
        for (const r of ordered) {
          const res = await call(me, r, f)
          assert.ok([200, 303, 400, 409].includes(res.statusCode), `${r.method} ${r.url}: ${res.statusCode}`)
        }
        const list = await me.get('/teach/courses')
        assert.match(list.body, new RegExp(f.courseId))
      })

    it('shows an admin every course and an instructor only theirs in the list', async () => {
      const a = await browserAs(t, ['instructor'])
      const b = await browserAs(t, ['instructor'])
      const fa = await courseOf(a.id!)
      const fb = await courseOf(b.id!)
      const admin = await browserAs(t, ['admin'])
      const all = (await admin.get('/teach/courses')).body
      assert.ok(all.includes(fa.courseId) && all.includes(fb.courseId))
      const mine = (await a.get('/teach/courses')).body
      assert.ok(mine.includes(fa.courseId) && !mine.includes(fb.courseId))
    })
  })
